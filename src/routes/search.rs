//! `/recherche`, `/api/search` and `/api/suggest`: parameters checked, the search run on a
//! blocking thread (bounded by the state's permits), the answer drawn as HTML or JSON.

use crate::AppState;
use crate::error::AppError;
use crate::search::{QueryWord, SearchIndex, SearchParams, api, page};
use crate::state::Live;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use comptoir_indexer::Catalogue;
use comptoir_indexer::render::Site;
use std::sync::Arc;

/// Products, aisles and shops an autocomplete lists, each.
const SUGGESTIONS: usize = 6;

/// The live catalogue and its index, or why there are none.
fn searchable(state: &AppState) -> Result<(Arc<Catalogue>, Arc<SearchIndex>), AppError> {
    let live: Arc<Live> = state.live().ok_or(AppError::NoBuild)?;
    match (&live.catalogue, &live.search) {
        (Some(catalogue), Some(search)) => Ok((Arc::clone(catalogue), Arc::clone(search))),
        _ => Err(AppError::NoBuild),
    }
}

/// Runs a search off the async workers (bounded by the state's permits); an index that
/// cannot be read is an internal error.
async fn run<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce() -> comptoir_indexer::search::tantivy::Result<T> + Send + 'static,
) -> Result<T, AppError> {
    let answer = state.search_blocking(work).await?;
    answer.map_err(|e| AppError::Internal(e.into()))
}

/// `GET /recherche`: the results page.
pub async fn results_page(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let (catalogue, search) = searchable(&state)?;
    let today = crate::config::today();
    let query = query.unwrap_or_default();
    let (status, html, counted) = run(&state, move || {
        let parsed = SearchParams::parse(&query, &catalogue, search.facts());
        let mut site = Site::frame(&catalogue, crate::assets::ASSETS, today);
        match parsed {
            Err(e) => Ok((StatusCode::BAD_REQUEST, page::error_page(&site, &e.0), None)),
            Ok(params) => {
                let results = search.search(&catalogue, today, &params, &|ord| {
                    search.facts().catalogue_in_stock(ord)
                })?;
                site.query = &params.q;
                let html = page::results_page(&site, search.facts(), &params, &results);
                Ok((
                    StatusCode::OK,
                    html,
                    Some((params.page, results.words, results.total)),
                ))
            }
        }
    })
    .await?;
    record(&state, today, counted);
    Ok(dynamic(status, Html(html).into_response()))
}

/// `GET /api/search`: the same as JSON.
pub async fn search_json(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let (catalogue, search) = searchable(&state)?;
    let today = crate::config::today();
    let query = query.unwrap_or_default();
    let answer = run(&state, move || {
        let params = match SearchParams::parse(&query, &catalogue, search.facts()) {
            Ok(params) => params,
            Err(e) => return Ok(Err(e)),
        };
        let results = search.search(&catalogue, today, &params, &|ord| {
            search.facts().catalogue_in_stock(ord)
        })?;
        let body = api::search_response(&catalogue, search.facts(), today, &params, &results);
        Ok(Ok((body, (params.page, results.words, results.total))))
    })
    .await?;
    Ok(match answer {
        Ok((body, counted)) => {
            record(&state, today, Some(counted));
            dynamic(StatusCode::OK, Json(body).into_response())
        }
        Err(e) => bad_request_json(&e.0),
    })
}

/// `GET /api/suggest?q=`: products, aisles and shops for an autocomplete.
pub async fn suggest_json(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let (catalogue, search) = searchable(&state)?;
    let today = crate::config::today();
    let q: String = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(name, _)| name == "q")
        .map(|(_, v)| {
            v.chars()
                .take(crate::search::params::MAX_QUERY_CHARS)
                .collect()
        })
        .unwrap_or_default();
    let body = run(&state, move || {
        let found = search.suggest(&catalogue, &q, SUGGESTIONS)?;
        Ok(api::suggest_response(
            &catalogue,
            today,
            &q,
            &found,
            &|ord| search.facts().catalogue_in_stock(ord),
        ))
    })
    .await?;
    Ok(dynamic(StatusCode::OK, Json(body).into_response()))
}

/// Counts a search for the association's figures: first pages only, so paging through
/// results is not counted as searching again.
fn record(
    state: &AppState,
    today: jiff::civil::Date,
    counted: Option<(usize, Vec<QueryWord>, usize)>,
) {
    if let Some((1, words, total)) = counted {
        if !words.is_empty() {
            state.metrics.search(total);
        }
        state.search_log.record(today, &words, total);
    }
}

/// A 400 in JSON: a stable code and the French message.
fn bad_request_json(message: &str) -> Response {
    dynamic(
        StatusCode::BAD_REQUEST,
        Json(serde_json::json!({ "error": "bad_parameter", "message": message })).into_response(),
    )
}

/// Search answers are never cached by shared caches nor indexed.
fn dynamic(status: StatusCode, mut response: Response) -> Response {
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex, follow"));
    response
}
