//! Editing the delivery network inside `town.toml`'s text: delivery points, home delivery
//! (and the postcodes it serves) and postal rates, written where they stand so that every
//! other key, the order of the file and its comments are kept.
//!
//! Pure: text in, text out. The caller reads the file, checks the result with
//! [`crate::parse::parse_town`] and writes it; nothing here validates the values.

use super::delivery::{DeliveryPoint, HomeDelivery, PointKind, Postal};
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value, value};

/// `town.toml` could not be read as TOML.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("town.toml is not valid TOML: {0}")]
pub struct NetworkEditError(String);

/// A `town.toml` being edited.
#[derive(Debug, Clone)]
pub struct TownEditor {
    doc: DocumentMut,
}

const POINTS: &str = "delivery_points";

impl TownEditor {
    /// Opens the text of a `town.toml`.
    ///
    /// # Errors
    ///
    /// When the text is not TOML.
    pub fn open(text: &str) -> Result<Self, NetworkEditError> {
        text.parse::<DocumentMut>()
            .map(|doc| Self { doc })
            .map_err(|e| NetworkEditError(e.to_string()))
    }

    /// Writes `point` over the point with its id, or after the last point.
    pub fn set_point(&mut self, point: &DeliveryPoint) {
        self.with_points(|points| {
            let index = points
                .iter()
                .position(|t| t.get("id").and_then(Item::as_str) == Some(point.id.as_str()));
            match index.and_then(|i| points.get_mut(i)) {
                Some(table) => fill_point(table, point),
                None => {
                    let mut table = Table::new();
                    fill_point(&mut table, point);
                    points.push(table);
                }
            }
        });
    }

    /// Removes the point `id`; whether there was one.
    pub fn remove_point(&mut self, id: &str) -> bool {
        self.with_points(|points| {
            let before = points.len();
            points.retain(|t| t.get("id").and_then(Item::as_str) != Some(id));
            before != points.len()
        })
    }

    /// Writes the home delivery (`None`: not offered) and the postcodes it serves.
    pub fn set_home(&mut self, home: Option<&HomeDelivery>, postcodes: &[String]) {
        self.doc["postcodes"] = value(strings(postcodes));
        let Some(home) = home else {
            self.doc.remove("home_delivery");
            return;
        };
        self.with_table("home_delivery", |table| {
            table["fee"] = value(home.fee.to_decimal());
            match home.free_from {
                Some(from) => table["free_from"] = value(from.to_decimal()),
                None => {
                    table.remove("free_from");
                }
            }
            table["capacity"] = value(i64::from(home.capacity));
            table["slots"] = value(strings(&home.slots));
        });
    }

    /// Writes the postal rates (`None`: not offered), one band per line.
    pub fn set_postal(&mut self, postal: Option<&Postal>) {
        let Some(postal) = postal else {
            self.doc.remove("postal");
            return;
        };
        let mut bands = Array::new();
        for band in &postal.bands {
            let mut row = InlineTable::new();
            row.insert("up_to_grams", i64::from(band.up_to_grams).into());
            row.insert("price", band.price.to_decimal().into());
            let mut row = Value::InlineTable(row);
            row.decor_mut().set_prefix("\n  ");
            bands.push_formatted(row);
        }
        bands.set_trailing_comma(true);
        bands.set_trailing("\n");
        self.with_table("postal", |table| {
            table["days_min"] = value(i64::from(postal.days_min));
            table["days_max"] = value(i64::from(postal.days_max));
            table["bands"] = value(bands);
        });
    }

    /// The edited text.
    #[must_use]
    pub fn text(&self) -> String {
        self.doc.to_string()
    }

    /// Runs `edit` on the array of points, made one if it was missing or an inline array.
    fn with_points<R>(&mut self, edit: impl FnOnce(&mut ArrayOfTables) -> R) -> R {
        let item = self.doc.entry(POINTS).or_insert(Item::None);
        if !item.is_array_of_tables() {
            *item = Item::ArrayOfTables(ArrayOfTables::new());
        }
        match item.as_array_of_tables_mut() {
            Some(points) => edit(points),
            None => edit(&mut ArrayOfTables::new()),
        }
    }

    /// Runs `edit` on the table `key`, made one if it was missing.
    fn with_table(&mut self, key: &str, edit: impl FnOnce(&mut Table)) {
        let item = self.doc.entry(key).or_insert(Item::None);
        if !item.is_table() {
            *item = Item::Table(Table::new());
        }
        if let Some(table) = item.as_table_mut() {
            edit(table);
        }
    }
}

