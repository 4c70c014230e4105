//! The product catalogue editor over HTTP: a merchant creates and edits products through
//! the forms, the files land in `content/` and the live catalogue puts them online;
//! bad fields are explained in French and write nothing; another shop's products are 404.

use super::{CLOTHES as SHOP, MerchantClient, edit, form_fields, until, watching_app as live_app};
use crate::helpers::TestApp;
use axum::http::StatusCode;
use std::fs;
use std::path::PathBuf;

const PULL: &str = "marguerite-pull-marin";
const PULL_FILE: &str = "shops/boutique-marguerite/products/pull-marin.md";
const PULL_PAGE: &str = "/boutiques/boutique-marguerite/pull-marin/";
const BAGUETTE: &str = "parc-baguette-tradition";
const BAGUETTE_FILE: &str = "shops/boulangerie-du-parc/products/baguette-tradition.md";

fn file(app: &TestApp, relative: &str) -> PathBuf {
    app.content.join(relative)
}

/// Every product file of the content folder with its text.
fn product_files(app: &TestApp) -> Vec<(PathBuf, String)> {
    let mut all = Vec::new();
    for shop in fs::read_dir(app.content.join("shops"))
        .expect("shops")
        .flatten()
    {
        for product in fs::read_dir(shop.path().join("products"))
            .expect("products")
            .flatten()
        {
            let text = fs::read_to_string(product.path()).expect("product file");
            all.push((product.path(), text));
        }
    }
    all.sort();
    all
}

