//! The console's shops: suspending and reactivating a shop (its page, products, search
//! documents and sitemap entries leave the live site and come back), and each shop's
//! charter status.

use crate::admin::staff_account;
use crate::backoffice::{BAKERY, Browser, MerchantClient, PASSWORD, until, watching_app};
use crate::helpers::{TestApp, attr, texts};
use axum::http::StatusCode;

const BAGUETTE: &str = "parc-baguette-tradition";
const STAFF: &str = "equipe@association.fr";

fn shop_toml(app: &TestApp) -> String {
    std::fs::read_to_string(app.content.join("shops").join(BAKERY).join("shop.toml"))
        .expect("shop.toml")
}

#[tokio::test]
async fn only_staff_suspend_or_reactivate_a_shop() {
    let app = TestApp::with_database(None);
    let before = shop_toml(&app);
    let suspend = format!("/admin/boutiques/{BAKERY}/suspendre");
    let reactivate = format!("/admin/boutiques/{BAKERY}/reactiver");
    let mut anonymous = Browser::new(&app);
    for path in [&suspend, &reactivate] {
        let answer = anonymous.post_raw(path, &[("raison-x", "y")]).await;
        assert_eq!(
            answer.status,
            StatusCode::SEE_OTHER,
            "{path}: to the login page"
        );
        assert!(
            answer
                .header("location")
                .starts_with("/espace-commercant/connexion")
        );
    }
    let mut merchant = MerchantClient::login(&app, BAKERY).await;
    for path in [&suspend, &reactivate] {
        let answer = merchant.post(path, &[]).await;
        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "{path}: not for merchants"
        );
    }
    assert_eq!(shop_toml(&app), before, "nothing written");

    staff_account(&app, STAFF).await;
    let mut staff = Browser::new(&app);
    staff.log_in(STAFF, PASSWORD).await;
    let forged = staff.post_raw(&suspend, &[("csrf", "faux")]).await;
    assert_eq!(
        forged.status,
        StatusCode::FORBIDDEN,
        "the CSRF token is checked"
    );
    let page = staff.get("/admin/").await;
    let csrf = attr(&page.html(), "input[name=csrf]", "value").expect("csrf");
    let unknown = staff
        .post_raw("/admin/boutiques/inconnue/suspendre", &[("csrf", &csrf)])
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(shop_toml(&app), before, "nothing written");
}

#[tokio::test]
async fn the_console_shows_every_shops_charter_status() {
    let app = TestApp::with_database(None);
    let charter = "+++\nversion = \"2026-11\"\n+++\nNous répondons vite.\n";
    std::fs::write(app.content.join("charte.md"), charter).expect("charter");
    let cheese = app
        .content
        .join("shops")
        .join(crate::backoffice::CHEESE)
        .join("shop.toml");
    let text = std::fs::read_to_string(&cheese).expect("shop.toml");
    let acceptance = comptoir_indexer::model::Acceptance {
        version: "2026-11".into(),
        accepted: jiff::civil::date(2026, 11, 2),
        by: "anne@exemple.fr".into(),
    };
    std::fs::write(&cheese, acceptance.write_into(&text)).expect("written");
    app.build().expect("built");

    staff_account(&app, STAFF).await;
    let mut staff = Browser::new(&app);
    staff.log_in(STAFF, PASSWORD).await;
    let page = staff.get("/admin/").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    assert_eq!(
        texts(&html, "section h2"),
        [
            "Boulangerie du Parc",
            "Boutique Marguerite",
            "Fromagerie des Écoles"
        ],
        "offline shops are listed too"
    );
    assert_eq!(
        texts(&html, "li.charter-status"),
        [
            "Charte : pas acceptée",
            "Charte : pas acceptée",
            "Charte : version 2026-11 acceptée le 02/11/2026 par anne@exemple.fr"
        ]
    );
    assert_eq!(
        texts(&html, "li.online-status"),
        ["Hors ligne", "Hors ligne", "En ligne"]
    );
}

/// The sitemaps' text, the index and every sitemap it lists.
async fn sitemaps(app: &TestApp) -> String {
    let index = app.get("/sitemap.xml").await.text();
    let mut all = index.clone();
    for part in index.split("<loc>").skip(1) {
        let url = part.split("</loc>").next().unwrap_or_default();
        let Some(at) = url.find("/sitemap") else {
            continue;
        };
        all.push_str(&app.get(&url[at..]).await.text());
    }
    all
}

