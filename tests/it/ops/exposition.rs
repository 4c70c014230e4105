//! A strict reader of the Prometheus text exposition format (version 0.0.4), enough to
//! tell valid output from invalid and to look series up.

use std::collections::BTreeMap;

/// Parses exposition text strictly (every line a comment or a sample of a declared
/// family, no series twice) into series → value, labels sorted by name.
pub fn parse(text: &str) -> BTreeMap<String, f64> {
    assert!(text.ends_with('\n'), "ends with a line feed");
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    let mut series = BTreeMap::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').expect("# TYPE name kind");
            assert!(
                ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                "{line}"
            );
            assert!(types.insert(name.into(), kind.into()).is_none(), "{line}");
            continue;
        }
        if line.starts_with("# HELP ") {
            continue;
        }
        let (name, labels, value) = parse_sample(line);
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|s| {
                name.strip_suffix(s)
                    .filter(|f| types.get(*f).is_some_and(|k| k == "histogram"))
            })
            .unwrap_or(&name);
        assert!(types.contains_key(family), "undeclared family: {line}");
        let key = format!("{name}{{{}}}", labels.join(","));
        assert!(series.insert(key, value).is_none(), "series twice: {line}");
    }
    series
}

/// A sample line: its name, its labels (`k="v"`, sorted) and its value.
fn parse_sample(line: &str) -> (String, Vec<String>, f64) {
    let name_end = line.find(['{', ' ']).expect("name then labels or value");
    let name = &line[..name_end];
    assert!(
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
            && !name.starts_with(|c: char| c.is_ascii_digit()),
        "metric name: {line}"
    );
    let mut rest = &line[name_end..];
    let mut labels = Vec::new();
    if let Some(inner) = rest.strip_prefix('{') {
        let close = inner.rfind("} ").expect("labels close");
        let mut body = &inner[..close];
        while !body.is_empty() {
            let (label, after) = body.split_once("=\"").expect("label=\"value\"");
            assert!(
                label.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{line}"
            );
            let mut value = String::new();
            let mut chars = after.char_indices();
            let end = loop {
                match chars.next().expect("closing quote") {
                    (i, '"') => break i,
                    (_, '\\') => match chars.next().expect("escape").1 {
                        'n' => value.push('\n'),
                        c @ ('\\' | '"') => value.push(c),
                        c => panic!("bad escape \\{c} in {line}"),
                    },
                    (_, c) => value.push(c),
                }
            };
            labels.push(format!("{label}=\"{value}\""));
            body = after[end + 1..]
                .strip_prefix(',')
                .unwrap_or(&after[end + 1..]);
        }
        rest = &inner[close + 1..];
    }
    let value = rest.trim_start_matches(' ');
    let value = match value {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        v => v.parse().unwrap_or_else(|_| panic!("value of {line}")),
    };
    labels.sort();
    (name.to_owned(), labels, value)
}

/// The value of a series (labels in any order), 0 when absent.
pub fn value(series: &BTreeMap<String, f64>, name: &str, labels: &[(&str, &str)]) -> f64 {
    let mut labels: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
    labels.sort();
    series
        .get(&format!("{name}{{{}}}", labels.join(",")))
        .copied()
        .unwrap_or(0.0)
}
