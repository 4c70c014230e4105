//! Shops as the association sees them: each with its merchants' accounts, and the form
//! that invites a merchant (an account for that shop and an e-mailed link, valid 7 days,
//! to choose a password).

use crate::AppState;
use crate::accounts::{self, Role, links::Purpose};
use crate::backoffice::auth::Staff;
use crate::backoffice::{content, layout};
use crate::error::AppError;
use crate::shopping;
use axum::extract::rejection::RawFormRejection;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use comptoir_indexer::model::write_suspension;
use maud::html;

/// `?invite=<email>` after an invitation; `?suspendue=` / `?reactivee=` (when it is
/// online: `en-ligne` or `prochaine-publication`) after a suspension or a reactivation.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Notice {
    invite: Option<String>,
    suspendue: Option<String>,
    reactivee: Option<String>,
}

impl Notice {
    fn text(&self) -> Option<String> {
        let when = |w: &str| {
            if w == "en-ligne" {
                "le site est mis à jour dans un instant."
            } else {
                "le site sera mis à jour à la prochaine publication du catalogue."
            }
        };
        if let Some(email) = &self.invite {
            Some(format!("Invitation envoyée à {email}."))
        } else if let Some(w) = &self.suspendue {
            Some(format!("Boutique suspendue : {}", when(w)))
        } else {
            self.reactivee
                .as_ref()
                .map(|w| format!("Boutique réactivée : {}", when(w)))
        }
    }
}

/// `GET /admin/`: the shops and their merchants.
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(notice): Query<Notice>,
) -> Result<Response, AppError> {
    draw(
        &state,
        &staff,
        notice.text().as_deref(),
        None,
        StatusCode::OK,
    )
    .await
}

async fn draw(
    state: &AppState,
    staff: &Staff,
    notice: Option<&str>,
    error: Option<(&str, &str, &str)>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let db = state.db().await.map_err(shopping::internal)?;
    let mut shops = Vec::new();
    for shop in &staff.catalogue.shops {
        let users = accounts::of_shop(db, &shop.slug)
            .await
            .map_err(shopping::internal)?;
        shops.push((shop, users));
    }
    let online = shops.iter().filter(|(s, _)| s.online).count();
    let body = html! {
        h1 { "Boutiques" }
        @if let Some(text) = notice {
            p.notice role="status" { (text) }
        }
        p { (shops.len()) " boutiques, dont " (online) " en ligne." }
        @for (shop, users) in &shops {
            section.sub-order id={ "boutique-" (shop.slug) } {
                h2 {
                    @if shop.online { a href={ "/boutiques/" (shop.slug) "/" } { (shop.name) } }
                    @else { (shop.name) }
                }
                ul.shop-status {
                    li.charter-status {
                        "Charte : "
                        @match &shop.charter {
                            Some(a) => { "version " (a.version) " acceptée le " (french_date(a.accepted)) " par " (a.by) }
                            None => { "pas acceptée" }
                        }
                        @if let (Some(charter), Some(a)) = (&staff.catalogue.charter, &shop.charter) {
                            @if charter.version != a.version { " (la version en vigueur est " (charter.version) ")" }
                        }
                    }
                    @if shop.suspended {
                        li.suspended {
                            strong { "Boutique suspendue" }
                            @if let Some(reason) = &shop.suspended_reason { " : " (reason) }
                        }
                    }
                    li.online-status { @if shop.online { "En ligne" } @else { "Hors ligne" } }
                }
                @if shop.suspended {
                    form.account method="post" action={ "/admin/boutiques/" (shop.slug) "/reactiver" } {
                        (shopping::csrf_field(&staff.csrf()))
                        button.button type="submit" { "Réactiver la boutique" }
                    }
                } @else {
                    form.account method="post" action={ "/admin/boutiques/" (shop.slug) "/suspendre" } {
                        (shopping::csrf_field(&staff.csrf()))
                        (layout::field(
                            &format!("raison-{}", shop.slug),
                            "Raison de la suspension (facultatif)",
                            "text",
                            "",
                            None,
                        ))
                        button.secondary type="submit" { "Suspendre la boutique" }
                    }
                }
                @if users.is_empty() {
                    p { "Aucun compte commerçant." }
                } @else {
                    ul {
                        @for user in users {
                            li {
                                (user.email)
                                @if !user.has_password { " — invitation en attente" }
                                @if user.disabled { " — désactivé" }
                            }
                        }
                    }
                }
                form.account method="post" action={ "/admin/boutiques/" (shop.slug) "/inviter" } {
                    (shopping::csrf_field(&staff.csrf()))
                    @let field_error = error.filter(|(s, _, _)| *s == shop.slug);
                    (layout::field(
                        &format!("email-{}", shop.slug),
                        "Inviter un commerçant (adresse e-mail)",
                        "email",
                        field_error.map_or("", |(_, typed, _)| typed),
                        field_error.map(|(_, _, message)| message),
                    ))
                    button.button type="submit" { "Envoyer l’invitation" }
                }
            }
        }
    };
    Ok(layout::respond(
        status,
        super::page(staff, "Boutiques", "/admin/", body),
    ))
}

