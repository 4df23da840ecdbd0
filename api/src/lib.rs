//! Kilpailutus: a GraphQL server for a Finnish municipality's purchaser-provider model.
//!
//! Layout: `domain` (plain rules), `service` (use cases and transactions), `graphql` (thin
//! resolvers), `auth`, `config`, `clock`, `db`, `error`, `http`, `serve`. `lib.rs` builds the
//! app; `main.rs` only runs it, and the tests use the same builders.

pub mod auth;
pub mod clock;
pub mod config;
pub mod db;
pub mod decision;
pub mod demo;
pub mod domain;
pub mod email;
pub mod error;
pub mod graphiql;
pub mod graphql;
pub mod http;
pub mod jobs;
pub mod metrics;
pub mod portal;
pub mod public_cache;
pub mod serve;
pub mod service;
pub mod state;
pub mod upload;

use crate::clock::Clock;
use crate::config::Config;
use crate::db::{Db, DbOptions};
use crate::state::AppState;
use axum::Router;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseBackend, TransactionTrait};
use std::sync::Arc;

pub use graphql::{AppSchema, build_schema, sdl};

/// The whole HTTP application.
pub fn build_app(state: AppState) -> Router {
    http::router(state)
}

/// Runs the migrations. On PostgreSQL they run in one transaction under an advisory lock, so
/// several api processes starting together migrate once. The lock is the schema's: processes
/// serving other schemas of the same database (the tests' schemas) do not wait for it.
pub async fn migrate(db: &Db) -> Result<(), sea_orm::DbErr> {
    if db.backend() == DatabaseBackend::Postgres {
        let txn = db.conn().begin().await?;
        txn.execute_unprepared(
            "SELECT pg_advisory_xact_lock(729185340, hashtext(current_schema()))",
        )
        .await?;
        Migrator::up(&txn, None).await?;
        txn.commit().await
    } else {
        Migrator::up(db.conn(), None).await
    }
}

/// Connects, migrates and bootstraps the administrator: everything before serving.
pub async fn prepare(
    config: Config,
    clock: Arc<dyn Clock>,
    options: DbOptions,
) -> anyhow::Result<AppState> {
    let db = Db::connect(&config.database_url, options).await?;
    migrate(&db).await?;
    let admin = config.admin.clone();
    let state = AppState::new(config, db, clock);
    if let Some(admin) = admin {
        match service::identity::bootstrap_admin(&state, &admin).await {
            Ok(_) => {}
            // Another process created it at the same moment.
            Err(e) if e.code() == "CONFLICT" => {}
            Err(e) => return Err(anyhow::anyhow!("bootstrap administrator: {e}")),
        }
    }
    service::ocds::backfill(&state)
        .await
        .map_err(|e| anyhow::anyhow!("OCDS releases of earlier calls: {e}"))?;
    Ok(state)
}

/// Starts the mail worker (SMTP when `SMTP_URL` is set, `.eml` files in `MAIL_DIR` otherwise).
/// Send `true` on the returned sender to stop it; await the handle for it to finish its round.
pub fn start_mail_worker(
    state: &AppState,
) -> anyhow::Result<(
    tokio::task::JoinHandle<()>,
    tokio::sync::watch::Sender<bool>,
)> {
    let transport = email::transport::Transport::from_config(
        state.config.smtp_url.as_deref(),
        &state.config.mail_dir,
    )?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = jobs::Worker::new(state.clone(), transport);
    Ok((tokio::spawn(worker.run(stop_rx)), stop_tx))
}
