//! Text for pages: Markdown to safe HTML, plain-text summaries cut at a word boundary,
//! French dates.

use jiff::civil::Date;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// Longest meta description, in characters: what search engines show before cutting.
pub const META_DESCRIPTION_MAX: usize = 155;

/// Renders a merchant's Markdown to HTML. Raw HTML is shown as text, never interpreted.
#[must_use]
pub fn markdown_html(markdown: &str) -> String {
    let events = Parser::new(markdown).map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        Event::Start(Tag::Heading { level, .. }) if level < pulldown_cmark::HeadingLevel::H2 => {
            Event::Start(Tag::Heading {
                level: pulldown_cmark::HeadingLevel::H2,
                id: None,
                classes: Vec::new(),
                attrs: Vec::new(),
            })
        }
        Event::End(TagEnd::Heading(level)) if level < pulldown_cmark::HeadingLevel::H2 => {
            Event::End(TagEnd::Heading(pulldown_cmark::HeadingLevel::H2))
        }
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// The plain text of Markdown, on one line.
#[must_use]
pub fn markdown_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` cut to at most `max` characters at a word boundary, with an ellipsis when cut.
#[must_use]
pub fn cut_at_word(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut end = 0;
    for (count, (index, c)) in text.char_indices().enumerate() {
        if count >= max {
            break;
        }
        if c.is_whitespace() {
            end = index;
        }
    }
    let cut = text[..end].trim_end_matches([',', ';', ':', '.', ' ', '—', '-']);
    format!("{cut}…")
}

/// French month names, January first.
pub const FRENCH_MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `1er décembre 2026`, `28 novembre 2026`.
#[must_use]
pub fn french_date(date: Date) -> String {
    let day = if date.day() == 1 {
        "1er".to_owned()
    } else {
        date.day().to_string()
    };
    let month = FRENCH_MONTHS[usize::try_from(date.month() - 1).unwrap_or(0)];
    format!("{day} {month} {}", date.year())
}

/// `7 h`, `13 h 30`: a time of day as written in French.
#[must_use]
pub fn french_time(minutes: u16) -> String {
    match minutes % 60 {
        0 => format!("{} h", minutes / 60),
        m => format!("{} h {m:02}", minutes / 60),
    }
}

/// `+33 1 46 61 22 33` → `01 46 61 22 33`, as French readers write it.
#[must_use]
pub fn national_phone(international: &str) -> String {
    international
        .strip_prefix("+33 ")
        .map_or_else(|| international.to_owned(), |rest| format!("0{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_a_word_boundary() {
        let text = "Une baguette au levain naturel, pétrie lentement";
        assert_eq!(cut_at_word(text, 100), text);
        assert_eq!(cut_at_word(text, 30), "Une baguette au levain…");
        assert!(cut_at_word(&"é".repeat(300), 155).chars().count() <= 156);
    }

    #[test]
    fn markdown_never_lets_html_through() {
        let html = markdown_html("Du **bon** pain <script>alert(1)</script>");
        assert!(html.contains("<strong>bon</strong>"));
        assert!(!html.contains("<script>"));
        assert_eq!(
            markdown_text("# Titre\n\nDu **bon**\npain."),
            "Titre Du bon pain."
        );
    }

    #[test]
    fn dates_in_french() {
        assert_eq!(
            french_date(Date::constant(2026, 12, 1)),
            "1er décembre 2026"
        );
        assert_eq!(french_date(Date::constant(2026, 8, 15)), "15 août 2026");
        assert_eq!(
            (french_time(420), french_time(810)),
            ("7 h".to_owned(), "13 h 30".to_owned())
        );
    }
}
