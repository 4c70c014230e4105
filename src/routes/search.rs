//! `/recherche`, `/api/search` and `/api/suggest`: parameters checked, the search run on a
//! blocking thread (bounded by the state's permits), the answer drawn as HTML or JSON.

use crate::AppState;
use crate::error::AppError;
use crate::search::{SearchIndex, SearchParams, api, page};
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
fn searchable(state: &AppState) -> Result<(Arc<Live>, Arc<Catalogue>, Arc<SearchIndex>), AppError> {
    let live = state.live().ok_or(AppError::NoBuild)?;
    match (&live.catalogue, &live.search) {
        (Some(catalogue), Some(search)) => {
            let (catalogue, search) = (Arc::clone(catalogue), Arc::clone(search));
            Ok((live, catalogue, search))
        }
        _ => Err(AppError::NoBuild),
    }
}

/// Whether a product can be bought now, as far as the catalogue knows.
fn in_stock(catalogue: &Catalogue) -> impl Fn(usize) -> bool + '_ {
    |ord| catalogue.products[ord].total_stock() > 0
}

/// `GET /recherche`: the results page.
pub async fn results_page(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let (_live, catalogue, search) = searchable(&state)?;
    let today = crate::config::today();
    let query = query.unwrap_or_default();
    let (status, html) = state
        .search_blocking(move || {
            let parsed = SearchParams::parse(&query, &catalogue, search.facts());
            let mut site = Site::frame(&catalogue, crate::assets::ASSETS, today);
            match parsed {
                Err(e) => Ok((StatusCode::BAD_REQUEST, page::error_page(&site, &e.0))),
                Ok(params) => {
                    let results =
                        search.search(&catalogue, today, &params, &in_stock(&catalogue))?;
                    site.query = &params.q;
                    Ok((
                        StatusCode::OK,
                        page::results_page(&site, search.facts(), &params, &results),
                    ))
                }
            }
        })
        .await?
        .map_err(|e: comptoir_indexer::search::tantivy::TantivyError| {
            AppError::Internal(e.into())
        })?;
    Ok(dynamic(status, Html(html).into_response()))
}

/// `GET /api/search`: the same as JSON.
pub async fn search_json(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let (_live, catalogue, search) = searchable(&state)?;
    let today = crate::config::today();
    let query = query.unwrap_or_default();
    let answer = state
        .search_blocking(move || {
            let params = match SearchParams::parse(&query, &catalogue, search.facts()) {
                Ok(params) => params,
                Err(e) => return Ok(Err(e)),
            };
            let results = search.search(&catalogue, today, &params, &in_stock(&catalogue))?;
            Ok(Ok(api::search_response(
                &catalogue,
                search.facts(),
                today,
                &params,
                &results,
            )))
        })
        .await?
        .map_err(|e: comptoir_indexer::search::tantivy::TantivyError| {
            AppError::Internal(e.into())
        })?;
    Ok(match answer {
        Ok(body) => dynamic(StatusCode::OK, Json(body).into_response()),
        Err(e) => bad_request_json(&e.0),
    })
}

/// `GET /api/suggest?q=`: products, aisles and shops for an autocomplete.
pub async fn suggest_json(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let (_live, catalogue, search) = searchable(&state)?;
    let today = crate::config::today();
    let q: String = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(name, _)| name == "q")
        .map(|(_, v)| {
            v.chars()
                .take(crate::search::params::MAX_QUERY_CHARS)
                .collect()
        })
        .unwrap_or_default();
    let body = state
        .search_blocking(move || {
            let found = search.suggest(&catalogue, &q, SUGGESTIONS)?;
            Ok(api::suggest_response(
                &catalogue,
                today,
                &q,
                &found,
                &in_stock(&catalogue),
            ))
        })
        .await?
        .map_err(|e: comptoir_indexer::search::tantivy::TantivyError| {
            AppError::Internal(e.into())
        })?;
    Ok(dynamic(StatusCode::OK, Json(body).into_response()))
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
