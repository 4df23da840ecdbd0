//! Connecting to SQLite or PostgreSQL.
//!
//! SQLite runs in WAL mode with a busy timeout and foreign keys on. Writes go through the
//! process's one writer (`service::work`), which runs the queued mutations in one transaction
//! at a time (group commit): on SQLite on a connection of its own, on PostgreSQL on one taken
//! from the pool for the batch. Several processes on one PostgreSQL lock the rows they contend
//! for.

use sea_orm::sqlx::postgres::PgConnectOptions;
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Db {
    conn: DatabaseConnection,
    /// SQL statements run through this pool since it opened (for tests and diagnostics).
    statements: Arc<AtomicU64>,
    /// SQLite only: the one connection write transactions run on. A SQLite connection drops
    /// its page cache whenever another connection has written, so writes spread over the pool
    /// would each start cold; on one connection they find their pages cached.
    writer: Option<DatabaseConnection>,
}

/// How to reach the database.
#[derive(Clone, Debug, Default)]
pub struct DbOptions {
    /// PostgreSQL only: run in this schema (tests give each run its own).
    pub pg_schema: Option<String>,
    pub max_connections: Option<u32>,
}

impl Db {
    pub async fn connect(url: &str, options: DbOptions) -> Result<Self, DbErr> {
        let is_sqlite = url.starts_with("sqlite:");
        let mut conn = Database::connect(Self::options(url, &options, None)).await?;
        let statements = Arc::new(AtomicU64::new(0));
        let counter = statements.clone();
        let count = move |_: &sea_orm::metric::Info<'_>| {
            counter.fetch_add(1, Ordering::Relaxed);
        };
        conn.set_metric_callback(count.clone());
        let writer = if is_sqlite {
            let mut w = Database::connect(Self::options(url, &options, Some(1))).await?;
            w.set_metric_callback(count);
            Some(w)
        } else {
            None
        };
        Ok(Db {
            conn,
            statements,
            writer,
        })
    }

    fn options(url: &str, options: &DbOptions, connections: Option<u32>) -> ConnectOptions {
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.sqlx_logging(false)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(30));
        let is_sqlite = url.starts_with("sqlite:");
        if is_sqlite {
            opts.max_connections(connections.or(options.max_connections).unwrap_or(8));
            opts.map_sqlx_sqlite_opts(|o: SqliteConnectOptions| {
                o.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
            });
        } else {
            opts.max_connections(options.max_connections.unwrap_or(16));
            if let Some(schema) = options.pg_schema.clone() {
                opts.map_sqlx_postgres_opts(move |o: PgConnectOptions| {
                    o.options([("search_path", schema.as_str())])
                });
            }
        }
        opts
    }

    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.conn.get_database_backend()
    }

    /// Starts the transaction of one batch of writes: only the process's writer
    /// (`service::work`) opens it. Dropping it without `commit` rolls back.
    /// On SQLite it begins `IMMEDIATE`, taking the file's write lock at once: a batch reads
    /// before it writes, and a deferred transaction whose snapshot another process's (another
    /// test replica's) commit made stale could not write at all (`SQLITE_BUSY_SNAPSHOT`); an
    /// immediate one waits its turn (the busy timeout) instead.
    pub(crate) async fn begin_batch(&self) -> Result<DatabaseTransaction, DbErr> {
        match &self.writer {
            Some(writer) => {
                writer
                    .begin_with_options(TransactionOptions {
                        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                        ..Default::default()
                    })
                    .await
            }
            None => self.conn.begin().await,
        }
    }

    /// How many SQL statements have run through this connection pool.
    pub fn statement_count(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// (connections open, of which idle) in the pool.
    pub fn pool_usage(&self) -> (u32, usize) {
        match self.backend() {
            DatabaseBackend::Postgres => {
                let p = self.conn.get_postgres_connection_pool();
                (p.size(), p.num_idle())
            }
            _ => {
                let p = self.conn.get_sqlite_connection_pool();
                (p.size(), p.num_idle())
            }
        }
    }

    pub async fn ping(&self) -> Result<(), DbErr> {
        self.conn.ping().await
    }
}
