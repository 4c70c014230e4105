//! National reach: the Google Merchant Center and local-inventory feeds of the `valid`
//! fixture, kept up to date by the live catalogue, and IndexNow batches sent to a stub
//! endpoint started here.

use crate::helpers::{TestApp, copy_dir, fixtures, json_ld_of};
use comptoir::indexnow::IndexNowConfig;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const MERCHANT_FEED: &str = "/feeds/google-merchant.xml";
const BAKERY_FEED: &str = "/feeds/local-inventory/boulangerie-du-parc.xml";
const G: &str = "http://base.google.com/ns/1.0";
const BRIE: &str = "shops/fromagerie-des-ecoles/products/brie-de-meaux.md";
const BRIE_PAGE: &str = "/boutiques/fromagerie-des-ecoles/brie-de-meaux-aop/";
const SITE: &str = "https://www.exemple-ville.fr";

/// The items of a feed, by `g:id`, each as its elements' text by name (`g:` prefixed for
/// Google's namespace; repeated elements joined by `|`).
fn items(xml: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let doc = roxmltree::Document::parse(xml).expect("the feed is well-formed XML");
    let rss = doc.root_element();
    assert_eq!(rss.tag_name().name(), "rss");
    assert_eq!(rss.attribute("version"), Some("2.0"));
    let mut out = BTreeMap::new();
    for item in rss.descendants().filter(|n| n.has_tag_name("item")) {
        let mut fields: BTreeMap<String, String> = BTreeMap::new();
        for child in item.children().filter(roxmltree::Node::is_element) {
            let name = match child.tag_name().namespace() {
                Some(G) => format!("g:{}", child.tag_name().name()),
                _ => child.tag_name().name().to_owned(),
            };
            let text = if child.has_children() && child.first_element_child().is_some() {
                child
                    .children()
                    .filter(roxmltree::Node::is_element)
                    .map(|c| format!("{}={}", c.tag_name().name(), c.text().unwrap_or("")))
                    .collect::<Vec<_>>()
                    .join(",")
            } else {
                child.text().unwrap_or("").to_owned()
            };
            fields
                .entry(name)
                .and_modify(|v| {
                    v.push('|');
                    v.push_str(&text);
                })
                .or_insert(text);
        }
        let id = fields.get("g:id").cloned().expect("every item has a g:id");
        assert!(
            out.insert(id.clone(), fields).is_none(),
            "{id} listed twice"
        );
    }
    out
}

async fn feed(app: &TestApp, path: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let response = app.get(path).await;
    assert_eq!(response.status, 200, "{path}");
    assert_eq!(
        response.header("content-type"),
        "application/xml; charset=utf-8"
    );
    items(&response.text())
}

fn field<'a>(
    items: &'a BTreeMap<String, BTreeMap<String, String>>,
    id: &str,
    name: &str,
) -> &'a str {
    items
        .get(id)
        .unwrap_or_else(|| panic!("{id} in the feed"))
        .get(name)
        .map_or("", String::as_str)
}

