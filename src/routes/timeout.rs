//! How long a request may take: 30 s, except uploads (`multipart/form-data`: photos from a
//! phone, CSV exports), which get 10 minutes so that a merchant on a slow mobile
//! connection can send several full-size pictures. Past it the answer is 408.

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// Any request but an upload.
pub const REQUEST: Duration = Duration::from_secs(30);

/// An upload (`multipart/form-data`).
pub const UPLOAD: Duration = Duration::from_secs(600);

/// The time allowed to `request`.
#[must_use]
pub fn allowed(request: &Request) -> Duration {
    let upload = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        });
    if upload { UPLOAD } else { REQUEST }
}

/// The middleware: runs the request under its time limit.
pub async fn limit(request: Request, next: Next) -> Response {
    let allowed = allowed(&request);
    match tokio::time::timeout(allowed, next.run(request)).await {
        Ok(response) => response,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    #[test]
    fn uploads_get_longer_than_other_requests() {
        let form = Request::builder()
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
            .body(Body::empty())
            .expect("request");
        assert_eq!(allowed(&form), UPLOAD);
        let page = Request::builder().body(Body::empty()).expect("request");
        assert_eq!(allowed(&page), REQUEST);
        let post = Request::builder()
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::empty())
            .expect("request");
        assert_eq!(allowed(&post), REQUEST);
    }
}
