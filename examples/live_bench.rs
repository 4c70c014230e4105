//! Times one product edit from the file write to the new price served over HTTP, against
//! a running `comptoir serve --watch` (see `bench/live.sh`).
//!
//! ```text
//! cargo run --release --example live_bench -- <addr> <content folder> [edits] [pause ms]
//! ```
//!
//! Each edit rewrites one product file's price in place, then asks for the product page
//! until its JSON-LD offer carries the new price (a plain HTTP/1.1 client, polling every
//! millisecond), then asks `/healthz` until the server's generation moved on (the search
//! index and the catalogue it prices from are swapped together, after the page files).
//! Prints each time, then the medians and the maxima. With a pause, the
//! next edit waits that long after the last was served (the server finishes its update:
//! search index, snapshot), as a merchant's edits would; without, edits queue up.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(addr), Some(content)) = (args.get(1), args.get(2)) else {
        return Err("usage: live_bench <addr> <content folder> [edits]".into());
    };
    let edits: usize = args.get(3).map_or(Ok(20), |n| n.parse())?;
    let pause = Duration::from_millis(args.get(4).map_or(Ok(0), |n| n.parse())?);
    let files = product_files(Path::new(content))?;
    let step = (files.len() / edits).max(1);
    let (mut pages, mut searches) = (Vec::new(), Vec::new());
    for (k, file) in files.iter().step_by(step).take(edits).enumerate() {
        std::thread::sleep(pause);
        let generation = generation(addr)?;
        let (path, price) = edit_price(file, k)?;
        let started = Instant::now();
        wait_for(addr, &path, &format!("\"price\":\"{price}\""))?;
        let page = started.elapsed();
        while self::generation(addr)? <= generation {
            if started.elapsed() > Duration::from_secs(10) {
                return Err("the search index was never swapped".into());
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        let search = started.elapsed();
        println!(
            "edit {k:>2}: {path} → {price}: page after {:.1} ms, search after {:.1} ms",
            ms(page),
            ms(search)
        );
        pages.push(page);
        searches.push(search);
    }
    for (what, times) in [("page", &mut pages), ("search", &mut searches)] {
        times.sort();
        println!(
            "{} edits, {what}: median {:.1} ms, max {:.1} ms",
            times.len(),
            ms(times[times.len() / 2]),
            ms(times[times.len() - 1])
        );
    }
    Ok(())
}

/// The server's update count, from `/healthz`.
fn generation(addr: &str) -> Result<u64, Box<dyn std::error::Error>> {
    let answer = get(addr, "/healthz")?;
    let after = answer
        .split("\"generation\":")
        .nth(1)
        .ok_or("no generation in /healthz")?;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    Ok(digits.parse()?)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The catalogue's product files with one price (no variants, no sale), sorted.
fn product_files(content: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for shop in std::fs::read_dir(content.join("shops"))? {
        let products = shop?.path().join("products");
        for entry in std::fs::read_dir(products)? {
            let path = entry?.path();
            let text = std::fs::read_to_string(&path)?;
            if !text.contains("[sale]") && !text.contains("[[variants]]") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Sets a new price in `file` (written in place); returns the page's path and the price
/// as JSON-LD writes it.
fn edit_price(file: &Path, k: usize) -> Result<(String, String), Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(file)?;
    let cents = 1000 + 7 * k + (std::process::id() as usize % 500);
    let price = format!("{}.{:02}", cents / 100, cents % 100);
    let edited: String = text
        .lines()
        .map(|line| {
            if line.starts_with("price = ") {
                format!("price = \"{price}\"\n")
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    std::fs::write(file, edited)?;
    let shop = file
        .ancestors()
        .nth(2)
        .and_then(Path::file_name)
        .ok_or("not in a shop folder")?
        .to_string_lossy();
    let slug = file.file_stem().ok_or("no name")?.to_string_lossy();
    Ok((format!("/boutiques/{shop}/{slug}/"), price))
}

/// Polls `path` until its body contains `needle` (10 s at most).
fn wait_for(addr: &str, path: &str, needle: &str) -> Result<(), Box<dyn std::error::Error>> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if get(addr, path)?.contains(needle) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Err(format!("{path} never showed {needle}").into())
}

fn get(addr: &str, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(addr)?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut body = String::new();
    stream.read_to_string(&mut body)?;
    Ok(body)
}
