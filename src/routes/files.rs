//! Serving the published build: the right file for a URL, content types, conditional GET
//! (`ETag`, `Last-Modified`, 304), precompressed brotli/gzip by `Accept-Encoding`,
//! `Cache-Control`, 301s for product aliases and directory paths, the 404 page.
//!
//! Paths are decoded and checked component by component: anything that is not a plain
//! name (`..`, hidden files, backslashes, NUL) is a 404, so no request leaves the build.

use crate::AppState;
use crate::error::AppError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

/// Fingerprinted assets never change: cache them for a year (RFC 8246 `immutable`).
const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// HTML changes with the catalogue: a short cache, revalidated with the ETag.
const CACHE_HTML: &str = "public, max-age=60, must-revalidate";
/// Pictures, sitemaps, robots.txt.
const CACHE_OTHER: &str = "public, max-age=3600";

/// Serves whatever file of the live build the request names.
pub async fn serve_file(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, AppError> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return Err(AppError::MethodNotAllowed);
    }
    let live = state.live().ok_or(AppError::NoBuild)?;
    let uri = request.uri();
    let Some(path) = decode_path(uri.path()) else {
        return not_found(&live.site, request.headers()).await;
    };
    if let Some(target) = live.redirects.get(&path) {
        return Ok(redirect(target));
    }
    let file = match locate(&live.site, &path, uri.query()) {
        Located::File(file) => file,
        Located::Redirect(target) => return Ok(redirect(&target)),
        Located::Missing => return not_found(&live.site, request.headers()).await,
    };
    let head = request.method() == Method::HEAD;
    send(&file, request.headers(), StatusCode::OK, head).await
}

/// Where a URL leads in the build.
#[derive(Debug, PartialEq, Eq)]
enum Located {
    File(PathBuf),
    Redirect(String),
    Missing,
}

/// The percent-decoded path if every component is a plain name; `None` for traversal
/// attempts, hidden names, backslashes, NUL or invalid UTF-8.
fn decode_path(raw: &str) -> Option<String> {
    let decoded = percent_decode(raw)?;
    if decoded.contains(['\\', '\0']) || !decoded.starts_with('/') {
        return None;
    }
    let plain = Path::new(&decoded).components().all(|c| match c {
        Component::RootDir => true,
        Component::Normal(name) => !name.to_string_lossy().starts_with('.'),
        Component::CurDir | Component::ParentDir | Component::Prefix(_) => false,
    });
    (plain && !decoded.contains("//") && !decoded.split('/').any(|s| s == "." || s == ".."))
        .then_some(decoded)
}

fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Maps a clean URL path (and its `?page=n`) onto a file of the build.
fn locate(site: &Path, path: &str, query: Option<&str>) -> Located {
    let relative = path.trim_start_matches('/');
    if path.ends_with('/') {
        return match page_number(query) {
            Ok(1) if query.is_some_and(|q| q.contains("page=")) => {
                Located::Redirect(path.to_owned())
            }
            Ok(1) => existing(site.join(relative).join("index.html")),
            Ok(n) => existing(site.join(relative).join(format!("page-{n}.html"))),
            Err(()) => Located::Missing,
        };
    }
    let file = site.join(relative);
    if file.is_dir() && file.join("index.html").is_file() {
        return Located::Redirect(format!("{path}/"));
    }
    if relative.ends_with(".html") || relative.ends_with(".br") || relative.ends_with(".gz") {
        // Pages are only reachable at their canonical URL; compressed copies only by negotiation.
        return Located::Missing;
    }
    existing(file)
}

fn existing(file: PathBuf) -> Located {
    if file.is_file() {
        Located::File(file)
    } else {
        Located::Missing
    }
}

/// `?page=n` of a listing: 1 when absent; an error for anything but a positive number.
fn page_number(query: Option<&str>) -> Result<usize, ()> {
    let Some(query) = query else { return Ok(1) };
    let mut page = 1;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("page", value)) => {
                page = value.parse::<usize>().ok().filter(|n| *n >= 1).ok_or(())?
            }
            _ => {}
        }
    }
    Ok(page)
}

fn redirect(target: &str) -> Response {
    let location = HeaderValue::from_str(target).unwrap_or(HeaderValue::from_static("/"));
    (
        StatusCode::MOVED_PERMANENTLY,
        [
            (header::LOCATION, location),
            (header::CACHE_CONTROL, HeaderValue::from_static(CACHE_OTHER)),
        ],
    )
        .into_response()
}

async fn not_found(site: &Path, headers: &HeaderMap) -> Result<Response, AppError> {
    let page = site.join("404.html");
    if !page.is_file() {
        return Err(AppError::NotFound);
    }
    let mut response = send(&page, headers, StatusCode::NOT_FOUND, false).await?;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.headers_mut().remove(header::ETAG);
    Ok(response)
}

