//! Lockers and relay points: adding one, editing one (its id and kind stay), closing one.
//! A slot, or a whole point, with orders still to deliver is kept: the form says which
//! orders hold it.

use super::form::{self, Errors};
use super::{Saved, Source, booked, kind_label, prefill, typed_amount};
use crate::AppState;
use crate::backoffice::auth::Staff;
use crate::backoffice::layout;
use crate::error::AppError;
use crate::orders::deliveries::Place;
use crate::shopping::{self, Fields};
use axum::extract::rejection::RawFormRejection;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use comptoir_indexer::model::{DeliveryMode, DeliveryPoint, PointKind};
use maud::html;

/// The point `id` of `source`, or the console's 404.
fn find<'a>(source: &'a Source, id: &str) -> Result<&'a DeliveryPoint, AppError> {
    source
        .town
        .delivery_points
        .iter()
        .find(|p| p.id == id)
        .ok_or_else(layout::not_found)
}

fn read(state: &AppState) -> Result<Source, Errors> {
    Source::read(state).map_err(|m| Errors::from([(String::new(), m)]))
}

/// `GET /admin/livraison/points/nouveau`.
pub async fn new_form(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    let errors = read(&state).err().unwrap_or_default();
    let fields = prefill(&[("type", "relay".to_owned()), ("capacite", "10".to_owned())]);
    Ok(draw(&staff, None, &fields, &errors, StatusCode::OK))
}

/// `POST /admin/livraison/points/nouveau`.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    staff.check_csrf(fields.text("csrf"))?;
    let refuse = |errors: &Errors| {
        Ok(draw(
            &staff,
            None,
            &fields,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        ))
    };
    let source = match read(&state) {
        Ok(source) => source,
        Err(errors) => return refuse(&errors),
    };
    let taken = |id: &str| source.town.delivery_points.iter().any(|p| p.id == id);
    let point = match form::point(&fields, None, &taken) {
        Ok(point) => point,
        Err(errors) => return refuse(&errors),
    };
    let when = match source.save(&state, |editor| editor.set_point(&point)) {
        Ok(when) => when,
        Err(message) => return refuse(&Errors::from([(String::new(), message)])),
    };
    tracing::info!(
        staff = staff.user_id,
        point = point.id,
        "delivery point opened"
    );
    Ok(shopping::see_other(&format!(
        "/admin/livraison?enregistre={when}#points"
    )))
}

/// `GET /admin/livraison/points/{id}`.
pub async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let source = Source::read(&state).map_err(|_| layout::not_found())?;
    let point = find(&source, &id)?;
    let mut errors = Errors::new();
    if let Some(text) = saved.text() {
        errors.insert("saved".to_owned(), text.to_owned());
    }
    Ok(draw(
        &staff,
        Some(point),
        &values(point),
        &errors,
        StatusCode::OK,
    ))
}

/// The form's fields holding `point`.
fn values(point: &DeliveryPoint) -> Fields {
    prefill(&[
        ("nom", point.name.clone()),
        ("quartier", point.neighbourhood.clone()),
        ("rue", point.address.street.clone()),
        ("code_postal", point.address.postcode.clone()),
        ("ville", point.address.city.clone()),
        ("lat", point.geo.lat.to_string()),
        ("lon", point.geo.lon.to_string()),
        ("frais", typed_amount(point.fee)),
        ("capacite", point.capacity.to_string()),
        ("creneaux", point.slots.join(", ")),
    ])
}

/// `POST /admin/livraison/points/{id}`.
pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    staff.check_csrf(fields.text("csrf"))?;
    let source = Source::read(&state).map_err(|_| layout::not_found())?;
    let existing = find(&source, &id)?;
    let refuse = |errors: &Errors| {
        Ok(draw(
            &staff,
            Some(existing),
            &fields,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        ))
    };
    let point = match form::point(&fields, Some(existing), &|_: &str| false) {
        Ok(point) => point,
        Err(errors) => return refuse(&errors),
    };
    for slot in existing.slots.iter().filter(|s| !point.slots.contains(s)) {
        let place = Place {
            mode: DeliveryMode::Relay,
            point: Some(id.as_str()),
            slot: Some(slot.as_str()),
        };
        if let Some(orders) = booked(&state, place, staff.today).await? {
            let message = format!(
                "Le créneau {slot} ne peut pas être retiré : des commandes y sont réservées ({orders}). Gardez-le jusqu’à ce qu’elles soient livrées ou annulées."
            );
            return refuse(&Errors::from([("creneaux".to_owned(), message)]));
        }
    }
    let when = match source.save(&state, |editor| editor.set_point(&point)) {
        Ok(when) => when,
        Err(message) => return refuse(&Errors::from([(String::new(), message)])),
    };
    tracing::info!(staff = staff.user_id, point = id, "delivery point changed");
    Ok(shopping::see_other(&format!(
        "/admin/livraison/points/{id}?enregistre={when}"
    )))
}

