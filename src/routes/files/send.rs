//! Answering with one file of the build: content type, cache headers, validators,
//! conditional requests (304), and the encoding the client prefers — a precompressed copy
//! when the build wrote one, otherwise compressed for this response.

use crate::error::AppError;
use axum::body::Body;
use axum::http::StatusCode;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::response::Response;
use comptoir_indexer::output::{brotli_bytes, compressible, gzip_bytes};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Fingerprinted assets never change: cache them for a year (RFC 8246 `immutable`).
const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// HTML changes with the catalogue: a short cache, revalidated with the ETag.
const CACHE_HTML: &str = "public, max-age=60, must-revalidate";
/// Pictures, sitemaps, robots.txt.
const CACHE_OTHER: &str = "public, max-age=3600";
/// Below this size, compressing a response gains nothing worth the time.
const MIN_COMPRESS_BYTES: u64 = 512;

/// The encodings we offer, in order of preference, with the suffix of their copies.
const ENCODINGS: [(&str, &str); 2] = [("br", ".br"), ("gzip", ".gz")];

/// Which bytes answer a request.
struct Representation {
    /// The file to read.
    file: PathBuf,
    /// `Content-Encoding`, if any.
    encoding: Option<&'static str>,
    /// Whether the bytes read must still be compressed with `encoding`.
    compress: bool,
}

/// Sends `file` (or its compressed form), honouring conditional requests.
pub async fn send(
    file: &Path,
    headers: &HeaderMap,
    status: StatusCode,
    head: bool,
) -> Result<Response, AppError> {
    let meta = tokio::fs::metadata(file)
        .await
        .map_err(|_| AppError::NotFound)?;
    let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    let chosen = negotiate(file, meta.len(), headers).await;
    let etag = etag(meta.len(), modified, chosen.encoding);
    let mut response = Response::builder().status(status);
    let out = response
        .headers_mut()
        .ok_or_else(|| anyhow::anyhow!("response builder failed"))?;
    out.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control(file)),
    );
    out.insert(
        header::LAST_MODIFIED,
        header_value(&httpdate::fmt_http_date(modified)),
    );
    out.insert(header::ETAG, header_value(&etag));
    if compressible(&file.to_string_lossy()) {
        out.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if status == StatusCode::OK && not_modified(headers, &etag, modified) {
        return response
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .map_err(|e| AppError::Internal(e.into()));
    }
    out.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(file)),
    );
    if let Some(encoding) = chosen.encoding {
        out.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    let bytes = read(&chosen).await?;
    out.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let body = if head {
        Body::empty()
    } else {
        Body::from(bytes)
    };
    response
        .body(body)
        .map_err(|e| AppError::Internal(e.into()))
}

/// Reads the chosen bytes, compressing them off the async workers when needed.
async fn read(chosen: &Representation) -> Result<Vec<u8>, AppError> {
    let bytes = tokio::fs::read(&chosen.file)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let encoding = match chosen.encoding {
        Some(encoding) if chosen.compress => encoding,
        _ => return Ok(bytes),
    };
    let compressed = tokio::task::spawn_blocking(move || {
        if encoding == "br" {
            brotli_bytes(&bytes)
        } else {
            gzip_bytes(&bytes)
        }
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?;
    compressed.map_err(|e| AppError::Internal(e.into()))
}

fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or(HeaderValue::from_static(""))
}

/// The client's preferred encoding: a precompressed copy if the build wrote one, else the
/// file compressed now (text files worth it), else the file as is.
async fn negotiate(file: &Path, length: u64, headers: &HeaderMap) -> Representation {
    let accepted = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let wanted: Vec<(&'static str, &str)> = ENCODINGS
        .into_iter()
        .filter(|(e, _)| accepts(accepted, e))
        .collect();
    for (encoding, suffix) in &wanted {
        let mut name = file.as_os_str().to_owned();
        name.push(suffix);
        let copy = PathBuf::from(name);
        if tokio::fs::metadata(&copy).await.is_ok_and(|m| m.is_file()) {
            return Representation {
                file: copy,
                encoding: Some(encoding),
                compress: false,
            };
        }
    }
    let worth = compressible(&file.to_string_lossy()) && length >= MIN_COMPRESS_BYTES;
    match wanted.first() {
        Some((encoding, _)) if worth => Representation {
            file: file.to_path_buf(),
            encoding: Some(encoding),
            compress: true,
        },
        _ => Representation {
            file: file.to_path_buf(),
            encoding: None,
            compress: false,
        },
    }
}

/// Whether an `Accept-Encoding` value accepts `encoding` (a `q=0` refuses it).
pub(super) fn accepts(header: &str, encoding: &str) -> bool {
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
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "gz" => "application/gzip",
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
