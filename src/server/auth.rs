//! Bearer tokens: planners (one shared set) and drivers (per unit). Tokens are stored as
//! SHA-256 hashes and compared in constant time.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::AppState;
use super::error::ApiError;

/// The SHA-256 hash of a token.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenHash([u8; 32]);

impl std::fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenHash(…)")
    }
}

impl TokenHash {
    pub fn of(token: &str) -> TokenHash {
        TokenHash(Sha256::digest(token.as_bytes()).into())
    }

    /// A short public name of the token for the audit log (`planner:1a2b3c4d`): the
    /// first 4 bytes of the hash, which identify a token without revealing it.
    pub fn label(&self, role: &str) -> String {
        format!("{role}:{}", self.0[..4].iter().map(|b| format!("{b:02x}")).collect::<String>())
    }

    /// Constant-time comparison with a presented token.
    pub fn matches(&self, token: &str) -> bool {
        bool::from(self.0.ct_eq(&TokenHash::of(token).0))
    }
}

/// Whether any hash matches, checking all of them (no early exit).
fn any_matches(hashes: &[TokenHash], token: &str) -> bool {
    hashes.iter().fold(false, |found, h| found | h.matches(token))
}

/// Name of the cookie the login page sets (HttpOnly, SameSite=Strict) for the web pages.
pub const COOKIE: &str = "junkai_token";

/// The presented token: `Authorization: Bearer …`, else the login cookie.
fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let header = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let cookie = || {
        parts
            .headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().strip_prefix(COOKIE)?.strip_prefix('='))
            .next()
    };
    header.or_else(cookie).filter(|t| !t.is_empty()).ok_or_else(ApiError::unauthenticated)
}

/// The role a token has, if any.
pub fn role_of(state: &AppState, token: &str) -> Option<&'static str> {
    if any_matches(&state.config.planner_tokens, token) {
        Some("planner")
    } else if state.config.driver_tokens.values().any(|h| any_matches(h, token)) {
        Some("driver")
    } else {
        None
    }
}

/// A request made with a planner token; `who` names the token in the audit log.
pub struct Planner {
    pub who: String,
}

impl FromRequestParts<AppState> for Planner {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)?;
        if any_matches(&state.config.planner_tokens, token) {
            Ok(Planner { who: TokenHash::of(token).label("planner") })
        } else {
            Err(ApiError::forbidden())
        }
    }
}

/// A request made with a driver token; holds the unit the token belongs to. Planner
/// tokens are not driver tokens: the roles are separate.
pub struct Driver {
    pub unit: String,
}

impl FromRequestParts<AppState> for Driver {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)?;
        let mut unit = None;
        for (id, hashes) in &state.config.driver_tokens {
            if any_matches(hashes, token) {
                unit = Some(id.clone());
            }
        }
        unit.map(|unit| Driver { unit }).ok_or_else(ApiError::forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_match_only_their_token() {
        let h = TokenHash::of("a-long-planner-token");
        assert!(h.matches("a-long-planner-token"));
        assert!(!h.matches("a-long-planner-tokem"));
        assert!(!h.matches(""));
        assert!(any_matches(&[TokenHash::of("x"), h], "a-long-planner-token"));
    }
}
