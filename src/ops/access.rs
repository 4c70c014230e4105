//! Who may read `/metrics`.
//!
//! - With a token configured (`--metrics-token`, `COMPTOIR_METRICS_TOKEN`), a request must
//!   carry `Authorization: Bearer <token>`, from any address (loopback included, since a
//!   reverse proxy on the same machine makes every request local); otherwise 401 with
//!   `WWW-Authenticate: Bearer`, as RFC 6750 §3 asks, so a scraper's operator sees why.
//! - Without a token, only direct connections from the loopback interface are served:
//!   a request forwarded by a proxy (`Forwarded`, `X-Forwarded-For`, `X-Real-IP`) or from
//!   any other address gets the 404 of an address that does not exist, so the endpoint is
//!   not advertised to the public.

use crate::config::Secret;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;

/// Headers a reverse proxy adds: such a request comes from elsewhere, whatever its peer.
const FORWARDING_HEADERS: [&str; 3] = ["forwarded", "x-forwarded-for", "x-real-ip"];

/// What to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Serve the metrics.
    Allowed,
    /// 401: a token is required and this one is missing or wrong.
    Unauthorized,
    /// 404: not for this client.
    Hidden,
}

/// Whether a request with these headers, from `peer` (`None`: unknown), may read the
/// metrics when `token` is configured.
#[must_use]
pub fn check(token: Option<&Secret>, headers: &HeaderMap, peer: Option<SocketAddr>) -> Access {
    match token {
        Some(token) => {
            let sent = headers
                .get(AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "));
            match sent {
                Some(sent) if same_secret(sent.trim(), token.expose()) => Access::Allowed,
                _ => Access::Unauthorized,
            }
        }
        None => {
            let local = peer.is_some_and(|p| p.ip().is_loopback());
            let forwarded = FORWARDING_HEADERS.iter().any(|h| headers.contains_key(*h));
            if local && !forwarded {
                Access::Allowed
            } else {
                Access::Hidden
            }
        }
    }
}

/// Compares digests rather than the strings, so the time taken tells nothing of the
/// token's length or of how many of its first characters were right.
fn same_secret(sent: &str, expected: &str) -> bool {
    let (a, b) = (Sha256::digest(sent), Sha256::digest(expected));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().expect("header value"));
        }
        map
    }

    /// A token configured, headers sent, the peer, the answer.
    type Case<'a> = (
        Option<&'a Secret>,
        &'a [(&'static str, &'a str)],
        Option<SocketAddr>,
        Access,
    );

    #[test]
    fn who_may_read_the_metrics() {
        let token = Secret::new("s3cret-token");
        let local: Option<SocketAddr> = Some(([127, 0, 0, 1], 40000).into());
        let local6: Option<SocketAddr> = Some((std::net::Ipv6Addr::LOCALHOST, 40000).into());
        let remote: Option<SocketAddr> = Some(([203, 0, 113, 9], 40000).into());
        let bearer = [("authorization", "Bearer s3cret-token")];
        let wrong = [("authorization", "Bearer s3cret-tokem")];
        let basic = [("authorization", "Basic czNjcmV0LXRva2Vu")];
        let proxied = [("x-forwarded-for", "203.0.113.9")];
        let cases: [Case<'_>; 11] = [
            (None, &[], local, Access::Allowed),
            (None, &[], local6, Access::Allowed),
            (None, &[], remote, Access::Hidden),
            (None, &[], None, Access::Hidden),
            (None, &proxied, local, Access::Hidden),
            (None, &bearer, remote, Access::Hidden),
            (Some(&token), &bearer, remote, Access::Allowed),
            (Some(&token), &bearer, None, Access::Allowed),
            (Some(&token), &[], local, Access::Unauthorized),
            (Some(&token), &wrong, local, Access::Unauthorized),
            (Some(&token), &basic, remote, Access::Unauthorized),
        ];
        for (token, sent, peer, expected) in cases {
            assert_eq!(
                check(token, &headers(sent), peer),
                expected,
                "{token:?} {sent:?} {peer:?}"
            );
        }
    }
}
