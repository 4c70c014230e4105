//! The one HTTP request IndexNow needs: a JSON POST whose answer's status is all that
//! matters, over TCP or TLS (rustls with the Mozilla roots of `webpki-roots`).

use axum::http::Uri;
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::{self, pki_types::ServerName};

/// Longest status line read (`HTTP/1.1 200 OK`): a server sending more is not HTTP.
const MAX_STATUS_LINE: usize = 1024;

/// Posts `body` as JSON to `endpoint` and returns the answer's status code.
///
/// # Errors
///
/// When the connection, TLS or the exchange fails, or the answer is not HTTP.
pub async fn post(endpoint: &Uri, body: &[u8]) -> std::io::Result<u16> {
    let host = endpoint.host().unwrap_or_default();
    let https = endpoint.scheme_str() == Some("https");
    let port = endpoint.port_u16().unwrap_or(if https { 443 } else { 80 });
    let tcp = TcpStream::connect((host, port)).await?;
    let request = request(endpoint, body);
    if https {
        let name = ServerName::try_from(host.to_owned()).map_err(std::io::Error::other)?;
        let stream = tls()?.connect(name, tcp).await?;
        exchange(stream, &request).await
    } else {
        exchange(tcp, &request).await
    }
}

fn request(endpoint: &Uri, body: &[u8]) -> Vec<u8> {
    let path = endpoint.path_and_query().map_or("/", |p| p.as_str());
    let host = endpoint.authority().map_or("", |a| a.as_str());
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json; charset=utf-8\r\n\
         Content-Length: {}\r\nUser-Agent: comptoir\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

/// Sends `request` and reads the status line of the answer.
async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    request: &[u8],
) -> std::io::Result<u16> {
    stream.write_all(request).await?;
    stream.flush().await?;
    let mut head = Vec::new();
    let mut buffer = [0u8; 256];
    while !head.windows(2).any(|w| w == b"\r\n") && head.len() < MAX_STATUS_LINE {
        let n = stream.read(&mut buffer).await?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buffer[..n]);
    }
    let line = String::from_utf8_lossy(&head);
    line.strip_prefix("HTTP/1.")
        .and_then(|rest| rest.get(2..5))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other("the answer is not HTTP"))
}

fn tls() -> std::io::Result<TlsConnector> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(std::io::Error::other)?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(TlsConnector::from(Arc::new(config)))
}
