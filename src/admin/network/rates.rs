//! Home delivery (fee, free-delivery threshold, capacity per slot, slots, postcodes
//! served) and postal shipping (days, weight bands). Home delivery, or one of its slots,
//! with orders still to deliver is kept.

use super::form::{self, Errors, SPARE_BANDS};
use super::{Saved, Source, booked, prefill, typed_amount};
use crate::AppState;
use crate::backoffice::auth::Staff;
use crate::backoffice::layout;
use crate::error::AppError;
use crate::orders::deliveries::Place;
use crate::shopping::{self, Fields};
use axum::extract::rejection::RawFormRejection;
use axum::extract::{Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use comptoir_indexer::model::{DeliveryMode, HomeDelivery, Town};
use maud::{Markup, html};

const HOME: &str = "/admin/livraison/domicile";
const POSTAL: &str = "/admin/livraison/poste";

fn read(state: &AppState) -> Result<Source, Errors> {
    Source::read(state).map_err(|m| Errors::from([(String::new(), m)]))
}

fn with_notice(saved: &Saved, mut errors: Errors) -> Errors {
    if let Some(text) = saved.text() {
        errors.insert("saved".to_owned(), text.to_owned());
    }
    errors
}

/// `GET /admin/livraison/domicile`.
pub async fn home_form(
    State(state): State<AppState>,
    staff: Staff,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let (town, errors) = match read(&state) {
        Ok(source) => (source.town, Errors::new()),
        Err(errors) => (staff.catalogue.town.clone(), errors),
    };
    let fields = home_values(&town);
    Ok(draw_home(
        &staff,
        &fields,
        &with_notice(&saved, errors),
        StatusCode::OK,
    ))
}

fn home_values(town: &Town) -> Fields {
    let mut pairs = vec![("codes_postaux", town.postcodes.join(", "))];
    if let Some(home) = &town.home_delivery {
        pairs.extend([
            ("active", "oui".to_owned()),
            ("frais", typed_amount(home.fee)),
            (
                "gratuit_des",
                home.free_from.map(typed_amount).unwrap_or_default(),
            ),
            ("capacite", home.capacity.to_string()),
            ("creneaux", home.slots.join(", ")),
        ]);
    }
    prefill(&pairs)
}

/// `POST /admin/livraison/domicile`.
pub async fn home(
    State(state): State<AppState>,
    staff: Staff,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    staff.check_csrf(fields.text("csrf"))?;
    let refuse = |errors: &Errors| {
        Ok(draw_home(
            &staff,
            &fields,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        ))
    };
    let source = match read(&state) {
        Ok(source) => source,
        Err(errors) => return refuse(&errors),
    };
    let (home, postcodes) = match form::home(&fields) {
        Ok(read) => read,
        Err(errors) => return refuse(&errors),
    };
    if let Some((field, message)) =
        still_booked(&state, &staff, &source.town, home.as_ref()).await?
    {
        return refuse(&Errors::from([(field.to_owned(), message)]));
    }
    match source.save(&state, |editor| editor.set_home(home.as_ref(), &postcodes)) {
        Ok(when) => {
            tracing::info!(
                staff = staff.user_id,
                offered = home.is_some(),
                "home delivery changed"
            );
            Ok(shopping::see_other(&format!("{HOME}?enregistre={when}")))
        }
        Err(message) => refuse(&Errors::from([(String::new(), message)])),
    }
}

/// The field and message when the change would drop home deliveries still booked: home
/// delivery turned off, or a slot removed.
async fn still_booked(
    state: &AppState,
    staff: &Staff,
    town: &Town,
    home: Option<&HomeDelivery>,
) -> Result<Option<(&'static str, String)>, AppError> {
    let Some(before) = &town.home_delivery else {
        return Ok(None);
    };
    let Some(home) = home else {
        return Ok(booked(state, home_place(None), staff.today).await?.map(|orders| {
            ("active", format!("La livraison à domicile ne peut pas être arrêtée : des livraisons sont prévues ({orders}). Arrêtez-la une fois qu’elles sont faites ou annulées."))
        }));
    };
    for slot in before.slots.iter().filter(|s| !home.slots.contains(s)) {
        if let Some(orders) = booked(state, home_place(Some(slot.as_str())), staff.today).await? {
            return Ok(Some((
                "creneaux",
                format!(
                    "Le créneau {slot} ne peut pas être retiré : des livraisons y sont prévues ({orders}). Gardez-le jusqu’à ce qu’elles soient faites ou annulées."
                ),
            )));
        }
    }
    Ok(None)
}

/// Home deliveries, in `slot` or any.
fn home_place(slot: Option<&str>) -> Place<'_> {
    Place {
        mode: DeliveryMode::Home,
        point: None,
        slot,
    }
}

