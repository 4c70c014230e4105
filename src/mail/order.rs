//! The two e-mails of an order, in French: the shopper's confirmation (every shop's part,
//! how and when to receive it, the total, the tracking link) and each shop's new-order
//! notice (its lines, the delivery, the shopper's contact).

use super::{MailError, Mailer};
use crate::delivery::calendar;
use crate::orders::{Order, SubOrder};
use comptoir_indexer::model::{Catalogue, DeliveryMode};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, Message};
use std::fmt::Write as _;

/// What [`send_order_emails`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailReport {
    /// Addresses a message went to.
    pub sent: Vec<String>,
    /// Addresses whose message failed (the error is logged).
    pub failed: Vec<String>,
    /// Shops without an e-mail address in the catalogue (slugs): tell them another way.
    pub shops_without_email: Vec<String>,
}

/// Sends the confirmation and every shop's notice; a failure is logged and reported, and
/// does not stop the other messages (the order stands either way).
pub async fn send_order_emails(
    mailer: &dyn Mailer,
    catalogue: &Catalogue,
    order: &Order,
) -> MailReport {
    let mut report = MailReport::default();
    for (recipient, message) in order_messages(catalogue, order, &mut report) {
        let outcome = match message {
            Ok(message) => mailer.send(message).await,
            Err(error) => Err(error),
        };
        match outcome {
            Ok(()) => report.sent.push(recipient),
            Err(error) => {
                tracing::error!(order = order.number, recipient, %error, "an order e-mail failed");
                report.failed.push(recipient);
            }
        }
    }
    report
}

/// Every message of `order`, with its recipient; shops without an address are noted in
/// `report`.
pub fn order_messages(
    catalogue: &Catalogue,
    order: &Order,
    report: &mut MailReport,
) -> Vec<(String, Result<Message, MailError>)> {
    let mut messages = vec![(order.contact.email.clone(), confirmation(catalogue, order))];
    for sub in &order.shops {
        let email = catalogue
            .shops
            .iter()
            .find(|s| s.slug == sub.shop)
            .and_then(|s| s.email.clone());
        match email {
            Some(email) => {
                let message = shop_notice(catalogue, order, sub, &email);
                messages.push((email, message));
            }
            None => report.shops_without_email.push(sub.shop.clone()),
        }
    }
    messages
}

pub(super) fn mailbox(name: &str, address: &str) -> Result<Mailbox, MailError> {
    let email = address
        .trim()
        .parse()
        .map_err(|source| MailError::Address {
            address: address.to_owned(),
            source,
        })?;
    Ok(Mailbox::new(Some(name.to_owned()), email))
}

pub(super) fn message(
    catalogue: &Catalogue,
    to: Mailbox,
    subject: String,
    text: String,
) -> Result<Message, MailError> {
    let town = &catalogue.town;
    // Quoted-printable always: any server takes it (no 8BITMIME needed), every client
    // decodes it, and accented text stays half readable in the outbox files.
    let body = Body::new_with_encoding(text, ContentTransferEncoding::QuotedPrintable)
        .map_err(|_| MailError::Encoding)?;
    Ok(Message::builder()
        .from(mailbox(&town.site_name, &town.email)?)
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body)?)
}

/// The shopper's confirmation.
fn confirmation(catalogue: &Catalogue, order: &Order) -> Result<Message, MailError> {
    let town = &catalogue.town;
    let today = order.price_day;
    let placed = calendar::french_time(&calendar::in_paris(order.placed_at), today);
    let mut text = format!(
        "Bonjour {},\n\nMerci pour votre commande {} sur {}, passée le {placed}.\n",
        order.contact.name, order.number, town.site_name
    );
    for sub in &order.shops {
        let _ = write!(text, "\n{} — {}\n", sub.shop_name, sub.mode.label());
        write_lines(&mut text, sub);
        let _ = writeln!(text, "  {}", delivery_sentence(catalogue, order, sub));
        let _ = writeln!(text, "  Frais de livraison : {}", fee(sub));
    }
    for (amount, why) in &order.discounts {
        let _ = write!(text, "\nRemise — {why} : −{}", amount.to_french());
    }
    if !order.discounts.is_empty() {
        text.push('\n');
    }
    let _ = write!(
        text,
        "\nTotal : {} (dont {} de livraison)\nPaiement : {}.\n\nSuivez votre commande : {}\n\nChaque boutique prépare sa partie ; le suivi indique où elle en est.\n\n-- \n{} · {} · {}\n",
        order.total.to_french(),
        order.fees_total.to_french(),
        order.payment_status.label().to_lowercase(),
        catalogue.absolute(&format!("/commande/suivi/{}", order.tracking_token)),
        town.site_name,
        town.email,
        town.phone
    );
    let to = mailbox(&order.contact.name, &order.contact.email)?;
    message(
        catalogue,
        to,
        format!("Votre commande {}", order.number),
        text,
    )
}

