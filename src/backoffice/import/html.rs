//! Product descriptions exported as HTML (Shopify's `Body (HTML)`, PrestaShop's
//! `Description`) turned into the Markdown our product files hold: paragraphs and line
//! breaks kept, list items as `- `, bold and italics kept, every other tag dropped, entities
//! decoded. WooCommerce writes literal `\n` for line breaks; they become real ones.

/// The Markdown text of an HTML fragment.
#[must_use]
pub fn to_markdown(html: &str) -> String {
    let html = html.replace("\\n", "\n").replace("\r\n", "\n");
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(start) = rest.find('<') {
        push_text(&mut out, &rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            push_text(&mut out, &rest[start..]);
            rest = "";
            break;
        };
        out.push_str(tag(&rest[start + 1..start + end]));
        rest = &rest[start + end + 1..];
    }
    push_text(&mut out, rest);
    tidy(&out)
}

/// What a tag becomes: block tags make paragraphs, a few inline tags keep their meaning.
fn tag(inside: &str) -> &'static str {
    let closing = inside.starts_with('/');
    let name: String = inside
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    match (name.as_str(), closing) {
        ("br", _) => "\n",
        ("li", false) => "\n- ",
        ("p" | "div" | "ul" | "ol" | "table" | "tr" | "blockquote" | "section", _)
        | ("h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li", true) => "\n\n",
        ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) => "\n\n### ",
        ("strong" | "b", _) => "**",
        ("em" | "i", _) => "*",
        ("td" | "th", true) => " ",
        _ => "",
    }
}

/// Appends text with its entities decoded and its whitespace runs (HTML's) collapsed.
fn push_text(out: &mut String, text: &str) {
    let decoded = decode_entities(text);
    let mut last_space = out.ends_with([' ', '\n']);
    for c in decoded.chars() {
        if c == '\n' {
            out.push('\n');
            last_space = true;
        } else if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
}

/// Trims each line and keeps at most one blank line between paragraphs.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line == "-" || line == "###" {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 && !line.starts_with("- ") {
                "\n\n"
            } else {
                "\n"
            });
        }
        out.push_str(line);
        blank = 0;
    }
    out
}

/// Decodes the named entities exports use and every numeric one.
fn decode_entities(text: &str) -> String {
    const NAMED: [(&str, &str); 12] = [
        ("amp", "&"),
        ("lt", "<"),
        ("gt", ">"),
        ("quot", "\""),
        ("apos", "'"),
        ("nbsp", "\u{a0}"),
        ("eacute", "é"),
        ("egrave", "è"),
        ("agrave", "à"),
        ("ccedil", "ç"),
        ("rsquo", "’"),
        ("hellip", "…"),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[..e];
            let numeric = name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32)
                .map(String::from);
            numeric.or_else(|| {
                NAMED
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned())
            })
        });
        match (decoded, end) {
            (Some(d), Some(e)) => {
                out.push_str(&d);
                rest = &after[e + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_markdown() {
        let cases = [
            (
                "<p>Classic blown clay pot for plants</p>",
                "Classic blown clay pot for plants",
            ),
            (
                "<p>One</p><p>Two&nbsp;&amp; three</p>",
                "One\n\nTwo & three",
            ),
            ("Plain text, no tags. ", "Plain text, no tags."),
            ("<ul><li>A</li><li><b>B</b></li></ul>", "- A\n- **B**"),
            ("Line one\\n\\nLine two", "Line one\n\nLine two"),
            ("a<br/>b &#233;t&#xE9; <script>x</script>", "a\nb été x"),
            ("<h2>Title</h2><p>Body</p>", "### Title\n\nBody"),
            ("1 < 2 & 3", "1 < 2 & 3"),
        ];
        for (html, markdown) in cases {
            assert_eq!(to_markdown(html), markdown, "{html:?}");
        }
    }
}