#[tokio::test]
async fn the_merchant_feed_lists_exactly_the_published_products() {
    let app = TestApp::new();
    let items = feed(&app, MERCHANT_FEED).await;
    let ids: Vec<&str> = items.keys().map(String::as_str).collect();
    assert_eq!(
        ids,
        [
            "ECHARPE-GRIS",
            "ECHARPE-ROUGE",
            "PULL-ECRU-M",
            "PULL-MARINE-M",
            "PULL-MARINE-S",
            "ecoles-brie-meaux",
            "ecoles-comte-18",
            "parc-baguette-tradition",
            "parc-croissant",
        ],
        "every published product or variant, and the unpublished flan absent"
    );
    // A sale: the regular price, the sale price and its dates.
    let baguette = "parc-baguette-tradition";
    assert_eq!(field(&items, baguette, "g:price"), "1.30 EUR");
    assert_eq!(field(&items, baguette, "g:sale_price"), "1.10 EUR");
    assert!(
        field(&items, baguette, "g:sale_price_effective_date")
            .starts_with("2026-01-01T00:00+01:00/2099-12-31T23:59")
    );
    assert_eq!(field(&items, baguette, "g:availability"), "in_stock");
    assert_eq!(
        field(&items, baguette, "link"),
        format!("{SITE}/boutiques/boulangerie-du-parc/baguette-tradition/")
    );
    assert!(
        field(&items, baguette, "g:image_link")
            .starts_with(&format!("{SITE}/images/boulangerie-du-parc/baguette-"))
    );
    assert_eq!(
        field(&items, baguette, "g:external_seller_id"),
        "boulangerie-du-parc"
    );
    assert_eq!(
        field(&items, baguette, "g:product_type"),
        "Alimentation > Boulangerie et pâtisserie"
    );
    assert_eq!(field(&items, baguette, "g:identifier_exists"), "no");
    assert_eq!(field(&items, baguette, "g:condition"), "new");
    // Shipping per delivery mode, with its price.
    let shipping = field(&items, baguette, "g:shipping");
    assert!(
        shipping
            .contains("country=FR,postal_code=92330,service=Consigne automatique,price=1.90 EUR"),
        "{shipping}"
    );
    assert!(
        shipping.contains("service=Point relais,price=0.90 EUR"),
        "{shipping}"
    );
    assert!(
        shipping.contains("service=Livraison à domicile,price=4.90 EUR"),
        "{shipping}"
    );
    // Postal rates by weight: a 180 g scarf, a 600 g pullover.
    let scarf = field(&items, "ECHARPE-ROUGE", "g:shipping");
    assert!(
        scarf.contains("country=FR,service=Envoi postal,price=5.90 EUR"),
        "{scarf}"
    );
    let pullover = field(&items, "PULL-ECRU-M", "g:shipping");
    assert!(
        pullover.contains("country=FR,service=Envoi postal,price=8.90 EUR"),
        "{pullover}"
    );
    assert!(
        !field(&items, "ecoles-comte-18", "g:shipping").contains("Envoi postal"),
        "the cheese shop does not post"
    );
    // Out of stock, a GTIN, no sale.
    assert_eq!(
        field(&items, "parc-croissant", "g:availability"),
        "out_of_stock"
    );
    assert_eq!(field(&items, "parc-croissant", "g:sale_price"), "");
    assert_eq!(field(&items, "ecoles-comte-18", "g:gtin"), "3760123450010");
    assert_eq!(
        field(&items, "ecoles-comte-18", "g:brand"),
        "Fruitière de Mouthe"
    );
    // Variants: one item each, grouped, with their own price, sale and stock.
    assert_eq!(field(&items, "PULL-ECRU-M", "g:price"), "85.00 EUR");
    assert_eq!(field(&items, "PULL-MARINE-S", "g:price"), "79.00 EUR");
    assert_eq!(field(&items, "PULL-MARINE-S", "g:gtin"), "3760123450027");
    assert_eq!(
        field(&items, "PULL-MARINE-M", "g:availability"),
        "out_of_stock"
    );
    assert_eq!(
        field(&items, "PULL-MARINE-M", "g:item_group_id"),
        "marguerite-pull-marin"
    );
    assert_eq!(field(&items, "PULL-MARINE-M", "g:size"), "M");
    assert_eq!(field(&items, "PULL-MARINE-M", "g:color"), "bleu marine");
    assert_eq!(
        field(&items, "PULL-MARINE-S", "g:additional_image_link")
            .matches("pull-dos")
            .count(),
        1
    );
    assert_eq!(field(&items, "ECHARPE-ROUGE", "g:price"), "39.00 EUR");
    assert_eq!(field(&items, "ECHARPE-ROUGE", "g:sale_price"), "29.00 EUR");
    assert_eq!(
        field(&items, "ECHARPE-ROUGE", "title"),
        "Écharpe en laine d'agneau – rouge"
    );
    assert_eq!(
        field(&items, "ECHARPE-ROUGE", "g:brand"),
        "Boutique Marguerite"
    );
}

