//! The e-mail that carries a password link: an invitation to a new back-office user, or
//! the reset a user asked for.

use super::MailError;
use super::order::{mailbox, message};
use crate::accounts::links::Purpose;
use comptoir_indexer::model::Catalogue;
use lettre::message::Message;

/// The message sending `url` (absolute) to `email`.
///
/// # Errors
///
/// [`MailError`] when an address is malformed.
pub fn password_link(
    catalogue: &Catalogue,
    email: &str,
    purpose: Purpose,
    url: &str,
) -> Result<Message, MailError> {
    let site = &catalogue.town.site_name;
    let (subject, intro, valid) = match purpose {
        Purpose::Invite => (
            format!("Votre accès à l’espace commerçant de {site}"),
            format!("Un accès à l’espace commerçant de {site} a été créé pour vous."),
            "Ce lien est valable 7 jours et ne sert qu’une fois.",
        ),
        Purpose::Reset => (
            format!("Nouveau mot de passe pour {site}"),
            "Vous avez demandé à changer le mot de passe de votre espace commerçant.".to_owned(),
            "Ce lien est valable 1 heure et ne sert qu’une fois. Si vous n’avez rien demandé, ignorez ce message : votre mot de passe ne change pas.",
        ),
    };
    let text = format!(
        "Bonjour,\n\n{intro}\n\nChoisissez votre mot de passe ici :\n{url}\n\n{valid}\n\n— {site}\n"
    );
    message(catalogue, mailbox(email, email)?, subject, text)
}
