//! `/healthz`: whether a build is live, which, and the catalogue files that do not parse
//! now (their last good version is what the site shows).

use crate::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

/// 200 with the live build's id, its update count and the catalogue's errors (still
/// 200: the site serves the last good version), or 503 when nothing is published.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let errors = state.catalogue_errors();
    match state.live() {
        Some(live) => {
            let build = live
                .build
                .file_name()
                .map(|n| n.to_string_lossy().into_owned());
            let status = if errors.is_empty() {
                "ok"
            } else {
                "catalogue_errors"
            };
            (
                StatusCode::OK,
                Json(json!({
                    "status": status,
                    "build": build,
                    "generation": live.generation,
                    "catalogue_errors": errors,
                })),
            )
        }
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "no_build", "build": null, "catalogue_errors": errors})),
        ),
    }
}