/// `POST /admin/livraison/points/{id}/fermer`: removes the point from `town.toml`, unless
/// orders are still to be delivered there.
pub async fn close(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    staff.check_csrf(fields.text("csrf"))?;
    let source = Source::read(&state).map_err(|_| layout::not_found())?;
    let existing = find(&source, &id)?;
    let mode = match existing.kind {
        PointKind::Locker => DeliveryMode::Locker,
        PointKind::Relay => DeliveryMode::Relay,
    };
    let place = Place {
        mode,
        point: Some(id.as_str()),
        slot: None,
    };
    let saved = match booked(&state, place, staff.today).await? {
        Some(orders) => Err(format!(
            "Ce point ne peut pas être fermé : des commandes y sont attendues ({orders}). Fermez-le une fois qu’elles sont livrées ou annulées."
        )),
        None => source.save(&state, |editor| {
            editor.remove_point(&id);
        }),
    };
    match saved {
        Ok(when) => {
            tracing::info!(staff = staff.user_id, point = id, "delivery point closed");
            Ok(shopping::see_other(&format!(
                "/admin/livraison?enregistre={when}#points"
            )))
        }
        Err(message) => {
            let errors = Errors::from([(String::new(), message)]);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(draw(
                &staff,
                Some(existing),
                &values(existing),
                &errors,
                status,
            ))
        }
    }
}

/// The point's form: new (`existing` is `None`) or editing one.
fn draw(
    staff: &Staff,
    existing: Option<&DeliveryPoint>,
    fields: &Fields,
    errors: &Errors,
    status: StatusCode,
) -> Response {
    let error = |name: &str| errors.get(name).map(String::as_str);
    let field = |name: &str, label: &str, kind: &str| {
        layout::field(name, label, kind, fields.text(name), error(name))
    };
    let (title, action) = match existing {
        Some(p) => (p.name.clone(), format!("/admin/livraison/points/{}", p.id)),
        None => (
            "Nouveau point de livraison".to_owned(),
            "/admin/livraison/points/nouveau".to_owned(),
        ),
    };
    let chosen = fields.text("type");
    let body = html! {
        h1 { (title) }
        p { a href="/admin/livraison" { "Retour au réseau de livraison" } }
        @if let Some(text) = error("saved") { p.notice role="status" { (text) } }
        @if let Some(message) = error("") { (layout::alert(message)) }
        form.account method="post" action=(action) novalidate {
            (shopping::csrf_field(&staff.csrf()))
            @match existing {
                Some(point) => p { "Type : " (kind_label(point.kind)) " · identifiant : " code { (point.id) } },
                None => div.field {
                    label for="f-type" { "Type" }
                    select #f-type name="type" {
                        option value="relay" selected[chosen != "locker"] { "Point relais (créneaux horaires)" }
                        option value="locker" selected[chosen == "locker"] { "Consigne automatique (capacité par jour)" }
                    }
                    @if let Some(m) = error("type") { p.field-error { (m) } }
                },
            }
            (field("nom", "Nom affiché aux clients", "text"))
            @if existing.is_none() {
                (field("id", "Identifiant (déduit du nom si vide ; il ne change plus ensuite)", "text"))
            }
            (field("quartier", "Quartier", "text"))
            (field("rue", "Numéro et rue", "text"))
            (field("code_postal", "Code postal", "text"))
            (field("ville", "Ville", "text"))
            (field("lat", "Latitude", "text"))
            (field("lon", "Longitude", "text"))
            (field("frais", "Frais par commande, en euros (0 pour gratuit)", "text"))
            (field("capacite", "Capacité : colis par jour (consigne) ou par créneau (relais)", "number"))
            (field("creneaux", "Créneaux du relais, par exemple 10:00-12:00, 17:00-19:30 (vide pour une consigne)", "text"))
            button.button type="submit" {
                @if existing.is_some() { "Enregistrer" } @else { "Ouvrir ce point" }
            }
        }
        @if let Some(point) = existing {
            form.account method="post" action={ "/admin/livraison/points/" (point.id) "/fermer" } {
                (shopping::csrf_field(&staff.csrf()))
                p { "Fermer ce point le retire du site : il n’est plus proposé à la commande. C’est refusé tant que des commandes y sont attendues." }
                button.secondary type="submit" { "Fermer ce point" }
            }
        }
    };
    let path = existing.map_or("/admin/livraison/points/nouveau".to_owned(), |p| {
        format!("/admin/livraison/points/{}", p.id)
    });
    layout::respond(status, super::super::page(staff, &title, &path, body))
}
