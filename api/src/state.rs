//! The application state every request shares.

use crate::auth::Keys;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub keys: Keys,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
    /// Wakes the mail worker after a transaction that queued mail has committed.
    pub mail_wake: Arc<tokio::sync::Notify>,
    /// Anonymous answers, valid while nothing was written (see `public_cache`).
    pub public_cache: Arc<crate::public_cache::PublicCache>,
    /// Users' token versions and disabled flags, as recently read or written by this process.
    pub token_status: Arc<crate::auth::revocation::StatusCache>,
    /// The process's one writer: mutations queue for it and commit in groups.
    pub writer: Arc<crate::service::work::Writer>,
    /// The terms bids on a call are checked against, by the call's version.
    pub bid_terms: Arc<crate::service::bids::TermsCache>,
}

impl AppState {
    pub fn new(config: Config, db: Db, clock: Arc<dyn Clock>) -> Self {
        let keys = Keys::from_config(config.jwt_secret.as_deref(), config.token_ttl);
        AppState {
            db,
            keys,
            clock,
            config: Arc::new(config),
            mail_wake: Arc::new(tokio::sync::Notify::new()),
            public_cache: Arc::new(crate::public_cache::PublicCache::default()),
            token_status: Arc::new(crate::auth::revocation::StatusCache::default()),
            writer: Arc::new(crate::service::work::Writer::default()),
            bid_terms: Arc::new(crate::service::bids::TermsCache::default()),
        }
    }

    /// Tells the mail worker that new mail is waiting (call after the commit).
    pub fn wake_mailer(&self) {
        self.mail_wake.notify_one();
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}
