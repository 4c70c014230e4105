//! The town's delivery network in the console: lockers, relay points and their slots,
//! home delivery, postal rates (`/admin/livraison…`), and the day's deliveries with the
//! delivery person's round sheet (`/admin/livraisons…`, [`day`]).
//!
//! The network lives in `content/town.toml`. Every change is read from the form
//! ([`form`]), written into the file's text where it stands ([`TownEditor`]: the rest of
//! the file and its comments are kept), checked by the indexer's own parser, written
//! atomically and published by the live catalogue, so the checkout offers it at once.
//! A form with a mistake writes nothing.
//!
//! A point, a slot or home delivery with orders still to deliver (booked from today on,
//! neither cancelled nor completed) cannot be removed: the page lists those orders. The
//! capacity can always change; places already booked stay booked.

pub mod day;
pub mod form;
mod points;
mod rates;

use crate::AppState;
use crate::backoffice::auth::Staff;
use crate::backoffice::{content, layout};
use crate::error::AppError;
use crate::orders::deliveries::{self, Place};
use crate::shopping::{self, Fields, form_limit};
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use comptoir_indexer::Money;
use comptoir_indexer::model::network::TownEditor;
use comptoir_indexer::model::{PointKind, Town};
use jiff::civil::Date;
use maud::{Markup, html};
use std::path::PathBuf;

/// The network's routes, merged into the console's router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/livraison", get(overview))
        .route(
            "/admin/livraison/points/nouveau",
            get(points::new_form)
                .post(points::create)
                .layer(form_limit()),
        )
        .route(
            "/admin/livraison/points/{id}",
            get(points::edit_form)
                .post(points::update)
                .layer(form_limit()),
        )
        .route(
            "/admin/livraison/points/{id}/fermer",
            post(points::close).layer(form_limit()),
        )
        .route(
            "/admin/livraison/domicile",
            get(rates::home_form).post(rates::home).layer(form_limit()),
        )
        .route(
            "/admin/livraison/poste",
            get(rates::postal_form)
                .post(rates::postal)
                .layer(form_limit()),
        )
        .route("/admin/livraisons", get(day::show))
        .route("/admin/livraisons/tournee", get(day::sheet))
}

/// `content/town.toml` as it is on disk, read and checked.
struct Source {
    path: PathBuf,
    text: String,
    town: Town,
}

impl Source {
    /// Reads the file; the French message when it cannot be edited from here.
    fn read(state: &AppState) -> Result<Self, String> {
        let path = state.config.content.join("town.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "Le fichier {} est illisible ({e}) : vérifiez qu’il existe.",
                path.display()
            )
        })?;
        let town = comptoir_indexer::parse::parse_town(&path, &text)
            .map_err(|problems| broken(&problems))?;
        Ok(Self { path, text, town })
    }

    /// Applies `edit`, checks the result with the catalogue's parser, writes it and
    /// publishes it. Returns the `?enregistre=` value of the page to go back to.
    fn save(
        &self,
        state: &AppState,
        edit: impl FnOnce(&mut TownEditor),
    ) -> Result<&'static str, String> {
        let mut editor = TownEditor::open(&self.text).map_err(|e| e.to_string())?;
        edit(&mut editor);
        let text = editor.text();
        comptoir_indexer::parse::parse_town(&self.path, &text).map_err(|p| broken(&p))?;
        content::write_file(&self.path, text.as_bytes()).map_err(|e| {
            tracing::error!(error = %e, "town.toml could not be written");
            "Le fichier n’a pas pu être enregistré : réessayez dans un instant.".to_owned()
        })?;
        Ok(match content::publish(state, vec![self.path.clone()]) {
            content::Publication::Live => "en-ligne",
            content::Publication::NextBuild => "prochaine-publication",
        })
    }
}

/// What staff read when `town.toml` does not pass the catalogue's checks.
fn broken(problems: &[comptoir_indexer::Problem]) -> String {
    let detail: Vec<String> = problems.iter().map(ToString::to_string).collect();
    format!(
        "Le fichier town.toml ne passe pas les contrôles du catalogue ; rien n’a été modifié. Corrigez-le d’abord : {}",
        detail.join(" ; ")
    )
}

/// The orders still to deliver at `place` from `today`, as a French sentence; `None` when
/// there are none.
async fn booked(
    state: &AppState,
    place: Place<'_>,
    today: Date,
) -> Result<Option<String>, AppError> {
    let db = state.db().await.map_err(shopping::internal)?;
    let orders = deliveries::upcoming(db, place, today)
        .await
        .map_err(shopping::internal)?;
    if orders.is_empty() {
        return Ok(None);
    }
    let list: Vec<String> = orders
        .iter()
        .map(|(number, day)| format!("{number} le {}", short_date(*day)))
        .collect();
    Ok(Some(list.join(", ")))
}

