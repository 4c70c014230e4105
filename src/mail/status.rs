//! The shopper's e-mails when a shop moves its part of an order: ready to collect, out for
//! delivery, shipped (with the tracking number), cancelled (with the shop's reason). In
//! French, like the confirmation, with the tracking link.

use super::order::{delivery_sentence, mailbox, message, write_lines};
use super::{MailError, Mailer};
use crate::orders::{Order, Status, SubOrder};
use comptoir_indexer::model::Catalogue;
use lettre::message::Message;
use std::fmt::Write as _;

/// Tells the shopper of `order` that the sub-order of `shop` reached its current status,
/// for the statuses the shopper hears of (ready, out for delivery, shipped, cancelled);
/// a failure is logged, the status stands either way. Returns whether a message went.
pub async fn send_status_email(
    mailer: &dyn Mailer,
    catalogue: &Catalogue,
    order: &Order,
    shop: &str,
) -> bool {
    let Some(message) = status_message(catalogue, order, shop) else {
        return false;
    };
    let outcome = match message {
        Ok(message) => mailer.send(message).await,
        Err(error) => Err(error),
    };
    outcome
        .inspect_err(|error| {
            tracing::error!(order = order.number, shop, %error, "a status e-mail failed");
        })
        .is_ok()
}

/// The message for the sub-order of `shop` as it stands; `None` when the shopper is not
/// told of that status (accepted, completed) or the order has no such sub-order.
pub fn status_message(
    catalogue: &Catalogue,
    order: &Order,
    shop: &str,
) -> Option<Result<Message, MailError>> {
    let sub = order.shop(shop)?;
    let (subject, news) = match sub.status {
        Status::Ready => ("est prête", ready_text(catalogue, order, sub)),
        Status::OutForDelivery => ("est en route", on_the_way_text(catalogue, order, sub)),
        Status::Shipped => ("est expédiée", shipped_text(sub)),
        Status::Cancelled => ("est annulée", cancelled_text(sub)),
        Status::Placed | Status::Accepted | Status::Completed => return None,
    };
    let town = &catalogue.town;
    let mut text = format!("Bonjour {},\n\n{news}\n\n", order.contact.name);
    write_lines(&mut text, sub);
    let _ = write!(
        text,
        "\nSuivez votre commande : {}\n\n-- \n{} · {} · {}\n",
        catalogue.absolute(&format!("/commande/suivi/{}", order.tracking_token)),
        town.site_name,
        town.email,
        town.phone
    );
    let subject = format!(
        "Votre commande {} chez {} {subject}",
        order.number, sub.shop_name
    );
    Some(
        mailbox(&order.contact.name, &order.contact.email)
            .and_then(|to| message(catalogue, to, subject, text)),
    )
}

fn ready_text(catalogue: &Catalogue, order: &Order, sub: &SubOrder) -> String {
    format!(
        "{} a préparé votre commande {} : elle vous attend.\n{}",
        sub.shop_name,
        order.number,
        delivery_sentence(catalogue, order, sub)
    )
}

fn on_the_way_text(catalogue: &Catalogue, order: &Order, sub: &SubOrder) -> String {
    format!(
        "Votre commande {} chez {} est partie en livraison.\n{}",
        order.number,
        sub.shop_name,
        delivery_sentence(catalogue, order, sub)
    )
}

fn shipped_text(sub: &SubOrder) -> String {
    let tracking = sub
        .tracking_number
        .as_deref()
        .map(|t| format!("\nNuméro de suivi du transporteur : {t}"))
        .unwrap_or_default();
    format!(
        "{} a remis votre colis à La Poste.{tracking}",
        sub.shop_name
    )
}

fn cancelled_text(sub: &SubOrder) -> String {
    let reason = sub
        .cancel_reason
        .as_deref()
        .map(|r| format!("\nMotif : {r}"))
        .unwrap_or_default();
    format!(
        "{} a dû annuler sa partie de votre commande.{reason}\nCes articles ne vous seront pas facturés. Nous sommes désolés pour ce contretemps.",
        sub.shop_name
    )
}
