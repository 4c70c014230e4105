//! `/admin/offres`: the association's cross-shop offers — running, upcoming and ended,
//! with the uses of each code — and the forms that create, edit and end them.
//!
//! The offers live in `content/offers.toml`, read from the file (not the live catalogue,
//! which may lag one publication behind), rewritten whole and atomically
//! ([`content::write_file`]) and published like any content change.

use super::offer_form::{AISLE_PREFIX, FieldError, OfferForm};
use crate::AppState;
use crate::backoffice::auth::Staff;
use crate::backoffice::{content, layout};
use crate::error::AppError;
use crate::shopping;
use axum::extract::rejection::RawFormRejection;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use comptoir_indexer::model::{OFFERS_FILE, Offer, OfferKind, OfferState, write_offers};
use maud::{Markup, html};
use std::collections::HashMap;

/// `?enregistree=` / `?terminee=` (`en-ligne` or `prochaine-publication`) after a change.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Notice {
    enregistree: Option<String>,
    terminee: Option<String>,
}

impl Notice {
    fn text(&self) -> Option<String> {
        let (what, when) = match (&self.enregistree, &self.terminee) {
            (Some(w), _) => ("Offre enregistrée", w),
            (None, Some(w)) => ("Offre terminée", w),
            (None, None) => return None,
        };
        let when = if when == "en-ligne" {
            "le site est mis à jour dans un instant."
        } else {
            "le site sera mis à jour à la prochaine publication du catalogue."
        };
        Some(format!("{what} : {when}"))
    }
}

/// `GET /admin/offres`: the offers and the form of a new one.
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(notice): Query<Notice>,
) -> Result<Response, AppError> {
    let offers = read(&state, &staff)?;
    let db = state.db().await.map_err(shopping::internal)?;
    let uses = crate::offers::codes::all_uses(db)
        .await
        .map_err(shopping::internal)?;
    let body = html! {
        h1 { "Offres de l’association" }
        @if let Some(text) = notice.text() { p.notice role="status" { (text) } }
        p { "Les offres valent pour toutes les boutiques. Seule la meilleure offre automatique s’applique à un panier ; un code promo s’y ajoute." }
        @for (state, title) in [(OfferState::Active, "En cours"), (OfferState::Upcoming, "À venir"), (OfferState::Ended, "Terminées")] {
            @let shown: Vec<&Offer> = offers.iter().filter(|o| o.state_on(staff.today) == state).collect();
            section.offers-group aria-label=(title) {
                h2 { (title) " (" (shown.len()) ")" }
                @if shown.is_empty() { p { "Aucune." } }
                @for offer in shown { (offer_item(&staff, offer, state, &uses)) }
            }
        }
        h2 #nouvelle { "Nouvelle offre" }
        (form(&staff, "/admin/offres", &OfferForm { kind: "multi_shop".into(), min_shops: "2".into(), ..OfferForm::default() }, &[]))
    };
    Ok(layout::respond(
        StatusCode::OK,
        super::page(&staff, "Offres", "/admin/offres", body),
    ))
}

fn offer_item(
    staff: &Staff,
    offer: &Offer,
    state: OfferState,
    uses: &HashMap<String, u32>,
) -> Markup {
    html! {
        article.offer id={ "offre-" (offer.id) } {
            h3 { (offer.name) }
            p.offer-rule { (describe(staff, offer)) }
            p.offer-dates { (dates(offer)) }
            @if let OfferKind::Code { code, max_uses, .. } = &offer.kind {
                p.offer-uses {
                    "Code " strong { (code) } " : utilisé " (uses.get(code).copied().unwrap_or(0)) " fois"
                    @if let Some(max) = max_uses { " sur " (max) }
                }
            }
            p { a href={ "/admin/offres/" (offer.id) } { "Modifier" span.visually-hidden { " " (offer.name) } } }
            @if state != OfferState::Ended {
                form method="post" action={ "/admin/offres/" (offer.id) "/terminer" } {
                    (shopping::csrf_field(&staff.csrf()))
                    button.secondary type="submit" { "Terminer l’offre" span.visually-hidden { " " (offer.name) } }
                }
            }
        }
    }
}

