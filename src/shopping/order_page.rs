//! The confirmation (`/commande/confirmation/<token>`) and tracking
//! (`/commande/suivi/<token>`) pages of an order: its number, each shop's sub-order with
//! its lines, how and when it is received, its fee, its share of the offers' discount and
//! its status, the totals (with each offer applied and why) and the payment. Both are reachable only with the order's unguessable token.

use super::cart_page::fee_text;
use super::page;
use crate::delivery::calendar;
use crate::orders::{Order, SubOrder};
use comptoir_indexer::model::{Catalogue, DeliveryMode};
use comptoir_indexer::render::Site;
use jiff::civil::Date;
use maud::{Markup, html};

/// Which of the two pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderPage {
    /// Right after ordering.
    Confirmation,
    /// Any time after.
    Tracking,
}

impl OrderPage {
    /// The page's path for `token`.
    #[must_use]
    pub fn path(self, token: &str) -> String {
        match self {
            Self::Confirmation => format!("/commande/confirmation/{token}"),
            Self::Tracking => format!("/commande/suivi/{token}"),
        }
    }
}

/// The whole page.
#[must_use]
pub fn order_page(site: &Site<'_>, order: &Order, kind: OrderPage) -> String {
    let tracking = OrderPage::Tracking.path(&order.tracking_token);
    let placed = calendar::in_paris(order.placed_at);
    let body = html! {
        @match kind {
            OrderPage::Confirmation => {
                h1 { "Merci, votre commande est enregistrée" }
                p.confirm role="status" { "Commande n° " strong.order-number { (order.number) } }
                p { "Un e-mail de confirmation est envoyé à " strong { (order.contact.email) } "." }
                p { "Suivez-la à tout moment sur " a href=(tracking) { "la page de suivi de votre commande" }
                    " : gardez ce lien, il est personnel." }
            }
            OrderPage::Tracking => {
                h1 { "Suivi de la commande " span.order-number { (order.number) } }
                p { "Passée le " (calendar::french_time(&placed, site.today)) "." }
            }
        }
        @for sub in &order.shops { (sub_order(site.catalogue, sub, order, site.today)) }
        (totals(order))
        section.contact-summary aria-labelledby="coordonnees" {
            h2 #coordonnees { "Vos coordonnées" }
            p { (order.contact.name) br; (order.contact.email) br; (order.contact.phone) }
            @if let Some(a) = &order.address { p { "Adresse : " (a.street) ", " (a.postcode) " " (a.city) } }
        }
    };
    let title = match kind {
        OrderPage::Confirmation => format!("Commande {} confirmée", order.number),
        OrderPage::Tracking => format!("Suivi de la commande {}", order.number),
    };
    page(site, &title, &kind.path(&order.tracking_token), &[], body)
}

fn sub_order(catalogue: &Catalogue, sub: &SubOrder, order: &Order, today: Date) -> Markup {
    let heading = format!("commande-{}", sub.shop);
    html! {
        section.sub-order aria-labelledby=(heading) {
            h2 #(heading) { (sub.shop_name) }
            p.status { "Statut : " strong { (sub.status.label()) } }
            @if let Some(tracking) = &sub.tracking_number { p.tracking { "Numéro de suivi du colis : " strong { (tracking) } } }
            @if let Some(reason) = &sub.cancel_reason { p.cancel-reason { "Motif de l’annulation : " (reason) } }
            p.delivery { (delivery(catalogue, sub, order, today)) }
            ul.lines {
                @for line in &sub.lines {
                    li {
                        (line.quantity) " × " (line.title)
                        @if let Some(variant) = &line.variant { " (" (variant) ")" }
                        " — " (line.total)
                        @if line.quantity > 1 { " (" (line.unit_price) " l’unité)" }
                    }
                }
            }
            p { "Articles : " (sub.items_total) " · " (sub.mode.label()) " : " (fee_text(sub.fee)) }
            @if sub.discount.cents() > 0 { p.discount { "Remise sur cette boutique : −" (sub.discount) } }
        }
    }
}

/// How and when the shopper receives one shop's goods.
fn delivery(catalogue: &Catalogue, sub: &SubOrder, order: &Order, today: Date) -> String {
    let day = sub
        .day
        .map(|d| calendar::french_day(d, today))
        .unwrap_or_default();
    let slot = sub.slot.as_deref().and_then(calendar::french_slot);
    let when = match slot {
        Some(hours) => format!("le {day} {hours}"),
        None => format!("le {day}"),
    };
    let point = || {
        let id = sub.point.as_deref().unwrap_or_default();
        catalogue
            .town
            .delivery_points
            .iter()
            .find(|p| p.id == id)
            .map_or_else(
                || id.to_owned(),
                |p| {
                    format!(
                        "{}, {}, {} {}",
                        p.name, p.address.street, p.address.postcode, p.address.city
                    )
                },
            )
    };
    let address = order
        .address
        .as_ref()
        .map(|a| format!("{}, {} {}", a.street, a.postcode, a.city))
        .unwrap_or_default();
    match sub.mode {
        DeliveryMode::ClickCollect => {
            let shop = catalogue.shops.iter().find(|s| s.slug == sub.shop);
            let at = sub
                .ready_at
                .map(|t| calendar::french_time(&calendar::in_paris(t), today))
                .unwrap_or_default();
            let street = shop
                .map(|s| format!(" ({})", s.address.street))
                .unwrap_or_default();
            format!("Retrait en boutique{street}, à partir du {at}.")
        }
        DeliveryMode::Locker => format!("Consigne automatique : {}, {when}.", point()),
        DeliveryMode::Relay => format!("Point relais : {}, {when}.", point()),
        DeliveryMode::Home => format!("Livraison à domicile {when} : {address}."),
        DeliveryMode::Post => match post_estimate(catalogue, sub, today) {
            Some(estimate) => format!("Envoi postal, livré {estimate} : {address}."),
            None => format!("Envoi postal : {address}."),
        },
    }
}

/// `entre le jeudi 12 mars et le lundi 16 mars`, from when the shop ships.
fn post_estimate(catalogue: &Catalogue, sub: &SubOrder, today: Date) -> Option<String> {
    let postal = catalogue.town.postal.as_ref()?;
    let shipped = calendar::in_paris(sub.ready_at?).date();
    let day = |n| calendar::french_day(calendar::add_working_days(shipped, n), today);
    Some(format!(
        "entre le {} et le {}",
        day(postal.days_min),
        day(postal.days_max)
    ))
}

fn totals(order: &Order) -> Markup {
    html! {
        section.cart-summary aria-labelledby="totaux" {
            h2 #totaux { "Total" }
            p { "Articles : " (order.items_total) }
            @for (amount, why) in &order.discounts { p.discount { (why) " : −" (amount) } }
            p { "Retrait et livraison : " (fee_text(order.fees_total)) }
            p.total { "Total : " strong { (order.total) } }
            p.payment { "Paiement : " strong { (order.payment_status.label()) } }
        }
    }
}
