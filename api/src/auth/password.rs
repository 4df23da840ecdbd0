//! Argon2id password hashing, off the async runtime's worker threads.
//!
//! Each hash needs 19 MiB of working memory. On tokio's blocking pool (up to hundreds of
//! threads) every thread's allocator arena keeps such a block, and a burst of logins left
//! the server at 1.6 GB; two dedicated hashing threads bound that to two arenas.

use crate::error::{AppError, AppResult};
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex, OnceLock};

type Job = Box<dyn FnOnce() + Send>;

/// Threads that hash passwords: as many as there are cores, at most two.
const HASHING_THREADS: usize = 2;

fn pool() -> &'static Mutex<Sender<Job>> {
    static POOL: OnceLock<Mutex<Sender<Job>>> = OnceLock::new();
    POOL.get_or_init(|| {
        let (tx, rx) = channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..HASHING_THREADS {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    loop {
                        let job = match rx.lock() {
                            Ok(guard) => guard.recv(),
                            Err(poisoned) => poisoned.into_inner().recv(),
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => break,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!("cannot start a password hashing thread: {e}");
            }
        }
        Mutex::new(tx)
    })
}

/// Runs `f` on a hashing thread and waits for it without blocking the runtime.
async fn on_hashing_thread<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> AppResult<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = tx.send(f());
    });
    pool()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .send(job)
        .map_err(|_| AppError::Internal(anyhow::anyhow!("password hashing threads are gone")))?;
    rx.await
        .map_err(|_| AppError::Internal(anyhow::anyhow!("password hashing job dropped")))
}

/// The cost of a new password hash (argon2id). A stored hash carries its own parameters,
/// so changing the cost only affects hashes made afterwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cost {
    /// Working memory, KiB.
    pub memory_kib: u32,
    /// Passes over the memory.
    pub iterations: u32,
}

impl Cost {
    /// OWASP's recommendation for argon2id (19 MiB, 2 passes, 1 lane): the server's cost.
    pub const OWASP: Cost = Cost {
        memory_kib: 19_456,
        iterations: 2,
    };
    /// The cheapest argon2 allows (8 KiB, 1 pass): for tests, which make hundreds of users.
    pub const TESTS_ONLY: Cost = Cost {
        memory_kib: 8,
        iterations: 1,
    };

    fn hasher(self) -> AppResult<Argon2<'static>> {
        let params = Params::new(self.memory_kib, self.iterations, 1, None)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("argon2 parameters: {e}")))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

pub async fn hash(cost: Cost, password: String) -> AppResult<String> {
    on_hashing_thread(move || {
        cost.hasher()?
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(anyhow::anyhow!("hashing a password: {e}")))
    })
    .await?
}

/// True when `password` matches the PHC string `hash`. With no stored hash, a dummy one made
/// at `cost` is checked, so an unknown email costs as much time as a wrong password.
pub async fn verify(cost: Cost, password: String, hash: Option<String>) -> AppResult<bool> {
    let stored = match hash {
        Some(h) => h,
        None => dummy_hash(cost).await?,
    };
    on_hashing_thread(move || {
        let parsed = PasswordHash::new(&stored)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("stored password hash: {e}")))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("password check task: {e}")))?
}

/// A hash at `cost` of a random string nobody knows, for unknown accounts; made once per
/// cost and process.
async fn dummy_hash(cost: Cost) -> AppResult<String> {
    static DUMMIES: OnceLock<Mutex<Vec<(Cost, String)>>> = OnceLock::new();
    let dummies = DUMMIES.get_or_init(|| Mutex::new(Vec::new()));
    let known = dummies
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .find(|(c, _)| *c == cost)
        .map(|(_, h)| h.clone());
    if let Some(h) = known {
        return Ok(h);
    }
    let made = hash(cost, uuid::Uuid::new_v4().to_string()).await?;
    dummies
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push((cost, made.clone()));
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let h = hash(Cost::OWASP, "correct horse".into()).await.unwrap();
        assert!(h.contains("m=19456,t=2,p=1"), "{h}");
        assert!(h.starts_with("$argon2id$"));
        assert!(
            verify(Cost::OWASP, "correct horse".into(), Some(h.clone()))
                .await
                .unwrap()
        );
        assert!(
            !verify(Cost::OWASP, "wrong horse".into(), Some(h))
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        assert!(!verify(Cost::OWASP, "anything".into(), None).await.unwrap());
        assert!(
            !verify(Cost::TESTS_ONLY, "anything".into(), None)
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn a_cheap_hash_still_verifies_and_says_its_cost() {
        let h = hash(Cost::TESTS_ONLY, "pw".into()).await.unwrap();
        assert!(h.contains("m=8,t=1,p=1"), "{h}");
        assert!(verify(Cost::OWASP, "pw".into(), Some(h)).await.unwrap());
    }
}
