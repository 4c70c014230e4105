//! Search, over HTTP against the `search` fixture (52 products, 8 shops): a relevance
//! suite of French queries, facet counts against a brute-force count, the results page,
//! autocomplete, bad input, and reload on publish.

use crate::helpers::{TestApp, attr, copy_dir, fixtures, texts};
use axum::http::StatusCode;
use comptoir_indexer::Catalogue;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn search_app() -> TestApp {
    TestApp::with_content(|content| copy_dir(&fixtures().join("search"), content))
}

/// The product slug of a hit (`/boutiques/<shop>/<slug>/`).
fn slug(hit: &Value) -> String {
    hit["url"]
        .as_str()
        .and_then(|u| u.trim_end_matches('/').rsplit('/').next())
        .unwrap_or_default()
        .to_owned()
}

async fn api(app: &TestApp, query: &str) -> Value {
    let response = app.get(&format!("/api/search?{query}")).await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "/api/search?{query}: {}",
        response.text()
    );
    serde_json::from_slice(&response.body).expect("JSON answer")
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

async fn top(app: &TestApp, q: &str) -> Vec<String> {
    let answer = api(app, &format!("q={}", encode(q))).await;
    answer["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(slug)
        .collect()
}

/// (query, products that must be in the first `k` results, k, products that must not be
/// found at all).
const RELEVANCE: &[(&str, &[&str], usize, &[&str])] = &[
    // Plurals, accents, elisions, case.
    ("echarpes laine", &["echarpe-laine"], 1, &["echarpe-soie"]),
    ("écharpe", &["echarpe-laine", "echarpe-soie"], 2, &[]),
    ("echarpe", &["echarpe-laine", "echarpe-soie"], 2, &[]),
    ("l'écharpe", &["echarpe-laine", "echarpe-soie"], 2, &[]),
    ("L’ÉCHARPE", &["echarpe-laine", "echarpe-soie"], 2, &[]),
    ("crème fraîche", &["creme-fraiche"], 1, &[]),
    ("creme fraiche", &["creme-fraiche"], 1, &[]),
    ("œufs", &["oeufs-fermiers", "brioche"], 2, &[]),
    ("oeufs", &["oeufs-fermiers", "brioche"], 2, &[]),
    ("oeuf", &["oeufs-fermiers"], 1, &[]),
    ("cheval", &["chevaux-de-trait"], 1, &[]),
    ("journal", &["journaux-intimes"], 1, &[]),
    ("bocal", &["bocaux-verre"], 1, &[]),
    ("bougie", &["bougies-parfumees"], 1, &[]),
    ("croissants", &["croissant"], 1, &[]),
    (
        "fromages",
        &[
            "comte-18-mois",
            "brie-de-meaux",
            "camembert",
            "chevre-frais",
        ],
        4,
        &[],
    ),
    (
        "fromage",
        &[
            "comte-18-mois",
            "brie-de-meaux",
            "camembert",
            "chevre-frais",
        ],
        4,
        &[],
    ),
    ("confitures fraise", &["confiture-fraises"], 1, &[]),
    ("l'huile", &["huile-olive"], 1, &[]),
    ("huile d'olive", &["huile-olive"], 1, &[]),
    ("roses rouges", &["bouquet-roses"], 1, &[]),
    // Meaningful words are kept.
    (
        "pain sans gluten",
        &["pain-sans-gluten", "cuisine-sans-gluten"],
        2,
        &["baguette-tradition", "pain-de-campagne"],
    ),
    ("sans alcool", &["jus-de-pomme"], 1, &["champagne-brut"]),
    ("pain au chocolat", &["pain-au-chocolat"], 1, &["croissant"]),
    // Typos of one and two letters.
    (
        "bourgone rouge",
        &["bourgogne-pinot-noir"],
        1,
        &["bourgogne-chardonnay"],
    ),
    (
        "bourgogen",
        &["bourgogne-pinot-noir", "bourgogne-chardonnay"],
        2,
        &[],
    ),
    ("champagen", &["champagne-brut"], 1, &[]),
    ("chamapgne", &["champagne-brut"], 1, &[]),
    ("croisant", &["croissant"], 1, &[]),
    (
        "chocolta",
        &["chocolat-noir", "eclair-chocolat", "pain-au-chocolat"],
        3,
        &[],
    ),
    ("bretagen", &["pull-marin"], 1, &[]),
    ("confitrue", &["confiture-fraises"], 1, &[]),
    ("mannteau", &["manteau-laine"], 1, &[]),
    // No typo under five letters: "pian" is not "pain".
    ("pian", &[], 0, &["pain-au-chocolat", "baguette-tradition"]),
    // As you type: the last word is a prefix.
    (
        "chocol",
        &["chocolat-noir", "eclair-chocolat", "pain-au-chocolat"],
        3,
        &[],
    ),
    (
        "bourgog",
        &["bourgogne-pinot-noir", "bourgogne-chardonnay"],
        2,
        &[],
    ),
    ("pain d'épi", &["pain-d-epices"], 1, &[]),
    (
        "chaus",
        &[
            "chaussures-enfant-cuir",
            "chaussures-ville-homme",
            "chaussons-feutre",
        ],
        3,
        &[],
    ),
    ("bri", &["brie-de-meaux", "brioche"], 2, &[]),
    // Several words.
    (
        "chaussures enfant 32",
        &["chaussures-enfant-cuir"],
        1,
        &["chaussures-ville-homme", "chaussons-feutre"],
    ),
    (
        "vin rouge",
        &[
            "bourgogne-pinot-noir",
            "bordeaux-superieur",
            "cotes-du-rhone",
        ],
        3,
        &["bourgogne-chardonnay"],
    ),
    (
        "vin blanc bourgogne",
        &["bourgogne-chardonnay", "chablis"],
        2,
        &["bourgogne-pinot-noir"],
    ),
    ("tarte pommes", &["tarte-aux-pommes"], 1, &["jus-de-pomme"]),
    ("jus pomme", &["jus-de-pomme"], 1, &["tarte-aux-pommes"]),
    ("bottes pluie", &["bottes-de-pluie"], 1, &[]),
    ("gants cuir", &["gants-cuir"], 1, &[]),
    ("pull marin", &["pull-marin"], 1, &[]),
    ("thé vert", &["the-vert"], 1, &[]),
    ("comté affiné", &["comte-18-mois"], 1, &[]),
    ("petit prince", &["petit-prince"], 1, &[]),
    ("pot terre cuite", &["pot-terre-cuite"], 1, &[]),
    // Shops, aisles, brands, codes.
    (
        "fromagerie des écoles",
        &["comte-18-mois"],
        8,
        &["baguette-tradition"],
    ),
    (
        "boulangerie",
        &["baguette-tradition", "croissant"],
        10,
        &["comte-18-mois"],
    ),
    ("épicerie fine", &["miel-lavande"], 7, &["croissant"]),
    (
        "Domaine Roux",
        &["bourgogne-pinot-noir", "bourgogne-chardonnay"],
        2,
        &["bordeaux-superieur"],
    ),
    ("gallimard", &["petit-prince"], 1, &[]),
    (
        "3760123450102",
        &["comte-18-mois"],
        1,
        &["bourgogne-pinot-noir", "huile-olive"],
    ),
    ("9782070612758", &["petit-prince"], 1, &[]),
    ("café", &["cafe-ethiopie"], 1, &[]),
    ("cafe", &["cafe-ethiopie"], 1, &[]),
];

#[tokio::test]
async fn french_queries_find_what_shoppers_mean() {
    let app = search_app();
    assert!(RELEVANCE.len() >= 50, "at least 50 queries");
    let mut failures = Vec::new();
    for (q, must, k, must_not) in RELEVANCE {
        let found = top(&app, q).await;
        let head: BTreeSet<&str> = found.iter().take(*k).map(String::as_str).collect();
        for wanted in *must {
            if !head.contains(wanted) {
                failures.push(format!("{q:?}: {wanted} not in the first {k} of {found:?}"));
            }
        }
        for unwanted in *must_not {
            if found.iter().any(|s| s == unwanted) {
                failures.push(format!("{q:?}: {unwanted} found in {found:?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn exact_words_rank_above_stems_typos_and_descriptions() {
    let app = search_app();
    // Exact "rouge" in the title, then the plural "rouges" in a title (a stem is almost
    // the word), then red colours (the extra field).
    let rouge = top(&app, "rouge").await;
    let position = |list: &[String], slug: &str| list.iter().position(|s| s == slug);
    let stemmed = position(&rouge, "bouquet-roses").expect("rouges found");
    let colour = position(&rouge, "bonnet-laine").expect("red bonnet found");
    for slug in [
        "bourgogne-pinot-noir",
        "bordeaux-superieur",
        "cotes-du-rhone",
    ] {
        assert!(
            position(&rouge, slug).expect("found") < stemmed,
            "{slug} before the stemmed match: {rouge:?}"
        );
    }
    assert!(stemmed < colour, "title before colours: {rouge:?}");
    // Title above description.
    let levain = top(&app, "levain").await;
    assert!(
        position(&levain, "pain-de-campagne") < position(&levain, "baguette-tradition"),
        "{levain:?}"
    );
    // Exact before a prefix ("brie" / "brioche"), exact before a typo ("gomme" / "pomme").
    let brie = top(&app, "brie").await;
    assert_eq!(
        brie.first().map(String::as_str),
        Some("brie-de-meaux"),
        "{brie:?}"
    );
    let gomme = top(&app, "gomme").await;
    assert_eq!(
        gomme.first().map(String::as_str),
        Some("gomme"),
        "{gomme:?}"
    );
    assert!(
        position(&gomme, "jus-de-pomme").is_some(),
        "one typo away: {gomme:?}"
    );
    // Exact before stemmed: "pommes" in a title before "pomme".
    let pommes = top(&app, "pommes").await;
    assert!(
        position(&pommes, "tarte-aux-pommes") < position(&pommes, "jus-de-pomme"),
        "{pommes:?}"
    );
    // In stock first among equal matches: the out-of-stock coat comes after the woollens
    // that say "laine" in the same places (title, tags, description).
    let laine = top(&app, "laine").await;
    let coat = position(&laine, "manteau-laine").expect("coat found");
    for slug in ["pull-marin", "bonnet-laine"] {
        assert!(
            position(&laine, slug).expect("found") < coat,
            "{slug} before the coat: {laine:?}"
        );
    }
}

#[tokio::test]
async fn falls_back_to_partial_matches_and_suggests_a_correction() {
    let app = search_app();
    let answer = api(&app, "q=bourgne").await;
    assert_eq!(answer["total"], 0);
    assert_eq!(answer["did_you_mean"], "bourgogne");
    let answer = api(&app, &format!("q={}", encode("bourgne rouge"))).await;
    assert_eq!(answer["partial"], true);
    assert!(
        answer["total"].as_u64().unwrap_or(0) > 0,
        "best partial matches shown"
    );
    assert_eq!(answer["did_you_mean"], "bourgogne rouge");
    // A typo the engine already forgives needs no suggestion.
    let answer = api(&app, &format!("q={}", encode("bourgone rouge"))).await;
    assert_eq!(answer["did_you_mean"], Value::Null);
    assert_eq!(answer["partial"], false);
    // Plurals are not "unknown words".
    let answer = api(&app, &format!("q={}", encode("echarpes laine"))).await;
    assert_eq!(answer["did_you_mean"], Value::Null);
}

#[tokio::test]
async fn snippets_mark_the_matched_words_escaped() {
    let app = search_app();
    let answer = api(&app, &format!("q={}", encode("bourgone cerise"))).await;
    let hit = &answer["hits"][0];
    assert_eq!(slug(hit), "bourgogne-pinot-noir");
    assert_eq!(
        hit["title_html"],
        "<mark>Bourgogne</mark> rouge pinot noir 2021"
    );
    let snippet = hit["snippet_html"].as_str().expect("snippet");
    assert!(snippet.contains("<mark>Bourgogne</mark>"), "{snippet}");
    assert!(snippet.contains("<mark>cerise</mark>"), "{snippet}");
    // Text is escaped: the apostrophe-bearing title of the bakery's shop stays text.
    let answer = api(&app, &format!("q={}", encode("pain d'épices"))).await;
    let title = answer["hits"][0]["title_html"].as_str().expect("title");
    assert_eq!(title, "<mark>Pain</mark> d’<mark>épices</mark> au miel");
}

/// What the test knows of each product to count facets by brute force.
struct Truth {
    shop: String,
    colors: BTreeSet<String>,
    sizes: BTreeSet<String>,
    modes: BTreeSet<String>,
    price: i64,
}

fn truth(catalogue: &Catalogue, today: jiff::civil::Date) -> BTreeMap<String, Truth> {
    catalogue
        .published()
        .map(|p| {
            let slugify = comptoir_indexer::slug::slugify;
            (
                p.slug.clone(),
                Truth {
                    shop: catalogue.shops[p.shop].slug.clone(),
                    colors: p
                        .variants
                        .iter()
                        .filter_map(|v| v.color.as_deref())
                        .map(slugify)
                        .collect(),
                    sizes: p
                        .variants
                        .iter()
                        .filter_map(|v| v.size.as_deref())
                        .map(slugify)
                        .collect(),
                    modes: p.delivery.iter().map(|m| m.key().to_owned()).collect(),
                    price: p.lowest_price_on(today).cents(),
                },
            )
        })
        .collect()
}

/// Every hit of a query, across pages.
async fn all_hits(app: &TestApp, query: &str) -> (BTreeSet<String>, Value) {
    let first = api(app, query).await;
    let mut slugs: BTreeSet<String> = first["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(slug)
        .collect();
    let pages = first["pages"].as_u64().unwrap_or(1);
    for page in 2..=pages {
        let next = api(app, &format!("{query}&page={page}")).await;
        slugs.extend(next["hits"].as_array().expect("hits").iter().map(slug));
    }
    assert_eq!(
        slugs.len() as u64,
        first["total"].as_u64().unwrap_or(0),
        "{query}: total matches the hits"
    );
    (slugs, first)
}

type Filter = (&'static str, &'static str);

fn passes(t: &Truth, group: &str, values: &[&str]) -> bool {
    if values.is_empty() {
        return true;
    }
    values.iter().any(|v| match group {
        "boutique" => t.shop == *v,
        "couleur" => t.colors.contains(*v),
        "taille" => t.sizes.contains(*v),
        "mode" => t.modes.contains(*v),
        _ => true,
    })
}

#[tokio::test]
async fn facet_counts_match_a_brute_force_count() {
    let app = search_app();
    let catalogue = comptoir_indexer::load::load(&app.content).expect("fixture loads");
    let truth = truth(&catalogue, comptoir::config::today());
    let cases: &[(&str, &[Filter], Option<i64>)] = &[
        ("", &[], None),
        ("laine", &[("couleur", "rouge")], None),
        ("laine", &[("couleur", "rouge"), ("couleur", "gris")], None),
        ("", &[("couleur", "rouge"), ("taille", "m")], None),
        (
            "",
            &[("boutique", "boutique-marguerite"), ("taille", "m")],
            Some(10_000),
        ),
        ("enfant", &[("taille", "32"), ("couleur", "bleu")], None),
        ("", &[("mode", "home")], Some(5_000)),
        (
            "rouge",
            &[
                ("boutique", "la-cave-de-sceaux"),
                ("boutique", "fleurs-de-sceaux"),
            ],
            None,
        ),
    ];
    for (q, filters, price_max) in cases {
        let (base, _) = all_hits(&app, &format!("q={}", encode(q))).await;
        let mut query = format!("q={}", encode(q));
        for (name, value) in *filters {
            query.push_str(&format!("&{name}={value}"));
        }
        if let Some(max) = price_max {
            query.push_str(&format!("&prix_max={}.{:02}", max / 100, max % 100));
        }
        let (hits, answer) = all_hits(&app, &query).await;
        let groups = ["boutique", "couleur", "taille", "mode"];
        let chosen = |group: &str| -> Vec<&str> {
            filters
                .iter()
                .filter(|(g, _)| *g == group)
                .map(|(_, v)| *v)
                .collect()
        };
        let price_ok = |t: &Truth| price_max.is_none_or(|max| t.price <= max);
        // The results are the base matches passing every group.
        let expected: BTreeSet<String> = base
            .iter()
            .filter(|s| {
                let t = &truth[*s];
                price_ok(t) && groups.iter().all(|g| passes(t, g, &chosen(g)))
            })
            .cloned()
            .collect();
        assert_eq!(hits, expected, "{query}: results");
        // Each group's counts ignore that group's own filter.
        for (group, key) in [
            ("boutique", "shops"),
            ("couleur", "colors"),
            ("taille", "sizes"),
            ("mode", "modes"),
        ] {
            let mut want: BTreeMap<String, u64> = BTreeMap::new();
            for s in &base {
                let t = &truth[s];
                let others = price_ok(t)
                    && groups
                        .iter()
                        .filter(|g| **g != group)
                        .all(|g| passes(t, g, &chosen(g)));
                if !others {
                    continue;
                }
                let values: Vec<String> = match group {
                    "boutique" => vec![t.shop.clone()],
                    "couleur" => t.colors.iter().cloned().collect(),
                    "taille" => t.sizes.iter().cloned().collect(),
                    _ => t.modes.iter().cloned().collect(),
                };
                for v in values {
                    *want.entry(v).or_default() += 1;
                }
            }
            let got: BTreeMap<String, u64> = answer["facets"][key]
                .as_array()
                .expect("facet group")
                .iter()
                .map(|v| {
                    (
                        v["value"].as_str().unwrap_or_default().to_owned(),
                        v["count"].as_u64().unwrap_or(0),
                    )
                })
                .collect();
            assert_eq!(got, want, "{query}: {group} counts");
        }
    }
}

#[tokio::test]
async fn sorts_and_pages() {
    let app = search_app();
    let prices = |answer: &Value| -> Vec<i64> {
        answer["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| h["price"]["cents"].as_i64().unwrap_or(0))
            .collect()
    };
    let up = api(&app, "q=laine&tri=prix-croissant").await;
    let mut sorted = prices(&up);
    sorted.sort_unstable();
    assert_eq!(prices(&up), sorted, "cheapest first");
    let down = api(&app, "q=laine&tri=prix-decroissant").await;
    let mut reversed = sorted.clone();
    reversed.reverse();
    assert_eq!(prices(&down), reversed, "dearest first");
    let newest = api(&app, "tri=nouveautes").await;
    assert_eq!(
        slug(&newest["hits"][0]),
        "champagne-brut",
        "the newest product first"
    );
    // 52 products, 24 per page.
    let page3 = api(&app, "page=3").await;
    assert_eq!(
        (
            page3["pages"].as_u64(),
            page3["hits"].as_array().map(Vec::len)
        ),
        (Some(3), Some(4))
    );
    let (all, _) = all_hits(&app, "q=").await;
    assert_eq!(all.len(), 52, "pages cover every product once");
}

#[tokio::test]
async fn the_results_page_works_without_javascript() {
    let app = search_app();
    let response = app.get("/recherche?q=%C3%A9charpe&couleur=rouge").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("x-robots-tag"), "noindex, follow");
    let html = response.html();
    assert_eq!(attr(&html, "html", "lang").as_deref(), Some("fr"));
    assert_eq!(
        attr(&html, r#"meta[name="robots"]"#, "content").as_deref(),
        Some("noindex,follow")
    );
    assert_eq!(
        attr(&html, "input#q", "value").as_deref(),
        Some("écharpe"),
        "the box keeps the query"
    );
    assert_eq!(texts(&html, "h1"), ["Résultats pour « écharpe »"]);
    assert_eq!(
        texts(&html, ".results .card h3"),
        ["Écharpe en laine d’agneau"]
    );
    assert_eq!(texts(&html, ".results .card h3 mark"), ["Écharpe"]);
    // Ticking "rouge" still shows the other colours with their counts, as checkboxes.
    let colours = texts(&html, r#"fieldset:has(input[name="couleur"]) label"#);
    assert!(colours.contains(&"rouge (1)".to_owned()), "{colours:?}");
    assert!(colours.contains(&"bleu (1)".to_owned()), "{colours:?}");
    assert!(
        attr(&html, "input#f-couleur-rouge", "checked").is_some(),
        "rouge stays ticked"
    );
    // The shareable URL of the next state is a plain link.
    let links: Vec<String> = {
        let selector = scraper::Selector::parse(".facets a").expect("selector");
        html.select(&selector)
            .filter_map(|a| a.value().attr("href").map(str::to_owned))
            .collect()
    };
    assert!(
        links
            .iter()
            .any(|l| l.contains("rayon=mode") && l.contains("couleur=rouge")),
        "{links:?}"
    );
    // Following it narrows to the aisle and offers its sub-aisles.
    let aisle = links
        .iter()
        .find(|l| l.contains("rayon=mode"))
        .expect("aisle link");
    let next = app.get(aisle).await;
    assert_eq!(next.status, StatusCode::OK);
    let sub: Vec<String> = texts(&next.html(), ".aisle-facet li.sub a");
    assert_eq!(sub, ["Accessoires (1)"]);
    // A bad parameter gets a French page, not a crash.
    let bad = app.get("/recherche?prix_min=-5").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(texts(&bad.html(), "p.error")[0].contains("montant positif"));
}

#[tokio::test]
async fn every_page_has_the_search_box_and_its_script() {
    let app = search_app();
    let html = app.get("/").await.html();
    assert_eq!(
        attr(&html, r#"form[role="search"]"#, "action").as_deref(),
        Some("/recherche")
    );
    let script = attr(&html, "script[src]", "src").expect("search script");
    assert!(attr(&html, "script[src]", "defer").is_some(), "deferred");
    let js = app.get(&script).await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(js.header("content-type").contains("javascript"));
    assert!(js.text().contains("/api/suggest"));
}

#[tokio::test]
async fn suggest_returns_products_aisles_and_shops() {
    let app = search_app();
    let response = app.get("/api/suggest?q=fromag").await;
    assert_eq!(response.status, StatusCode::OK);
    let answer: Value = serde_json::from_slice(&response.body).expect("JSON");
    let names = |key: &str, field: &str| -> Vec<String> {
        answer[key]
            .as_array()
            .expect("list")
            .iter()
            .map(|v| v[field].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert!(names("products", "title").contains(&"Comté affiné 18 mois".to_owned()));
    assert_eq!(names("aisles", "name"), ["Crèmerie et fromages"]);
    assert_eq!(names("shops", "name"), ["Fromagerie des Écoles"]);
    assert_eq!(answer["aisles"][0]["url"], "/rayons/alimentation/cremerie/");
    let empty = app.get("/api/suggest?q=%20").await;
    let answer: Value = serde_json::from_slice(&empty.body).expect("JSON");
    assert_eq!(answer["products"], serde_json::json!([]));
}

#[tokio::test]
async fn bad_input_never_hurts() {
    let app = search_app();
    let long = "pain ".repeat(2_000);
    let queries: Vec<String> = vec![
        "q=%22pain".into(),
        "q=pain%20AND%20beurre".into(),
        "q=-".into(),
        "q=a%3Ab*".into(),
        "q=*".into(),
        "q=%F0%9F%8D%9E%20pain%20%F0%9F%A7%80".into(),
        format!("q={}", encode(&long)),
        "q=%ZZ%C3".into(),
        "q=%C3%28".into(),
        "q=pain&page=99".into(),
        "q=%00%01".into(),
        "rayon=".into(),
        "q=((((((".into(),
    ];
    for query in &queries {
        for path in ["/api/search", "/recherche", "/api/suggest"] {
            let response = app.get(&format!("{path}?{query}")).await;
            assert_eq!(response.status, StatusCode::OK, "{path}?{query}");
        }
    }
    let long_answer = api(&app, &format!("q={}", encode(&long))).await;
    assert_eq!(
        long_answer["query"].as_str().map(|q| q.chars().count()),
        Some(comptoir::search::params::MAX_QUERY_CHARS),
        "long queries are cut"
    );
    let refused = [
        ("rayon=inconnu", "rayon"),
        ("boutique=nulle-part", "boutique"),
        ("couleur=violet-fluo", "couleur"),
        ("taille=XXXXL", "taille"),
        ("mode=teleportation", "Mode"),
        ("prix_min=-5", "montant positif"),
        ("prix_max=abc", "montant positif"),
        ("prix_min=50&prix_max=10", "inversez"),
        ("tri=hasard", "Tri"),
        ("page=0", "Page"),
        ("page=abc", "Page"),
        ("page=-1", "Page"),
    ];
    for (query, words) in refused {
        let response = app.get(&format!("/api/search?{query}")).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{query}");
        let answer: Value = serde_json::from_slice(&response.body).expect("JSON error");
        let message = answer["message"].as_str().unwrap_or_default();
        assert!(message.contains(words), "{query}: {message}");
        let page = app.get(&format!("/recherche?{query}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{query}");
    }
}

#[tokio::test]
async fn a_new_build_is_searched_without_a_restart() {
    let app = search_app();
    assert_eq!(api(&app, "q=kouign").await["total"], 0);
    let products = app.content.join("shops/aux-bles-d-or/products");
    let source = std::fs::read_to_string(products.join("croissant.md")).expect("read");
    let added = source
        .replace("aux-bles-d-or-croissant", "aux-bles-d-or-kouign-amann")
        .replace("Croissant pur beurre", "Kouign-amann");
    std::fs::write(products.join("kouign-amann.md"), added).expect("write");
    app.build().expect("rebuild");
    let answer = api(&app, "q=kouign").await;
    assert_eq!(answer["total"], 1);
    assert_eq!(
        answer["hits"][0]["url"],
        "/boutiques/aux-bles-d-or/kouign-amann/"
    );
}

#[tokio::test]
async fn searches_are_counted_per_normalised_query_without_personal_data() {
    let app = search_app();
    for query in [
        "q=%C3%89charpes%20LAINE",
        "q=echarpes+laine",
        "q=licorne",
        "q=licorne&page=2",
        "q=",
    ] {
        let status = app.get(&format!("/api/search?{query}")).await.status;
        assert!(status.is_success(), "{query}");
    }
    assert_eq!(app.get("/recherche?q=licorne").await.status, StatusCode::OK);
    // Keystrokes in the autocomplete are not searches.
    app.get("/api/suggest?q=licor").await;
    let written = app.state.flush_search_log().await.expect("flush");
    assert_eq!(written, 2, "two distinct queries today");
    // Most asked first; equal counts in alphabetical order.
    let db = app.state.db().await.expect("db");
    let today = comptoir::config::today();
    let top = comptoir::search::stats::top_queries(db, today, today, 10)
        .await
        .expect("top");
    let as_pairs: Vec<(&str, i64, i64)> = top
        .iter()
        .map(|q| (q.query.as_str(), q.searches, q.zero_results))
        .collect();
    assert_eq!(as_pairs, [("echarpes laine", 2, 0), ("licorne", 2, 2)]);
    let zero = comptoir::search::stats::zero_result_queries(db, today, today, 10)
        .await
        .expect("zero");
    assert_eq!(
        zero.iter().map(|q| q.query.as_str()).collect::<Vec<_>>(),
        ["licorne"]
    );
    // A second flush adds to the same rows.
    app.get("/api/search?q=licorne").await;
    app.state.flush_search_log().await.expect("flush");
    let zero = comptoir::search::stats::zero_result_queries(db, today, today, 10)
        .await
        .expect("zero");
    assert_eq!(zero[0].zero_results, 3);
}
