//! The delivery network's forms read as the model: a delivery point, home delivery, postal
//! rates, each field checked with a French message beside it (the form's field name is the
//! key). Pure: the handlers check what needs the database (orders booked on a slot).

use crate::shopping::Fields;
use comptoir_indexer::Money;
use comptoir_indexer::model::{
    Address, DeliveryPoint, Geo, HomeDelivery, OpeningRange, PointKind, Postal, PostalBand,
};
use comptoir_indexer::slug;
use std::collections::BTreeMap;

/// The French message of each bad field, by field name (`""`: the whole form).
pub type Errors = BTreeMap<String, String>;

/// Rows of weight bands the postal form shows beyond those written.
pub const SPARE_BANDS: usize = 2;

/// The most parcels a slot or a locker day can take (a typo guard, not a business rule).
const MAX_CAPACITY: u32 = 10_000;

/// Reads a form field by field, collecting the messages.
struct Reader<'a> {
    fields: &'a Fields,
    errors: Errors,
}

impl<'a> Reader<'a> {
    fn new(fields: &'a Fields) -> Self {
        Self {
            fields,
            errors: Errors::new(),
        }
    }

    fn text(&self, name: &str) -> String {
        self.fields.text(name).trim().to_owned()
    }

    fn bad(&mut self, name: &str, message: &str) {
        self.errors.insert(name.to_owned(), message.to_owned());
    }

    fn required(&mut self, name: &str, message: &str) -> String {
        let text = self.text(name);
        if text.is_empty() {
            self.bad(name, message);
        }
        text
    }

    fn amount(&mut self, name: &str) -> Option<Money> {
        let amount = Money::parse(&self.text(name)).ok();
        if amount.is_none() {
            self.bad(
                name,
                "Écrivez un montant en euros, par exemple 1,50 (0 pour gratuit).",
            );
        }
        amount
    }

    fn capacity(&mut self, name: &str) -> u32 {
        match self.text(name).parse::<u32>() {
            Ok(n) if (1..=MAX_CAPACITY).contains(&n) => n,
            _ => {
                self.bad(
                    name,
                    "Écrivez un nombre de colis d’au moins 1, par exemple 10.",
                );
                0
            }
        }
    }

    fn slots(&mut self, name: &str) -> Vec<String> {
        match slots(&self.text(name)) {
            Ok(slots) => slots,
            Err(message) => {
                self.bad(name, message);
                Vec::new()
            }
        }
    }

    fn coordinate(&mut self, name: &str, max: f64, example: &str) -> f64 {
        let value = self
            .text(name)
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && v.abs() <= max);
        if value.is_none() {
            self.bad(name, &format!("Écrivez un nombre, par exemple {example}."));
        }
        value.unwrap_or_default()
    }

    fn days(&mut self, name: &str) -> u32 {
        let days = self.text(name).parse::<u32>().ok().filter(|d| *d <= 60);
        if days.is_none() {
            self.bad(name, "Écrivez un nombre de jours ouvrés, par exemple 2.");
        }
        days.unwrap_or_default()
    }

    fn finish<T>(self, value: T) -> Result<T, Errors> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

/// Whether `code` is a French postcode: five digits.
fn is_postcode(code: &str) -> bool {
    code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit())
}

/// Time slots typed as `10:00-12:00, 17:00-19:30`, sorted by start; no slot may overlap or
/// repeat another.
///
/// # Errors
///
/// The French message for the field.
pub fn slots(text: &str) -> Result<Vec<String>, &'static str> {
    let mut ranges = Vec::new();
    for typed in text.split([',', ';', '\n']).map(str::trim) {
        if typed.is_empty() {
            continue;
        }
        let compact: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        let range = OpeningRange::parse(&compact.replace(['h', 'H'], ":")).ok_or(
            "Écrivez chaque créneau comme 10:00-12:00, l’heure de début avant l’heure de fin, séparés par des virgules.",
        )?;
        ranges.push(range);
    }
    ranges.sort_by_key(|r| (r.opens, r.closes));
    if ranges.windows(2).any(|w| w[1].opens < w[0].closes) {
        return Err("Deux créneaux se chevauchent ou se répètent : corrigez leurs heures.");
    }
    Ok(ranges
        .iter()
        .map(|r| {
            format!(
                "{}-{}",
                OpeningRange::format(r.opens),
                OpeningRange::format(r.closes)
            )
        })
        .collect())
}

