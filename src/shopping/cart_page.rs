//! `/panier`: the cart's lines grouped by shop with each shop's subtotal and the ways it
//! delivers, forms to change a quantity or remove a line, and the way to checkout. A
//! line that cannot be ordered (withdrawn, sold out, fewer left) stays, marked, with what
//! to do. Under them, the offers that apply and why, the promo-code form, and the
//! total after discounts.

use super::{csrf_field, page};
use crate::cart::{CartLine, MAX_QUANTITY};
use crate::delivery::{self, points};
use crate::offers::Discounts;
use crate::pricing::{Availability, PricedCart, PricedLine, ShopBasket};
use comptoir_indexer::Money;
use comptoir_indexer::model::{Catalogue, DeliveryMode, PointKind};
use comptoir_indexer::render::{Site, shop_path};
use maud::{Markup, html};

/// What the cart page shows.
pub struct CartView<'a> {
    /// The cart, priced.
    pub priced: &'a PricedCart,
    /// The CSRF token of its forms (`None`: no cart yet, so no forms).
    pub csrf: Option<&'a str>,
    /// The SKU just added, to confirm it.
    pub added: Option<&'a str>,
    /// Why the last change was refused.
    pub alert: Option<&'a str>,
    /// What the offers take off, with the code the cart holds.
    pub discounts: &'a Discounts,
    /// Today, Paris time (which offers run).
    pub today: jiff::civil::Date,
    /// The code the cart holds, if any.
    pub held_code: Option<&'a str>,
    /// The code as the shopper typed it, when it was just refused.
    pub typed_code: Option<&'a str>,
}

/// The whole page.
#[must_use]
pub fn cart_page(site: &Site<'_>, view: &CartView<'_>) -> String {
    let priced = view.priced;
    let empty = priced.shops.is_empty() && priced.unknown.is_empty();
    let body = html! {
        h1 { "Votre panier" }
        @if let Some(alert) = view.alert { p.error.notice role="alert" { (alert) } }
        @if let Some(line) = view.added.and_then(|sku| find_line(priced, sku)) {
            p.confirm role="status" { "« " (line.title) " » est dans votre panier." }
        }
        @if empty {
            (empty_cart())
        } @else {
            @for basket in &priced.shops { (shop_section(site.catalogue, basket, view.csrf)) }
            @if !priced.unknown.is_empty() { (unknown_lines(&priced.unknown, view.csrf)) }
            (offers_section(site.catalogue, view))
            (summary(priced, view.discounts))
        }
    };
    page(
        site,
        "Votre panier",
        "/panier",
        &[("Panier", "/panier")],
        body,
    )
}

fn find_line<'a>(priced: &'a PricedCart, sku: &str) -> Option<&'a PricedLine> {
    priced
        .shops
        .iter()
        .flat_map(|b| &b.lines)
        .find(|l| l.sku == sku)
}

fn empty_cart() -> Markup {
    html! {
        p.empty { "Votre panier est vide." }
        p { "Trouvez le pain du jour, un fromage affiné ou un cadeau chez les commerçants de la ville :" }
        ul.next-steps {
            li { a href="/boutiques/" { "Voir les boutiques" } }
            li { a href="/recherche" { "Rechercher un produit" } }
            li { a href="/" { "Retour à l’accueil" } }
        }
    }
}

fn shop_section(catalogue: &Catalogue, basket: &ShopBasket, csrf: Option<&str>) -> Markup {
    let shop = &catalogue.shops[basket.shop];
    let heading = format!("boutique-{}", shop.slug);
    html! {
        section.basket aria-labelledby=(heading) {
            h2 #(heading) { a href=(shop_path(catalogue, basket.shop)) { (shop.name) } }
            ul.lines { @for line in &basket.lines { (line_item(catalogue, line, csrf)) } }
            p.subtotal { "Sous-total " (shop.name) " : " strong { (basket.subtotal) } }
            @if basket.modes.is_empty() {
                p.problem { "Aucun mode de retrait ou de livraison ne convient à tous ces articles : commandez-les séparément." }
            } @else {
                h3.modes-title { "Retrait et livraison proposés" }
                ul.modes { @for mode in &basket.modes { li { (mode_summary(catalogue, basket, *mode)) } } }
            }
        }
    }
}

