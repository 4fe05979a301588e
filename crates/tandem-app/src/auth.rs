//! Who is acting: bearer tokens (API tokens for scripts, session tokens from a password login),
//! each stored only as its SHA-256, and the [`Principal`] they stand for.

use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tandem_domain::{Millis, Principal, validate};
use tandem_store::tokens::{self, TokenKind};
use tandem_store::{login_failures, people, teams};

use crate::{App, AppError, Instant, instant, passwords};

/// Tokens start with this, so a leaked one is recognizable by secret scanners.
pub const TOKEN_PREFIX: &str = "tdm_";
/// A password login's session lasts this long.
pub const SESSION_MILLIS: Millis = 12 * 60 * 60 * 1000;
/// Failed logins per email within [`FAILURE_WINDOW_MILLIS`] before further attempts are refused.
pub const MAX_FAILURES: i64 = 10;
pub const FAILURE_WINDOW_MILLIS: Millis = 15 * 60 * 1000;
/// How stale `last_used_at` may get before a request refreshes it (one write an hour, not per request).
const TOUCH_EVERY_MILLIS: Millis = 60 * 60 * 1000;

/// A password login's answer: a bearer token that expires.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Session {
    pub token: String,
    pub expires_at: Instant,
    pub person_id: tandem_domain::PersonId,
    pub name: String,
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

impl App {
    /// The principal a bearer token stands for.
    pub async fn principal(&self, token: &str, now: Millis) -> Result<Principal, AppError> {
        let unauthorized = AppError::Unauthorized("the token is unknown, revoked or expired");
        if !token.starts_with(TOKEN_PREFIX) {
            return Err(unauthorized);
        }
        let mut reader = self.store().read().await?;
        let owner = tokens::owner(reader.conn(), &hash_token(token), now).await?.ok_or(unauthorized)?;
        drop(reader);
        if owner.last_used_at.is_none_or(|last| now - last > TOUCH_EVERY_MILLIS) {
            let mut tx = self.store().begin().await?;
            tokens::touch(tx.conn(), owner.token_id, now).await?;
            tx.commit().await?;
        }
        Ok(principal(owner.person, owner.memberships))
    }