async fn search_finds(app: &TestApp, id: &str) -> bool {
    let answer = app.get("/api/search?q=baguette").await;
    assert_eq!(answer.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_slice(&answer.body).expect("json");
    json["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .any(|h| h["id"] == id)
}

/// Shop page, product page, found by search, in the sitemaps (shop and product).
async fn on_the_site(app: &TestApp, product: &str) -> (StatusCode, StatusCode, bool, bool, bool) {
    let sitemaps = sitemaps(app).await;
    (
        app.get(&format!("/boutiques/{BAKERY}/")).await.status,
        app.get(product).await.status,
        search_finds(app, BAGUETTE).await,
        sitemaps.contains(&format!("/boutiques/{BAKERY}/<")),
        sitemaps.contains(product),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspended_shop_leaves_the_live_site_and_comes_back() {
    let app = watching_app().await;
    let shop_page = format!("/boutiques/{BAKERY}/");
    until(&app, "the site is up", async |app: &TestApp| {
        app.get(&shop_page).await.status == StatusCode::OK
    })
    .await;
    let product = {
        let live = app.state.live().expect("a build");
        let catalogue = live.catalogue.clone().expect("the snapshot");
        let baguette = catalogue
            .products
            .iter()
            .find(|p| p.id == BAGUETTE)
            .expect("baguette");
        catalogue.product_path(baguette)
    };
    let online = (StatusCode::OK, StatusCode::OK, true, true, true);
    assert_eq!(on_the_site(&app, &product).await, online);

    staff_account(&app, STAFF).await;
    let mut staff = Browser::new(&app);
    staff.log_in(STAFF, PASSWORD).await;
    let page = staff.get("/admin/").await;
    let csrf = attr(&page.html(), "input[name=csrf]", "value").expect("csrf");
    let field = format!("raison-{BAKERY}");
    let suspended = staff
        .post_raw(
            &format!("/admin/boutiques/{BAKERY}/suspendre"),
            &[("csrf", &csrf), (&field, "Hygiène à vérifier")],
        )
        .await;
    assert_eq!(
        suspended.status,
        StatusCode::SEE_OTHER,
        "{}",
        suspended.text()
    );
    assert_eq!(
        suspended.header("location"),
        format!("/admin/?suspendue=en-ligne#boutique-{BAKERY}")
    );
    let written = shop_toml(&app);
    assert!(
        written.contains("suspended = true\nsuspended_reason = \"Hygiène à vérifier\"\n"),
        "{written}"
    );
    until(&app, "the bakery leaves the site", async |app: &TestApp| {
        app.get(&shop_page).await.status == StatusCode::NOT_FOUND
    })
    .await;
    assert_eq!(
        on_the_site(&app, &product).await,
        (StatusCode::NOT_FOUND, StatusCode::GONE, false, false, false),
        "page 404, product 410, not found, not in the sitemaps"
    );

    let page = staff.get(suspended.header("location")).await;
    assert!(
        page.text()
            .contains("Boutique suspendue : le site est mis à jour dans un instant.")
    );
    assert_eq!(
        texts(&page.html(), "li.suspended"),
        ["Boutique suspendue : Hygiène à vérifier"]
    );
    let mut bakery = MerchantClient::login(&app, BAKERY).await;
    let dashboard = bakery.get("/espace-commercant/").await.text();
    assert!(
        dashboard.contains("Votre boutique est suspendue par l’association")
            && dashboard.contains("Hygiène à vérifier"),
        "{dashboard}"
    );

    let csrf = attr(&page.html(), "input[name=csrf]", "value").expect("csrf");
    let back = staff
        .post_raw(
            &format!("/admin/boutiques/{BAKERY}/reactiver"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.text());
    assert!(!shop_toml(&app).contains("suspended"));
    until(&app, "the bakery is back", async |app: &TestApp| {
        app.get(&shop_page).await.status == StatusCode::OK
    })
    .await;
    assert_eq!(on_the_site(&app, &product).await, online);
    let dashboard = bakery.get("/espace-commercant/").await.text();
    assert!(!dashboard.contains("suspendue"), "{dashboard}");
}

const NEW: &str = "/admin/boutiques/nouvelle";

#[tokio::test]
async fn only_staff_create_a_shop() {
    let app = TestApp::with_database(None);
    let fields = [("nom", "Intrus"), ("metier", "bakery")];
    let mut anonymous = Browser::new(&app);
    assert_eq!(anonymous.get(NEW).await.status, StatusCode::SEE_OTHER);
    let answer = anonymous.post_raw(NEW, &fields).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "to the login page");
    let mut merchant = MerchantClient::login(&app, BAKERY).await;
    assert_eq!(merchant.get(NEW).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        merchant.post(NEW, &fields).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !app.content.join("shops").join("intrus").exists(),
        "nothing written"
    );
}

fn good_shop() -> Vec<(&'static str, &'static str)> {
    vec![
        ("nom", "Épicerie du Marché"),
        ("slug", ""),
        ("metier", "grocery"),
        (
            "description",
            "Produits du terroir, vrac et cafés torréfiés.",
        ),
        ("telephone", "01 46 60 00 01"),
        ("email", "bonjour@epicerie.example"),
        ("rue", "3 place du Marché"),
        ("code_postal", "92330"),
        ("ville", "Sceaux"),
        ("lat", "48.7775"),
        ("lon", "2.2905"),
        ("livraison-click_collect", "oui"),
        ("livraison-home", "oui"),
        ("preparation", "20"),
        ("horaires-tuesday", "09:00-12:30, 14:00-19:00"),
        ("horaires-sunday", "09:00-13:00"),
    ]
}

#[tokio::test]
async fn staff_create_a_shop_that_builds() {
    let app = TestApp::with_database(None);
    staff_account(&app, STAFF).await;
    let mut staff = Browser::new(&app);
    staff.log_in(STAFF, PASSWORD).await;
    let page = staff.get(NEW).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text()
            .contains("n’est pas en ligne tant que son commerçant n’a pas accepté la charte")
    );
    let csrf = attr(&page.html(), "input[name=csrf]", "value").expect("csrf");

    let mut bad = good_shop();
    for (name, value) in &mut bad {
        match *name {
            "nom" => *value = "",
            "telephone" => *value = "12",
            "lat" => *value = "nord",
            "horaires-tuesday" => *value = "9h-midi",
            "livraison-click_collect" | "livraison-home" => *value = "",
            _ => {}
        }
    }
    bad.push(("csrf", &csrf));
    let answer = staff.post_raw(NEW, &bad).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        texts(&answer.html(), ".field-error"),
        [
            "Écrivez le nom de la boutique.",
            "Écrivez l’adresse en minuscules sans accents, avec des tirets : fromagerie-des-ecoles.",
            "Écrivez un numéro à 10 chiffres, par exemple 01 46 61 22 33.",
            "Écrivez une latitude, par exemple 48.77689.",
            "Cochez au moins un mode de livraison.",
            "Écrivez des plages comme 09:00-12:30, 14:00-19:00.",
        ]
    );
    let before: Vec<_> = std::fs::read_dir(app.content.join("shops"))
        .expect("shops")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(before.len(), 3, "nothing written");
    let mut taken = good_shop();
    taken[1].1 = BAKERY;
    taken.push(("csrf", &csrf));
    let answer = staff.post_raw(NEW, &taken).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        texts(&answer.html(), ".field-error"),
        ["Une boutique a déjà cette adresse : choisissez-en une autre."]
    );

    let mut good = good_shop();
    good.push(("csrf", &csrf));
    let answer = staff.post_raw(NEW, &good).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    assert_eq!(
        answer.header("location"),
        "/admin/boutiques/nouvelle?creee=epicerie-du-marche"
    );
    let created = staff.get(answer.header("location")).await.text();
    assert!(created.contains("Inviter son commerçant"), "{created}");
    let path = app.content.join("shops/epicerie-du-marche/shop.toml");
    let written = std::fs::read_to_string(&path).expect("shop.toml written");
    let shop = comptoir_indexer::parse::parse_shop(
        &path,
        "epicerie-du-marche",
        &written,
        &std::collections::HashMap::new(),
    )
    .expect("parses");
    assert_eq!(shop.name, "Épicerie du Marché");
    assert_eq!(shop.delivery.len(), 2);
    app.build().expect("the new shop builds");
    let page = staff.get("/admin/").await;
    assert!(
        texts(&page.html(), "section h2").contains(&"Épicerie du Marché".to_owned()),
        "listed"
    );
}
