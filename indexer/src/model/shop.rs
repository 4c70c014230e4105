//! Shops: who sells, where, when they open, and how they deliver.

use super::{Address, DeliveryMode};
use jiff::civil::Date;

/// Latitude and longitude (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Geo {
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
}

/// A day of the week.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Weekday {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
    /// Saturday.
    Saturday,
    /// Sunday.
    Sunday,
}

impl Weekday {
    /// Monday to Sunday.
    pub const ALL: [Self; 7] = [
        Self::Monday,
        Self::Tuesday,
        Self::Wednesday,
        Self::Thursday,
        Self::Friday,
        Self::Saturday,
        Self::Sunday,
    ];

    /// schema.org's `DayOfWeek` name.
    #[must_use]
    pub const fn schema_name(self) -> &'static str {
        match self {
            Self::Monday => "Monday",
            Self::Tuesday => "Tuesday",
            Self::Wednesday => "Wednesday",
            Self::Thursday => "Thursday",
            Self::Friday => "Friday",
            Self::Saturday => "Saturday",
            Self::Sunday => "Sunday",
        }
    }

    /// French name, as shown on shop pages.
    #[must_use]
    pub const fn french(self) -> &'static str {
        match self {
            Self::Monday => "lundi",
            Self::Tuesday => "mardi",
            Self::Wednesday => "mercredi",
            Self::Thursday => "jeudi",
            Self::Friday => "vendredi",
            Self::Saturday => "samedi",
            Self::Sunday => "dimanche",
        }
    }
}

/// One opening range, in minutes after midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OpeningRange {
    /// Opening time.
    pub opens: u16,
    /// Closing time (after `opens`).
    pub closes: u16,
}

impl OpeningRange {
    /// Parses `"07:30-13:00"`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let (a, b) = text.trim().split_once('-')?;
        let (opens, closes) = (parse_time(a)?, parse_time(b)?);
        (opens < closes).then_some(Self { opens, closes })
    }

    /// `07:30` for schema.org and pages.
    #[must_use]
    pub fn format(minutes: u16) -> String {
        format!("{:02}:{:02}", minutes / 60, minutes % 60)
    }
}

fn parse_time(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
}

/// Opening hours for each day of the week (an empty day is closed).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Hours(pub [Vec<OpeningRange>; 7]);

impl Hours {
    /// The ranges of `day`.
    #[must_use]
    pub fn day(&self, day: Weekday) -> &[OpeningRange] {
        &self.0[day as usize]
    }
}

/// The trade of a shop: it chooses the schema.org type and the label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Trade {
    /// Boulangerie.
    Bakery,
    /// Pâtisserie.
    Pastry,
    /// Fromagerie.
    Cheese,
    /// Boucherie.
    Butcher,
    /// Poissonnerie.
    Fishmonger,
    /// Primeur.
    Greengrocer,
    /// Épicerie.
    Grocery,
    /// Épicerie fine / traiteur.
    Delicatessen,
    /// Caviste.
    Wine,
    /// Chocolatier.
    Chocolate,
    /// Librairie.
    Books,
    /// Fleuriste.
    Florist,
    /// Vêtements.
    Clothes,
    /// Chaussures.
    Shoes,
    /// Jouets.
    Toys,
    /// Quincaillerie.
    Hardware,
    /// Opticien.
    Optician,
    /// Bijouterie.
    Jewellery,
    /// Sport.
    Sports,
    /// Maison et décoration.
    Home,
    /// Papeterie.
    Stationery,
    /// Parfumerie et beauté.
    Beauty,
    /// Thés et cafés.
    Tea,
}

/// Each trade: its key in `shop.toml`, schema.org type, French label.
const TRADES: [(Trade, &str, &str, &str); 23] = [
    (Trade::Bakery, "bakery", "Bakery", "Boulangerie"),
    (Trade::Pastry, "pastry", "Bakery", "Pâtisserie"),
    (Trade::Cheese, "cheese", "GroceryStore", "Fromagerie"),
    (Trade::Butcher, "butcher", "GroceryStore", "Boucherie"),
    (
        Trade::Fishmonger,
        "fishmonger",
        "GroceryStore",
        "Poissonnerie",
    ),
    (Trade::Greengrocer, "greengrocer", "GroceryStore", "Primeur"),
    (Trade::Grocery, "grocery", "GroceryStore", "Épicerie"),
    (
        Trade::Delicatessen,
        "delicatessen",
        "GroceryStore",
        "Épicerie fine",
    ),
    (Trade::Wine, "wine", "LiquorStore", "Caviste"),
    (Trade::Chocolate, "chocolate", "Store", "Chocolatier"),
    (Trade::Books, "books", "BookStore", "Librairie"),
    (Trade::Florist, "florist", "Florist", "Fleuriste"),
    (Trade::Clothes, "clothes", "ClothingStore", "Vêtements"),
    (Trade::Shoes, "shoes", "ShoeStore", "Chaussures"),
    (Trade::Toys, "toys", "ToyStore", "Jouets"),
    (
        Trade::Hardware,
        "hardware",
        "HardwareStore",
        "Quincaillerie",
    ),
    (Trade::Optician, "optician", "Optician", "Opticien"),
    (Trade::Jewellery, "jewellery", "JewelryStore", "Bijouterie"),
    (Trade::Sports, "sports", "SportingGoodsStore", "Sport"),
    (
        Trade::Home,
        "home",
        "HomeGoodsStore",
        "Maison et décoration",
    ),
    (
        Trade::Stationery,
        "stationery",
        "OfficeEquipmentStore",
        "Papeterie",
    ),
    (
        Trade::Beauty,
        "beauty",
        "HealthAndBeautyBusiness",
        "Parfumerie et beauté",
    ),
    (Trade::Tea, "tea", "Store", "Thés et cafés"),
];

