//! The description's preview: the merchant's Markdown drawn exactly as the product page
//! will draw it (the indexer's renderer, raw HTML shown as text), beside the form.

use maud::{Markup, PreEscaped, html};

/// The preview block for `markdown`.
#[must_use]
pub fn preview(markdown: &str) -> Markup {
    let html = comptoir_indexer::render::text::markdown_html(markdown);
    html! {
        section.preview #apercu aria-labelledby="apercu-titre" {
            h2 #apercu-titre { "Aperçu de la description" }
            @if markdown.trim().is_empty() {
                p.hint { "La description est vide." }
            } @else {
                div.description { (PreEscaped(html)) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered_and_html_is_not_let_through() {
        let shown = preview("Un pain **au levain**.\n\n<script>alert(1)</script>").into_string();
        assert!(shown.contains("<strong>au levain</strong>"), "{shown}");
        assert!(!shown.contains("<script>"), "{shown}");
        assert!(
            preview("  ")
                .into_string()
                .contains("La description est vide")
        );
    }
}