/// The rule in French: "−10 % dès 2 boutiques (panier de 20,00 € au moins)".
fn describe(staff: &Staff, offer: &Offer) -> String {
    let minimum = |m: Option<comptoir_indexer::Money>| {
        m.map(|m| format!(" (panier de {} au moins)", m.to_french()))
            .unwrap_or_default()
    };
    match &offer.kind {
        OfferKind::MultiShop {
            min_shops,
            percent,
            min_basket,
        } => {
            format!(
                "−{percent} % sur le panier dès {min_shops} boutiques{}",
                minimum(*min_basket)
            )
        }
        OfferKind::Bundle { aisles, reduction } => {
            let names: Vec<String> = aisles
                .iter()
                .map(|a| {
                    staff
                        .catalogue
                        .categories
                        .iter()
                        .find(|c| &c.slug == a)
                        .map_or_else(|| a.clone(), |c| c.name.clone())
                })
                .collect();
            format!(
                "{} pour un article de chaque rayon : {}",
                reduction.to_french(),
                names.join(", ")
            )
        }
        OfferKind::Code {
            reduction,
            min_basket,
            ..
        } => {
            format!(
                "{} sur le panier avec le code{}",
                reduction.to_french(),
                minimum(*min_basket)
            )
        }
    }
}

fn dates(offer: &Offer) -> String {
    let day = |d: jiff::civil::Date| format!("{:02}/{:02}/{}", d.day(), d.month(), d.year());
    match (offer.starts, offer.ends) {
        (Some(s), Some(e)) => format!("Du {} au {} inclus.", day(s), day(e)),
        (Some(s), None) => format!("À partir du {}, sans fin prévue.", day(s)),
        (None, Some(e)) => format!("Jusqu’au {} inclus.", day(e)),
        (None, None) => "Sans date de fin.".to_owned(),
    }
}

/// The offer form, refilled, with each field's error.
fn form(staff: &Staff, action: &str, values: &OfferForm, errors: &[FieldError]) -> Markup {
    let error = |name: &str| {
        errors
            .iter()
            .find(|(f, _)| *f == name)
            .map(|(_, m)| m.as_str())
    };
    let kinds = [
        ("multi_shop", "Remise dès plusieurs boutiques"),
        ("bundle", "Panier composé (un article de plusieurs rayons)"),
        ("code", "Code promo"),
    ];
    html! {
        form.offer-form method="post" action=(action) novalidate {
            (shopping::csrf_field(&staff.csrf()))
            @if !errors.is_empty() { (layout::alert("L’offre n’est pas enregistrée : corrigez les champs signalés.")) }
            fieldset {
                legend { "Type d’offre" }
                @if let Some(message) = error("kind") { p.field-error { (message) } }
                @for (key, label) in kinds {
                    div.choice {
                        input type="radio" name="kind" id={ "type-" (key) } value=(key) checked[values.kind == key];
                        label for={ "type-" (key) } { (label) }
                    }
                }
            }
            (layout::field("name", "Nom affiché aux clients", "text", &values.name, error("name")))
            (layout::field("starts", "Premier jour (facultatif)", "date", &values.starts, error("starts")))
            (layout::field("ends", "Dernier jour (facultatif)", "date", &values.ends, error("ends")))
            (layout::field("percent", "Remise en % (ou un montant ci-dessous)", "text", &values.percent, error("percent")))
            (layout::field("amount", "Remise en euros (panier composé, code)", "text", &values.amount, error("amount")))
            (layout::field("min_shops", "Nombre de boutiques (remise dès plusieurs boutiques)", "number", &values.min_shops, error("min_shops")))
            (layout::field("min_basket", "Panier minimum en euros (facultatif)", "text", &values.min_basket, error("min_basket")))
            (layout::field("code", "Code promo (code)", "text", &values.code, error("code")))
            (layout::field("max_uses", "Nombre maximal d’utilisations (code, facultatif)", "number", &values.max_uses, error("max_uses")))
            fieldset.aisles {
                legend { "Rayons du panier composé (un article de chacun)" }
                @if let Some(message) = error("aisles") { p.field-error { (message) } }
                @for c in &staff.catalogue.categories {
                    div.choice {
                        input type="checkbox" name={ (AISLE_PREFIX) (c.slug) } id={ "rayon-" (c.slug) } value="1"
                            checked[values.aisles.contains(&c.slug)];
                        label for={ "rayon-" (c.slug) } { (c.name) }
                    }
                }
            }
            button.button type="submit" { "Enregistrer l’offre" }
        }
    }
}

/// `GET /admin/offres/{id}`: the form of one offer.
pub async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let offers = read(&state, &staff)?;
    let offer = offers
        .iter()
        .find(|o| o.id == id)
        .ok_or_else(layout::not_found)?;
    Ok(edit_page(
        &staff,
        offer,
        &OfferForm::of(offer),
        &[],
        StatusCode::OK,
    ))
}

