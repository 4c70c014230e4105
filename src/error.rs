//! The server's error policy.
//!
//! A user's mistake (4xx) gets a clear French message on HTML pages and a stable snake_case
//! `code` in JSON; an internal failure (5xx) gets a generic body while the full error is
//! logged with `tracing`. Statuses are mapped with an exhaustive `match`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Nothing lives at that address.
    #[error("not found")]
    NotFound,
    /// A product that was taken off the site.
    #[error("gone")]
    Gone,
    /// A form's CSRF token does not check (expired page, or a form of another site).
    #[error("forbidden")]
    Forbidden,
    /// The method is not allowed on a static page.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// No build has been published yet.
    #[error("no build is published")]
    NoBuild,
    /// Something broke on our side.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// The HTTP status.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Gone => StatusCode::GONE,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::NoBuild => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What a French-speaking visitor reads.
    #[must_use]
    pub fn french_message(&self) -> &'static str {
        match self {
            Self::NotFound => "Page introuvable.",
            Self::Gone => "Ce produit n’est plus en vente.",
            Self::Forbidden => {
                "Ce formulaire a expiré ou ne vient pas de ce site : rechargez la page, puis recommencez."
            }
            Self::MethodNotAllowed => "Cette adresse ne se consulte qu’en lecture.",
            Self::NoBuild => "Le site est en cours de construction : réessayez dans un instant.",
            Self::Internal(_) => {
                "Une erreur est survenue de notre côté. Réessayez dans un instant."
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::Internal(error) = &self {
            tracing::error!(error = format!("{error:#}"), "internal error");
        }
        let mut response = (
            self.status(),
            [("content-type", "text/plain; charset=utf-8")],
            self.french_message(),
        )
            .into_response();
        if matches!(self, Self::MethodNotAllowed) {
            response
                .headers_mut()
                .insert("allow", axum::http::HeaderValue::from_static("GET, HEAD"));
        }
        response
    }
}
