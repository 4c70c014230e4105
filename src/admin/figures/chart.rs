//! Bar charts drawn on the server as inline SVG: readable without JavaScript, named for
//! screen readers (`role="img"`, a `<title>` and a `<desc>` through `aria-labelledby`),
//! always shown beside a data table with the same numbers.

use maud::{Markup, html};

/// Width of the drawing, in SVG units.
const WIDTH: i64 = 720;
/// Height of one series' panel, bars and labels included.
const PANEL: i64 = 140;
/// Room for the series' name above its bars.
const HEADER: i64 = 22;
/// Room for the day labels under the bars.
const FOOTER: i64 = 18;
/// Left margin.
const LEFT: i64 = 8;

/// One series of bars: a name, a CSS class for its bars and a unit for its tooltips.
#[derive(Debug, Clone)]
pub struct Series<'a> {
    /// What is counted ("Visites").
    pub name: &'a str,
    /// Class of its bars ("bar-visits").
    pub class: &'a str,
    /// Unit in tooltips ("visites").
    pub unit: &'a str,
    /// Fill colour of its bars.
    pub colour: &'a str,
    /// One value per label.
    pub values: Vec<i64>,
}

/// A bar chart with one panel per series (each on its own scale), one bar per label.
/// `id` prefixes the ids of the title and the description.
#[must_use]
pub fn bars(id: &str, title: &str, desc: &str, labels: &[String], series: &[Series<'_>]) -> Markup {
    let count = i64::try_from(labels.len()).unwrap_or(1).max(1);
    let slot = (WIDTH - 2 * LEFT) * 10 / count; // tenths of a unit
    let bar = (slot * 7 / 10).max(5);
    let height = PANEL * i64::try_from(series.len()).unwrap_or(1).max(1);
    let every = usize::try_from((count + 13) / 14).unwrap_or(1).max(1);
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" role="img"
            aria-labelledby={ (id) "-titre " (id) "-desc" }
            viewBox={ "0 0 " (WIDTH) " " (height) } width="100%" preserveAspectRatio="xMidYMid meet" {
            title id={ (id) "-titre" } { (title) }
            desc id={ (id) "-desc" } { (desc) }
            @for (row, s) in series.iter().enumerate() {
                @let top = PANEL * i64::try_from(row).unwrap_or(0);
                @let base = top + PANEL - FOOTER;
                @let room = PANEL - HEADER - FOOTER;
                @let max = s.values.iter().copied().max().unwrap_or(0).max(1);
                g class={ "series " (s.class) } fill=(s.colour) {
                    text x=(LEFT) y=(top + 15) font-size="13" fill="currentColor" { (s.name) " (max. " (max) ")" }
                    line x1=(LEFT) x2=(WIDTH - LEFT) y1=(base) y2=(base) stroke="currentColor" stroke-width="1" {}
                    @for (i, (label, value)) in labels.iter().zip(&s.values).enumerate() {
                        @let i = i64::try_from(i).unwrap_or(0);
                        @let h = room * value.max(&0) / max;
                        @let x = LEFT * 10 + i * slot + (slot - bar) / 2;
                        rect class=(s.class) x=(tenths(x)) y=(base - h) width=(tenths(bar)) height=(h)
                            data-jour=(label) data-valeur=(value) {
                            title { (label) " : " (value) " " (s.unit) }
                        }
                    }
                    @for (i, label) in labels.iter().enumerate().step_by(every) {
                        @let i = i64::try_from(i).unwrap_or(0);
                        text x=(tenths(LEFT * 10 + i * slot + slot / 2)) y=(base + 14)
                            font-size="11" text-anchor="middle" fill="currentColor" aria-hidden="true" {
                            (label.get(8..).unwrap_or(label))
                        }
                    }
                }
            }
        }
    }
}

/// Tenths of a unit written as a decimal ("12.5").
fn tenths(value: i64) -> String {
    format!("{}.{}", value / 10, value % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_bar_per_day_and_series_scaled_to_its_maximum() {
        let labels: Vec<String> = ["2026-11-01", "2026-11-02", "2026-11-03"]
            .map(str::to_owned)
            .to_vec();
        let svg = bars(
            "vo",
            "Visites et commandes",
            "Par jour",
            &labels,
            &[
                Series {
                    name: "Visites",
                    class: "bar-visits",
                    unit: "visites",
                    colour: "#2f6f5e",
                    values: vec![10, 0, 5],
                },
                Series {
                    name: "Commandes",
                    class: "bar-orders",
                    unit: "commandes",
                    colour: "#b5542c",
                    values: vec![1, 2, 0],
                },
            ],
        )
        .into_string();
        assert!(svg.starts_with("<svg class=\"chart\""));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-labelledby=\"vo-titre vo-desc\""));
        assert!(svg.contains("<title id=\"vo-titre\">Visites et commandes</title>"));
        assert_eq!(svg.matches("<rect class=\"bar-visits\"").count(), 3);
        assert_eq!(svg.matches("<rect class=\"bar-orders\"").count(), 3);
        // The tallest bar of each series fills its panel (100 units), the empty one is flat.
        assert!(svg.contains(
            "y=\"22\" width=\"164.2\" height=\"100\" data-jour=\"2026-11-01\" data-valeur=\"10\""
        ));
        assert!(svg.contains("height=\"0\" data-jour=\"2026-11-02\" data-valeur=\"0\""));
        assert!(svg.contains("height=\"50\" data-jour=\"2026-11-03\" data-valeur=\"5\""));
        assert!(svg.contains("<title>2026-11-02 : 2 commandes</title>"));
        assert!(!svg.contains("<script"));
    }
}