#[tokio::test]
async fn local_inventory_feeds_give_what_each_click_and_collect_shop_holds() {
    let app = TestApp::with_content(|content| {
        copy_dir(&fixtures().join("valid"), content);
        let shop = content.join("shops/fromagerie-des-ecoles/shop.toml");
        let text = fs::read_to_string(&shop).expect("shop.toml");
        let text = text.replace("delivery = [\"click_collect\", ", "delivery = [");
        fs::write(&shop, text).expect("write shop.toml");
    });
    let items = feed(&app, BAKERY_FEED).await;
    let ids: Vec<&str> = items.keys().map(String::as_str).collect();
    assert_eq!(
        ids,
        ["parc-baguette-tradition", "parc-croissant"],
        "the flan is not published"
    );
    let baguette = "parc-baguette-tradition";
    assert_eq!(
        field(&items, baguette, "g:store_code"),
        "boulangerie-du-parc"
    );
    assert_eq!(field(&items, baguette, "g:quantity"), "40");
    assert_eq!(field(&items, baguette, "g:price"), "1.30 EUR");
    assert_eq!(field(&items, baguette, "g:sale_price"), "1.10 EUR");
    assert_eq!(field(&items, baguette, "g:availability"), "in_stock");
    assert_eq!(field(&items, baguette, "g:pickup_method"), "reserve");
    assert_eq!(field(&items, baguette, "g:pickup_sla"), "same day");
    assert_eq!(
        field(&items, "parc-croissant", "g:availability"),
        "out_of_stock"
    );
    assert_eq!(field(&items, "parc-croissant", "g:quantity"), "0");
    let clothes = feed(&app, "/feeds/local-inventory/boutique-marguerite.xml").await;
    assert_eq!(field(&clothes, "PULL-ECRU-M", "g:quantity"), "4");
    assert_eq!(field(&clothes, "ECHARPE-GRIS", "g:sale_price"), "29.00 EUR");
    // A shop without click & collect has no local-inventory feed, but its products are
    // still in the Merchant Center feed.
    assert_eq!(
        app.get("/feeds/local-inventory/fromagerie-des-ecoles.xml")
            .await
            .status,
        404
    );
    assert!(
        feed(&app, MERCHANT_FEED)
            .await
            .contains_key("ecoles-brie-meaux")
    );
}

/// Replaces the line starting with `key =` in a product file's front matter.
fn set_field(file: &Path, key: &str, value: &str) {
    let text = fs::read_to_string(file).expect("product file");
    let prefix = format!("{key} =");
    let edited: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with(&prefix) {
                format!("{key} = {value}")
            } else {
                l.to_owned()
            }
        })
        .collect();
    assert_ne!(
        edited.join("\n") + "\n",
        text,
        "{key} in {}",
        file.display()
    );
    fs::write(file, edited.join("\n") + "\n").expect("write product");
}

