//! Credentials: Argon2id password hashes, random session tokens stored only as hashes, and
//! signed visitor tokens (`<visitor id>.<hmac>`), so a widget can resume its chat but never
//! claim another visitor's.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Hashes a password with Argon2id (the crate's recommended parameters). CPU-heavy: call it
/// from a blocking thread.
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Checks a password against a stored hash. CPU-heavy: call it from a blocking thread.
pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .and_then(|hash| Argon2::default().verify_password(password.as_bytes(), &hash))
        .is_ok()
}

/// A hash that costs as much to verify as a real one, so unknown emails take as long as
/// wrong passwords.
pub fn dummy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0Ku0JtVLIV6OIGgUF7Kuad/lmKXbw9sHQSvNeNPtN9A"
}

/// A new random 256-bit token, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The hash under which a session token is stored.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Signs and verifies visitor tokens with the server's secret.
#[derive(Clone)]
pub struct VisitorTokens {
    secret: Vec<u8>,
}

impl VisitorTokens {
    /// Uses `secret` (hex or any text) as the HMAC key.
    pub fn new(secret: &str) -> Self {
        Self {
            secret: secret.as_bytes().to_vec(),
        }
    }

    fn mac(&self, visitor_id: &str) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC accepts any key length");
        mac.update(visitor_id.as_bytes());
        mac
    }

    /// A token proving `visitor_id`.
    pub fn sign(&self, visitor_id: &str) -> String {
        let tag = self.mac(visitor_id).finalize().into_bytes();
        format!("{visitor_id}.{}", hex::encode(tag))
    }

    /// The visitor id a token proves, or `None` if it was not signed by this server.
    pub fn verify(&self, token: &str) -> Option<String> {
        let (visitor_id, tag) = token.rsplit_once('.')?;
        let tag = hex::decode(tag).ok()?;
        self.mac(visitor_id).verify_slice(&tag).ok()?;
        Some(visitor_id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("correct horse", dummy_hash()));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token());
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }

    #[test]
    fn visitor_tokens_cannot_be_forged() {
        let tokens = VisitorTokens::new("server secret");
        let token = tokens.sign("visitor-1");
        assert_eq!(tokens.verify(&token).as_deref(), Some("visitor-1"));
        let forged = token.replace("visitor-1", "visitor-2");
        assert_eq!(tokens.verify(&forged), None);
        assert_eq!(VisitorTokens::new("other secret").verify(&token), None);
        assert_eq!(tokens.verify("garbage"), None);
    }
}