/// `30/11/2026`.
fn short_date(day: Date) -> String {
    format!("{:02}/{:02}/{}", day.day(), day.month(), day.year())
}

/// An amount as a form shows it: `1,50`.
fn typed_amount(amount: Money) -> String {
    amount.to_decimal().replace('.', ",")
}

/// A form filled with `pairs` (the values of what is being edited).
fn prefill(pairs: &[(&str, String)]) -> Fields {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    Fields::parse(body.as_bytes())
}

/// `?enregistre=en-ligne|prochaine-publication` after a change.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Saved {
    enregistre: Option<String>,
}

impl Saved {
    fn text(&self) -> Option<&'static str> {
        self.enregistre.as_deref().map(|when| match when {
            "en-ligne" => content::Publication::Live.french(),
            _ => content::Publication::NextBuild.french(),
        })
    }
}

/// `GET /admin/livraison`: the network at a glance.
pub async fn overview(
    State(state): State<AppState>,
    staff: Staff,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let (town, problem) = match Source::read(&state) {
        Ok(source) => (source.town, None),
        Err(message) => (staff.catalogue.town.clone(), Some(message)),
    };
    let body = html! {
        h1 { "Réseau de livraison" }
        @if let Some(text) = saved.text() { p.notice role="status" { (text) } }
        @if let Some(message) = &problem { (layout::alert(message)) }
        p {
            a.button href="/admin/livraison/points/nouveau" { "Ajouter une consigne ou un point relais" }
            " "
            a href="/admin/livraisons" { "Voir les livraisons du jour" }
        }
        (points_table(&town))
        (home_summary(&town))
        (postal_summary(&town))
    };
    Ok(layout::respond(
        StatusCode::OK,
        super::page(&staff, "Réseau de livraison", "/admin/livraison", body),
    ))
}

fn points_table(town: &Town) -> Markup {
    html! {
        section #points {
            h2 { "Consignes et points relais" }
            @if town.delivery_points.is_empty() {
                p { "Aucun point pour l’instant." }
            } @else {
                div.table-scroll {
                    table {
                        thead { tr { th { "Point" } th { "Type" } th { "Adresse" } th { "Frais" } th { "Capacité" } th { "Créneaux" } } }
                        tbody {
                            @for point in &town.delivery_points {
                                tr {
                                    td { a href={ "/admin/livraison/points/" (point.id) } { (point.name) } }
                                    td { (kind_label(point.kind)) }
                                    td { (point.address.street) ", " (point.address.postcode) " " (point.address.city) " (" (point.neighbourhood) ")" }
                                    td { (point.fee) }
                                    td {
                                        (point.capacity)
                                        @if point.kind == PointKind::Locker { " colis par jour" } @else { " colis par créneau" }
                                    }
                                    td { (point.slots.join(", ")) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn home_summary(town: &Town) -> Markup {
    html! {
        section #domicile {
            h2 { "Livraison à domicile" }
            @match &town.home_delivery {
                Some(home) => ul {
                    li { "Frais : " (home.fee) @if let Some(from) = home.free_from { ", offerte dès " (from) " d’achats dans une boutique" } }
                    li { "Capacité : " (home.capacity) " livraisons par créneau" }
                    li { "Créneaux : " (home.slots.join(", ")) }
                    li { "Codes postaux desservis : " (town.postcodes.join(", ")) }
                },
                None => p { "Pas de livraison à domicile." },
            }
            p { a href="/admin/livraison/domicile" { "Modifier la livraison à domicile" } }
        }
    }
}

fn postal_summary(town: &Town) -> Markup {
    html! {
        section #poste {
            h2 { "Envoi postal" }
            @match &town.postal {
                Some(postal) => {
                    p { "Livré en " (postal.days_min) " à " (postal.days_max) " jours ouvrés." }
                    ul {
                        @for band in &postal.bands {
                            li { "Jusqu’à " (band.up_to_grams) " g : " (band.price) }
                        }
                    }
                }
                None => p { "Pas d’envoi postal." },
            }
            p { a href="/admin/livraison/poste" { "Modifier l’envoi postal" } }
        }
    }
}

/// `Consigne` or `Point relais`.
fn kind_label(kind: PointKind) -> &'static str {
    match kind {
        PointKind::Locker => "Consigne",
        PointKind::Relay => "Point relais",
    }
}
