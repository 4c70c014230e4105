//! The town: the marketplace's identity, address and delivery network.

use super::delivery::{DeliveryPoint, HomeDelivery, Postal};

/// A French postal address.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Address {
    /// Number and street.
    pub street: String,
    /// Five-digit postcode.
    pub postcode: String,
    /// Town.
    pub city: String,
}

/// The town and its marketplace.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Town {
    /// The town's name ("Sceaux").
    pub name: String,
    /// The marketplace's name, in every page title.
    pub site_name: String,
    /// Absolute origin of canonical URLs, without trailing slash.
    pub base_url: String,
    /// One line under the site name.
    pub tagline: String,
    /// The home page's description.
    pub description: String,
    /// Contact e-mail.
    pub email: String,
    /// Contact phone, international form (`+33 1 41 13 33 00`).
    pub phone: String,
    /// The association's address.
    pub address: Address,
    /// Postcodes served by home delivery.
    pub postcodes: Vec<String>,
    /// Days a shopper has to return an item.
    pub return_days: u32,
    /// Parcel lockers and relay points.
    pub delivery_points: Vec<DeliveryPoint>,
    /// Delivery at home in town, when offered.
    pub home_delivery: Option<HomeDelivery>,
    /// Postal shipping, when offered.
    pub postal: Option<Postal>,
}
