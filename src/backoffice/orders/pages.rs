//! The orders pages, drawn: the list with its tabs per status, and one order's detail with
//! its actions and history. Merchant's words for statuses ("nouvelle", "à préparer"…).

use super::{MAX_REASON, Problems};
use crate::backoffice::Merchant;
use crate::backoffice::layout::{self, csrf_field};
use crate::delivery::calendar;
use crate::orders::{Event, Order, ShopOrder, Status, SubOrder};
use comptoir_indexer::model::DeliveryMode;
use jiff::Timestamp;
use jiff::civil::Date;
use maud::{Markup, html};
use std::collections::HashMap;

/// Each status's tab: URL key, plural label (tab), singular label (an order's status).
const TABS: [(Status, &str, &str, &str); 7] = [
    (Status::Placed, "nouvelles", "Nouvelles", "Nouvelle"),
    (Status::Accepted, "a-preparer", "À préparer", "À préparer"),
    (Status::Ready, "pretes", "Prêtes", "Prête"),
    (
        Status::OutForDelivery,
        "en-livraison",
        "En livraison",
        "En livraison",
    ),
    (Status::Shipped, "expediees", "Expédiées", "Expédiée"),
    (Status::Completed, "terminees", "Terminées", "Terminée"),
    (Status::Cancelled, "annulees", "Annulées", "Annulée"),
];

fn tab(status: Status) -> (Status, &'static str, &'static str, &'static str) {
    TABS.into_iter().find(|t| t.0 == status).unwrap_or(TABS[0])
}

/// The status of the tab `key` (`nouvelles`…).
pub fn status_of_tab(key: &str) -> Option<Status> {
    TABS.iter().find(|t| t.1 == key).map(|t| t.0)
}

/// The merchant's word for `status` ("Nouvelle", "À préparer"…).
#[must_use]
pub fn label(status: Status) -> &'static str {
    tab(status).3
}

fn when(at: Timestamp, today: Date) -> String {
    calendar::french_time(&calendar::in_paris(at), today)
}

/// The list: tabs with counts, then the orders, newest first.
pub fn list(
    merchant: &Merchant,
    current: Option<Status>,
    counts: &HashMap<Status, u32>,
    shown: &[ShopOrder],
) -> Markup {
    let total: u32 = counts.values().sum();
    html! {
        h1 { "Commandes" }
        nav.tabs aria-label="Commandes par statut" {
            ul {
                li { (tab_link("Toutes", "/espace-commercant/commandes", total, current.is_none())) }
                @for (status, key, plural, _) in TABS {
                    li { (tab_link(plural, &format!("/espace-commercant/commandes?statut={key}"),
                        counts.get(&status).copied().unwrap_or(0), current == Some(status))) }
                }
            }
        }
        @if shown.is_empty() {
            p { "Aucune commande ici pour le moment." }
        } @else {
            ul.orders {
                @for order in shown { (row(merchant, order)) }
            }
        }
        @if shown.len() >= usize::try_from(crate::orders::SHOP_LIST_LIMIT).unwrap_or(usize::MAX) {
            p.hint { "Seules les " (crate::orders::SHOP_LIST_LIMIT) " commandes les plus récentes sont affichées." }
        }
    }
}

fn tab_link(label: &str, href: &str, count: u32, current: bool) -> Markup {
    html! {
        @if current {
            a href=(href) aria-current="page" { strong { (label) } " " span.count { "(" (count) ")" } }
        } @else {
            a href=(href) { (label) " " span.count { "(" (count) ")" } }
        }
    }
}

fn row(merchant: &Merchant, order: &ShopOrder) -> Markup {
    let today = merchant.today;
    html! {
        li.order data-status=(order.status.key()) {
            a href={ "/espace-commercant/commandes/" (order.number) } {
                strong { (order.number) }
            }
            " " span.status { (label(order.status)) }
            br;
            (order.name) " · " (order.items_total.to_french())
            br;
            small {
                "Passée le " (when(order.placed_at, today)) " · " (order.mode.label())
                @if let Some(day) = order.day { " · " (calendar::french_day(day, today)) }
                @if let Some(slot) = order.slot.as_deref().and_then(calendar::french_slot) { " " (slot) }
            }
        }
    }
}

/// The notice after a move.
pub fn done_notice(status: Status) -> String {
    let what = match status {
        Status::Placed => "enregistrée",
        Status::Accepted => "acceptée : elle est à préparer",
        Status::Ready => "prête : le client est prévenu par e-mail",
        Status::OutForDelivery => "partie en livraison : le client est prévenu par e-mail",
        Status::Shipped => "expédiée : le client a reçu le numéro de suivi par e-mail",
        Status::Completed => "terminée",
        Status::Cancelled => {
            "annulée : le stock est remis en vente et le client est prévenu par e-mail"
        }
    };
    format!("Commande {what}.")
}