/// `POST /admin/boutiques/{shop}/inviter`: creates a merchant of `shop` and e-mails the
/// link to choose a password.
pub async fn invite(
    State(state): State<AppState>,
    staff: Staff,
    Path(shop): Path<String>,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    staff.check_csrf(fields.text("csrf"))?;
    if !staff.catalogue.shops.iter().any(|s| s.slug == shop) {
        return Err(layout::not_found());
    }
    let typed = fields.text(&format!("email-{shop}")).trim().to_owned();
    let db = state.db().await.map_err(shopping::internal)?;
    let role = Role::Merchant { shop: shop.clone() };
    let user = match accounts::create(db, &typed, &role).await {
        Ok(user) => user,
        Err(accounts::AccountError::BadEmail(_)) => {
            let message = "Écrivez une adresse e-mail, par exemple marie@fromagerie.fr.";
            return draw(
                &state,
                &staff,
                None,
                Some((&shop, &typed, message)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(accounts::AccountError::Taken(_)) => {
            let message = "Cette adresse a déjà un compte : la personne peut demander un nouveau mot de passe depuis la page de connexion.";
            return draw(
                &state,
                &staff,
                None,
                Some((&shop, &typed, message)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(accounts::AccountError::Db(e)) => return Err(shopping::internal(e)),
    };
    crate::backoffice::login::send_link(&state, db, &staff.catalogue, &user, Purpose::Invite)
        .await?;
    tracing::info!(
        staff = staff.user_id,
        shop,
        user = user.id,
        "merchant invited"
    );
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("invite", &user.email)
        .finish();
    Ok(shopping::see_other(&format!(
        "/admin/?{query}#boutique-{shop}"
    )))
}

/// `29/11/2026`.
fn french_date(date: jiff::civil::Date) -> String {
    format!("{:02}/{:02}/{}", date.day(), date.month(), date.year())
}

/// `POST /admin/boutiques/{shop}/suspendre`: writes `suspended = true` (and the reason, if
/// any) into the shop's `shop.toml`; the shop leaves the site.
pub async fn suspend(
    State(state): State<AppState>,
    staff: Staff,
    Path(shop): Path<String>,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    staff.check_csrf(fields.text("csrf"))?;
    let reason: String = fields
        .text(&format!("raison-{shop}"))
        .trim()
        .chars()
        .take(300)
        .collect();
    set_suspension(&state, &staff, &shop, Some(&reason), "suspendue")
}

/// `POST /admin/boutiques/{shop}/reactiver`: removes the suspension; the shop comes back
/// (if it accepted the current charter).
pub async fn reactivate(
    State(state): State<AppState>,
    staff: Staff,
    Path(shop): Path<String>,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    staff.check_csrf(fields.text("csrf"))?;
    set_suspension(&state, &staff, &shop, None, "reactivee")
}

fn set_suspension(
    state: &AppState,
    staff: &Staff,
    shop: &str,
    reason: Option<&str>,
    notice: &str,
) -> Result<Response, AppError> {
    if !staff.catalogue.shops.iter().any(|s| s.slug == shop) {
        return Err(layout::not_found());
    }
    let path = content::shop_dir(state, shop).join("shop.toml");
    let text = std::fs::read_to_string(&path).map_err(|_| layout::not_found())?;
    content::write_file(&path, write_suspension(&text, reason).as_bytes())
        .map_err(shopping::internal)?;
    let when = match content::publish(state, vec![path]) {
        content::Publication::Live => "en-ligne",
        content::Publication::NextBuild => "prochaine-publication",
    };
    tracing::info!(
        staff = staff.user_id,
        shop,
        suspended = reason.is_some(),
        reason = reason.unwrap_or(""),
        "shop suspension changed"
    );
    Ok(shopping::see_other(&format!(
        "/admin/?{notice}={when}#boutique-{shop}"
    )))
}
