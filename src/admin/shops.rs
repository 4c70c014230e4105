//! Shops as the association sees them: each with its merchants' accounts, and the form
//! that invites a merchant (an account for that shop and an e-mailed link, valid 7 days,
//! to choose a password).

use crate::AppState;
use crate::accounts::{self, Role, links::Purpose};
use crate::backoffice::auth::Staff;
use crate::backoffice::layout;
use crate::error::AppError;
use crate::shopping;
use axum::extract::rejection::RawFormRejection;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;

/// `?invite=<email>` after an invitation.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Notice {
    invite: Option<String>,
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
        notice.invite.as_deref(),
        None,
        StatusCode::OK,
    )
    .await
}

async fn draw(
    state: &AppState,
    staff: &Staff,
    invited: Option<&str>,
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
    let body = html! {
        h1 { "Boutiques" }
        @if let Some(email) = invited {
            p.notice role="status" { "Invitation envoyée à " (email) "." }
        }
        p { (shops.len()) " boutiques en ligne." }
        @for (shop, users) in &shops {
            section.sub-order id={ "boutique-" (shop.slug) } {
                h2 { a href={ "/boutiques/" (shop.slug) "/" } { (shop.name) } }
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
