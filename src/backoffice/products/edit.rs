//! The product form's HTML, for a new product and an existing one: every catalogue field
//! with its label, the French message beside a bad field (`aria-invalid`,
//! `aria-describedby`), blank variant rows and the buttons that work without JavaScript
//! (save, preview, more rows).

use super::form::{Errors, GENERAL, ProductForm, VariantRow};
use comptoir_indexer::model::DeliveryMode;
use maud::{Markup, html};

/// What the form page shows besides the fields.
pub struct EditView<'a> {
    /// The fields' values.
    pub form: &'a ProductForm,
    /// Messages by field.
    pub errors: &'a Errors,
    /// Where the form posts.
    pub action: &'a str,
    /// The hidden CSRF input.
    pub csrf: Markup,
    /// Aisles: (slug, "Parent › Aisle"), in display order.
    pub categories: &'a [(String, String)],
    /// The shop's delivery modes.
    pub shop_delivery: &'a [DeliveryMode],
    /// The picture files of the shop.
    pub images: &'a [String],
    /// The rendered description, after "Aperçu".
    pub preview: Option<Markup>,
    /// Blank variant rows to draw.
    pub blank_rows: usize,
    /// The product's page and id, when it exists.
    pub existing: Option<Existing<'a>>,
    /// A message after a save.
    pub notice: Option<&'a str>,
}

/// An existing product's links.
pub struct Existing<'a> {
    /// Its id (URL of the edit page).
    pub id: &'a str,
    /// Its public page, when it is online.
    pub page: Option<String>,
}

/// The form page's body.
#[must_use]
pub fn body(view: &EditView<'_>) -> Markup {
    let f = view.form;
    html! {
        @if let Some(notice) = view.notice { p.notice role="status" { (notice) } }
        (summary(view.errors))
        @if let Some(page) = view.existing.as_ref().and_then(|e| e.page.as_ref()) {
            p { a href=(page) { "Voir la page du produit" } }
        }
        form.product-form method="post" action=(view.action) novalidate {
            (view.csrf)
            (text(&Field::new("title", "Nom du produit", &f.title), view.errors))
            (text(&Field::new("slug", "Adresse de la page (laisser vide : tirée du nom)", &f.slug), view.errors))
            (description(view))
            fieldset {
                legend { "Prix" }
                (text(&Field::new("price", "Prix (€)", &f.price).decimal(), view.errors))
                (text(&Field::new("sale_price", "Prix soldé (€, facultatif)", &f.sale_price).decimal(), view.errors))
                (text(&Field::new("sale_from", "Début de la promotion", &f.sale_from).kind("date"), view.errors))
                (text(&Field::new("sale_until", "Fin de la promotion (incluse)", &f.sale_until).kind("date"), view.errors))
            }
            (aisle(view))
            (text(&Field::new("tags", "Mots-clés (séparés par des virgules)", &f.tags), view.errors))
            (text(&Field::new("brand", "Marque (facultatif)", &f.brand), view.errors))
            (text(&Field::new("gtin", "Code-barres GTIN (facultatif)", &f.gtin).numeric(), view.errors))
            (text(&Field::new("weight", "Poids (grammes)", &f.weight).numeric(), view.errors))
            (text(&Field::new("stock", "Stock (produit sans déclinaisons)", &f.stock).numeric(), view.errors))
            (variants(view))
            (pictures(view))
            (delivery(view))
            div.field {
                label { input type="checkbox" name="published" value="on" checked[f.published]; " En ligne (visible sur le site)" }
            }
            div.actions {
                button.button type="submit" name="action" value="enregistrer" { "Enregistrer" }
                button.secondary type="submit" name="action" value="apercu" { "Aperçu" }
            }
        }
        @if let Some(existing) = &view.existing {
            p { a href={ "/espace-commercant/produits/" (existing.id) "/supprimer" } { "Supprimer ce produit…" } }
        }
    }
}