/// The delivery point of the form. `existing`: the point being edited (its id and kind
/// stay); otherwise `taken` says whether an id is already used.
///
/// # Errors
///
/// The French message of each bad field.
pub fn point(
    fields: &Fields,
    existing: Option<&DeliveryPoint>,
    taken: &dyn Fn(&str) -> bool,
) -> Result<DeliveryPoint, Errors> {
    let mut r = Reader::new(fields);
    let name = r.required(
        "nom",
        "Écrivez le nom du point, par exemple Relais de la gare.",
    );
    let (id, kind) = match existing {
        Some(point) => (point.id.clone(), point.kind),
        None => (new_id(&mut r, &name, taken), kind(&mut r)),
    };
    let neighbourhood = r.required("quartier", "Écrivez le quartier, par exemple Robinson.");
    let address = address(&mut r);
    let geo = Geo {
        lat: r.coordinate("lat", 90.0, "48.77731"),
        lon: r.coordinate("lon", 180.0, "2.29068"),
    };
    let fee = r.amount("frais").unwrap_or_default();
    let capacity = r.capacity("capacite");
    let slots = r.slots("creneaux");
    match kind {
        PointKind::Relay if slots.is_empty() && !r.errors.contains_key("creneaux") => r.bad(
            "creneaux",
            "Un point relais a au moins un créneau, par exemple 10:00-12:00.",
        ),
        PointKind::Locker if !slots.is_empty() => r.bad(
            "creneaux",
            "Une consigne n’a pas de créneaux (sa capacité est par jour) : videz ce champ.",
        ),
        _ => {}
    }
    r.finish(DeliveryPoint {
        id,
        kind,
        name,
        neighbourhood,
        address,
        geo,
        fee,
        capacity,
        slots,
    })
}

fn new_id(r: &mut Reader<'_>, name: &str, taken: &dyn Fn(&str) -> bool) -> String {
    let mut id = r.text("id");
    if id.is_empty() {
        id = slug::slugify(name);
    }
    if !slug::is_valid(&id) {
        r.bad(
            "id",
            "Écrivez l’identifiant en minuscules sans accents, avec des tirets : relais-de-la-gare.",
        );
    } else if taken(&id) {
        r.bad(
            "id",
            "Un point a déjà cet identifiant : choisissez-en un autre.",
        );
    }
    id
}

fn kind(r: &mut Reader<'_>) -> PointKind {
    match r.text("type").as_str() {
        "locker" => PointKind::Locker,
        "relay" => PointKind::Relay,
        _ => {
            r.bad("type", "Choisissez consigne ou point relais.");
            PointKind::Relay
        }
    }
}

fn address(r: &mut Reader<'_>) -> Address {
    let street = r.required("rue", "Écrivez le numéro et la rue.");
    let postcode = r.text("code_postal");
    if !is_postcode(&postcode) {
        r.bad("code_postal", "Écrivez un code postal à 5 chiffres.");
    }
    let city = r.required("ville", "Écrivez la ville.");
    Address {
        street,
        postcode,
        city,
    }
}

/// Home delivery as the form sets it (`None`: not offered), and the postcodes served.
///
/// # Errors
///
/// The French message of each bad field.
pub fn home(fields: &Fields) -> Result<(Option<HomeDelivery>, Vec<String>), Errors> {
    let mut r = Reader::new(fields);
    let active = !r.text("active").is_empty();
    let postcodes = postcodes(&mut r, active);
    if !active {
        return r.finish((None, postcodes));
    }
    let fee = r.amount("frais").unwrap_or_default();
    let free_from = match r.text("gratuit_des").as_str() {
        "" => None,
        typed => match Money::parse(typed) {
            Ok(amount) if amount.cents() > 0 => Some(amount),
            _ => {
                r.bad(
                    "gratuit_des",
                    "Écrivez un montant en euros, par exemple 60,00, ou laissez vide.",
                );
                None
            }
        },
    };
    let capacity = r.capacity("capacite");
    let slots = r.slots("creneaux");
    if slots.is_empty() && !r.errors.contains_key("creneaux") {
        r.bad(
            "creneaux",
            "La livraison à domicile a au moins un créneau, par exemple 17:00-19:30.",
        );
    }
    let home = HomeDelivery {
        fee,
        free_from,
        capacity,
        slots,
    };
    r.finish((Some(home), postcodes))
}