/// Polls `check` until it holds, for at most ten seconds.
async fn until(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !check().await {
        assert!(
            Instant::now() < deadline,
            "still not true after 10 s: {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The `valid` fixture served by a server that watches it, IndexNow configured as given.
async fn watching_app(indexnow: Option<IndexNowConfig>) -> TestApp {
    let app = TestApp::unbuilt_with(
        |content| copy_dir(&fixtures().join("valid"), content),
        |config| {
            config.watch = Some(Duration::from_millis(30));
            config.indexnow = indexnow;
        },
    );
    app.state
        .start_publisher(Duration::from_millis(30))
        .await
        .expect("the publisher starts");
    app
}

async fn brie_price(app: &TestApp) -> serde_json::Value {
    json_ld_of(&app.get(BRIE_PAGE).await.html(), "Product")["offers"]["price"].clone()
}

#[tokio::test]
async fn a_live_edit_changes_the_feeds() {
    let app = watching_app(None).await;
    assert_eq!(
        field(
            &feed(&app, MERCHANT_FEED).await,
            "ecoles-brie-meaux",
            "g:price"
        ),
        "4.80 EUR"
    );
    set_field(&app.content.join(BRIE), "price", "\"5.20\"");
    until("the feed gives the new price", async || {
        field(
            &feed(&app, MERCHANT_FEED).await,
            "ecoles-brie-meaux",
            "g:price",
        ) == "5.20 EUR"
    })
    .await;
    let comte = "shops/fromagerie-des-ecoles/products/comte-18-mois.md";
    set_field(&app.content.join(comte), "stock", "0\npublished = false");
    until("the unpublished product leaves the feed", async || {
        !feed(&app, MERCHANT_FEED)
            .await
            .contains_key("ecoles-comte-18")
    })
    .await;
    let bakery = "shops/boulangerie-du-parc/products/baguette-tradition.md";
    set_field(&app.content.join(bakery), "stock", "0");
    until("the local inventory says out of stock", async || {
        let items = feed(&app, BAKERY_FEED).await;
        field(&items, "parc-baguette-tradition", "g:availability") == "out_of_stock"
            && field(&items, "parc-baguette-tradition", "g:quantity") == "0"
    })
    .await;
}

#[tokio::test]
async fn a_stock_count_changes_the_local_inventory_quantity() {
    let app = watching_app(None).await;
    let publisher = app.state.publisher().expect("a publisher");
    // 40 → 7: no page changes (still in stock), the quantity does.
    let levels = [("parc-baguette-tradition".to_owned(), 7)]
        .into_iter()
        .collect();
    publisher.send(comptoir::live::Job::Stock(levels));
    until("the local inventory gives the new count", async || {
        field(
            &feed(&app, BAKERY_FEED).await,
            "parc-baguette-tradition",
            "g:quantity",
        ) == "7"
    })
    .await;
}

/// How the stub IndexNow endpoint answers.
#[derive(Clone, Copy)]
enum Answer {
    /// These statuses for the first requests, then 200.
    Statuses(&'static [u16]),
    /// Reads the request and never answers.
    Never,
}

/// A stub IndexNow endpoint on 127.0.0.1: records the JSON body of each request.
struct Stub {
    url: String,
    bodies: Arc<Mutex<Vec<serde_json::Value>>>,
}

impl Stub {
    async fn start(answer: Answer) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the stub");
        let url = format!(
            "http://{}/indexnow",
            listener.local_addr().expect("address")
        );
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&bodies);
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((mut stream, _)) = listener.accept().await {
                let body = read_request(&mut stream).await;
                let n = {
                    let mut bodies = recorded.lock().expect("lock");
                    bodies.push(body);
                    bodies.len()
                };
                match answer {
                    Answer::Never => held.push(stream),
                    Answer::Statuses(statuses) => {
                        let status = statuses.get(n - 1).copied().unwrap_or(200);
                        let reply = format!(
                            "HTTP/1.1 {status} Stub\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        );
                        let _ = stream.write_all(reply.as_bytes()).await;
                    }
                }
            }
        });
        Self { url, bodies }
    }

    fn config(&self) -> IndexNowConfig {
        IndexNowConfig {
            backoff: Duration::from_millis(20),
            timeout: Duration::from_secs(60),
            ..IndexNowConfig::new(self.url.clone())
        }
    }

    fn requests(&self) -> Vec<serde_json::Value> {
        self.bodies.lock().expect("lock").clone()
    }
}

/// Reads one HTTP request and returns its body as JSON.
async fn read_request(stream: &mut tokio::net::TcpStream) -> serde_json::Value {
    let mut data = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        let n = stream.read(&mut buffer).await.expect("read the request");
        assert!(n > 0, "the request ended early");
        data.extend_from_slice(&buffer[..n]);
        let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&data[..end]).to_lowercase();
        assert!(head.starts_with("post /indexnow http/1.1"), "{head}");
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .expect("a content length");
        if data.len() >= end + 4 + length {
            return serde_json::from_slice(&data[end + 4..end + 4 + length]).expect("a JSON body");
        }
    }
}

