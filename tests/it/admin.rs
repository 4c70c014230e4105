//! The association's console over HTTP: staff only, and inviting a merchant.

use crate::backoffice::{BAKERY, Browser, MerchantClient, PASSWORD, outbox};
use crate::helpers::{TestApp, texts};
use axum::http::StatusCode;
use comptoir::accounts::{self, Role};

pub(crate) async fn staff_account(app: &TestApp, email: &str) {
    let db = app.state.db().await.expect("database");
    let user = accounts::create(db, email, &Role::Admin)
        .await
        .expect("created");
    let phc = accounts::password::hash(PASSWORD).expect("hash");
    accounts::set_password_hash(db, &user.id, &phc)
        .await
        .expect("password");
}

#[tokio::test]
async fn the_console_is_for_staff_only() {
    let app = TestApp::with_database(None);
    let mut anonymous = Browser::new(&app);
    let answer = anonymous.get("/admin/").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(
        answer.header("location"),
        "/espace-commercant/connexion?suite=%2Fadmin%2F"
    );
    let answer = anonymous
        .post_raw(
            "/admin/boutiques/boulangerie-du-parc/inviter",
            &[("email-boulangerie-du-parc", "x@exemple.fr")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "to the login page");

    let mut merchant = MerchantClient::login(&app, BAKERY).await;
    assert_eq!(merchant.get("/admin/").await.status, StatusCode::NOT_FOUND);
    let csrf = merchant.csrf();
    let answer = merchant
        .post(
            "/admin/boutiques/boulangerie-du-parc/inviter",
            &[("email-boulangerie-du-parc", "intrus@exemple.fr")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND, "{csrf}");
    let db = app.state.db().await.expect("database");
    assert!(
        accounts::by_email(db, "intrus@exemple.fr")
            .await
            .expect("db")
            .is_none()
    );

    staff_account(&app, "equipe@association.fr").await;
    let mut staff = Browser::new(&app);
    let login = staff.log_in("equipe@association.fr", PASSWORD).await;
    assert_eq!(
        login.header("location"),
        "/admin/",
        "staff land on the console"
    );
    assert_eq!(staff.get("/admin/").await.status, StatusCode::OK);
    assert_eq!(
        staff.get("/espace-commercant/").await.status,
        StatusCode::NOT_FOUND,
        "not a shop's back-office"
    );
}

#[tokio::test]
async fn staff_invite_a_merchant_who_then_chooses_a_password() {
    let app = TestApp::with_database(None);
    staff_account(&app, "equipe@association.fr").await;
    let mut staff = Browser::new(&app);
    staff.log_in("equipe@association.fr", PASSWORD).await;
    let page = staff.get("/admin/").await;
    let shops = texts(&page.html(), "section h2");
    assert_eq!(
        shops,
        [
            "Boulangerie du Parc",
            "Boutique Marguerite",
            "Fromagerie des Écoles"
        ]
    );
    let csrf = crate::helpers::attr(&page.html(), "input[name=csrf]", "value").expect("csrf");

    let field = format!("email-{BAKERY}");
    let path = format!("/admin/boutiques/{BAKERY}/inviter");
    let bad = staff
        .post_raw(&path, &[("csrf", &csrf), (&field, "paul@")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        texts(&bad.html(), ".field-error"),
        ["Écrivez une adresse e-mail, par exemple marie@fromagerie.fr."]
    );
    let unknown = staff
        .post_raw(
            "/admin/boutiques/boutique-inconnue/inviter",
            &[("csrf", &csrf), ("email-boutique-inconnue", "a@b.fr")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let sent = staff
        .post_raw(&path, &[("csrf", &csrf), (&field, "Paul@Exemple.fr")])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let page = staff.get(sent.header("location")).await;
    assert!(
        page.text()
            .contains("Invitation envoyée à paul@exemple.fr.")
    );
    assert!(
        page.text()
            .contains("paul@exemple.fr — invitation en attente")
    );
    let mails = outbox(&app);
    assert_eq!(mails.len(), 1);
    let at = mails[0]
        .find("/espace-commercant/mot-de-passe/")
        .expect("a link")
        + "/espace-commercant/mot-de-passe/".len();
    let token: String = mails[0][at..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();

    let mut paul = Browser::new(&app);
    let link = accounts::links::path(&token);
    let csrf = paul.csrf_of(&link).await;
    let new = "mon mot de passe de boulanger";
    let set = paul
        .post_raw(
            &link,
            &[("csrf", &csrf), ("password", new), ("confirm", new)],
        )
        .await;
    assert_eq!(set.header("location"), "/espace-commercant/");
    let home = paul.get("/espace-commercant/").await;
    assert!(home.text().contains("Boulangerie du Parc"));
}
