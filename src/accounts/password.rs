//! Passwords: argon2id hashes (PHC strings) and the rule a new password must follow.
//!
//! The parameters are argon2's defaults (argon2id, 19 MiB, 2 passes, 1 lane), the minimum
//! OWASP's Password Storage Cheat Sheet recommends; a stored hash carries its parameters,
//! so raising them later still verifies old hashes. Hashing costs tens of milliseconds:
//! callers run it on a blocking thread ([`hash_blocking`], [`verify_blocking`]).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Shortest password accepted, in characters.
pub const MIN_CHARS: usize = 10;

/// Longest password accepted, in bytes (beyond that it is not a password someone types,
/// and hashing it would be work for nothing).
pub const MAX_BYTES: usize = 256;

/// Why a new password is refused, in French (shown beside the field).
///
/// # Errors
///
/// The message to show when the password is too short, too long, or the same as the
/// e-mail address.
pub fn check_new(password: &str, email: &str) -> Result<(), &'static str> {
    if password.chars().count() < MIN_CHARS {
        return Err("Choisissez un mot de passe d’au moins 10 caractères.");
    }
    if password.len() > MAX_BYTES {
        return Err("Ce mot de passe est trop long (256 caractères au plus).");
    }
    if password.trim().eq_ignore_ascii_case(email.trim()) {
        return Err("Le mot de passe ne doit pas être votre adresse e-mail.");
    }
    Ok(())
}

/// The argon2id PHC string of `password` under a fresh random salt.
///
/// # Errors
///
/// When the operating system gives no randomness or argon2 refuses the input.
pub fn hash(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no randomness for a salt: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let phc = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))?;
    Ok(phc.to_string())
}

/// Whether `password` matches the stored PHC string (constant time inside argon2). A
/// malformed stored hash never matches.
#[must_use]
pub fn verify(password: &str, phc: &str) -> bool {
    if password.len() > MAX_BYTES {
        return false;
    }
    PasswordHash::new(phc).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// [`hash`] on a blocking thread.
///
/// # Errors
///
/// As [`hash`].
pub async fn hash_blocking(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash(&password)).await?
}

/// [`verify`] on a blocking thread; `None` (an unusable account) never matches but still
/// costs a hash, so timing does not tell whether an account exists.
pub async fn verify_blocking(password: String, phc: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || match phc {
        Some(phc) => verify(&password, &phc),
        None => {
            let _ = hash(&password);
            false
        }
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_argon2id_salted_and_verifies_only_its_password() {
        let one = hash("pain au levain 1987").expect("hashes");
        let two = hash("pain au levain 1987").expect("hashes");
        assert!(one.starts_with("$argon2id$"), "{one}");
        assert_ne!(one, two, "each hash has its own salt");
        assert!(verify("pain au levain 1987", &one));
        assert!(!verify("pain au levain 1988", &one));
        assert!(!verify("pain au levain 1987", "not a hash"));
    }

    #[test]
    fn new_passwords_are_long_enough_and_not_the_address() {
        assert!(check_new("court", "a@b.fr").is_err());
        assert!(check_new("marie@fromagerie.fr", "Marie@fromagerie.fr").is_err());
        assert!(check_new(&"x".repeat(300), "a@b.fr").is_err());
        assert!(check_new("comté 24 mois !", "a@b.fr").is_ok());
    }
}
