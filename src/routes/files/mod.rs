//! Serving the published build: the right file for a URL, content types, conditional GET
//! (`ETag`, `Last-Modified`, 304), precompressed brotli/gzip by `Accept-Encoding`,
//! `Cache-Control`, 301s for product aliases and directory paths, the 404 page.
//!
//! Paths are decoded and checked component by component: anything that is not a plain
//! name (`..`, hidden files, backslashes, NUL) is a 404, so no request leaves the build.

use crate::AppState;
use crate::error::AppError;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use std::path::{Component, Path, PathBuf};

mod send;

use send::send;

/// Cache for redirects, sitemaps, robots.txt.
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
        Located::Missing if is_gone(&live.gone, &path) => {
            return error_page(&live.site, request.headers(), StatusCode::GONE).await;
        }
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
    let sitemap_copy = relative.starts_with("sitemap") && relative.ends_with(".xml.gz");
    if relative.ends_with(".html")
        || relative.ends_with(".br")
        || (relative.ends_with(".gz") && !sitemap_copy)
    {
        // Pages are only reachable at their canonical URL and compressed copies only by
        // negotiation, except the sitemaps' .gz files that crawlers may fetch directly.
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
    for pair in query.split('&') {
        if let Some(("page", value)) = pair.split_once('=') {
            page = value.parse::<usize>().ok().filter(|n| *n >= 1).ok_or(())?;
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

/// Whether `path` (with or without its final slash) is a product taken off the site.
fn is_gone(gone: &std::collections::HashSet<String>, path: &str) -> bool {
    gone.contains(path) || (!path.ends_with('/') && gone.contains(&format!("{path}/")))
}

async fn not_found(site: &Path, headers: &HeaderMap) -> Result<Response, AppError> {
    error_page(site, headers, StatusCode::NOT_FOUND).await
}

/// The build's page for a 404 or a 410, sent with that status and never cached.
async fn error_page(
    site: &Path,
    headers: &HeaderMap,
    status: StatusCode,
) -> Result<Response, AppError> {
    let name = if status == StatusCode::GONE {
        comptoir_indexer::render::GONE_PAGE
    } else {
        "404.html"
    };
    let page = site.join(name);
    if !page.is_file() {
        return Err(if status == StatusCode::GONE {
            AppError::Gone
        } else {
            AppError::NotFound
        });
    }
    let mut response = send(&page, headers, status, false).await?;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.headers_mut().remove(header::ETAG);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::send::accepts;
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
