//! Engine-level search benchmark: a fixed, seeded mix of queries run against a published
//! build's index and catalogue snapshot, timed one by one.
//!
//! ```text
//! cargo run --release --example search_bench -- DATA_DIR [QUERIES] [--write-queries FILE]
//!                                                  [--queries FILE]
//! ```
//!
//! The mix (a quarter each): plain words from product titles; the same with one typo (a
//! letter changed or two swapped, words of 5+ letters); prefixes (3–6 letters, as typed);
//! a word with an aisle filter, a colour or delivery-mode filter and a price bound. Prints
//! p50, p90, p99 and max in microseconds, and the share of queries with results.
//! `--write-queries` also writes the mix as URL query strings, one per line (for wrk);
//! `--queries` runs the query strings of a file instead of the mix (to study a few).

use comptoir::search::{SearchIndex, SearchParams};

/// The server's allocator, so the engine is timed as it runs there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use comptoir_indexer::Catalogue;
use comptoir_indexer::synthetic::Rng;
use std::path::PathBuf;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = PathBuf::from(args.first().map_or("data", String::as_str));
    let count: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1_000);
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    let write_to = flag("--write-queries");
    let build = std::fs::canonicalize(data.join("current"))?;
    let started = Instant::now();
    let catalogue: Catalogue = serde_json::from_reader(std::io::BufReader::new(
        std::fs::File::open(build.join(comptoir_indexer::pipeline::CATALOGUE_SNAPSHOT))?,
    ))?;
    // No results cache: every query is searched.
    let index = SearchIndex::open(
        &build.join(comptoir_indexer::search::INDEX_DIR),
        &catalogue,
        0,
    )?;
    eprintln!(
        "loaded {} products in {:.2} s",
        catalogue.products.len(),
        started.elapsed().as_secs_f64()
    );
    let queries = match flag("--queries") {
        Some(path) => std::fs::read_to_string(path)?
            .lines()
            .map(str::to_owned)
            .cycle()
            .take(count)
            .collect(),
        None => mix(&catalogue, count),
    };
    if let Some(path) = write_to {
        std::fs::write(path, queries.join("\n") + "\n")?;
    }
    let today = comptoir::config::today();
    let in_stock = |ord: usize| index.facts().catalogue_in_stock(ord);
    let parsed: Vec<SearchParams> = queries
        .iter()
        .map(|q| SearchParams::parse(q, &catalogue, index.facts()))
        .collect::<Result<_, _>>()?;
    for params in parsed.iter().take(100) {
        index.search(&catalogue, today, params, &in_stock)?;
    }
    let mut times = Vec::with_capacity(parsed.len());
    let mut by_kind: [Vec<u128>; 4] = Default::default();
    let mut found = 0;
    for (i, params) in parsed.iter().enumerate() {
        let start = Instant::now();
        let results = index.search(&catalogue, today, params, &in_stock)?;
        let took = start.elapsed().as_micros();
        times.push(took);
        by_kind[i % 4].push(took);
        if std::env::var_os("SLOW_US")
            .and_then(|v| v.into_string().ok())
            .and_then(|v| v.parse::<u128>().ok())
            .is_some_and(|slow| took > slow)
        {
            eprintln!("{took} us, {} results: {}", results.total, queries[i]);
        }
        found += usize::from(results.total > 0);
    }
    for (name, mut kind) in ["plain", "typo", "prefix", "filtered"]
        .into_iter()
        .zip(by_kind)
    {
        kind.sort_unstable();
        eprintln!(
            "{name}: p50_us={} p99_us={}",
            kind[kind.len() / 2],
            kind[(kind.len() * 99 / 100).min(kind.len() - 1)]
        );
    }
    times.sort_unstable();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "queries={} with_results={found} p50_us={} p90_us={} p99_us={} max_us={}",
        times.len(),
        at(0.50),
        at(0.90),
        at(0.99),
        times.last().copied().unwrap_or(0)
    );
    Ok(())
}

/// The query strings of the mix.
fn mix(catalogue: &Catalogue, count: usize) -> Vec<String> {
    let mut rng = Rng(42);
    let words: Vec<String> = catalogue
        .products
        .iter()
        .step_by(7)
        .flat_map(|p| comptoir_indexer::search::analysis::words(&p.title))
        .map(|w| w.lower)
        .filter(|w| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic))
        .collect();
    let encode = |q: &str| form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>();
    (0..count)
        .map(|i| {
            let word = &words[rng.below(words.len())];
            match i % 4 {
                0 => {
                    let second = &words[rng.below(words.len())];
                    if rng.below(2) == 0 {
                        format!("q={}", encode(word))
                    } else {
                        format!("q={}", encode(&format!("{word} {second}")))
                    }
                }
                1 => format!("q={}", encode(&typo(word, &mut rng))),
                2 => {
                    let chars: Vec<char> = word.chars().collect();
                    let len = (3 + rng.below(4)).min(chars.len());
                    format!("q={}", encode(&chars[..len].iter().collect::<String>()))
                }
                _ => {
                    let aisle = &catalogue.categories[rng.below(catalogue.categories.len())].slug;
                    let price = 10 + rng.below(90);
                    let extra = if rng.below(2) == 0 {
                        "&mode=click_collect"
                    } else {
                        "&stock=1"
                    };
                    format!("q={}&rayon={aisle}&prix_max={price}{extra}", encode(word))
                }
            }
        })
        .collect()
}

/// The word with one letter changed, or two neighbours swapped (words of 5+ letters).
fn typo(word: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 5 {
        return word.to_owned();
    }
    let at = 1 + rng.below(chars.len() - 2);
    if rng.below(2) == 0 {
        chars.swap(at, at + 1);
    } else {
        chars[at] = (b'a' + (rng.below(26) as u8)) as char;
    }
    chars.into_iter().collect()
}
