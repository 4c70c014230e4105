//! Creating a shop: `/admin/boutiques/nouvelle`, a form written as
//! `content/shops/<slug>/shop.toml` (atomically, and only once the indexer's own parser
//! reads it back), then the page offers to invite its merchant. A new shop is online only
//! once its merchant accepts the charter (when the town has one).

use crate::AppState;
use crate::backoffice::auth::Staff;
use crate::backoffice::{content, layout};
use crate::error::AppError;
use crate::shopping::{self, Fields};
use axum::extract::rejection::RawFormRejection;
use axum::extract::{Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use comptoir_indexer::model::{OpeningRange, Trade, basic_string};
use comptoir_indexer::slug;
use maud::html;
use std::collections::{BTreeMap, HashMap};

const MODES: [(&str, &str); 5] = [
    ("click_collect", "Retrait en boutique"),
    ("locker", "Consigne"),
    ("relay", "Point relais"),
    ("home", "Livraison à domicile"),
    ("post", "Envoi postal"),
];

const DAYS: [(&str, &str); 7] = [
    ("monday", "Lundi"),
    ("tuesday", "Mardi"),
    ("wednesday", "Mercredi"),
    ("thursday", "Jeudi"),
    ("friday", "Vendredi"),
    ("saturday", "Samedi"),
    ("sunday", "Dimanche"),
];

/// `?creee=<slug>` once written.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Created {
    creee: Option<String>,
}

/// `GET /admin/boutiques/nouvelle`.
pub async fn form(staff: Staff, Query(created): Query<Created>) -> Result<Response, AppError> {
    Ok(draw(
        &staff,
        &Fields::parse(b""),
        &BTreeMap::new(),
        created.creee.as_deref(),
        StatusCode::OK,
    ))
}

fn draw(
    staff: &Staff,
    fields: &Fields,
    errors: &BTreeMap<String, String>,
    created: Option<&str>,
    status: StatusCode,
) -> Response {
    let error = |name: &str| errors.get(name).map(String::as_str);
    let field = |name: &str, label: &str, kind: &str| {
        layout::field(name, label, kind, fields.text(name), error(name))
    };
    let trade = fields.text("metier");
    let body = html! {
        h1 { "Nouvelle boutique" }
        @if let Some(slug) = created {
            p.notice role="status" {
                "Boutique créée (" (slug) "). Elle ne sera en ligne qu’une fois la charte de qualité acceptée par son commerçant. "
                a href={ "/admin/#boutique-" (slug) } { "Inviter son commerçant" }
            }
        }
        p { "Une nouvelle boutique n’est pas en ligne tant que son commerçant n’a pas accepté la charte de qualité : invitez-le une fois la boutique créée." }
        @if let Some(message) = error("") { (layout::alert(message)) }
        form.account method="post" action="/admin/boutiques/nouvelle" novalidate {
            (shopping::csrf_field(&staff.csrf()))
            (field("nom", "Nom", "text"))
            (field("slug", "Adresse (slug, déduit du nom si vide)", "text"))
            div.field {
                label for="f-metier" { "Métier" }
                select #f-metier name="metier" {
                    @for key in Trade::keys() {
                        @if let Some(t) = Trade::from_key(key) {
                            option value=(key) selected[trade == key] { (t.label()) }
                        }
                    }
                }
                @if let Some(m) = error("metier") { p.field-error { (m) } }
            }
            (field("description", "Description", "text"))
            (field("telephone", "Téléphone", "tel"))
            (field("email", "E-mail (facultatif)", "email"))
            (field("rue", "Rue", "text"))
            (field("code_postal", "Code postal", "text"))
            (field("ville", "Ville", "text"))
            (field("lat", "Latitude", "text"))
            (field("lon", "Longitude", "text"))
            fieldset {
                legend { "Modes de livraison" }
                @for (key, label) in MODES {
                    @let name = format!("livraison-{key}");
                    label { input type="checkbox" name=(name) value="oui" checked[!fields.text(&name).is_empty()]; " " (label) }
                }
                @if let Some(m) = error("livraison") { p.field-error { (m) } }
            }
            (field("preparation", "Temps de préparation (minutes)", "number"))
            fieldset {
                legend { "Horaires (par exemple 09:00-12:30, 14:00-19:00 ; vide = fermé)" }
                @for (key, label) in DAYS {
                    (field(&format!("horaires-{key}"), label, "text"))
                }
            }
            button.button type="submit" { "Créer la boutique" }
        }
    };
    layout::respond(
        status,
        super::page(
            staff,
            "Nouvelle boutique",
            "/admin/boutiques/nouvelle",
            body,
        ),
    )
}

