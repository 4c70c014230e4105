//! The quality charter in the back-office: its text, where the merchant's shop stands (a
//! shop is online only once a merchant accepted the charter's current version), the
//! accept form, and the shop's own service figures against the charter's targets.
//!
//! Accepting writes the acceptance into the shop's `shop.toml` (what the build reads to
//! publish the shop) and records who accepted which version when in the database.

use super::Merchant;
use super::content;
use super::layout::{self, Section, csrf_field};
use crate::AppState;
use crate::db::{self, Db, DbError};
use crate::error::AppError;
use crate::orders::{self, Figures};
use crate::shopping::{self, Fields};
use axum::extract::rejection::RawFormRejection;
use axum::extract::{Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use comptoir_indexer::model::{Acceptance, Charter, Targets};
use comptoir_indexer::render::text::markdown_html;
use jiff::{SignedDuration, Timestamp};
use maud::{Markup, PreEscaped, html};
use sqlx::Row;

/// The windows of the service figures, in days.
pub const WINDOWS: [u32; 2] = [30, 90];

/// An acceptance as the database recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// When.
    pub at: Timestamp,
    /// The user's id.
    pub user_id: String,
    /// The user's e-mail.
    pub email: String,
}

/// Records that `merchant` accepted `version` for their shop at `at` (the first
/// acceptance of a version stands).
///
/// # Errors
///
/// When the database fails.
pub async fn record(
    db: &Db,
    merchant: &Merchant,
    version: &str,
    at: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO charter_acceptances (shop, version, accepted_at, user_id, user_email)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (shop, version) DO NOTHING",
    )
    .bind(&merchant.shop)
    .bind(version)
    .bind(db::unix(at))
    .bind(&merchant.user_id)
    .bind(&merchant.email)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The recorded acceptance of `version` for `shop`.
///
/// # Errors
///
/// When the database fails.
pub async fn recorded(db: &Db, shop: &str, version: &str) -> Result<Option<Recorded>, DbError> {
    let row = sqlx::query(
        "SELECT accepted_at, user_id, user_email FROM charter_acceptances
         WHERE shop = $1 AND version = $2",
    )
    .bind(shop)
    .bind(version)
    .fetch_optional(db.pool())
    .await?;
    Ok(match row {
        Some(row) => Some(Recorded {
            at: db::timestamp(row.try_get("accepted_at")?),
            user_id: row.try_get("user_id")?,
            email: row.try_get("user_email")?,
        }),
        None => None,
    })
}

/// `?acceptee=en-ligne` (or `prochaine-publication`): just accepted.
#[derive(Debug, Default, serde::Deserialize)]
pub struct View {
    acceptee: Option<String>,
}

/// `GET /espace-commercant/charte`.
pub async fn show(
    State(state): State<AppState>,
    merchant: Merchant,
    Query(view): Query<View>,
) -> Result<Response, AppError> {
    let notice = view.acceptee.map(|when| {
        if when == "en-ligne" {
            "Charte acceptée : votre boutique est mise en ligne dans un instant."
        } else {
            "Charte acceptée : votre boutique sera en ligne à la prochaine publication du site."
        }
    });
    draw(&state, &merchant, notice, None, StatusCode::OK).await
}

