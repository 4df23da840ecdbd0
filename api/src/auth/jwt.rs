//! HS256 tokens carrying the user id, role, organisation and the user's token version (`ver`,
//! see `revocation`), with an expiry checked against the application clock (not the
//! library's own), so tests can move time.

use super::caller::Actor;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use entity::{OrganizationKind, Role};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: Role,
    pub org: String,
    pub kind: OrganizationKind,
    pub iat: i64,
    pub exp: i64,
    /// The user's token version when issued; tokens from before versions existed have none
    /// and count as version 0.
    #[serde(default)]
    pub ver: i32,
}

#[derive(Clone)]
pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl Keys {
    pub fn new(secret: &[u8], ttl: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        // Expiry is checked against the application clock in `verify`.
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        Keys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl,
        }
    }

    /// From `JWT_SECRET`, or a random per-process secret (tokens then die with the process).
    pub fn from_config(secret: Option<&str>, ttl: Duration) -> Self {
        match secret {
            Some(s) => Keys::new(s.as_bytes(), ttl),
            None => {
                tracing::warn!(
                    "JWT_SECRET is not set: using a random secret for this process only. \
                     Tokens will not survive a restart and will not work across several api \
                     processes. Set JWT_SECRET in production."
                );
                let mut bytes = [0u8; 32];
                rand::rng().fill_bytes(&mut bytes);
                Keys::new(&bytes, ttl)
            }
        }
    }

    /// A token for `actor` at the user's current token `version`.
    pub fn issue(&self, actor: &Actor, version: i32, now: DateTime<Utc>) -> AppResult<String> {
        let ttl = i64::try_from(self.ttl.as_secs()).unwrap_or(i64::MAX / 2);
        let claims = Claims {
            sub: actor.user_id.clone(),
            role: actor.role,
            org: actor.organization_id.clone(),
            kind: actor.organization_kind,
            iat: now.timestamp(),
            exp: now.timestamp().saturating_add(ttl),
            ver: version,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("signing a token: {e}")))
    }

    /// The actor a signed, unexpired token names, and the token version it carries (whether
    /// that version is still current is for the caller to check).
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> AppResult<(Actor, i32)> {
        let data = decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| AppError::Unauthenticated("the token is invalid".into()))?;
        let c = data.claims;
        if c.exp <= now.timestamp() {
            return Err(AppError::Unauthenticated(
                "the token has expired: log in again".into(),
            ));
        }
        let actor = Actor {
            user_id: c.sub,
            role: c.role,
            organization_id: c.org,
            organization_kind: c.kind,
        };
        Ok((actor, c.ver))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor() -> Actor {
        Actor {
            user_id: "u1".into(),
            role: Role::Orderer,
            organization_id: "o1".into(),
            organization_kind: OrganizationKind::Orderer,
        }
    }

    #[test]
    fn a_token_round_trips() {
        let keys = Keys::new(b"secret", Duration::from_secs(60));
        let now = Utc::now();
        let token = keys.issue(&actor(), 3, now).unwrap();
        assert_eq!(keys.verify(&token, now).unwrap(), (actor(), 3));
    }

    #[test]
    fn an_expired_token_is_refused() {
        let keys = Keys::new(b"secret", Duration::from_secs(60));
        let now = Utc::now();
        let token = keys.issue(&actor(), 0, now).unwrap();
        let later = now + chrono::TimeDelta::seconds(61);
        assert!(matches!(
            keys.verify(&token, later),
            Err(AppError::Unauthenticated(_))
        ));
    }

    #[test]
    fn a_token_signed_with_another_secret_is_refused() {
        let now = Utc::now();
        let token = Keys::new(b"other", Duration::from_secs(60))
            .issue(&actor(), 0, now)
            .unwrap();
        let keys = Keys::new(b"secret", Duration::from_secs(60));
        assert!(keys.verify(&token, now).is_err());
        assert!(keys.verify("not.a.token", now).is_err());
    }

    #[test]
    fn a_token_from_before_versions_is_version_zero() {
        #[derive(Serialize)]
        struct OldClaims {
            sub: String,
            role: Role,
            org: String,
            kind: OrganizationKind,
            iat: i64,
            exp: i64,
        }
        let now = Utc::now();
        let old = OldClaims {
            sub: "u1".into(),
            role: Role::Orderer,
            org: "o1".into(),
            kind: OrganizationKind::Orderer,
            iat: now.timestamp(),
            exp: now.timestamp() + 60,
        };
        let token = encode(
            &Header::new(Algorithm::HS256),
            &old,
            &EncodingKey::from_secret(b"secret"),
        )
        .unwrap();
        let keys = Keys::new(b"secret", Duration::from_secs(60));
        assert_eq!(keys.verify(&token, now).unwrap(), (actor(), 0));
    }
}
