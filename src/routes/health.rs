//! `/healthz`: whether a build is live, and which.

use crate::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

/// 200 with the live build's id, or 503 when nothing is published.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match state.live() {
        Some(live) => {
            let build = live
                .build
                .file_name()
                .map(|n| n.to_string_lossy().into_owned());
            (
                StatusCode::OK,
                Json(json!({"status": "ok", "build": build})),
            )
        }
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "no_build", "build": null})),
        ),
    }
}