/// `POST /espace-commercant/charte`: accepts the current version (`version`, `accepte`).
pub async fn accept(
    State(state): State<AppState>,
    merchant: Merchant,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let fields: Fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    merchant.check_csrf(fields.text("csrf"))?;
    let Some(charter) = merchant.catalogue.charter.clone() else {
        return Err(layout::not_found());
    };
    if fields.text("version") != charter.version {
        let message = "La charte a changé pendant votre lecture : relisez-la, puis acceptez-la.";
        return draw(&state, &merchant, None, Some(message), StatusCode::CONFLICT).await;
    }
    if fields.text("accepte") != "oui" {
        let message = "Cochez la case pour indiquer que vous acceptez la charte.";
        return draw(
            &state,
            &merchant,
            None,
            Some(message),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let now = Timestamp::now();
    let acceptance = Acceptance {
        version: charter.version.clone(),
        accepted: merchant.today,
        by: merchant.email.clone(),
    };
    let path = content::shop_dir(&state, &merchant.shop).join("shop.toml");
    let text = std::fs::read_to_string(&path).map_err(|_| layout::not_found())?;
    content::write_file(&path, acceptance.write_into(&text).as_bytes())
        .map_err(shopping::internal)?;
    let db = state.db().await.map_err(shopping::internal)?;
    record(db, &merchant, &charter.version, now)
        .await
        .map_err(shopping::internal)?;
    let when = match content::publish(&state, vec![path]) {
        content::Publication::Live => "en-ligne",
        content::Publication::NextBuild => "prochaine-publication",
    };
    tracing::info!(
        shop = merchant.shop,
        user = merchant.user_id,
        version = charter.version,
        "charter accepted"
    );
    Ok(shopping::see_other(&format!(
        "/espace-commercant/charte?acceptee={when}"
    )))
}

async fn draw(
    state: &AppState,
    merchant: &Merchant,
    notice: Option<&str>,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let db = state.db().await.map_err(shopping::internal)?;
    let charter = merchant.catalogue.charter.as_ref();
    let recorded = match charter {
        Some(c) => recorded(db, &merchant.shop, &c.version)
            .await
            .map_err(shopping::internal)?,
        None => None,
    };
    let now = Timestamp::now();
    let mut figures = Vec::with_capacity(WINDOWS.len());
    for days in WINDOWS {
        figures.push(
            orders::figures(db, &merchant.shop, days, now)
                .await
                .map_err(shopping::internal)?,
        );
    }
    let body = html! {
        h1 { "Charte qualité" }
        @if let Some(notice) = notice { p.notice role="status" { (notice) } }
        @if let Some(error) = error { (layout::alert(error)) }
        @match charter {
            Some(charter) => {
                (standing(merchant, charter, recorded.as_ref()))
                (service(&figures, &charter.targets))
                section.charter aria-labelledby="texte" {
                    h2 #texte { "Le texte (version " (charter.version) ")" }
                    (PreEscaped(markdown_html(&charter.body)))
                }
                (accept_form(merchant, charter, recorded.as_ref(), error))
            }
            None => {
                p { "Votre ville n’a pas encore de charte qualité : rien à accepter pour le moment." }
                (service(&figures, &Targets::default()))
            }
        }
    };
    Ok(layout::respond(
        status,
        layout::page(merchant, Section::Charter, "Charte qualité", body),
    ))
}

/// Where the shop stands: accepted (by whom, when) or not, and so online or not.
fn standing(merchant: &Merchant, charter: &Charter, recorded: Option<&Recorded>) -> Markup {
    let shop = merchant
        .catalogue
        .shops
        .iter()
        .find(|s| s.slug == merchant.shop);
    let accepted = shop
        .and_then(|s| s.charter.as_ref())
        .filter(|a| a.version == charter.version);
    let today = merchant.today;
    html! {
        section.standing aria-labelledby="statut" {
            h2 #statut { "Votre boutique" }
            @if let Some(a) = accepted {
                p { "Acceptée : version " (charter.version) ", le " (comptoir_indexer::render::text::french_date(a.accepted)) " par " (a.by) "." }
                @if shop.is_some_and(|s| s.online) { p { "Votre boutique est en ligne." } }
            } @else if let Some(r) = recorded {
                p { "Acceptée : version " (charter.version) ", le "
                    (crate::delivery::calendar::french_time(&crate::delivery::calendar::in_paris(r.at), today))
                    " par " (r.email) "." }
                p { "Votre boutique sera en ligne avec la prochaine publication du site." }
            } @else {
                p.error { strong { "Pas encore acceptée : votre boutique n’est pas en ligne." } }
                @if let Some(old) = shop.and_then(|s| s.charter.as_ref()) {
                    p { "Vous aviez accepté la version " (old.version) ". La charte a changé depuis : lisez-la et acceptez la version " (charter.version) "." }
                }
            }
        }
    }
}

fn accept_form(
    merchant: &Merchant,
    charter: &Charter,
    recorded: Option<&Recorded>,
    error: Option<&str>,
) -> Markup {
    let shop = merchant
        .catalogue
        .shops
        .iter()
        .find(|s| s.slug == merchant.shop);
    let done = recorded.is_some() || shop.is_some_and(|s| charter.accepted_by(s.charter.as_ref()));
    html! {
        @if !done {
            form.accept method="post" action=(Section::Charter.path()) {
                (csrf_field(merchant))
                input type="hidden" name="version" value=(charter.version);
                div.field {
                    input id="f-accepte" type="checkbox" name="accepte" value="oui" required
                        aria-invalid=[error.map(|_| "true")];
                    label for="f-accepte" { "J’ai lu la charte qualité (version " (charter.version) ") et je m’engage à la respecter pour " (merchant.shop_name) "." }
                }
                button.button type="submit" { "Accepter la charte" }
            }
        }
    }
}

/// The shop's figures over each window, beside the charter's targets.
fn service(figures: &[Figures], targets: &Targets) -> Markup {
    html! {
        section.figures aria-labelledby="chiffres" {
            h2 #chiffres { "Vos chiffres de service" }
            table {
                thead {
                    tr {
                        th scope="col" { "" }
                        @for f in figures { th scope="col" { (f.days) " derniers jours" } }
                        th scope="col" { "Objectif de la charte" }
                    }
                }
                tbody {
                    tr {
                        th scope="row" { "Commandes reçues" }
                        @for f in figures { td { (f.orders) } }
                        td { "—" }
                    }
                    tr {
                        th scope="row" { "Délai médian d’acceptation" }
                        @for f in figures { td { (duration(f.to_accept)) } }
                        td { (target_hours(targets.accept_within_hours)) }
                    }
                    tr {
                        th scope="row" { "Délai médian jusqu’à « prête » (ou expédiée)" }
                        @for f in figures { td { (duration(f.to_ready)) } }
                        td { (target_hours(targets.ready_within_hours)) }
                    }
                    tr {
                        th scope="row" { "Commandes annulées" }
                        @for f in figures { td { (cancelled(f)) } }
                        td { @match targets.max_cancelled_percent { Some(p) => { "moins de " (p) " %" } None => { "—" } } }
                    }
                }
            }
        }
    }
}

fn target_hours(hours: Option<u32>) -> String {
    hours.map_or_else(|| "—".to_owned(), |h| format!("moins de {h} h"))
}

fn cancelled(figures: &Figures) -> String {
    match figures.cancelled_percent() {
        Some(share) => format!("{} ({} %)", figures.cancelled, french_percent(share)),
        None => "—".to_owned(),
    }
}

/// `12,5` for 12.5 (one decimal, French comma, none when whole).
fn french_percent(share: f64) -> String {
    let tenths = (share * 10.0).round();
    if tenths % 10.0 == 0.0 {
        format!("{}", tenths / 10.0)
    } else {
        format!("{:.1}", tenths / 10.0).replace('.', ",")
    }
}

/// A wait in French: `45 min`, `2 h 05`, `3 j 4 h`; `—` when there is none.
#[must_use]
pub fn duration(wait: Option<SignedDuration>) -> String {
    let Some(wait) = wait else {
        return "—".to_owned();
    };
    let minutes = wait.as_mins().max(0);
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, _) => format!("{hours} h {mins:02}"),
        _ => format!("{days} j {hours} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_read_in_french() {
        let m = SignedDuration::from_mins;
        for (wait, text) in [
            (None, "—"),
            (Some(m(0)), "0 min"),
            (Some(m(45)), "45 min"),
            (Some(m(125)), "2 h 05"),
            (Some(m(3 * 1440 + 250)), "3 j 4 h"),
        ] {
            assert_eq!(duration(wait), text);
        }
        assert_eq!(french_percent(12.5), "12,5");
        assert_eq!(french_percent(100.0 / 3.0), "33,3");
        assert_eq!(french_percent(50.0), "50");
    }
}
