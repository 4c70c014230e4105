//! `GET /admin/statistiques` and `GET /admin/statistiques.csv`: the figures of a period.

use super::chart::{self, Series};
use super::{Figures, Period, amount, average, conversion, euros};
use crate::AppState;
use crate::backoffice::auth::Staff;
use crate::backoffice::layout;
use crate::error::AppError;
use crate::ops::visits;
use crate::search::stats::{self, QueryCount};
use crate::shopping;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use maud::{Markup, html};

/// How many searches each list shows.
const TOP: i64 = 20;
/// The page's path.
const PATH: &str = "/admin/statistiques";

/// `?du=YYYY-MM-DD&au=YYYY-MM-DD`.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Asked {
    du: Option<String>,
    au: Option<String>,
}

/// Everything the page shows.
struct Loaded {
    figures: Figures,
    searches: Vec<QueryCount>,
    unsold: Vec<QueryCount>,
}

async fn load(state: &AppState, period: Period) -> Result<Loaded, AppError> {
    let db = state.db().await.map_err(shopping::internal)?;
    let views = visits::per_day(db, period.from, period.to)
        .await
        .map_err(shopping::internal)?;
    let subs = super::sub_orders(db, period)
        .await
        .map_err(shopping::internal)?;
    let searches = stats::top_queries(db, period.from, period.to, TOP)
        .await
        .map_err(shopping::internal)?;
    let unsold = stats::zero_result_queries(db, period.from, period.to, TOP)
        .await
        .map_err(shopping::internal)?;
    Ok(Loaded {
        figures: Figures::sum(period, &views, &subs),
        searches,
        unsold,
    })
}

/// `GET /admin/statistiques`.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Query(asked): Query<Asked>,
) -> Result<Response, AppError> {
    let period = match Period::parse(asked.du.as_deref(), asked.au.as_deref(), staff.today) {
        Ok(period) => period,
        Err(message) => {
            let body = html! {
                h1 { "Statistiques" }
                (period_form(asked.du.as_deref().unwrap_or(""), asked.au.as_deref().unwrap_or(""), Some(&message)))
            };
            return Ok(layout::respond(
                StatusCode::UNPROCESSABLE_ENTITY,
                super::super::page(&staff, "Statistiques", PATH, body),
            ));
        }
    };
    let loaded = load(&state, period).await?;
    let body = draw(&loaded);
    Ok(layout::respond(
        StatusCode::OK,
        super::super::page(&staff, "Statistiques", PATH, body),
    ))
}

/// `GET /admin/statistiques.csv`: the figures per day, semicolon-separated, decimal commas,
/// UTF-8 with a byte-order mark (so that spreadsheets read the accents).
pub async fn csv(
    State(state): State<AppState>,
    staff: Staff,
    Query(asked): Query<Asked>,
) -> Result<Response, AppError> {
    let period = match Period::parse(asked.du.as_deref(), asked.au.as_deref(), staff.today) {
        Ok(period) => period,
        Err(message) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                message,
            )
                .into_response());
        }
    };
    let loaded = load(&state, period).await?;
    let file = format!("statistiques-{}-{}.csv", period.from, period.to);
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        per_day_csv(&loaded.figures),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// The per-day figures as CSV: a header row, then one row per day.
#[must_use]
pub(super) fn per_day_csv(figures: &Figures) -> String {
    let mut out = String::from(
        "\u{feff}Jour;Visites;Commandes;Chiffre d'affaires (€);Panier moyen (€);Conversion (%)\r\n",
    );
    for day in &figures.days {
        let basket = average(day.revenue, day.orders).map_or(String::new(), plain);
        let rate = if day.visits > 0 {
            conversion(day.orders, day.visits)
                .trim_end_matches("\u{a0}%")
                .to_owned()
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{};{};{};{};{};{}\r\n",
            day.day,
            day.visits,
            day.orders,
            plain(day.revenue),
            basket,
            rate
        ));
    }
    out
}

/// Cents as `1234,50` (no thousands separator, for spreadsheets).
fn plain(cents: i64) -> String {
    amount(cents).replace('\u{a0}', "")
}

/// A day as `23/11/2026`.
fn french_day(day: Date) -> String {
    day.strftime("%d/%m/%Y").to_string()
}

fn period_form(du: &str, au: &str, error: Option<&str>) -> Markup {
    html! {
        form.account method="get" action=(PATH) aria-describedby=[error.map(|_| "periode-erreur")] {
            @if let Some(message) = error {
                p.error #periode-erreur role="alert" { (message) }
            }
            fieldset {
                legend { "Période (366 jours au plus)" }
                p {
                    label for="du" { "Du" } " "
                    input #du type="date" name="du" value=(du) required;
                    " "
                    label for="au" { "au" } " "
                    input #au type="date" name="au" value=(au) required;
                    " "
                    button.button type="submit" { "Afficher" }
                }
            }
        }
    }
}