/// One shop's new-order notice.
fn shop_notice(
    catalogue: &Catalogue,
    order: &Order,
    sub: &SubOrder,
    email: &str,
) -> Result<Message, MailError> {
    let contact = &order.contact;
    let mut text = format!(
        "Nouvelle commande {} pour {}.\n\nClient : {}\nE-mail : {}\nTéléphone : {}\n\n",
        order.number, sub.shop_name, contact.name, contact.email, contact.phone
    );
    write_lines(&mut text, sub);
    let _ = write!(
        text,
        "\nSous-total : {}{}\nFrais de livraison : {}\n\n{} — {}\n",
        sub.items_total.to_french(),
        shop_discount(sub),
        fee(sub),
        sub.mode.label(),
        delivery_sentence(catalogue, order, sub)
    );
    let _ = write!(
        text,
        "Paiement : {}.\n\nAcceptez-la depuis votre espace commerçant : {}\n",
        order.payment_status.label().to_lowercase(),
        catalogue.absolute("/espace-commercant/")
    );
    message(
        catalogue,
        mailbox(&sub.shop_name, email)?,
        format!("Nouvelle commande {}", order.number),
        text,
    )
}

pub(super) fn write_lines(text: &mut String, sub: &SubOrder) {
    for line in &sub.lines {
        let variant = line
            .variant
            .as_ref()
            .map(|v| format!(" ({v})"))
            .unwrap_or_default();
        let _ = writeln!(
            text,
            "  {} × {}{variant} [{}] : {}",
            line.quantity,
            line.title,
            line.sku,
            line.total.to_french()
        );
    }
}

/// The shop's share of the offers' discount, when it has one: the association's offers
/// lower what the shopper pays this shop.
fn shop_discount(sub: &SubOrder) -> String {
    if sub.discount.cents() == 0 {
        return String::new();
    }
    let due = sub.items_total.cents() - sub.discount.cents() + sub.fee.cents();
    format!(
        "\nRemise des offres de l’association : −{}\nÀ encaisser (livraison comprise) : {}",
        sub.discount.to_french(),
        comptoir_indexer::Money::from_cents(due).to_french()
    )
}

fn fee(sub: &SubOrder) -> String {
    if sub.fee.cents() == 0 {
        "offerts".to_owned()
    } else {
        sub.fee.to_french()
    }
}

/// "À retirer à la boutique (…) à partir du mardi 10 mars à 09:30." and the like.
pub(super) fn delivery_sentence(catalogue: &Catalogue, order: &Order, sub: &SubOrder) -> String {
    let today = order.price_day;
    let day = sub
        .day
        .map(|d| calendar::french_day(d, today))
        .unwrap_or_default();
    let slot = sub
        .slot
        .as_deref()
        .and_then(calendar::french_slot)
        .map(|hours| format!(" {hours}"))
        .unwrap_or_default();
    let point = sub
        .point
        .as_deref()
        .and_then(|id| catalogue.town.delivery_points.iter().find(|p| p.id == id));
    let place = point.map(|p| {
        format!(
            "{} ({}, {} {})",
            p.name, p.address.street, p.address.postcode, p.address.city
        )
    });
    let address = order
        .address
        .as_ref()
        .map(|a| format!("{}, {} {}", a.street, a.postcode, a.city))
        .unwrap_or_default();
    match sub.mode {
        DeliveryMode::ClickCollect => {
            let shop = catalogue.shops.iter().find(|s| s.slug == sub.shop);
            let at = shop.map(|s| {
                format!(
                    " ({}, {} {})",
                    s.address.street, s.address.postcode, s.address.city
                )
            });
            let ready = sub
                .ready_at
                .map(|r| calendar::french_time(&calendar::in_paris(r), today));
            format!(
                "Retrait à la boutique{} à partir du {}.",
                at.unwrap_or_default(),
                ready.unwrap_or_default()
            )
        }
        DeliveryMode::Locker => format!(
            "À retirer à : {}, à partir du {day}.",
            place.unwrap_or_default()
        ),
        DeliveryMode::Relay => format!(
            "À retirer à : {}, le {day}{slot}.",
            place.unwrap_or_default()
        ),
        DeliveryMode::Home => format!("Livraison au {address}, le {day}{slot}."),
        DeliveryMode::Post => format!("Envoi postal au {address}."),
    }
}