fn line_item(catalogue: &Catalogue, line: &PricedLine, csrf: Option<&str>) -> Markup {
    let product = &catalogue.products[line.product];
    let available = line.availability == Availability::Available;
    html! {
        li.line.unavailable[!available] {
            p.item {
                @if catalogue.is_public(product) { a href=(catalogue.product_path(product)) { (line.title) } }
                @else { (line.title) }
                @if let Some(variant) = &line.variant { " " span.variant { "(" (variant) ")" } }
            }
            p.unit { "Prix unitaire : " (unit_price(line)) }
            @if let Some(problem) = problem(line.availability) { p.problem { (problem) } }
            @if let Some(token) = csrf { (quantity_form(line, token)) (remove_form(&line.sku, &line.title, token)) }
            p.line-total { "Total : " strong { (line.total) } }
        }
    }
}

/// The price of one, the regular price struck through during a sale (as product pages).
fn unit_price(line: &PricedLine) -> Markup {
    html! {
        @if line.unit_price < line.regular_price {
            ins { span.visually-hidden { "Prix soldé : " } (line.unit_price) }
            " " del { span.visually-hidden { "Prix normal : " } (line.regular_price) }
        } @else {
            (line.unit_price)
        }
    }
}

/// What the shopper must do about a line that cannot be ordered.
#[must_use]
pub fn problem(availability: Availability) -> Option<String> {
    match availability {
        Availability::Available => None,
        Availability::Withdrawn => {
            Some("Cet article n’est plus en vente : retirez-le pour commander.".to_owned())
        }
        Availability::Short { left: 0 } => {
            Some("Épuisé : retirez-le de votre panier pour commander.".to_owned())
        }
        Availability::Short { left } => Some(format!(
            "Il n’en reste que {left} : réduisez la quantité pour commander."
        )),
    }
}

fn quantity_form(line: &PricedLine, token: &str) -> Markup {
    let id = format!("quantite-{}", line.sku);
    html! {
        form.quantity method="post" action="/panier/quantite" {
            (csrf_field(token))
            input type="hidden" name="sku" value=(line.sku);
            label for=(id) { "Quantité" }
            input #(id) type="number" name="quantity" value=(line.quantity) min="0"
                max=(MAX_QUANTITY) inputmode="numeric" required;
            button type="submit" { "Modifier" span.visually-hidden { " la quantité (" (line.title) ")" } }
        }
    }
}

fn remove_form(sku: &str, title: &str, token: &str) -> Markup {
    html! {
        form.remove method="post" action="/panier/retirer" {
            (csrf_field(token))
            input type="hidden" name="sku" value=(sku);
            button.secondary type="submit" { "Retirer" span.visually-hidden { " " (title) " du panier" } }
        }
    }
}

fn unknown_lines(lines: &[CartLine], csrf: Option<&str>) -> Markup {
    html! {
        section.basket aria-labelledby="disparus" {
            h2 #disparus { "Articles qui ne sont plus en vente" }
            ul.lines {
                @for line in lines {
                    li.line.unavailable {
                        p.item { "Référence " (line.sku) " (" (line.quantity) ")" }
                        p.problem { "Cet article a été retiré du site : retirez-le pour commander." }
                        @if let Some(token) = csrf { (remove_form(&line.sku, &line.sku, token)) }
                    }
                }
            }
        }
    }
}

fn summary(priced: &PricedCart, discounts: &Discounts) -> Markup {
    let net = Money::from_cents(priced.items_total.cents() - discounts.total.cents());
    html! {
        div.cart-summary {
            @if discounts.total.cents() > 0 {
                p.items { "Articles : " (priced.items_total) }
                p.discount { "Remises : −" (discounts.total) }
            }
            p.total { "Total des articles : " strong { (net) } }
            p.hint { "Les frais de retrait ou de livraison s’ajoutent selon vos choix, boutique par boutique, à l’étape suivante." }
            @if priced.is_orderable() {
                a.button href="/commande" { "Commander" }
            } @else {
                p.problem { "Retirez ou modifiez les articles signalés pour commander." }
            }
            p { a href="/boutiques/" { "Continuer mes achats" } }
        }
    }
}