/// Sends `file` (or its precompressed copy), honouring conditional requests.
async fn send(
    file: &Path,
    headers: &HeaderMap,
    status: StatusCode,
    head: bool,
) -> Result<Response, AppError> {
    let meta = tokio::fs::metadata(file)
        .await
        .map_err(|_| AppError::NotFound)?;
    let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    let (body_file, encoding) = negotiate(file, headers).await;
    let etag = etag(meta.len(), modified, encoding);
    let mut response = Response::builder().status(status);
    let out = response
        .headers_mut()
        .ok_or_else(|| anyhow::anyhow!("response builder failed"))?;
    out.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(file)),
    );
    out.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control(file)),
    );
    out.insert(
        header::LAST_MODIFIED,
        header_value(&httpdate::fmt_http_date(modified)),
    );
    out.insert(header::ETAG, header_value(&etag));
    if comptoir_indexer::output::compressible(&file.to_string_lossy()) {
        out.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if let Some(encoding) = encoding {
        out.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    if status == StatusCode::OK && not_modified(headers, &etag, modified) {
        out.remove(header::CONTENT_TYPE);
        out.remove(header::CONTENT_ENCODING);
        return response
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .map_err(|e| AppError::Internal(e.into()));
    }
    let bytes = tokio::fs::read(&body_file)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let length = bytes.len();
    let out = response
        .headers_mut()
        .ok_or_else(|| anyhow::anyhow!("response builder failed"))?;
    out.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    let body = if head {
        Body::empty()
    } else {
        Body::from(bytes)
    };
    response
        .body(body)
        .map_err(|e| AppError::Internal(e.into()))
}

fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or(HeaderValue::from_static(""))
}

/// The best precompressed copy the client accepts: brotli, then gzip, else the file itself.
async fn negotiate(file: &Path, headers: &HeaderMap) -> (PathBuf, Option<&'static str>) {
    let accepted = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    for (encoding, suffix) in [("br", ".br"), ("gzip", ".gz")] {
        if accepts(accepted, encoding) {
            let mut name = file.as_os_str().to_owned();
            name.push(suffix);
            let candidate = PathBuf::from(name);
            if tokio::fs::metadata(&candidate)
                .await
                .is_ok_and(|m| m.is_file())
            {
                return (candidate, Some(encoding));
            }
        }
    }
    (file.to_path_buf(), None)
}

/// Whether an `Accept-Encoding` value accepts `encoding` (a `q=0` refuses it).
fn accepts(header: &str, encoding: &str) -> bool {
    header.split(',').any(|part| {
        let mut pieces = part.split(';').map(str::trim);
        let name = pieces.next().unwrap_or("");
        let refused = pieces.any(|p| {
            p.replace(' ', "")
                .strip_prefix("q=")
                .is_some_and(|q| q.parse::<f32>().is_ok_and(|q| q <= 0.0))
        });
        (name.eq_ignore_ascii_case(encoding) || name == "*") && !refused
    })
}

/// A strong validator from the file's size and modification time (as nginx does), per
/// encoding since each encoding is a different representation.
fn etag(length: u64, modified: SystemTime, encoding: Option<&str>) -> String {
    let nanos = modified
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    match encoding {
        Some(encoding) => format!("\"{nanos:x}-{length:x}-{encoding}\""),
        None => format!("\"{nanos:x}-{length:x}\""),
    }
}

/// RFC 9110 §13.1: `If-None-Match` wins over `If-Modified-Since`.
fn not_modified(headers: &HeaderMap, etag: &str, modified: SystemTime) -> bool {
    if let Some(value) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        return value
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == etag || t == "*");
    }
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    let seconds = |t: SystemTime| {
        t.duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    };
    since.is_some_and(|since| seconds(modified) <= seconds(since))
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "tsv" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

fn cache_control(file: &Path) -> &'static str {
    let path = file.to_string_lossy();
    if path.contains("/assets/") {
        CACHE_IMMUTABLE
    } else if path.ends_with(".html") {
        CACHE_HTML
    } else {
        CACHE_OTHER
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_and_hidden_paths_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2E%2E/x",
            "/.git/config",
            "/a\\..\\b",
            "/a%00b",
            "/%zz",
            "//etc/passwd",
            "/a/./b",
        ] {
            assert_eq!(decode_path(bad), None, "{bad}");
        }
        assert_eq!(
            decode_path("/boutiques/caf%C3%A9/").as_deref(),
            Some("/boutiques/café/")
        );
    }

    #[test]
    fn accept_encoding_is_parsed_with_q_values() {
        assert!(accepts("gzip, deflate, br", "br"));
        assert!(accepts("br;q=1.0, gzip;q=0.8", "gzip"));
        assert!(!accepts("br;q=0, gzip", "br"));
        assert!(!accepts("identity", "gzip"));
        assert!(accepts("*", "gzip"));
    }

    #[test]
    fn page_numbers_are_positive_integers() {
        assert_eq!(page_number(None), Ok(1));
        assert_eq!(page_number(Some("page=3")), Ok(3));
        assert_eq!(page_number(Some("utm_source=x&page=2")), Ok(2));
        for bad in ["page=0", "page=-1", "page=abc", "page="] {
            assert_eq!(page_number(Some(bad)), Err(()), "{bad}");
        }
    }
}
