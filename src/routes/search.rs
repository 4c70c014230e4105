//! `/recherche`, `/api/search` and `/api/suggest`: parameters checked, the answer taken from
//! the build's kept answers or searched on a blocking thread (bounded by the state's
//! permits) and drawn as HTML or JSON.

use crate::AppState;
use crate::error::AppError;
use crate::search::cache::{Answer, AnswerKey, Format};
use crate::search::{Results, SearchIndex, SearchParams, api, page};
use crate::state::Live;
use axum::Json;
use axum::body::Bytes;
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
    let params = match SearchParams::parse(&query.unwrap_or_default(), &catalogue, search.facts()) {
        Ok(params) => params,
        Err(e) => {
            let site = Site::frame(&catalogue, crate::assets::ASSETS, today);
            let html = page::error_page(&site, &e.0);
            return Ok(dynamic(StatusCode::BAD_REQUEST, Html(html).into_response()));
        }
    };
    let key = AnswerKey {
        today,
        format: Format::Page,
        params,
    };
    let answer = answer(
        &state,
        catalogue,
        search,
        key,
        |catalogue, search, key, results| {
            let mut site = Site::frame(catalogue, crate::assets::ASSETS, key.today);
            site.query = &key.params.q;
            page::results_page(&site, search.facts(), &key.params, results).into()
        },
    )
    .await?;
    Ok(dynamic(
        StatusCode::OK,
        Html(answer.body.clone()).into_response(),
    ))
}

/// `GET /api/search`: the same as JSON.
pub async fn search_json(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let (catalogue, search) = searchable(&state)?;
    let params = match SearchParams::parse(&query.unwrap_or_default(), &catalogue, search.facts()) {
        Ok(params) => params,
        Err(e) => return Ok(bad_request_json(&e.0)),
    };
    let key = AnswerKey {
        today: crate::config::today(),
        format: Format::Json,
        params,
    };
    let answer = answer(
        &state,
        catalogue,
        search,
        key,
        |catalogue, search, key, results| {
            let body =
                api::search_response(catalogue, search.facts(), key.today, &key.params, results);
            serde_json::to_vec(&body).unwrap_or_default().into()
        },
    )
    .await?;
    let json = [(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    )];
    Ok(dynamic(
        StatusCode::OK,
        (json, answer.body.clone()).into_response(),
    ))
}

/// The answer to `key`: kept from an earlier search of the same build, or searched (off
/// the async workers) and drawn by `draw`, then kept. Either way the search is counted.
async fn answer(
    state: &AppState,
    catalogue: Arc<Catalogue>,
    search: Arc<SearchIndex>,
    key: AnswerKey,
    draw: impl FnOnce(&Catalogue, &SearchIndex, &AnswerKey, &Results) -> Bytes + Send + 'static,
) -> Result<Arc<Answer>, AppError> {
    let (today, page) = (key.today, key.params.page);
    let answer = match search.answers.get(&key) {
        Some(kept) => kept,
        None => {
            run(state, move || {
                let results = search.search(&catalogue, key.today, &key.params, &|ord| {
                    search.facts().catalogue_in_stock(ord)
                })?;
                let answer = Arc::new(Answer {
                    body: draw(&catalogue, &search, &key, &results),
                    words: results.words,
                    total: results.total,
                });
                search.answers.put(key, Arc::clone(&answer));
                Ok(answer)
            })
            .await?
        }
    };
    record(state, today, page, &answer);
    Ok(answer)
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
fn record(state: &AppState, today: jiff::civil::Date, page: usize, answer: &Answer) {
    if page == 1 {
        if !answer.words.is_empty() {
            state.metrics.search(answer.total);
        }
        state.search_log.record(today, &answer.words, answer.total);
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
