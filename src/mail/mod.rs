//! E-mail: the order confirmation to the shopper, a new-order e-mail to each shop, and the
//! shopper's news when a shop moves its part (ready, on its way, shipped, cancelled).
//!
//! Messages are built with `lettre` and handed to a [`Mailer`]: by default an [`Outbox`]
//! that writes each message as an `.eml` file in `<data>/outbox/` (nothing to set up; a
//! person or a relay can pick them up), or [`Smtp`] when `COMPTOIR_SMTP_URL` is set
//! (`smtp://host:25` plain, `smtp://user:pass@host:587?tls=required` STARTTLS,
//! `smtps://user:pass@host:465` implicit TLS, rustls with the Mozilla roots). Tests read
//! the outbox.
//!
//! Not here: when to send (after an order is placed: [`send_order_emails`], called by the
//! checkout route for a fresh order only; [`send_status_email`], called by the
//! back-office after a status change).

mod account;
mod order;
mod status;

pub use account::password_link;
pub use order::{MailReport, order_messages, send_order_emails};
pub use status::{send_status_email, status_message};

use crate::Config;
use lettre::message::Message;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

/// The outbox folder in the data folder.
pub const OUTBOX_DIR: &str = "outbox";

/// Why an e-mail could not be built or sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// An address in the catalogue or the order is not an e-mail address.
    #[error("bad e-mail address {address:?}: {source} (fix it in the catalogue or the order)")]
    Address {
        /// The address.
        address: String,
        /// Why.
        source: lettre::address::AddressError,
    },
    /// The text could not be encoded (never happens with quoted-printable).
    #[error("cannot encode the e-mail's text")]
    Encoding,
    /// The message could not be assembled.
    #[error("cannot build the e-mail: {0}")]
    Build(#[from] lettre::error::Error),
    /// The outbox could not be written.
    #[error("cannot write the e-mail to {path}: {source} (check the data folder's permissions)")]
    Outbox {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The SMTP URL or server failed.
    #[error("SMTP failed: {0} (check COMPTOIR_SMTP_URL and the server)")]
    Smtp(#[from] lettre::transport::smtp::Error),
}

/// The future a mailer returns.
pub type MailFuture<'a> = Pin<Box<dyn Future<Output = Result<(), MailError>> + Send + 'a>>;

/// Where messages go. Implementations are shared (`Arc<dyn Mailer>`).
pub trait Mailer: Send + Sync + fmt::Debug {
    /// Sends (or files) `message`.
    fn send(&self, message: Message) -> MailFuture<'_>;
}

/// The mailer `config` asks for: SMTP when `smtp_url` is set, else the outbox in the data
/// folder.
///
/// # Errors
///
/// [`MailError::Smtp`] when the SMTP URL is malformed.
pub fn from_config(config: &Config) -> Result<Arc<dyn Mailer>, MailError> {
    Ok(match &config.smtp_url {
        Some(url) => Arc::new(Smtp::from_url(url.expose())?),
        None => Arc::new(Outbox::new(config.data.join(OUTBOX_DIR))),
    })
}

/// Files messages as `.eml` files in a folder.
#[derive(Debug, Clone)]
pub struct Outbox {
    dir: PathBuf,
}

impl Outbox {
    /// An outbox writing into `dir` (created on the first message).
    #[must_use]
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    /// Its folder.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    async fn write(&self, message: Message) -> Result<(), MailError> {
        let name = format!(
            "{}-{}.eml",
            jiff::Timestamp::now().as_nanosecond(),
            &crate::cart::random_hex()[..8]
        );
        let (path, partial) = (self.dir.join(&name), self.dir.join(format!(".{name}.part")));
        let outbox = |source| MailError::Outbox {
            path: path.clone(),
            source,
        };
        tokio::fs::create_dir_all(&self.dir).await.map_err(outbox)?;
        // Written aside, then renamed: whoever watches the folder never reads half a file.
        tokio::fs::write(&partial, message.formatted())
            .await
            .map_err(outbox)?;
        tokio::fs::rename(&partial, &path).await.map_err(outbox)
    }
}

impl Mailer for Outbox {
    fn send(&self, message: Message) -> MailFuture<'_> {
        Box::pin(self.write(message))
    }
}

/// Sends messages through an SMTP server.
#[derive(Clone)]
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl Smtp {
    /// A mailer for `url` (see the module documentation for the forms).
    ///
    /// # Errors
    ///
    /// [`MailError::Smtp`] when the URL is malformed.
    pub fn from_url(url: &str) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build();
        Ok(Self { transport })
    }
}

impl fmt::Debug for Smtp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The transport holds the credentials.
        f.write_str("Smtp(***)")
    }
}

impl Mailer for Smtp {
    fn send(&self, message: Message) -> MailFuture<'_> {
        Box::pin(async move {
            self.transport.send(message).await?;
            Ok(())
        })
    }
}