fn edit_page(
    staff: &Staff,
    offer: &Offer,
    values: &OfferForm,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let body = html! {
        p { a href="/admin/offres" { "← Toutes les offres" } }
        h1 { "Modifier « " (offer.name) " »" }
        (form(staff, &format!("/admin/offres/{}", offer.id), values, errors))
    };
    layout::respond(
        status,
        super::page(staff, "Modifier une offre", "/admin/offres", body),
    )
}

/// `POST /admin/offres`: creates an offer.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    staff.check_csrf(fields.text("csrf"))?;
    let mut offers = read(&state, &staff)?;
    let values = OfferForm::sent(&fields);
    let id = new_id(&values.name, &offers);
    match values.check(&id, &is_aisle(&staff), &offers) {
        Ok(offer) => {
            offers.push(offer);
            save(&state, &staff, &offers, &id, "enregistree")
        }
        Err(errors) => {
            let body = html! {
                h1 { "Nouvelle offre" }
                (form(&staff, "/admin/offres", &values, &errors))
            };
            Ok(layout::respond(
                StatusCode::UNPROCESSABLE_ENTITY,
                super::page(&staff, "Nouvelle offre", "/admin/offres", body),
            ))
        }
    }
}

/// `POST /admin/offres/{id}`: saves the offer's new fields.
pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    staff.check_csrf(fields.text("csrf"))?;
    let mut offers = read(&state, &staff)?;
    let index = offers
        .iter()
        .position(|o| o.id == id)
        .ok_or_else(layout::not_found)?;
    let values = OfferForm::sent(&fields);
    match values.check(&id, &is_aisle(&staff), &offers) {
        Ok(offer) => {
            offers[index] = offer;
            save(&state, &staff, &offers, &id, "enregistree")
        }
        Err(errors) => Ok(edit_page(
            &staff,
            &offers[index],
            &values,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
    }
}

/// `POST /admin/offres/{id}/terminer`: the offer's last day becomes yesterday.
pub async fn end(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    staff.check_csrf(fields.text("csrf"))?;
    let mut offers = read(&state, &staff)?;
    let offer = offers
        .iter_mut()
        .find(|o| o.id == id)
        .ok_or_else(layout::not_found)?;
    let yesterday = staff.today.yesterday().map_err(shopping::internal)?;
    offer.ends = Some(yesterday);
    offer.starts = offer.starts.map(|s| s.min(yesterday));
    save(&state, &staff, &offers, &id, "terminee")
}

fn is_aisle(staff: &Staff) -> impl Fn(&str) -> bool + '_ {
    |slug| staff.catalogue.categories.iter().any(|c| c.slug == slug)
}

/// A slug of `name` that no other offer has.
fn new_id(name: &str, offers: &[Offer]) -> String {
    let base = match comptoir_indexer::slug::slugify(name) {
        slug if slug.is_empty() => "offre".to_owned(),
        slug => slug,
    };
    (1..)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|id| offers.iter().all(|o| &o.id != id))
        .unwrap_or(base)
}

/// The offers of `content/offers.toml` (none without the file).
fn read(state: &AppState, staff: &Staff) -> Result<Vec<Offer>, AppError> {
    let path = state.config.content.join(OFFERS_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(shopping::internal(e)),
    };
    let aisles = staff
        .catalogue
        .categories
        .iter()
        .map(|c| c.slug.clone())
        .collect();
    comptoir_indexer::parse::parse_offers(&path, &text, &aisles).map_err(|problems| {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        shopping::internal(anyhow::anyhow!(
            "{OFFERS_FILE} is not valid, fix it by hand: {}",
            list.join("; ")
        ))
    })
}

/// Writes every offer to `offers.toml` and publishes it; 303 back to the list.
fn save(
    state: &AppState,
    staff: &Staff,
    offers: &[Offer],
    id: &str,
    notice: &str,
) -> Result<Response, AppError> {
    let path = state.config.content.join(OFFERS_FILE);
    content::write_file(&path, write_offers(offers).as_bytes()).map_err(shopping::internal)?;
    let when = match content::publish(state, vec![path]) {
        content::Publication::Live => "en-ligne",
        content::Publication::NextBuild => "prochaine-publication",
    };
    tracing::info!(
        staff = staff.user_id,
        offer = id,
        notice,
        "offers.toml written"
    );
    Ok(shopping::see_other(&format!(
        "/admin/offres?{notice}={when}#offre-{id}"
    )))
}