/// The `shop.toml` of the form, or the French message of each bad field.
fn shop_toml(
    fields: &Fields,
    taken: &dyn Fn(&str) -> bool,
) -> Result<(String, String), BTreeMap<String, String>> {
    let mut errors = BTreeMap::new();
    let mut bad = |name: &str, message: &str| {
        errors.insert(name.to_owned(), message.to_owned());
    };
    let text = |name: &str| fields.text(name).trim().to_owned();
    let name = text("nom");
    if name.is_empty() {
        bad("nom", "Écrivez le nom de la boutique.");
    }
    let mut slug = text("slug");
    if slug.is_empty() {
        slug = slug::slugify(&name);
    }
    if !slug::is_valid(&slug) {
        bad(
            "slug",
            "Écrivez l’adresse en minuscules sans accents, avec des tirets : fromagerie-des-ecoles.",
        );
    } else if taken(&slug) {
        bad(
            "slug",
            "Une boutique a déjà cette adresse : choisissez-en une autre.",
        );
    }
    let trade = text("metier");
    if Trade::from_key(&trade).is_none() {
        bad("metier", "Choisissez un métier dans la liste.");
    }
    let description = text("description");
    if description.is_empty() {
        bad(
            "description",
            "Écrivez une courte description de la boutique.",
        );
    }
    let phone = text("telephone");
    if phone.chars().filter(char::is_ascii_digit).count() != 10 {
        bad(
            "telephone",
            "Écrivez un numéro à 10 chiffres, par exemple 01 46 61 22 33.",
        );
    }
    let email = text("email");
    if !email.is_empty() && (!email.contains('@') || email.contains(char::is_whitespace)) {
        bad(
            "email",
            "Écrivez une adresse e-mail, par exemple contact@boutique.fr.",
        );
    }
    let (street, postcode, city) = (text("rue"), text("code_postal"), text("ville"));
    if street.is_empty() {
        bad("rue", "Écrivez la rue.");
    }
    if postcode.len() != 5 || !postcode.chars().all(|c| c.is_ascii_digit()) {
        bad("code_postal", "Écrivez un code postal à 5 chiffres.");
    }
    if city.is_empty() {
        bad("ville", "Écrivez la ville.");
    }
    let coordinate = |name: &str, max: f64| {
        text(name)
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && v.abs() <= max)
    };
    let (lat, lon) = (coordinate("lat", 90.0), coordinate("lon", 180.0));
    if lat.is_none() {
        bad("lat", "Écrivez une latitude, par exemple 48.77689.");
    }
    if lon.is_none() {
        bad("lon", "Écrivez une longitude, par exemple 2.29045.");
    }
    let modes: Vec<&str> = MODES
        .iter()
        .map(|(key, _)| *key)
        .filter(|key| !fields.text(&format!("livraison-{key}")).is_empty())
        .collect();
    if modes.is_empty() {
        bad("livraison", "Cochez au moins un mode de livraison.");
    }
    let preparation = text("preparation").parse::<u32>().ok();
    if preparation.is_none() {
        bad(
            "preparation",
            "Écrivez un nombre de minutes, par exemple 30.",
        );
    }
    let mut hours = Vec::new();
    for (key, _) in DAYS {
        let name = format!("horaires-{key}");
        let ranges: Vec<String> = text(&name)
            .split([',', ';'])
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(|r| r.replace(' ', ""))
            .collect();
        if ranges.iter().any(|r| OpeningRange::parse(r).is_none()) {
            bad(&name, "Écrivez des plages comme 09:00-12:30, 14:00-19:00.");
        } else {
            hours.push((key, ranges));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let q = basic_string;
    let mut toml = format!(
        "name = {}\ntrade = {}\ndescription = {}\nphone = {}\n",
        q(&name),
        q(&trade),
        q(&description),
        q(&phone)
    );
    if !email.is_empty() {
        toml.push_str(&format!("email = {}\n", q(&email)));
    }
    let modes: Vec<String> = modes.iter().map(|m| q(m)).collect();
    toml.push_str(&format!(
        "delivery = [{}]\npreparation_minutes = {}\n\n[address]\nstreet = {}\npostcode = {}\ncity = {}\n\n[geo]\nlat = {}\nlon = {}\n\n[hours]\n",
        modes.join(", "),
        preparation.unwrap_or_default(),
        q(&street),
        q(&postcode),
        q(&city),
        lat.unwrap_or_default(),
        lon.unwrap_or_default(),
    ));
    for (key, ranges) in hours {
        let ranges: Vec<String> = ranges.iter().map(|r| q(r)).collect();
        toml.push_str(&format!("{key} = [{}]\n", ranges.join(", ")));
    }
    Ok((slug, toml))
}

/// `POST /admin/boutiques/nouvelle`.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    staff.check_csrf(fields.text("csrf"))?;
    let shops = state.config.content.join("shops");
    let taken = |slug: &str| {
        shops.join(slug).exists() || staff.catalogue.shops.iter().any(|s| s.slug == slug)
    };
    let (slug, toml) = match shop_toml(&fields, &taken) {
        Ok(written) => written,
        Err(errors) => {
            return Ok(draw(
                &staff,
                &fields,
                &errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    let path = content::shop_dir(&state, &slug).join("shop.toml");
    if let Err(problems) = comptoir_indexer::parse::parse_shop(&path, &slug, &toml, &HashMap::new())
    {
        let detail: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
        let errors = BTreeMap::from([(
            String::new(),
            format!("La fiche n’a pas pu être écrite : {}.", detail.join(" ; ")),
        )]);
        return Ok(draw(
            &staff,
            &fields,
            &errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    content::write_file(&path, toml.as_bytes()).map_err(shopping::internal)?;
    content::publish(&state, vec![path]);
    tracing::info!(staff = staff.user_id, shop = slug, "shop created");
    Ok(shopping::see_other(&format!(
        "/admin/boutiques/nouvelle?creee={slug}"
    )))
}