/// Writes every field of `point` into `table`, in the order of `docs/catalogue.md`.
fn fill_point(table: &mut Table, point: &DeliveryPoint) {
    let kind = match point.kind {
        PointKind::Locker => "locker",
        PointKind::Relay => "relay",
    };
    table["id"] = value(point.id.as_str());
    table["kind"] = value(kind);
    table["name"] = value(point.name.as_str());
    table["neighbourhood"] = value(point.neighbourhood.as_str());
    table["street"] = value(point.address.street.as_str());
    table["postcode"] = value(point.address.postcode.as_str());
    table["city"] = value(point.address.city.as_str());
    let mut geo = InlineTable::new();
    geo.insert("lat", point.geo.lat.into());
    geo.insert("lon", point.geo.lon.into());
    table["geo"] = value(geo);
    table["fee"] = value(point.fee.to_decimal());
    table["capacity"] = value(i64::from(point.capacity));
    table["slots"] = value(strings(&point.slots));
}

fn strings(items: &[String]) -> Array {
    items.iter().map(String::as_str).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Money;
    use crate::model::{Address, Geo, PostalBand};

    const TOWN: &str = r#"# The town (a comment that stays)
name = "Sceaux"
postcodes = ["92330"]

[address]
street = "122 rue Houdan"

# Our only relay
[[delivery_points]]
id = "relais-a"
kind = "relay"
name = "Relais A"
fee = "1.50" # per parcel
capacity = 12
slots = ["10:00-12:00"]

[home_delivery]
fee = "4.90"
free_from = "60.00"
capacity = 8
slots = ["10:00-12:00"]

[postal]
days_min = 2
days_max = 4
bands = [
  { up_to_grams = 500, price = "5.90" },
]
"#;

    fn relay(id: &str, slots: &[&str]) -> DeliveryPoint {
        DeliveryPoint {
            id: id.into(),
            kind: PointKind::Relay,
            name: format!("Relais {id}"),
            neighbourhood: "Centre".into(),
            address: Address {
                street: "1 rue Houdan".into(),
                postcode: "92330".into(),
                city: "Sceaux".into(),
            },
            geo: Geo {
                lat: 48.77731,
                lon: 2.29068,
            },
            fee: Money::from_cents(150),
            capacity: 4,
            slots: slots.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn a_new_point_goes_after_the_last_one_and_comments_stay() {
        let mut editor = TownEditor::open(TOWN).expect("toml");
        editor.set_point(&relay("relais-b", &["08:00-10:00", "17:00-19:30"]));
        let text = editor.text();
        assert!(text.starts_with("# The town (a comment that stays)\n"));
        assert!(text.contains("# Our only relay\n[[delivery_points]]\nid = \"relais-a\""));
        let b = text.find("id = \"relais-b\"").expect("added");
        assert!(b < text.find("[home_delivery]").expect("kept"), "{text}");
        assert!(text.contains("slots = [\"08:00-10:00\", \"17:00-19:30\"]"));
        assert!(text.contains("geo = { lat = 48.77731, lon = 2.29068 }"));
    }

    #[test]
    fn an_edited_point_keeps_its_place_and_a_removed_one_goes() {
        let mut editor = TownEditor::open(TOWN).expect("toml");
        editor.set_point(&relay("relais-a", &["14:00-16:00"]));
        let text = editor.text();
        assert_eq!(text.matches("[[delivery_points]]").count(), 1);
        assert!(
            text.contains("capacity = 4\nslots = [\"14:00-16:00\"]"),
            "{text}"
        );
        assert!(editor.remove_point("relais-a"));
        assert!(!editor.remove_point("relais-a"));
        assert!(!editor.text().contains("relais-a"));
        assert!(editor.text().contains("[home_delivery]"));
    }

    #[test]
    fn home_delivery_and_postal_rates_are_rewritten_in_place() {
        let mut editor = TownEditor::open(TOWN).expect("toml");
        let home = HomeDelivery {
            fee: Money::from_cents(390),
            free_from: None,
            capacity: 5,
            slots: vec!["09:00-11:00".into()],
        };
        editor.set_home(Some(&home), &["92330".into(), "92340".into()]);
        let postal = Postal {
            days_min: 1,
            days_max: 3,
            bands: vec![
                PostalBand {
                    up_to_grams: 1000,
                    price: Money::from_cents(690),
                },
                PostalBand {
                    up_to_grams: 5000,
                    price: Money::from_cents(1290),
                },
            ],
        };
        editor.set_postal(Some(&postal));
        let text = editor.text();
        assert!(text.contains("postcodes = [\"92330\", \"92340\"]"));
        assert!(
            text.contains("[home_delivery]\nfee = \"3.90\"\ncapacity = 5\n"),
            "{text}"
        );
        assert!(text.contains(
            "bands = [\n  { up_to_grams = 1000, price = \"6.90\" },\n  { up_to_grams = 5000, price = \"12.90\" },\n]"
        ), "{text}");
        editor.set_home(None, &["92330".into()]);
        editor.set_postal(None);
        assert!(!editor.text().contains("[home_delivery]"));
        assert!(!editor.text().contains("[postal]"));
    }

    #[test]
    fn text_that_is_not_toml_is_refused() {
        assert!(TownEditor::open("name = ").is_err());
    }
}