fn url_list(body: &serde_json::Value) -> Vec<String> {
    body["urlList"]
        .as_array()
        .expect("a urlList")
        .iter()
        .map(|u| u.as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn the_indexnow_key_is_served() {
    let stub = Stub::start(Answer::Statuses(&[])).await;
    let config = stub.config();
    let app = TestApp::unbuilt_with(
        |content| copy_dir(&fixtures().join("valid"), content),
        |c| c.indexnow = Some(config),
    );
    app.build().expect("the fixture builds");
    let key = fs::read_to_string(app.data.join("indexnow.key")).expect("a key made once");
    assert!(
        key.len() >= 8 && key.chars().all(|c| c.is_ascii_hexdigit()),
        "{key}"
    );
    let response = app.get(&format!("/{key}.txt")).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), "text/plain; charset=utf-8");
    assert_eq!(response.text(), key);
    // The same key on the next start; a configured key wins.
    let again = comptoir::AppState::new(comptoir::Config {
        indexnow: Some(stub.config()),
        ..comptoir::Config::for_tests(app.content.clone(), app.data.clone())
    });
    assert_eq!(again.indexnow().map(|i| i.key().to_owned()), Some(key));
    let configured = comptoir::AppState::new(comptoir::Config {
        indexnow: Some(IndexNowConfig {
            key: Some("cle-de-test-1234".into()),
            ..stub.config()
        }),
        ..comptoir::Config::for_tests(app.content.clone(), app.data.clone())
    });
    assert_eq!(
        configured.indexnow().map(|i| i.key().to_owned()).as_deref(),
        Some("cle-de-test-1234")
    );
    // Off by default: no key, no route.
    assert!(TestApp::new().state.indexnow().is_none());
}

#[tokio::test]
async fn a_live_edit_sends_one_indexnow_batch_naming_the_changed_pages() {
    let stub = Stub::start(Answer::Statuses(&[])).await;
    let app = watching_app(Some(stub.config())).await;
    // The first build publishes every page.
    until("the first build's batch arrives", async || {
        stub.requests().len() == 1
    })
    .await;
    let first = url_list(&stub.requests()[0]);
    assert!(first.contains(&format!("{SITE}{BRIE_PAGE}")), "{first:?}");
    set_field(&app.content.join(BRIE), "price", "\"5.20\"");
    until("the edit's batch arrives", async || {
        stub.requests().len() == 2
    })
    .await;
    let body = &stub.requests()[1];
    let key = app.state.indexnow().expect("configured").key().to_owned();
    assert_eq!(body["host"], "www.exemple-ville.fr");
    assert_eq!(body["key"], key.as_str());
    assert_eq!(body["keyLocation"], format!("{SITE}/{key}.txt"));
    let urls = url_list(body);
    for page in [
        BRIE_PAGE,
        "/boutiques/fromagerie-des-ecoles/",
        "/rayons/alimentation/fromagerie/",
    ] {
        assert!(
            urls.contains(&format!("{SITE}{page}")),
            "{page} in {urls:?}"
        );
    }
    assert!(
        !urls.iter().any(|u| u.contains("baguette")),
        "unchanged pages are not sent: {urls:?}"
    );
    assert!(
        !urls.iter().any(|u| u.ends_with(".xml")),
        "files are not pages: {urls:?}"
    );
    assert_eq!(brie_price(&app).await, "5.20");
    assert_eq!(stub.requests().len(), 2, "one batch per publish");
}

#[tokio::test]
async fn indexnow_tries_again_after_failures() {
    // The first build's batch passes; the edit's fails twice, then passes.
    let stub = Stub::start(Answer::Statuses(&[200, 503, 503, 200])).await;
    let app = watching_app(Some(stub.config())).await;
    until("the first build's batch arrives", async || {
        stub.requests().len() == 1
    })
    .await;
    set_field(&app.content.join(BRIE), "price", "\"5.20\"");
    until("the third try arrives", async || stub.requests().len() == 4).await;
    let requests = stub.requests();
    assert_eq!(requests[1], requests[2]);
    assert_eq!(requests[2], requests[3]);
    assert!(url_list(&requests[3]).contains(&format!("{SITE}{BRIE_PAGE}")));
}

#[tokio::test]
async fn publishing_does_not_wait_for_an_endpoint_that_never_answers() {
    let stub = Stub::start(Answer::Never).await;
    let app = watching_app(Some(stub.config())).await;
    until("the first build's batch is sent", async || {
        stub.requests().len() == 1
    })
    .await;
    for price in ["5.20", "5.40"] {
        set_field(&app.content.join(BRIE), "price", &format!("\"{price}\""));
        until("the page shows the new price", async || {
            brie_price(&app).await == price
        })
        .await;
    }
    assert_eq!(
        stub.requests().len(),
        1,
        "the hung request still holds the queue"
    );
}