fn postcodes(r: &mut Reader<'_>, required: bool) -> Vec<String> {
    let typed = r.text("codes_postaux");
    let mut codes: Vec<String> = typed
        .split([',', ';', ' ', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect();
    if (required && codes.is_empty()) || !codes.iter().all(|c| is_postcode(c)) {
        r.bad(
            "codes_postaux",
            "Écrivez des codes postaux à 5 chiffres séparés par des virgules, par exemple 92330, 92340.",
        );
    }
    codes.dedup();
    codes
}

/// Postal rates as the form sets them (`None`: not offered): rows `poids-<n>` and
/// `prix-<n>`, empty rows skipped, by strictly increasing weight.
///
/// # Errors
///
/// The French message of each bad field.
pub fn postal(fields: &Fields) -> Result<Option<Postal>, Errors> {
    let mut r = Reader::new(fields);
    if r.text("active").is_empty() {
        return r.finish(None);
    }
    let days_min = r.days("jours_min");
    let days_max = r.days("jours_max");
    if days_min > days_max {
        r.bad(
            "jours_max",
            "Le délai le plus long ne peut pas être plus court que le plus rapide.",
        );
    }
    let bands = bands(&mut r);
    r.finish(Some(Postal {
        days_min,
        days_max,
        bands,
    }))
}

fn bands(r: &mut Reader<'_>) -> Vec<PostalBand> {
    let mut bands: Vec<PostalBand> = Vec::new();
    for n in 1..=band_rows(r.fields) {
        let (weight, price) = (format!("poids-{n}"), format!("prix-{n}"));
        if r.text(&weight).is_empty() && r.text(&price).is_empty() {
            continue;
        }
        let grams = r.text(&weight).parse::<u32>().ok().filter(|g| *g > 0);
        let price = match Money::parse(&r.text(&price)) {
            Ok(amount) if amount.cents() > 0 => Some(amount),
            _ => {
                r.bad(&price, "Écrivez un prix en euros, par exemple 5,90.");
                None
            }
        };
        let Some(up_to_grams) = grams else {
            r.bad(&weight, "Écrivez un poids en grammes, par exemple 500.");
            continue;
        };
        if bands.last().is_some_and(|b| b.up_to_grams >= up_to_grams) {
            r.bad(
                &weight,
                "Rangez les tranches par poids croissant : chacune plus lourde que la précédente.",
            );
        }
        if let Some(price) = price {
            bands.push(PostalBand { up_to_grams, price });
        }
    }
    if bands.is_empty() && r.errors.is_empty() {
        r.bad(
            "poids-1",
            "Écrivez au moins une tranche : un poids maximal et son prix.",
        );
    }
    bands
}

/// How many band rows a posted form has (`poids-1`, `poids-2`…).
fn band_rows(fields: &Fields) -> usize {
    (1..)
        .take_while(|n| fields.get(&format!("poids-{n}")).is_some())
        .last()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Fields {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        Fields::parse(body.as_bytes())
    }

    #[test]
    fn slots_are_checked_sorted_and_never_overlap() {
        let ok = [
            ("", vec![]),
            ("10:00-12:00", vec!["10:00-12:00"]),
            (
                "17:00-19:30, 10:00 - 12:00",
                vec!["10:00-12:00", "17:00-19:30"],
            ),
            (
                "10h00-12h00; 12:00-14:00",
                vec!["10:00-12:00", "12:00-14:00"],
            ),
        ];
        for (typed, expected) in ok {
            assert_eq!(
                slots(typed),
                Ok(expected.iter().map(|s| (*s).to_owned()).collect()),
                "{typed}"
            );
        }
        for typed in [
            "10-12",
            "12:00-10:00",
            "25:00-26:00",
            "10:00-12:00, 11:00-13:00",
            "10:00-12:00,10:00-12:00",
        ] {
            assert!(slots(typed).is_err(), "{typed}");
        }
    }

    fn relay_form(extra: &[(&str, &str)]) -> Fields {
        let mut pairs = vec![
            ("nom", "Relais de la gare"),
            ("type", "relay"),
            ("quartier", "Robinson"),
            ("rue", "1 place de la Gare"),
            ("code_postal", "92330"),
            ("ville", "Sceaux"),
            ("lat", "48,77964"),
            ("lon", "2.28152"),
            ("frais", "1,50"),
            ("capacite", "6"),
            ("creneaux", "10:00-12:00, 17:00-19:30"),
        ];
        for (name, value) in extra {
            pairs.retain(|(n, _)| n != name);
            pairs.push((name, value));
        }
        form(&pairs)
    }

    #[test]
    fn a_relay_point_is_read_with_an_id_from_its_name() {
        let point = point(&relay_form(&[]), None, &|_| false).expect("valid");
        assert_eq!(point.id, "relais-de-la-gare");
        assert_eq!(point.fee, Money::from_cents(150));
        assert_eq!(point.capacity, 6);
        assert_eq!(point.slots, ["10:00-12:00", "17:00-19:30"]);
        assert!((point.geo.lat - 48.77964).abs() < 1e-9);
    }

    #[test]
    fn each_bad_field_has_its_message() {
        let cases: [(&[(&str, &str)], &str); 8] = [
            (&[("capacite", "0")], "capacite"),
            (&[("frais", "1,505")], "frais"),
            (&[("code_postal", "9233")], "code_postal"),
            (&[("creneaux", "")], "creneaux"),
            (&[("creneaux", "12:00-10:00")], "creneaux"),
            (&[("type", "locker")], "creneaux"),
            (&[("id", "Relais Gare")], "id"),
            (&[("nom", "")], "nom"),
        ];
        for (change, field) in cases {
            let errors = point(&relay_form(change), None, &|_| false).expect_err("refused");
            assert!(errors.contains_key(field), "{change:?}: {errors:?}");
        }
        let taken = point(&relay_form(&[]), None, &|id| id == "relais-de-la-gare");
        assert!(taken.expect_err("taken").contains_key("id"));
    }

    #[test]
    fn postal_bands_go_by_increasing_weight() {
        let ok = form(&[
            ("active", "oui"),
            ("jours_min", "2"),
            ("jours_max", "4"),
            ("poids-1", "500"),
            ("prix-1", "5,90"),
            ("poids-2", ""),
            ("prix-2", ""),
            ("poids-3", "2000"),
            ("prix-3", "8.90"),
        ]);
        let postal = postal(&ok).expect("valid").expect("offered");
        assert_eq!(postal.bands.len(), 2);
        assert_eq!(postal.rate(600), Some(Money::from_cents(890)));
        let unsorted = form(&[
            ("active", "oui"),
            ("jours_min", "2"),
            ("jours_max", "4"),
            ("poids-1", "2000"),
            ("prix-1", "8,90"),
            ("poids-2", "500"),
            ("prix-2", "5,90"),
        ]);
        assert!(
            super::postal(&unsorted)
                .expect_err("refused")
                .contains_key("poids-2")
        );
        let off = form(&[("jours_min", "x")]);
        assert!(matches!(super::postal(&off), Ok(None)));
    }

    #[test]
    fn home_delivery_needs_served_postcodes() {
        let base = [
            ("active", "oui"),
            ("frais", "4,90"),
            ("gratuit_des", "60"),
            ("capacite", "8"),
            ("creneaux", "10:00-12:00"),
        ];
        let mut pairs = base.to_vec();
        pairs.push(("codes_postaux", "92330, 92340"));
        let (home, codes) = home(&form(&pairs)).expect("valid");
        assert_eq!(codes, ["92330", "92340"]);
        assert_eq!(
            home.expect("offered").free_from,
            Some(Money::from_cents(6000))
        );
        let mut pairs = base.to_vec();
        pairs.push(("codes_postaux", "92330, 923"));
        assert!(
            super::home(&form(&pairs))
                .expect_err("refused")
                .contains_key("codes_postaux")
        );
    }
}