/// One input: its name, label, value and kind.
struct Field<'a> {
    name: &'a str,
    label: &'a str,
    value: &'a str,
    kind: &'static str,
    inputmode: Option<&'static str>,
}

impl<'a> Field<'a> {
    fn new(name: &'a str, label: &'a str, value: &'a str) -> Self {
        Self {
            name,
            label,
            value,
            kind: "text",
            inputmode: None,
        }
    }

    fn kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }

    /// A price: the phone's keypad with a decimal separator.
    fn decimal(mut self) -> Self {
        self.inputmode = Some("decimal");
        self
    }

    /// A count or a code: the phone's digit keypad.
    fn numeric(mut self) -> Self {
        self.inputmode = Some("numeric");
        self
    }
}

fn error_id(name: &str) -> String {
    format!("{name}-erreur")
}

fn error_of<'e>(errors: &'e Errors, name: &str) -> Option<&'e String> {
    errors.get(name)
}

fn message(errors: &Errors, name: &str) -> Markup {
    html! { @if let Some(m) = error_of(errors, name) { p.field-error id=(error_id(name)) { (m) } } }
}

fn text(field: &Field<'_>, errors: &Errors) -> Markup {
    let error = error_of(errors, field.name);
    html! {
        div.field {
            label for=(field.name) { (field.label) }
            (message(errors, field.name))
            input id=(field.name) name=(field.name) type=(field.kind) value=(field.value)
                inputmode=[field.inputmode]
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| error_id(field.name))];
        }
    }
}

fn description(view: &EditView<'_>) -> Markup {
    let error = error_of(view.errors, "description");
    html! {
        div.field {
            label for="description" { "Description" }
            p.hint #description-aide { "Markdown : **gras**, *italique*, une ligne vide entre deux paragraphes, « - » en début de ligne pour une liste." }
            (message(view.errors, "description"))
            textarea #description name="description" rows="8"
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=(error.map_or_else(|| "description-aide".to_owned(), |_| format!("description-aide {}", error_id("description")))) {
                (view.form.description)
            }
        }
        @if let Some(preview) = &view.preview { (preview) }
    }
}

fn aisle(view: &EditView<'_>) -> Markup {
    let error = error_of(view.errors, "category");
    html! {
        div.field {
            label for="category" { "Rayon" }
            (message(view.errors, "category"))
            select #category name="category" aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| error_id("category"))] {
                option value="" { "Choisir un rayon" }
                @for (slug, label) in view.categories {
                    option value=(slug) selected[*slug == view.form.category] { (label) }
                }
            }
        }
    }
}

fn variants(view: &EditView<'_>) -> Markup {
    let filled = view.form.variants.iter();
    let blank = std::iter::repeat_n(&BLANK_ROW, view.blank_rows);
    html! {
        fieldset.variants {
            legend { "Déclinaisons (couleur × taille)" }
            p.hint { "Une ligne par couleur et taille, chacune avec sa référence (SKU) et son stock. Laissez le prix vide pour garder celui du produit. Les lignes vides sont ignorées." }
            @for (i, row) in filled.chain(blank).enumerate() { (variant_row(i, row, view.errors)) }
            button.secondary type="submit" name="action" value="lignes" { "Ajouter des lignes" }
        }
    }
}

static BLANK_ROW: VariantRow = VariantRow {
    color: String::new(),
    size: String::new(),
    sku: String::new(),
    price: String::new(),
    stock: String::new(),
    gtin: String::new(),
};

fn variant_row(i: usize, row: &VariantRow, errors: &Errors) -> Markup {
    let cells = [
        ("color", "Couleur", row.color.as_str(), None),
        ("size", "Taille", row.size.as_str(), None),
        ("sku", "Référence (SKU)", row.sku.as_str(), None),
        ("price", "Prix (€)", row.price.as_str(), Some("decimal")),
        ("stock", "Stock", row.stock.as_str(), Some("numeric")),
        ("gtin", "GTIN", row.gtin.as_str(), Some("numeric")),
    ];
    html! {
        fieldset.variant {
            legend { "Déclinaison " (i + 1) }
            @for (field, label, value, inputmode) in cells {
                @let name = format!("v{i}_{field}");
                @let f = Field { name: &name, label, value, kind: "text", inputmode };
                (text(&f, errors))
            }
        }
    }
}

