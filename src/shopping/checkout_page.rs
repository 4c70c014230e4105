//! `/commande`: the checkout form. Contact details; for each shop, a fieldset of radio
//! buttons, one per way to receive its goods ([`super::delivery_choice`]); the address,
//! needed only for home delivery and post (the stylesheet hides it while no chosen mode
//! needs it, where browsers support `:has()`; without that it simply shows); payment.
//! Refilled with French messages beside each field (`aria-invalid`, `aria-describedby`)
//! and a summary at the top (`role="alert"`) when it comes back.

use super::checkout_form::{EXPECTED_ITEMS, FormValues, KEY};
use super::delivery_choice::{ShopChoice, shop_fieldset};
use super::{csrf_field, page};
use crate::delivery::{ModeOption, ShopOptions};
use crate::offers::Discounts;
use crate::orders::FieldError;
use crate::pricing::PricedCart;
use comptoir_indexer::Money;
use comptoir_indexer::render::Site;
use maud::{Markup, html};

/// What the form shows.
pub struct CheckoutView<'a> {
    /// The cart, priced.
    pub priced: &'a PricedCart,
    /// What the offers take off.
    pub discounts: &'a Discounts,
    /// Each shop's options now.
    pub options: &'a [ShopOptions],
    /// The fields' values.
    pub values: &'a FormValues,
    /// The CSRF token.
    pub csrf: &'a str,
    /// Problems with fields.
    pub field_errors: &'a [FieldError],
    /// Why the order was not placed (summary at the top).
    pub alert: Option<String>,
    /// A problem with one shop's delivery: its slug and the message.
    pub shop_error: Option<(String, String)>,
    /// How the shopper pays ("Payer au retrait ou à la livraison").
    pub payment: &'a str,
}

/// The whole page.
#[must_use]
pub fn checkout_page(site: &Site<'_>, view: &CheckoutView<'_>) -> String {
    let catalogue = site.catalogue;
    let items = Money::from_cents(view.priced.items_total.cents() - view.discounts.total.cents());
    let body = html! {
        h1 { "Commander" }
        (error_summary(view))
        form.checkout method="post" action="/commande" novalidate {
            (csrf_field(view.csrf))
            input type="hidden" name=(KEY) value=(view.values.key);
            // Net of the discounts: an offer that ends meanwhile changes the total seen.
            input type="hidden" name=(EXPECTED_ITEMS) value=(items.cents());
            (contact(view))
            h2 { "Retrait et livraison, boutique par boutique" }
            @for basket in &view.priced.shops { (shop_fieldset(&ShopChoice {
                catalogue,
                today: site.today,
                basket,
                options: options_of(view, basket.shop),
                chosen: view.values.choices.get(&catalogue.shops[basket.shop].slug).map(String::as_str),
                error: shop_error(view, &catalogue.shops[basket.shop].slug),
            })) }
            (address(view))
            section.payment aria-labelledby="paiement" {
                h2 #paiement { "Paiement" }
                p { strong { (view.payment) } " : chaque boutique encaisse sa part quand elle vous remet vos articles." }
            }
            div.cart-summary {
                @for applied in &view.discounts.applied {
                    p.discount { (applied.why) " : −" (applied.amount) }
                }
                p.total { "Total des articles : " strong { (items) } }
                p.hint { "S’y ajoutent les frais des modes choisis ci-dessus. Le total exact s’affiche sur la confirmation." }
                button.button type="submit" { "Valider la commande" }
                p { a href="/panier" { "Modifier mon panier" } }
            }
        }
    };
    page(
        site,
        "Commander",
        "/commande",
        &[("Panier", "/panier"), ("Commande", "/commande")],
        body,
    )
}

/// The message about the shop `slug`'s delivery, if that is what was refused.
fn shop_error<'a>(view: &'a CheckoutView<'_>, slug: &str) -> Option<&'a str> {
    view.shop_error
        .as_ref()
        .filter(|(shop, _)| shop == slug)
        .map(|(_, message)| message.as_str())
}

fn options_of<'a>(view: &'a CheckoutView<'_>, shop: usize) -> &'a [ModeOption] {
    view.options
        .iter()
        .find(|o| o.shop == shop)
        .map_or(&[], |o| o.options.as_slice())
}

fn error_summary(view: &CheckoutView<'_>) -> Markup {
    let any = view.alert.is_some() || !view.field_errors.is_empty();
    html! {
        @if any {
            div.error-summary role="alert" tabindex="-1" {
                h2 { "Votre commande n’est pas encore passée" }
                @if let Some(alert) = &view.alert { p { (alert) } }
                @if !view.field_errors.is_empty() {
                    ul { @for e in view.field_errors {
                        li { a href={ "#" (field_id(e.field)) } { (e.message) } }
                    } }
                }
            }
        }
    }
}

/// The element a field error points to (the idempotency key has no visible field).
fn field_id(field: &str) -> &str {
    if field == "idempotency_key" {
        "contact"
    } else {
        field
    }
}

/// One labelled input, with its error beside it.
struct Input<'a> {
    name: &'static str,
    label: &'a str,
    kind: &'static str,
    autocomplete: &'static str,
    value: &'a str,
}

fn input(field: &Input<'_>, errors: &[FieldError]) -> Markup {
    let error = errors.iter().find(|e| e.field == field.name);
    let error_id = format!("{}-erreur", field.name);
    html! {
        div.field {
            label for=(field.name) { (field.label) }
            @if let Some(e) = error { p.field-error id=(error_id) { (e.message) } }
            input id=(field.name) name=(field.name) type=(field.kind) value=(field.value)
                autocomplete=(field.autocomplete)
                inputmode=[(field.name == "postcode").then_some("numeric")]
                maxlength=[(field.name == "postcode").then_some("5")]
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| error_id.as_str())];
        }
    }
}

fn contact(view: &CheckoutView<'_>) -> Markup {
    let v = view.values;
    let fields = [
        Input {
            name: "name",
            label: "Nom et prénom",
            kind: "text",
            autocomplete: "name",
            value: &v.name,
        },
        Input {
            name: "email",
            label: "E-mail (pour la confirmation)",
            kind: "email",
            autocomplete: "email",
            value: &v.email,
        },
        Input {
            name: "phone",
            label: "Téléphone (pour les boutiques)",
            kind: "tel",
            autocomplete: "tel",
            value: &v.phone,
        },
    ];
    html! {
        fieldset.contact #contact {
            legend { "Vos coordonnées" }
            @for f in &fields { (input(f, view.field_errors)) }
        }
    }
}

fn address(view: &CheckoutView<'_>) -> Markup {
    let v = view.values;
    let fields = [
        Input {
            name: "street",
            label: "Numéro et rue",
            kind: "text",
            // "street-address" is for a multi-line field (a textarea): one line is "address-line1".
            autocomplete: "address-line1",
            value: &v.street,
        },
        Input {
            name: "postcode",
            label: "Code postal",
            kind: "text",
            autocomplete: "postal-code",
            value: &v.postcode,
        },
        Input {
            name: "city",
            label: "Ville",
            kind: "text",
            autocomplete: "address-level2",
            value: &v.city,
        },
    ];
    html! {
        fieldset.address #adresse aria-describedby="adresse-aide" {
            legend { "Adresse de livraison" }
            p.hint #adresse-aide { "Seulement pour la livraison à domicile et l’envoi postal." }
            @for f in &fields { (input(f, view.field_errors)) }
        }
    }
}
