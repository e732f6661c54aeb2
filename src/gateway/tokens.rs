//! Bearer tokens of the send endpoints (`tokens` in gateway.toml): a request carries
//! `Authorization: Bearer <token>`. Tokens are kept only as SHA-256 digests and compared in
//! constant time (all of them, every time), so neither timing nor logs reveal them.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The accepted tokens; empty: no token needed.
#[derive(Clone, Default)]
pub struct BearerTokens {
    digests: Vec<[u8; 32]>,
}

impl std::fmt::Debug for BearerTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BearerTokens({} configured)", self.digests.len())
    }
}

/// Why a request is not let in (HTTP 401).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenRefused {
    #[error("this gateway needs a bearer token: send `Authorization: Bearer <token>`")]
    Missing,
    #[error("the bearer token is not one this gateway accepts")]
    Wrong,
}

fn digest(token: &[u8]) -> [u8; 32] {
    Sha256::digest(token).into()
}

impl BearerTokens {
    /// From the configured tokens; an empty token is refused (it would let anyone in).
    pub fn new(tokens: &[String]) -> Result<Self, String> {
        if tokens.iter().any(|t| t.trim().is_empty()) {
            return Err("tokens: an empty token would accept every request; remove it".into());
        }
        Ok(BearerTokens {
            digests: tokens.iter().map(|t| digest(t.as_bytes())).collect(),
        })
    }

    /// Whether tokens are required.
    pub fn required(&self) -> bool {
        !self.digests.is_empty()
    }

    /// Check an `Authorization` header value (`None`: no header).
    pub fn check(&self, authorization: Option<&[u8]>) -> Result<(), TokenRefused> {
        if !self.required() {
            return Ok(());
        }
        let token = authorization
            .and_then(bearer_token)
            .ok_or(TokenRefused::Missing)?;
        let presented = digest(token);
        let mut matched = subtle::Choice::from(0);
        for d in &self.digests {
            matched |= d.ct_eq(&presented);
        }
        if bool::from(matched) {
            Ok(())
        } else {
            Err(TokenRefused::Wrong)
        }
    }
}

/// The token of `Bearer <token>` (the scheme in any case).
fn bearer_token(value: &[u8]) -> Option<&[u8]> {
    let (scheme, rest) = value.split_at_checked(7)?;
    if !scheme.eq_ignore_ascii_case(b"bearer ") {
        return None;
    }
    let token = rest.trim_ascii();
    (!token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_checked() {
        let none = BearerTokens::new(&[]).unwrap();
        assert_eq!(none.check(None), Ok(()));
        let t = BearerTokens::new(&["s3cret".into(), "other".into()]).unwrap();
        assert_eq!(t.check(None), Err(TokenRefused::Missing));
        assert_eq!(t.check(Some(b"Basic abc")), Err(TokenRefused::Missing));
        assert_eq!(t.check(Some(b"Bearer ")), Err(TokenRefused::Missing));
        assert_eq!(t.check(Some(b"Bearer nope")), Err(TokenRefused::Wrong));
        assert_eq!(t.check(Some(b"Bearer s3cret")), Ok(()));
        assert_eq!(t.check(Some(b"bearer other")), Ok(()));
        assert!(BearerTokens::new(&[" ".into()]).is_err());
        assert!(!format!("{t:?}").contains("s3cret"));
    }
}