fn draw(loaded: &Loaded) -> Markup {
    let f = &loaded.figures;
    let period = f.period;
    let (visits, orders, revenue) = (f.visits(), f.orders(), f.revenue());
    let labels: Vec<String> = f.days.iter().map(|d| d.day.to_string()).collect();
    let query = format!("du={}&au={}", period.from, period.to);
    html! {
        h1 { "Statistiques" }
        p { "Du " (french_day(period.from)) " au " (french_day(period.to)) " (" (period.days()) " jours)." }
        (period_form(&period.from.to_string(), &period.to.to_string(), None))
        section #resume aria-labelledby="resume-titre" {
            h2 #resume-titre { "Vue d’ensemble" }
            dl.figures {
                dt { "Visites" } dd #visites { (visits) }
                dt { "Commandes" } dd #commandes { (orders) }
                dt { "Chiffre d’affaires (articles et frais)" } dd #chiffre-affaires { (euros(revenue)) }
                dt { "Panier moyen" } dd #panier-moyen { (average(revenue, orders).map_or("—".to_owned(), euros)) }
                dt { "Taux de conversion (commandes / visites)" } dd #conversion { (conversion(orders, visits)) }
            }
            p #annulations {
                "Les sous-commandes annulées ne comptent ni dans le chiffre d’affaires ni dans les commandes ("
                (f.cancelled) " sur la période). Les visites sont les pages vues par des personnes (robots et fichiers du site exclus), sans cookie ; elles sont enregistrées toutes les 30 secondes."
            }
        }
        section #par-jour aria-labelledby="par-jour-titre" {
            h2 #par-jour-titre { "Par jour" }
            (chart::bars(
                "graphique-jours",
                "Visites et commandes par jour",
                &format!("Du {} au {} : {visits} visites et {orders} commandes. Les chiffres sont dans le tableau qui suit.", french_day(period.from), french_day(period.to)),
                &labels,
                &[
                    Series { name: "Visites", class: "bar-visits", unit: "visites", colour: "#2f6f5e", values: f.days.iter().map(|d| d.visits).collect() },
                    Series { name: "Commandes", class: "bar-orders", unit: "commandes", colour: "#b5542c", values: f.days.iter().map(|d| d.orders).collect() },
                ],
            ))
            table #tableau-jours {
                caption { "Visites, commandes et chiffre d’affaires par jour" }
                thead { tr {
                    th scope="col" { "Jour" }
                    th scope="col" { "Visites" }
                    th scope="col" { "Commandes" }
                    th scope="col" { "Chiffre d’affaires" }
                    th scope="col" { "Panier moyen" }
                } }
                tbody {
                    @for day in &f.days {
                        tr {
                            th scope="row" { time datetime=(day.day) { (french_day(day.day)) } }
                            td { (day.visits) }
                            td { (day.orders) }
                            td { (euros(day.revenue)) }
                            td { (average(day.revenue, day.orders).map_or("—".to_owned(), euros)) }
                        }
                    }
                }
            }
            p { a #export-csv href={ (PATH) ".csv?" (query) } download { "Télécharger les chiffres par jour (CSV)" } }
        }
        (shares("par-boutique", "Par boutique", "Boutique", &f.shops))
        (shares("par-mode", "Par mode de livraison", "Mode de livraison", &f.modes))
        section #recherches aria-labelledby="recherches-titre" {
            h2 #recherches-titre { "Recherches les plus fréquentes" }
            (searches("tableau-recherches", "Recherches les plus fréquentes", &loaded.searches))
        }
        section #sans-resultat aria-labelledby="sans-resultat-titre" {
            h2 #sans-resultat-titre { "Ce que les gens cherchent et qu’aucune boutique ne vend" }
            (searches("tableau-sans-resultat", "Recherches sans résultat", &loaded.unsold))
        }
    }
}

fn shares(
    id: &str,
    title: &str,
    what: &str,
    rows: &std::collections::BTreeMap<String, super::Share>,
) -> Markup {
    html! {
        section id=(id) aria-labelledby={ (id) "-titre" } {
            h2 id={ (id) "-titre" } { (title) }
            @if rows.is_empty() {
                p { "Aucune commande sur la période." }
            } @else {
                table id={ "tableau-" (id) } {
                    caption { (title) " : sous-commandes non annulées et chiffre d’affaires" }
                    thead { tr {
                        th scope="col" { (what) }
                        th scope="col" { "Sous-commandes" }
                        th scope="col" { "Chiffre d’affaires" }
                    } }
                    tbody {
                        @for (key, share) in rows {
                            tr data-cle=(key) {
                                th scope="row" { (share.name) }
                                td { (share.sub_orders) }
                                td { (euros(share.revenue)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn searches(id: &str, caption: &str, rows: &[QueryCount]) -> Markup {
    html! {
        @if rows.is_empty() {
            p { "Aucune recherche sur la période." }
        } @else {
            table id=(id) {
                caption { (caption) }
                thead { tr {
                    th scope="col" { "Recherche" }
                    th scope="col" { "Fois" }
                    th scope="col" { "Sans résultat" }
                } }
                tbody {
                    @for row in rows {
                        tr {
                            th scope="row" { (row.query) }
                            td { (row.searches) }
                            td { (row.zero_results) }
                        }
                    }
                }
            }
        }
    }
}