impl Trade {
    fn row(self) -> &'static (Trade, &'static str, &'static str, &'static str) {
        TRADES
            .iter()
            .find(|row| row.0 == self)
            .unwrap_or(&TRADES[0])
    }

    /// The trade written `key` in `shop.toml`.
    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        TRADES.iter().find(|row| row.1 == key).map(|row| row.0)
    }

    /// Every key, for error messages.
    #[must_use]
    pub fn keys() -> Vec<&'static str> {
        TRADES.iter().map(|row| row.1).collect()
    }

    /// The most specific schema.org `LocalBusiness` subtype.
    #[must_use]
    pub fn schema_type(self) -> &'static str {
        self.row().2
    }

    /// French label.
    #[must_use]
    pub fn label(self) -> &'static str {
        self.row().3
    }
}

/// A shop of the marketplace.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Shop {
    /// URL slug (the folder name).
    pub slug: String,
    /// Name.
    pub name: String,
    /// Trade.
    pub trade: Trade,
    /// Description (plain text).
    pub description: String,
    /// Phone, international form.
    pub phone: String,
    /// Contact e-mail.
    pub email: Option<String>,
    /// Address.
    pub address: Address,
    /// Location.
    pub geo: Geo,
    /// Opening hours.
    pub hours: Hours,
    /// Delivery modes offered.
    pub delivery: Vec<DeliveryMode>,
    /// Minutes needed to prepare an order.
    pub preparation_minutes: u32,
    /// Date the quality charter was signed (the old `charter_signed` field, or the
    /// date of `charter`).
    pub charter_signed: Option<Date>,
    /// Its acceptance of a version of the quality charter.
    #[serde(default)]
    pub charter: Option<super::Acceptance>,
    /// Suspended by the association (`suspended = true`): off the site like a shop
    /// without the current charter's acceptance, until reactivated.
    #[serde(default)]
    pub suspended: bool,
    /// Why, when the association said (`suspended_reason`).
    #[serde(default)]
    pub suspended_reason: Option<String>,
    /// Whether shoppers see it: not suspended, and it accepted the current charter (or the
    /// town has none). Set by [`super::Catalogue::apply_charter`].
    #[serde(default = "online_by_default")]
    pub online: bool,
    /// Picture of the shop, in its images folder.
    pub image: Option<super::Image>,
    /// Last significant change.
    pub updated: Option<Date>,
}

const fn online_by_default() -> bool {
    true
}

/// `shop_toml` (a `shop.toml`'s text) with the association's suspension written in:
/// `Some(reason)` writes `suspended = true` (and `suspended_reason`, when not blank) before
/// the first table; `None` (reactivation) removes both lines. Every other line is kept as
/// written.
#[must_use]
pub fn write_suspension(shop_toml: &str, reason: Option<&str>) -> String {
    let lines: Vec<&str> = shop_toml.lines().collect();
    let first_table = lines
        .iter()
        .position(|l| l.trim_start().starts_with('['))
        .unwrap_or(lines.len());
    let ours = |l: &str| {
        l.split_once('=')
            .is_some_and(|(k, _)| matches!(k.trim(), "suspended" | "suspended_reason"))
    };
    let mut out: Vec<String> = Vec::with_capacity(lines.len() + 2);
    for (i, line) in lines.iter().enumerate() {
        if !(i < first_table && ours(line)) {
            out.push((*line).to_owned());
        }
    }
    if let Some(reason) = reason {
        let mut at = out
            .iter()
            .position(|l| l.trim_start().starts_with('['))
            .unwrap_or(out.len());
        while at > 0 && out[at - 1].trim().is_empty() {
            at -= 1;
        }
        let mut added = vec!["suspended = true".to_owned()];
        let reason = reason.trim();
        if !reason.is_empty() {
            added.push(format!(
                "suspended_reason = {}",
                super::charter::basic_string(reason)
            ));
        }
        out.splice(at..at, added);
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod suspension_tests {
    use super::write_suspension;

    #[test]
    fn a_suspension_is_written_and_removed() {
        let before = "name = \"A\"\ndelivery = []\n\n[address]\nstreet = \"x\"\n";
        let suspended = write_suspension(before, Some("Travaux \"urgents\""));
        assert_eq!(
            suspended,
            "name = \"A\"\ndelivery = []\nsuspended = true\nsuspended_reason = \"Travaux \\\"urgents\\\"\"\n\n[address]\nstreet = \"x\"\n"
        );
        let value: toml::Table = toml::from_str(&suspended).expect("TOML");
        assert_eq!(value["suspended"].as_bool(), Some(true));
        assert_eq!(
            value["suspended_reason"].as_str(),
            Some("Travaux \"urgents\"")
        );
        assert_eq!(
            write_suspension(&suspended, Some("")),
            "name = \"A\"\ndelivery = []\nsuspended = true\n\n[address]\nstreet = \"x\"\n"
        );
        assert_eq!(write_suspension(&suspended, None), before);
        assert_eq!(
            write_suspension("name = \"A\"", Some("")),
            "name = \"A\"\nsuspended = true\n"
        );
    }
}
