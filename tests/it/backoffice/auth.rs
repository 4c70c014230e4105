//! Accounts over HTTP: login and logout, session expiry, rate limits, password links
//! (invitation and reset), and CSRF on every form.

use super::{BAKERY, Browser, MerchantClient, PASSWORD, merchant_account, outbox};
use crate::helpers::TestApp;
use axum::http::StatusCode;
use comptoir::accounts::{self, links};

fn link_token(text: &str) -> String {
    let at = text
        .find("/espace-commercant/mot-de-passe/")
        .expect("a password link")
        + "/espace-commercant/mot-de-passe/".len();
    text[at..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_the_login_page_and_back() {
    let app = TestApp::with_database(None);
    let mut browser = Browser::new(&app);
    for path in ["/espace-commercant/", "/espace-commercant/stock?vue=bas"] {
        let answer = browser.get(path).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{path}");
        let back = form_urlencoded::Serializer::new(String::new())
            .append_pair("suite", path)
            .finish();
        assert_eq!(
            answer.header("location"),
            format!("/espace-commercant/connexion?{back}")
        );
    }
    assert_eq!(
        browser.get("/espace-commercant").await.header("location"),
        "/espace-commercant/"
    );

    let email = "marie@boulangerie.fr";
    merchant_account(&app, BAKERY, email).await;
    let csrf = browser
        .csrf_of("/espace-commercant/connexion?suite=%2Fespace-commercant%2Fstock")
        .await;
    let answer = browser
        .post_raw(
            "/espace-commercant/connexion",
            &[
                ("csrf", &csrf),
                ("email", email),
                ("password", PASSWORD),
                ("suite", "/espace-commercant/stock"),
            ],
        )
        .await;
    assert_eq!(
        answer.header("location"),
        "/espace-commercant/stock",
        "back where they were going"
    );

    // Never somewhere else.
    let mut other = Browser::new(&app);
    let csrf = other.csrf_of("/espace-commercant/connexion").await;
    let answer = other
        .post_raw(
            "/espace-commercant/connexion",
            &[
                ("csrf", &csrf),
                ("email", email),
                ("password", PASSWORD),
                ("suite", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(answer.header("location"), "/espace-commercant/");
}

#[tokio::test]
async fn a_merchant_logs_in_sees_their_shop_and_logs_out() {
    let app = TestApp::with_database(None);
    let mut merchant = MerchantClient::login(&app, BAKERY).await;
    let home = merchant.get("/espace-commercant/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert_eq!(home.header("cache-control"), "no-store");
    assert!(home.header("x-robots-tag").contains("noindex"));
    let text = home.text();
    assert!(
        text.contains("Boulangerie du Parc"),
        "the shop's name: {text}"
    );
    assert!(text.contains("lang=\"fr\""));

    let session = merchant
        .browser
        .cookies
        .get("comptoir_session")
        .cloned()
        .expect("a session cookie");
    assert_eq!(session.len(), 64);
    let answer = merchant.post("/espace-commercant/deconnexion", &[]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(answer.header("set-cookie").contains("Max-Age=0"));
    assert!(!merchant.browser.cookies.contains_key("comptoir_session"));
    assert_eq!(
        merchant.get("/espace-commercant/").await.status,
        StatusCode::SEE_OTHER
    );

    // The old cookie, replayed, opens nothing.
    merchant
        .browser
        .cookies
        .insert("comptoir_session".into(), session);
    assert_eq!(
        merchant.get("/espace-commercant/").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_session_cookie_is_http_only_lax_and_secure_over_tls() {
    let app = TestApp::with_database(None);
    merchant_account(&app, BAKERY, "marie@boulangerie.fr").await;
    let mut browser = Browser::new(&app);
    let answer = browser.log_in("marie@boulangerie.fr", PASSWORD).await;
    let cookie = answer
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("works").to_owned())
        .find(|c| c.starts_with("comptoir_session="))
        .expect("the session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");
}

#[tokio::test]
async fn idle_sessions_expire() {
    let app = TestApp::with_database(None);
    let mut merchant = MerchantClient::login(&app, BAKERY).await;
    assert_eq!(
        merchant.get("/espace-commercant/").await.status,
        StatusCode::OK
    );
    let db = app.state.db().await.expect("works");
    let thirteen_hours_ago = jiff::Timestamp::now().as_second() - 13 * 3600;
    sqlx::query(&format!(
        "UPDATE sessions SET last_seen = {thirteen_hours_ago}"
    ))
    .execute(db.pool())
    .await
    .expect("works");
    let answer = merchant.get("/espace-commercant/").await;
    assert_eq!(
        answer.status,
        StatusCode::SEE_OTHER,
        "expired after 12 h idle"
    );
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(db.pool())
        .await
        .expect("works");
    assert_eq!(left, 0, "the expired session is deleted");
}

#[tokio::test]
async fn wrong_passwords_are_refused_then_the_account_is_locked_for_a_while() {
    let app = TestApp::with_database(None);
    merchant_account(&app, BAKERY, "marie@boulangerie.fr").await;
    let mut browser = Browser::new(&app);
    for _ in 0..accounts::throttle::ACCOUNT_LIMIT {
        let answer = browser
            .log_in("marie@boulangerie.fr", "pas le bon mot de passe")
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            answer
                .text()
                .contains("Adresse e-mail ou mot de passe incorrect.")
        );
    }
    // An unknown address gets the very same answer.
    let unknown = browser
        .log_in("personne@exemple.fr", "pas le bon mot de passe")
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown
            .text()
            .contains("Adresse e-mail ou mot de passe incorrect.")
    );

    // Locked, even with the right password, even from another address.
    let mut elsewhere = Browser::from_ip(&app, "198.51.100.7");
    let locked = elsewhere.log_in("marie@boulangerie.fr", PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        locked
            .text()
            .contains("Trop de tentatives de connexion. Réessayez dans 15 minutes"),
        "{}",
        locked.text()
    );

    // Once the failures are older than the window, the right password works again.
    let db = app.state.db().await.expect("works");
    sqlx::query("UPDATE login_failures SET at = at - 901")
        .execute(db.pool())
        .await
        .expect("works");
    assert_eq!(
        elsewhere
            .log_in("marie@boulangerie.fr", PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn one_address_trying_many_accounts_is_slowed_down() {
    let app = TestApp::with_database(None);
    merchant_account(&app, BAKERY, "marie@boulangerie.fr").await;
    let mut attacker = Browser::from_ip(&app, "203.0.113.66");
    for n in 0..accounts::throttle::ADDRESS_LIMIT {
        let answer = attacker
            .log_in(&format!("essai{n}@exemple.fr"), "123456")
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(
        attacker
            .log_in("marie@boulangerie.fr", PASSWORD)
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The merchant, from the shop's own connection, is not locked out.
    let mut shop = Browser::from_ip(&app, "192.0.2.44");
    assert_eq!(
        shop.log_in("marie@boulangerie.fr", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn an_invited_merchant_chooses_a_password_once() {
    let app = TestApp::with_database(None);
    let db = app.state.db().await.expect("works");
    let role = accounts::Role::Merchant {
        shop: BAKERY.into(),
    };
    let user = accounts::create(db, "Paul@Boulangerie.fr", &role)
        .await
        .expect("works");
    assert_eq!(user.email, "paul@boulangerie.fr");
    assert!(matches!(
        accounts::create(db, "paul@boulangerie.fr", &role).await,
        Err(accounts::AccountError::Taken(_))
    ));
    let token = links::issue(db, &user.id, links::Purpose::Invite, jiff::Timestamp::now())
        .await
        .expect("works");
    let path = links::path(&token);

    let mut browser = Browser::new(&app);
    let csrf = browser.csrf_of(&path).await;
    let short = browser
        .post_raw(
            &path,
            &[("csrf", &csrf), ("password", "court"), ("confirm", "court")],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.text().contains("au moins 10 caractères"));
    let mismatch = browser
        .post_raw(
            &path,
            &[
                ("csrf", &csrf),
                ("password", "un long mot de passe"),
                ("confirm", "un autre"),
            ],
        )
        .await;
    assert!(mismatch.text().contains("ne sont pas identiques"));

    let set = browser
        .post_raw(
            &path,
            &[
                ("csrf", &csrf),
                ("password", "un long mot de passe"),
                ("confirm", "un long mot de passe"),
            ],
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    assert_eq!(
        browser.get("/espace-commercant/").await.status,
        StatusCode::OK,
        "signed in"
    );

    let again = Browser::new(&app).get(&path).await;
    assert_eq!(again.status, StatusCode::GONE, "a link serves once");
    assert!(again.text().contains("Ce lien a expiré ou a déjà servi."));
    let mut fresh = Browser::new(&app);
    assert_eq!(
        fresh
            .log_in("paul@boulangerie.fr", "un long mot de passe")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_an_emailed_link() {
    let app = TestApp::with_database(None);
    merchant_account(&app, BAKERY, "marie@boulangerie.fr").await;
    let mut browser = Browser::new(&app);

    let csrf = browser
        .csrf_of("/espace-commercant/mot-de-passe-oublie")
        .await;
    let unknown = browser
        .post_raw(
            "/espace-commercant/mot-de-passe-oublie",
            &[("csrf", &csrf), ("email", "personne@exemple.fr")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert!(outbox(&app).is_empty(), "nobody to write to");

    let known = browser
        .post_raw(
            "/espace-commercant/mot-de-passe-oublie",
            &[("csrf", &csrf), ("email", "Marie@Boulangerie.fr")],
        )
        .await;
    assert_eq!(
        known.text(),
        unknown
            .text()
            .replace("personne@exemple.fr", "Marie@Boulangerie.fr"),
        "the same answer"
    );
    let mails = outbox(&app);
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].contains("To: marie@boulangerie.fr")
            || mails[0].contains("<marie@boulangerie.fr>"),
        "{}",
        mails[0]
    );
    let token = link_token(&mails[0]);
    assert_eq!(token.len(), 64);

    let path = links::path(&token);
    let csrf = browser.csrf_of(&path).await;
    let new = "un tout nouveau mot de passe";
    let set = browser
        .post_raw(
            &path,
            &[("csrf", &csrf), ("password", new), ("confirm", new)],
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    let mut other = Browser::new(&app);
    assert_eq!(
        other.log_in("marie@boulangerie.fr", PASSWORD).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        other.log_in("marie@boulangerie.fr", new).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn forms_without_their_token_change_nothing() {
    let app = TestApp::with_database(None);
    merchant_account(&app, BAKERY, "marie@boulangerie.fr").await;
    // Login without the prelogin cookie and token: refused.
    let mut browser = Browser::new(&app);
    let answer = browser
        .post_raw(
            "/espace-commercant/connexion",
            &[("email", "marie@boulangerie.fr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(!browser.cookies.contains_key("comptoir_session"));

    let mut merchant = MerchantClient::login(&app, BAKERY).await;
    let db = app.state.db().await.expect("works");
    let before = comptoir::stock::level(db, "parc-baguette-tradition")
        .await
        .expect("works");
    let forged = merchant
        .browser
        .post_raw(
            "/espace-commercant/stock",
            &[
                ("csrf", "0000"),
                ("sku", "parc-baguette-tradition"),
                ("quantite", "0"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.text().contains("Ce formulaire a expiré"));
    assert_eq!(
        comptoir::stock::level(db, "parc-baguette-tradition")
            .await
            .expect("works"),
        before
    );
    let logout = merchant
        .browser
        .post_raw("/espace-commercant/deconnexion", &[("csrf", "0000")])
        .await;
    assert_eq!(logout.status, StatusCode::FORBIDDEN);
    assert_eq!(
        merchant.get("/espace-commercant/").await.status,
        StatusCode::OK,
        "still signed in"
    );
}

#[test]
fn the_command_line_creates_a_merchant_for_an_existing_shop_only() {
    let app = TestApp::new();
    let run = |shop: &str, email: &str| {
        let cli = <comptoir::cli::Cli as clap::Parser>::try_parse_from([
            "comptoir",
            "merchant",
            "add",
            "--content",
            app.content.to_str().expect("works"),
            "--data",
            app.data.to_str().expect("works"),
            "--shop",
            shop,
            "--email",
            email,
        ])
        .expect("arguments");
        comptoir::cli::run(cli)
    };
    let error = run("boulangerie-inconnue", "paul@exemple.fr").expect_err("an error");
    assert!(
        format!("{error:#}").contains("no shop \"boulangerie-inconnue\""),
        "{error:#}"
    );
    run(BAKERY, "Paul@Exemple.fr").expect("created");
    let error = run(BAKERY, "paul@exemple.fr").expect_err("an error");
    assert!(
        format!("{error:#}").contains("already has an account"),
        "{error:#}"
    );

    let runtime = tokio::runtime::Runtime::new().expect("works");
    runtime.block_on(async {
        let db = app.state.db().await.expect("works");
        let (user, hash) = accounts::by_email(db, "paul@exemple.fr")
            .await
            .expect("works")
            .expect("the user");
        assert_eq!(user.shop(), Some(BAKERY));
        assert!(hash.is_none(), "no password until the link is followed");
        let links: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM password_links WHERE purpose = 'invite'")
                .fetch_one(db.pool())
                .await
                .expect("works");
        assert_eq!(links, 1);
    });
}