fn draw_home(staff: &Staff, fields: &Fields, errors: &Errors, status: StatusCode) -> Response {
    let error = |name: &str| errors.get(name).map(String::as_str);
    let field = |name: &str, label: &str, kind: &str| {
        layout::field(name, label, kind, fields.text(name), error(name))
    };
    let body = html! {
        (header(errors, "Livraison à domicile"))
        form.account method="post" action=(HOME) novalidate {
            (shopping::csrf_field(&staff.csrf()))
            (offered(fields, errors, "Proposer la livraison à domicile"))
            (field("frais", "Frais par commande, en euros", "text"))
            (field("gratuit_des", "Offerte à partir de (euros d’achats dans une boutique ; vide : jamais)", "text"))
            (field("capacite", "Capacité : livraisons par créneau", "number"))
            (field("creneaux", "Créneaux, par exemple 10:00-12:00, 17:00-19:30", "text"))
            (field("codes_postaux", "Codes postaux desservis, par exemple 92330, 92340", "text"))
            button.button type="submit" { "Enregistrer" }
        }
    };
    layout::respond(
        status,
        super::super::page(staff, "Livraison à domicile", HOME, body),
    )
}

/// The page's title, the way back, the notice after saving and the form's own error.
fn header(errors: &Errors, title: &str) -> Markup {
    html! {
        h1 { (title) }
        p { a href="/admin/livraison" { "Retour au réseau de livraison" } }
        @if let Some(text) = errors.get("saved") { p.notice role="status" { (text) } }
        @if let Some(message) = errors.get("") { (layout::alert(message)) }
    }
}

/// The "offered" checkbox (`active`), with its error.
fn offered(fields: &Fields, errors: &Errors, label: &str) -> Markup {
    html! {
        div.field {
            label { input type="checkbox" name="active" value="oui" checked[!fields.text("active").is_empty()]; " " (label) }
            @if let Some(m) = errors.get("active") { p.field-error { (m) } }
        }
    }
}

/// `GET /admin/livraison/poste`.
pub async fn postal_form(
    State(state): State<AppState>,
    staff: Staff,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let (town, errors) = match read(&state) {
        Ok(source) => (source.town, Errors::new()),
        Err(errors) => (staff.catalogue.town.clone(), errors),
    };
    let mut pairs = Vec::new();
    if let Some(postal) = &town.postal {
        pairs.push(("active".to_owned(), "oui".to_owned()));
        pairs.push(("jours_min".to_owned(), postal.days_min.to_string()));
        pairs.push(("jours_max".to_owned(), postal.days_max.to_string()));
        for (n, band) in postal.bands.iter().enumerate() {
            pairs.push((format!("poids-{}", n + 1), band.up_to_grams.to_string()));
            pairs.push((format!("prix-{}", n + 1), typed_amount(band.price)));
        }
    }
    let pairs: Vec<(&str, String)> = pairs.iter().map(|(n, v)| (n.as_str(), v.clone())).collect();
    let rows = town.postal.as_ref().map_or(0, |p| p.bands.len()) + SPARE_BANDS;
    Ok(draw_postal(
        &staff,
        &prefill(&pairs),
        rows,
        &with_notice(&saved, errors),
        StatusCode::OK,
    ))
}

/// `POST /admin/livraison/poste`.
pub async fn postal(
    State(state): State<AppState>,
    staff: Staff,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    staff.check_csrf(fields.text("csrf"))?;
    let rows = (1..)
        .take_while(|n| fields.get(&format!("poids-{n}")).is_some())
        .count()
        .max(1);
    let refuse = |errors: &Errors| {
        Ok(draw_postal(
            &staff,
            &fields,
            rows,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        ))
    };
    let source = match read(&state) {
        Ok(source) => source,
        Err(errors) => return refuse(&errors),
    };
    let postal = match form::postal(&fields) {
        Ok(postal) => postal,
        Err(errors) => return refuse(&errors),
    };
    match source.save(&state, |editor| editor.set_postal(postal.as_ref())) {
        Ok(when) => {
            tracing::info!(
                staff = staff.user_id,
                offered = postal.is_some(),
                "postal rates changed"
            );
            Ok(shopping::see_other(&format!("{POSTAL}?enregistre={when}")))
        }
        Err(message) => refuse(&Errors::from([(String::new(), message)])),
    }
}

fn draw_postal(
    staff: &Staff,
    fields: &Fields,
    rows: usize,
    errors: &Errors,
    status: StatusCode,
) -> Response {
    let error = |name: &str| errors.get(name).map(String::as_str);
    let field = |name: &str, label: &str, kind: &str| {
        layout::field(name, label, kind, fields.text(name), error(name))
    };
    let body = html! {
        (header(errors, "Envoi postal"))
        form.account method="post" action=(POSTAL) novalidate {
            (shopping::csrf_field(&staff.csrf()))
            (offered(fields, errors, "Proposer l’envoi postal"))
            (field("jours_min", "Délai le plus rapide, en jours ouvrés", "number"))
            (field("jours_max", "Délai le plus long, en jours ouvrés", "number"))
            fieldset {
                legend { "Tarifs par poids, du plus léger au plus lourd (lignes vides ignorées)" }
                @for n in 1..=rows {
                    (field(&format!("poids-{n}"), &format!("Tranche {n} : jusqu’à (grammes)"), "number"))
                    (field(&format!("prix-{n}"), &format!("Tranche {n} : prix en euros"), "text"))
                }
            }
            button.button type="submit" { "Enregistrer" }
        }
    };
    layout::respond(
        status,
        super::super::page(staff, "Envoi postal", POSTAL, body),
    )
}