const NEW_CARDIGAN: &[(&str, &str)] = &[
    ("title", "Gilet torsadé en laine"),
    (
        "description",
        "Un gilet **chaud** aux torsades irlandaises.",
    ),
    ("price", "89,00"),
    ("category", "vetements"),
    ("tags", "gilet, laine"),
    ("weight", "550"),
    ("images", "pull.jpg"),
    ("delivery", "click_collect"),
    ("delivery", "post"),
    ("published", "on"),
    ("v0_color", "vert"),
    ("v0_size", "S"),
    ("v0_sku", "GILET-VERT-S"),
    ("v0_stock", "2"),
    ("v1_color", "vert"),
    ("v1_size", "M"),
    ("v1_sku", "GILET-VERT-M"),
    ("v1_stock", "3"),
    ("v2_color", "vert"),
    ("v2_size", "L"),
    ("v2_sku", "GILET-VERT-L"),
    ("v2_price", "92,00"),
    ("v2_stock", "1"),
    ("action", "enregistrer"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_product_in_three_sizes_is_written_then_online_and_found() {
    let app = live_app().await;
    let mut client = MerchantClient::login(&app, SHOP).await;
    let form = client.get("/espace-commercant/produits/nouveau").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("Ajouter des lignes"));

    let saved = client
        .post("/espace-commercant/produits/nouveau", NEW_CARDIGAN)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let id = "boutique-marguerite-gilet-torsade-en-laine";
    assert_eq!(
        saved.header("location"),
        format!("/espace-commercant/produits/{id}?enregistre=en-ligne")
    );

    let written = fs::read_to_string(file(
        &app,
        "shops/boutique-marguerite/products/gilet-torsade-en-laine.md",
    ))
    .expect("the product's file is written");
    assert!(
        written.starts_with(&format!("+++\nid = \"{id}\"\n")),
        "{written}"
    );
    assert_eq!(written.matches("[[variants]]").count(), 3, "{written}");
    assert!(
        written.contains("delivery = [\"click_collect\", \"post\"]"),
        "{written}"
    );
    let catalogue = comptoir_indexer::load::load(&app.content).expect("the catalogue still loads");
    let product = catalogue
        .products
        .iter()
        .find(|p| p.id == id)
        .expect("the new product");
    assert_eq!(product.variants.len(), 3);

    let page = "/boutiques/boutique-marguerite/gilet-torsade-en-laine/";
    until(&app, "the new product's page is online", async |app| {
        app.get(page).await.status == StatusCode::OK
    })
    .await;
    assert!(app.get(page).await.text().contains("89,00"));
    until(&app, "search finds the new product", async |app| {
        let found: serde_json::Value =
            serde_json::from_slice(&app.get("/api/search?q=gilet%20torsad%C3%A9").await.body)
                .unwrap_or_default();
        found["hits"]
            .as_array()
            .is_some_and(|hits| hits.iter().any(|h| h["id"] == id))
    })
    .await;

    let edit_page = client
        .get(&format!(
            "/espace-commercant/produits/{id}?enregistre=en-ligne"
        ))
        .await;
    assert!(
        edit_page
            .text()
            .contains("Enregistré : le site est mis à jour")
    );
    let listed = client
        .get("/espace-commercant/produits?q=gilet")
        .await
        .text();
    assert!(
        listed.contains("Gilet torsadé en laine") && !listed.contains("Pull marin"),
        "{listed}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_price_reaches_the_product_page() {
    let app = live_app().await;
    let mut client = MerchantClient::login(&app, SHOP).await;
    let before = fs::read_to_string(file(&app, PULL_FILE)).expect("file");
    let saved = edit(
        &mut client,
        PULL,
        &[("price", "64,50"), ("action", "enregistrer")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let text = fs::read_to_string(file(&app, PULL_FILE)).expect("file");
    // A readable diff: the price and the date of the change, nothing else.
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(text.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(before.lines().count(), text.lines().count(), "{text}");
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert_eq!(changed[0], ("price = \"79.00\"", "price = \"64.50\""));
    assert!(changed[1].1.starts_with("updated = "), "{changed:?}");
    until(&app, "the page shows the new price", async |app| {
        app.get(PULL_PAGE).await.text().contains("64,50")
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stock_typed_in_the_form_is_what_the_shop_sells() {
    let app = live_app().await;
    let mut client = MerchantClient::login(&app, SHOP).await;
    // PULL-MARINE-M is the second variant, out of stock in the fixture.
    let saved = edit(
        &mut client,
        PULL,
        &[("v1_stock", "5"), ("action", "enregistrer")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let db = app.state.db().await.expect("the database");
    let level = comptoir::stock::level(db, "PULL-MARINE-M").await;
    assert_eq!(level.expect("read"), Some(5));
    let form = client
        .get(&format!("/espace-commercant/produits/{PULL}"))
        .await;
    let fields = form_fields(&form.text(), &[]);
    assert!(
        fields.contains(&("v1_stock".to_owned(), "5".to_owned())),
        "{fields:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_slug_keeps_the_old_address_as_a_redirect() {
    let app = live_app().await;
    let mut client = MerchantClient::login(&app, SHOP).await;
    let saved = edit(
        &mut client,
        PULL,
        &[("slug", "pull-marin-breton"), ("action", "enregistrer")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let text = fs::read_to_string(file(&app, PULL_FILE)).expect("the file keeps its name");
    assert!(text.contains("slug = \"pull-marin-breton\""), "{text}");
    assert!(
        text.contains(&format!("aliases = [\"{PULL_PAGE}\"]")),
        "{text}"
    );
    let new_page = "/boutiques/boutique-marguerite/pull-marin-breton/";
    until(&app, "the new address is online", async |app| {
        app.get(new_page).await.status == StatusCode::OK
    })
    .await;
    // Pages are written before the server reloads its redirects: wait for the 301.
    until(&app, "the old address redirects", async |app| {
        app.get(PULL_PAGE).await.status == StatusCode::MOVED_PERMANENTLY
    })
    .await;
    let old = app.get(PULL_PAGE).await;
    assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.header("location"), new_page);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_fields_are_explained_in_french_beside_them_and_nothing_is_written() {
    let app = live_app().await;
    let before = product_files(&app);
    let mut client = MerchantClient::login(&app, SHOP).await;

    let refused = edit(
        &mut client,
        PULL,
        &[
            ("price", "douze euros"),
            ("v0_sku", "ECHARPE-ROUGE"),
            ("action", "enregistrer"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.html();
    let select = |s: &str| scraper::Selector::parse(s).expect("selector");
    let price = page
        .select(&select("input#price"))
        .next()
        .expect("the price field");
    assert_eq!(price.value().attr("aria-invalid"), Some("true"));
    assert_eq!(price.value().attr("aria-describedby"), Some("price-erreur"));
    let message: String = page
        .select(&select("#price-erreur"))
        .next()
        .expect("its message")
        .text()
        .collect();
    assert!(message.contains("montant en euros"), "{message}");
    assert_eq!(
        price.value().attr("value"),
        Some("douze euros"),
        "what was typed is kept"
    );
    let text = refused.text();
    assert!(text.contains("Le produit n’est pas enregistré"), "{text}");
    assert!(
        text.contains("<title>Erreur : Pull marin en laine"),
        "{text}"
    );

    // Only the indexer's cross-file check knows the SKU is another product's.
    let clash = edit(
        &mut client,
        PULL,
        &[("v0_sku", "ECHARPE-ROUGE"), ("action", "enregistrer")],
    )
    .await;
    assert_eq!(clash.status, StatusCode::UNPROCESSABLE_ENTITY);
    let sku: String = clash
        .html()
        .select(&select("#v0_sku-erreur"))
        .next()
        .expect("the SKU's message")
        .text()
        .collect();
    assert!(sku.contains("déjà celle d’un autre produit"), "{sku}");

    let empty = client
        .post(
            "/espace-commercant/produits/nouveau",
            &[("title", ""), ("action", "enregistrer")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text().contains("Indiquez le nom du produit."));
    assert_eq!(product_files(&app), before, "nothing was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_preview_draws_the_markdown_without_saving() {
    let app = live_app().await;
    let before = product_files(&app);
    let mut client = MerchantClient::login(&app, SHOP).await;
    let shown = edit(
        &mut client,
        PULL,
        &[("description", "Tricot **serré**"), ("action", "apercu")],
    )
    .await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(
        shown.text().contains("<strong>serré</strong>"),
        "{}",
        shown.text()
    );
    let more = edit(&mut client, PULL, &[("action", "lignes")]).await;
    assert!(
        more.text().contains("name=\"v12_sku\""),
        "ten blank rows after the three variants"
    );
    assert_eq!(product_files(&app), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_shops_product_is_not_found_and_stays_unchanged() {
    let app = live_app().await;
    let before = fs::read(file(&app, BAGUETTE_FILE)).expect("baguette");
    let mut client = MerchantClient::login(&app, SHOP).await;
    for id in [BAGUETTE, "no-such-product", "..%2F..%2Ftown"] {
        let path = format!("/espace-commercant/produits/{id}");
        assert_eq!(
            client.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
        let posted = client
            .post(
                &path,
                &[("title", "Volé"), ("price", "1"), ("action", "enregistrer")],
            )
            .await;
        assert_eq!(posted.status, StatusCode::NOT_FOUND, "{path}");
        let switch = format!("{path}/publication");
        let posted = client.post(&switch, &[("en_ligne", "0")]).await;
        assert_eq!(posted.status, StatusCode::NOT_FOUND, "{switch}");
        let delete = format!("{path}/supprimer");
        assert_eq!(
            client.get(&delete).await.status,
            StatusCode::NOT_FOUND,
            "{delete}"
        );
        assert_eq!(
            client.post(&delete, &[]).await.status,
            StatusCode::NOT_FOUND,
            "{delete}"
        );
    }
    assert_eq!(
        fs::read(file(&app, BAGUETTE_FILE)).expect("baguette"),
        before
    );
    let listed = client.get("/espace-commercant/produits").await.text();
    assert!(
        listed.contains("Pull marin") && !listed.contains("Baguette"),
        "{listed}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unpublishing_then_deleting_takes_the_page_off() {
    let app = live_app().await;
    let mut client = MerchantClient::login(&app, SHOP).await;
    let saved = edit(
        &mut client,
        PULL,
        &[("published", ""), ("action", "enregistrer")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    assert!(
        fs::read_to_string(file(&app, PULL_FILE))
            .expect("file")
            .contains("published = false")
    );
    // The page file goes first (404), then the server takes the new catalogue (410).
    until(&app, "the unpublished page is gone", async |app| {
        app.get(PULL_PAGE).await.status == StatusCode::GONE
    })
    .await;
    let offline = client
        .get("/espace-commercant/produits?filtre=hors-ligne")
        .await
        .text();
    assert!(offline.contains("Pull marin"), "{offline}");

    let confirm = client
        .get(&format!("/espace-commercant/produits/{PULL}/supprimer"))
        .await;
    assert!(confirm.text().contains("Supprimer définitivement"));
    assert!(file(&app, PULL_FILE).exists(), "asking is not deleting");
    let deleted = client
        .post(
            &format!("/espace-commercant/produits/{PULL}/supprimer"),
            &[],
        )
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert_eq!(
        deleted.header("location"),
        "/espace-commercant/produits?supprime=1"
    );
    assert!(!file(&app, PULL_FILE).exists());
    assert_eq!(
        client
            .get(&format!("/espace-commercant/produits/{PULL}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// Ids that appear more than once, and fields no label names (a screen reader reads
/// nothing for them).
fn unlabelled_and_duplicates(html: &str) -> (Vec<String>, Vec<String>) {
    let page = scraper::Html::parse_document(html);
    let select = |s: &str| scraper::Selector::parse(s).expect("selector");
    let mut ids: Vec<String> = page
        .select(&select("[id]"))
        .filter_map(|e| e.value().attr("id").map(str::to_owned))
        .collect();
    ids.sort();
    let mut duplicates: Vec<String> = ids
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0].clone())
        .collect();
    duplicates.dedup();
    let labelled: Vec<String> = page
        .select(&select("label[for]"))
        .filter_map(|l| l.value().attr("for").map(str::to_owned))
        .collect();
    let unlabelled = page
        .select(&select("input:not([type=hidden]), select, textarea"))
        .filter(|field| {
            let wrapped = field
                .ancestors()
                .any(|a| a.value().as_element().is_some_and(|e| e.name() == "label"));
            let named = field
                .value()
                .attr("id")
                .is_some_and(|id| labelled.iter().any(|l| l == id));
            !wrapped && !named
        })
        .map(|field| field.html())
        .collect();
    (unlabelled, duplicates)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_field_has_a_label_and_no_id_is_repeated() {
    let app = live_app().await;
    let mut client = MerchantClient::login(&app, SHOP).await;
    let pages = [
        "/espace-commercant/produits".to_owned(),
        "/espace-commercant/produits/nouveau".to_owned(),
        format!("/espace-commercant/produits/{PULL}"),
        format!("/espace-commercant/produits/{PULL}/supprimer"),
    ];
    for path in &pages {
        let page = client.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let (unlabelled, duplicates) = unlabelled_and_duplicates(&page.text());
        assert!(
            unlabelled.is_empty(),
            "{path}: fields without a label: {unlabelled:?}"
        );
        assert!(
            duplicates.is_empty(),
            "{path}: repeated ids: {duplicates:?}"
        );
    }
    let refused = edit(
        &mut client,
        PULL,
        &[("price", "?"), ("v0_sku", ""), ("action", "enregistrer")],
    )
    .await;
    let (unlabelled, duplicates) = unlabelled_and_duplicates(&refused.text());
    assert!(
        unlabelled.is_empty() && duplicates.is_empty(),
        "{unlabelled:?} {duplicates:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_tap_in_the_list_takes_a_product_offline_and_back() {
    let app = live_app().await;
    let mut client = MerchantClient::login(&app, SHOP).await;
    let list = client.get("/espace-commercant/produits").await.text();
    assert!(
        list.contains("Mettre hors ligne : Pull marin en laine"),
        "{list}"
    );
    let switch = format!("/espace-commercant/produits/{PULL}/publication");
    let off = client.post(&switch, &[("en_ligne", "0")]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    assert_eq!(
        off.header("location"),
        "/espace-commercant/produits?publication=1"
    );
    until(&app, "the page is gone", async |app| {
        app.get(PULL_PAGE).await.status == StatusCode::GONE
    })
    .await;
    let list = client
        .get("/espace-commercant/produits?filtre=hors-ligne")
        .await
        .text();
    assert!(
        list.contains("Mettre en ligne : Pull marin en laine"),
        "{list}"
    );
    let on = client.post(&switch, &[("en_ligne", "1")]).await;
    assert_eq!(on.status, StatusCode::SEE_OTHER);
    until(&app, "the page is back", async |app| {
        app.get(PULL_PAGE).await.status == StatusCode::OK
    })
    .await;
    let text = fs::read_to_string(file(&app, PULL_FILE)).expect("file");
    assert!(!text.contains("published"), "online is the default: {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_live_catalogue_the_merchant_is_told_when_the_site_follows() {
    let app = TestApp::with_database(None);
    let mut client = MerchantClient::login(&app, SHOP).await;
    let saved = edit(
        &mut client,
        PULL,
        &[("price", "69,00"), ("action", "enregistrer")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let next = saved.header("location").to_owned();
    assert!(
        next.ends_with("?enregistre=prochaine-publication"),
        "{next}"
    );
    let page = client.get(&next).await.text();
    assert!(
        page.contains("à la prochaine publication du catalogue"),
        "{page}"
    );
    let text = fs::read_to_string(file(&app, PULL_FILE)).expect("file");
    assert!(
        text.contains("price = \"69.00\""),
        "the file is written all the same"
    );
}