fn pictures(view: &EditView<'_>) -> Markup {
    let chosen = &view.form.images;
    let others = view.images.iter().filter(|i| !chosen.contains(i));
    html! {
        fieldset #images aria-describedby=[error_of(view.errors, "images").map(|_| error_id("images"))] {
            legend { "Photos (la première est la principale)" }
            (message(view.errors, "images"))
            @if view.images.is_empty() { p.hint { "La boutique n’a pas encore de photo : ajoutez-en depuis la page Photos." } }
            @for file in chosen.iter().chain(others) {
                div.choice { label {
                    input type="checkbox" name="images" value=(file) checked[chosen.contains(file)];
                    " " (file)
                } }
            }
        }
    }
}

fn delivery(view: &EditView<'_>) -> Markup {
    let all = view.form.delivery.is_empty();
    html! {
        fieldset #delivery aria-describedby=[error_of(view.errors, "delivery").map(|_| error_id("delivery"))] {
            legend { "Modes de livraison" }
            (message(view.errors, "delivery"))
            @for mode in view.shop_delivery {
                div.choice { label {
                    input type="checkbox" name="delivery" value=(mode.key())
                        checked[all || view.form.delivery.iter().any(|k| k == mode.key())];
                    " " (mode.label())
                } }
            }
        }
    }
}

/// The list of every problem at the top of the form, each a link to its field.
fn summary(errors: &Errors) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" tabindex="-1" {
                h2 { "Le produit n’est pas enregistré" }
                ul { @for (field, m) in errors {
                    @if field == GENERAL { li { (m) } } @else { li { a href={ "#" (field) } { (m) } } }
                } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backoffice::products::form::BLANK_ROWS;

    fn view<'a>(form: &'a ProductForm, errors: &'a Errors) -> EditView<'a> {
        EditView {
            form,
            errors,
            action: "/espace-commercant/produits/nouveau",
            csrf: html! { input type="hidden" name="csrf" value="t"; },
            categories: &[],
            shop_delivery: &[DeliveryMode::ClickCollect, DeliveryMode::Post],
            images: &[],
            preview: None,
            blank_rows: BLANK_ROWS,
            existing: None,
            notice: None,
        }
    }

    #[test]
    fn a_bad_field_is_marked_and_described() {
        let form = ProductForm::default();
        let errors = Errors::from([("price".to_owned(), "Indiquez un prix.".to_owned())]);
        let page = body(&view(&form, &errors)).into_string();
        assert!(
            page.contains(r#"<p class="field-error" id="price-erreur">Indiquez un prix.</p>"#),
            "{page}"
        );
        assert!(
            page.contains(r#"aria-invalid="true" aria-describedby="price-erreur""#),
            "{page}"
        );
        assert!(
            page.contains(r##"<a href="#price">Indiquez un prix.</a>"##),
            "{page}"
        );
        assert_eq!(page.matches("aria-invalid").count(), 1);
    }

    #[test]
    fn blank_rows_follow_the_filled_ones() {
        let form = ProductForm {
            variants: vec![VariantRow {
                sku: "A".into(),
                size: "M".into(),
                ..VariantRow::default()
            }],
            ..ProductForm::default()
        };
        let page = body(&view(&form, &Errors::new())).into_string();
        assert!(
            page.contains(r#"name="v0_sku" type="text" value="A""#),
            "{page}"
        );
        assert!(page.contains(r#"name="v3_sku""#) && !page.contains(r#"name="v4_sku""#));
        assert!(page.contains("Retrait en boutique") && page.contains("Envoi postal"));
    }
}