/// One order's page.
pub fn detail(
    merchant: &Merchant,
    order: &Order,
    sub: &SubOrder,
    history: &[Event],
    notice: Option<&str>,
    problems: &Problems,
) -> Markup {
    let today = merchant.today;
    html! {
        p { a href="/espace-commercant/commandes" { "← Toutes les commandes" } }
        h1 { "Commande " (order.number) }
        @if let Some(notice) = notice { p.notice role="status" { (notice) } }
        @if let Some(alert) = &problems.alert { (layout::alert(alert)) }
        p.order-status { "Statut : " strong { (label(sub.status)) } " · passée le " (when(order.placed_at, today)) }
        (actions(merchant, order, sub, problems))
        section aria-labelledby="articles" {
            h2 #articles { "Articles" }
            ul.lines {
                @for line in &sub.lines {
                    li {
                        (line.quantity) " × " (line.title)
                        @if let Some(v) = &line.variant { " (" (v) ")" }
                        " " small { "réf. " (line.sku) } " : " (line.total.to_french())
                    }
                }
            }
            p { "Sous-total : " (sub.items_total.to_french()) " · livraison : " (sub.fee.to_french()) }
            @if sub.discount.cents() > 0 {
                p.discount {
                    "Remise des offres de l’association : −" (sub.discount.to_french())
                    " · à encaisser : " (comptoir_indexer::Money::from_cents(sub.items_total.cents() - sub.discount.cents() + sub.fee.cents()).to_french())
                }
            }
            p { "Paiement : " (order.payment_status.label()) }
        }
        section aria-labelledby="livraison" {
            h2 #livraison { "Livraison" }
            (delivery(merchant, order, sub))
            @if let Some(tracking) = &sub.tracking_number { p { "Numéro de suivi : " strong { (tracking) } } }
            @if let Some(reason) = &sub.cancel_reason { p { "Motif d’annulation : " (reason) } }
        }
        section aria-labelledby="client" {
            h2 #client { "Client" }
            p {
                (order.contact.name) br;
                a href={ "mailto:" (order.contact.email) } { (order.contact.email) } br;
                a href={ "tel:" (order.contact.phone.replace(' ', "")) } { (order.contact.phone) }
            }
        }
        section aria-labelledby="historique" {
            h2 #historique { "Historique" }
            ol.history {
                li { (when(order.placed_at, today)) " — commande passée par le client" }
                @for event in history {
                    li {
                        (when(event.at, today)) " — « " (label(event.from)) " » → « " (label(event.to)) " », par " (event.by.french())
                        @if let Some(reason) = &event.reason { " · motif : " (reason) }
                        @if let Some(tracking) = &event.tracking { " · suivi : " (tracking) }
                    }
                }
            }
        }
    }
}

fn delivery(merchant: &Merchant, order: &Order, sub: &SubOrder) -> Markup {
    let today = merchant.today;
    let catalogue = &merchant.catalogue;
    let point = sub
        .point
        .as_deref()
        .and_then(|id| catalogue.town.delivery_points.iter().find(|p| p.id == id));
    html! {
        p {
            strong { (sub.mode.label()) }
            @if let Some(day) = sub.day { " · " (calendar::french_day(day, today)) }
            @if let Some(slot) = sub.slot.as_deref().and_then(calendar::french_slot) { " " (slot) }
        }
        @if let Some(point) = point {
            p { (point.name) " — " (point.address.street) ", " (point.address.postcode) " " (point.address.city) }
        }
        @if matches!(sub.mode, DeliveryMode::Home | DeliveryMode::Post) {
            @if let Some(a) = &order.address { p { "Adresse : " (a.street) ", " (a.postcode) " " (a.city) } }
        }
        @if let Some(ready) = sub.ready_at {
            p { "Promise pour le " (when(ready, today)) }
        }
    }
}

/// The moves allowed from where the sub-order stands, one form each.
fn actions(merchant: &Merchant, order: &Order, sub: &SubOrder, problems: &Problems) -> Markup {
    let next: Vec<Status> = Status::ALL
        .into_iter()
        .filter(|&to| to != Status::Cancelled && sub.status.can_become(to, sub.mode))
        .collect();
    let can_cancel = sub.status.can_become(Status::Cancelled, sub.mode);
    let action = format!("/espace-commercant/commandes/{}", order.number);
    html! {
        @if !next.is_empty() || can_cancel {
            section.actions aria-labelledby="actions" {
                h2 #actions { "Actions" }
                @for to in next {
                    form method="post" action=(action) {
                        (csrf_field(merchant))
                        input type="hidden" name="vers" value=(to.key());
                        @if to == Status::Shipped {
                            (layout::field("suivi", "Numéro de suivi du colis", "text", &problems.typed_tracking, problems.tracking.as_deref()))
                        }
                        button.button type="submit" { (button_label(to, sub.mode)) }
                    }
                }
                @if can_cancel {
                    form.cancel method="post" action=(action) {
                        (csrf_field(merchant))
                        input type="hidden" name="vers" value=(Status::Cancelled.key());
                        (reason_field(problems))
                        button.secondary type="submit" { "Annuler la commande" }
                    }
                }
            }
        }
    }
}

fn reason_field(problems: &Problems) -> Markup {
    let error = problems.reason.as_deref();
    html! {
        div.field {
            label for="f-motif" { "Motif de l’annulation (envoyé au client)" }
            textarea id="f-motif" name="motif" rows="2" maxlength=(MAX_REASON) required
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| "f-motif-error")] { (problems.typed_reason) }
            @if let Some(message) = error { p.field-error id="f-motif-error" { (message) } }
        }
    }
}

fn button_label(to: Status, mode: DeliveryMode) -> &'static str {
    match (to, mode) {
        (Status::Accepted, _) => "Accepter la commande",
        (Status::Ready, _) => "Marquer prête",
        (Status::OutForDelivery, _) => "Partie en livraison",
        (Status::Shipped, _) => "Marquer expédiée",
        (Status::Completed, DeliveryMode::ClickCollect) => "Remise au client",
        (Status::Completed, DeliveryMode::Locker | DeliveryMode::Relay) => "Retirée par le client",
        (Status::Completed, DeliveryMode::Home | DeliveryMode::Post) => "Livrée",
        (Status::Placed | Status::Cancelled, _) => "Annuler",
    }
}