/// The offers that apply and why, what a multi-shop offer still needs, and the code form.
fn offers_section(catalogue: &Catalogue, view: &CartView<'_>) -> Markup {
    let discounts = view.discounts;
    let hints = crate::offers::hints(catalogue, view.priced, discounts, view.today);
    html! {
        section.offers aria-labelledby="offres" {
            h2 #offres { "Offres" }
            @if !discounts.applied.is_empty() {
                ul.applied {
                    @for applied in &discounts.applied {
                        li { (applied.why) " : " strong { "−" (applied.amount) } }
                    }
                }
            }
            @for hint in &hints { p.offer-hint { (hint) } }
            @if let Some(error) = &discounts.code_error {
                p.error #code-erreur role="alert" { (error.french_message()) }
            }
            @if let Some(token) = view.csrf { (code_form(view, token)) }
        }
    }
}

fn code_form(view: &CartView<'_>, token: &str) -> Markup {
    let invalid = view.discounts.code_error.is_some();
    let typed = view.typed_code.or(view.held_code);
    html! {
        form.promo-code method="post" action="/panier/code" {
            (csrf_field(token))
            label for="code" { "Code promo" }
            input #code type="text" name="code" value=(typed.unwrap_or_default())
                autocomplete="off" autocapitalize="characters" maxlength="30"
                aria-invalid=[invalid.then_some("true")]
                aria-describedby=[invalid.then_some("code-erreur")];
            button.secondary type="submit" { "Appliquer" }
        }
        @if let Some(code) = view.held_code {
            form.remove-code method="post" action="/panier/code" {
                (csrf_field(token))
                input type="hidden" name="retirer" value="1";
                button.secondary type="submit" { "Retirer le code " (code) }
            }
        }
    }
}

/// One mode a shop offers for this basket, with its fee: "Point relais : 0,90 €".
#[must_use]
pub fn mode_summary(catalogue: &Catalogue, basket: &ShopBasket, mode: DeliveryMode) -> String {
    let town = &catalogue.town;
    let fee = match mode {
        DeliveryMode::ClickCollect => "gratuit".to_owned(),
        DeliveryMode::Locker => point_fees(catalogue, PointKind::Locker),
        DeliveryMode::Relay => point_fees(catalogue, PointKind::Relay),
        DeliveryMode::Home => match &town.home_delivery {
            Some(home) => home_summary(catalogue, home, basket.subtotal),
            None => String::new(),
        },
        DeliveryMode::Post => match town
            .postal
            .as_ref()
            .and_then(|p| p.rate(basket.weight_grams))
        {
            Some(fee) => fee.to_french(),
            None => "colis trop lourd".to_owned(),
        },
    };
    format!("{} : {fee}", mode.label())
}

fn point_fees(catalogue: &Catalogue, kind: PointKind) -> String {
    let fees: Vec<Money> = points(&catalogue.town, kind).map(|p| p.fee).collect();
    match (fees.iter().min(), fees.iter().max()) {
        (Some(low), Some(high)) if low == high => fee_text(*low),
        (Some(low), Some(_)) => format!("à partir de {}", fee_text(*low)),
        _ => String::new(),
    }
}

fn home_summary(
    catalogue: &Catalogue,
    home: &comptoir_indexer::model::HomeDelivery,
    subtotal: Money,
) -> String {
    let fee = delivery::home_fee(home, subtotal);
    let served = catalogue.town.postcodes.join(", ");
    match home.free_from {
        _ if fee == Money::default() => format!("offerte ({served})"),
        Some(from) => format!(
            "{}, offerte dès {} d’achats ({served})",
            fee.to_french(),
            from.to_french()
        ),
        None => format!("{} ({served})", fee.to_french()),
    }
}

/// "gratuit" for nothing, else the amount.
#[must_use]
pub fn fee_text(fee: Money) -> String {
    if fee == Money::default() {
        "gratuit".to_owned()
    } else {
        fee.to_french()
    }
}
