//! `/metrics`: the server's counters in Prometheus' text format, for whoever
//! [`crate::ops::access`] lets in (401 without the configured token, 404 from elsewhere).

use crate::AppState;
use crate::ops::access::{self, Access};
use crate::ops::metrics::CONTENT_TYPE;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

/// `GET /metrics`.
pub async fn metrics(State(state): State<AppState>, request: Request) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let token = state.config.metrics_token.as_ref();
    match access::check(token, request.headers(), peer) {
        Access::Allowed => {
            let body = state.metrics.render(state.catalogue_errors().len());
            (
                [
                    (header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE)),
                    (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
                ],
                body,
            )
                .into_response()
        }
        Access::Unauthorized => (
            StatusCode::UNAUTHORIZED,
            [(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"metrics\""),
            )],
            "a bearer token is required\n",
        )
            .into_response(),
        Access::Hidden => crate::error::AppError::NotFound.into_response(),
    }
}