    /// Issues a long-lived API token for the person with this email (the `tandem token create`
    /// command: whoever runs it already holds the database).
    pub async fn create_api_token(&self, email: &str, name: &str, now: Millis) -> Result<String, AppError> {
        let email = validate::email(email).map_err(|message| AppError::invalid("email", message))?;
        let mut tx = self.store().begin().await?;
        let person = people::get_by_email(tx.conn(), &email).await?.ok_or(AppError::NotFound("person"))?;
        let token = new_token();
        tokens::insert(tx.conn(), person.id, &hash_token(&token), name, TokenKind::Api, now, None).await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Checks a password and opens a session. Failures are counted per email in the database,
    /// so guessing is throttled across every node.
    pub async fn login(&self, request: LoginRequest, now: Millis) -> Result<Session, AppError> {
        let wrong = AppError::Unauthorized("wrong email or password");
        let Ok(email) = validate::email(&request.email) else { return Err(wrong) };
        let mut reader = self.store().read().await?;
        let failures = login_failures::count_since(reader.conn(), &email, now - FAILURE_WINDOW_MILLIS).await?;
        if failures >= MAX_FAILURES {
            return Err(AppError::RateLimited);
        }
        let stored = people::password_hash(reader.conn(), &email).await?;
        drop(reader);
        // Verify against a throwaway hash when there is none, so timing does not tell who exists.
        let (person_id, hash) = match stored {
            Some((id, Some(hash))) => (Some(id), hash),
            _ => (None, UNUSABLE_HASH.to_owned()),
        };
        let matches = passwords::verify(request.password, hash).await? && person_id.is_some();
        let mut tx = self.store().begin().await?;
        let Some(person_id) = person_id.filter(|_| matches) else {
            login_failures::record(tx.conn(), &email, now).await?;
            tx.commit().await?;
            return Err(wrong);
        };
        login_failures::clear(tx.conn(), &email, now - FAILURE_WINDOW_MILLIS).await?;
        let person = people::get(tx.conn(), person_id).await?.ok_or(AppError::NotFound("person"))?;
        let token = new_token();
        let expires_at = now + SESSION_MILLIS;
        tokens::insert(tx.conn(), person_id, &hash_token(&token), "session", TokenKind::Session, now, Some(expires_at))
            .await?;
        tx.commit().await?;
        Ok(Session { token, expires_at: instant(expires_at), person_id, name: person.fields.name })
    }

    /// Revokes the token used for this request (sign out).
    pub async fn logout(&self, token: &str, now: Millis) -> Result<(), AppError> {
        let mut tx = self.store().begin().await?;
        tokens::revoke(tx.conn(), &hash_token(token), now).await?;
        tx.commit().await?;
        Ok(())
    }
}

fn principal(person: people::PersonRow, memberships: Vec<tandem_domain::Membership>) -> Principal {
    let fields = person.fields;
    Principal {
        person_id: person.id,
        name: fields.name,
        email: fields.email,
        kind: fields.kind,
        department_id: fields.department_id,
        is_admin: fields.is_admin,
        organization_id: fields.organization_id,
        org_access: fields.org_access,
        memberships,
    }
}

/// A valid Argon2id hash of a random string nobody knows: verifying against it costs what a real
/// check costs and never succeeds.
const UNUSABLE_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Jb9W1y4gUQ5j3DbyXgOAf6dSQnQ0v8zvCzjM1IcWZ1Q";

/// 32 random bytes, URL-safe, with the recognizable prefix.
pub fn new_token() -> String {
    let mut bytes = [0_u8; 32];
    rand::fill(&mut bytes);
    format!("{TOKEN_PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

pub(crate) fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

impl App {
    /// The principal of a person, without a token: for the command line (whoever runs it holds
    /// the database), the demo loader and tests. Never reachable from HTTP.
    pub async fn principal_of(&self, person: tandem_domain::PersonId) -> Result<Principal, AppError> {
        let mut reader = self.store().read().await?;
        let row = people::get(reader.conn(), person).await?.ok_or(AppError::NotFound("person"))?;
        let memberships = teams::memberships(reader.conn(), person).await?;
        Ok(principal(row, memberships))
    }

    /// Creates the first admin of an empty desk (or any admin, from the command line).
    pub async fn create_admin(
        &self,
        email: &str,
        name: &str,
        password: Option<String>,
        now: Millis,
    ) -> Result<Principal, AppError> {
        let email = validate::email(email).map_err(|message| AppError::invalid("email", message))?;
        let hash = match password {
            Some(password) if password.chars().count() < passwords::MIN_PASSWORD_CHARS => {
                return Err(AppError::invalid(
                    "password",
                    format!("must be at least {} characters", passwords::MIN_PASSWORD_CHARS),
                ));
            }
            Some(password) => Some(passwords::hash(password).await?),
            None => None,
        };
        let fields = people::PersonFields {
            is_admin: true,
            ..people::PersonFields::new(email, name.trim(), tandem_domain::PersonKind::Employee)
        };
        let mut tx = self.store().begin().await?;
        let row = people::insert_if_absent(tx.conn(), &fields, hash.as_deref(), now)
            .await?
            .ok_or_else(|| AppError::conflict("email_taken", "a person with this email address already exists"))?;
        tx.commit().await?;
        self.principal_of(row.id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unusable_hash_is_a_real_argon2id_hash() {
        // If it did not parse, checking an unknown email would return at once and tell who exists.
        assert!(argon2::password_hash::phc::PasswordHash::new(UNUSABLE_HASH).is_ok());
    }

    #[test]
    fn tokens_are_random_prefixed_and_hashed() {
        let (first, second) = (new_token(), new_token());
        assert!(first.starts_with(TOKEN_PREFIX) && first.len() > 40, "{first}");
        assert_ne!(first, second);
        assert_eq!(hash_token(&first).len(), 64);
        assert_ne!(hash_token(&first), hash_token(&second));
    }
}
