//! Login throttling over the database, shared by all replicas: an attempt is charged to its
//! counters *before* the password is checked, by one atomic upsert per counter
//! (`INSERT … ON CONFLICT (subject, window_start) DO UPDATE SET attempts = attempts + 1
//! RETURNING attempts`), so concurrent attempts can never all read a count under the limit.
//! The limits and windows are the domain's (`domain::throttle`).

use crate::domain::throttle::{self, Counter};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use entity::login_attempt::{self, Column};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::net::IpAddr;

/// An attempt that was allowed; tell it whether the password was right.
#[must_use]
pub struct Attempt {
    charged: Vec<(Counter, i64)>,
}

/// Charges one login attempt for `email` from `client`; TOO_MANY_REQUESTS (with the seconds
/// to wait) when a count is past its limit, right password or not.
pub async fn reserve(
    state: &AppState,
    email: &str,
    client: Option<IpAddr>,
    now: DateTime<Utc>,
) -> AppResult<Attempt> {
    let (charged, wait, new_window) = work!(state, |w| {
        w.bookkeeping();
        let mut charged = Vec::new();
        let mut wait = None;
        let mut new_window = false;
        // Always in the same order (the pair, then the address), so that on PostgreSQL
        // two attempts never wait for each other's rows in opposite orders.
        for counter in throttle::counters(email, client) {
            let start = throttle::window_start(counter.limit, now);
            let attempts = increment(w.conn(), &counter.subject, start).await?;
            new_window |= attempts == 1;
            wait = wait.max(throttle::retry_after(counter.limit, attempts, start, now));
            charged.push((counter, start));
        }
        Ok((charged, wait, new_window))
    })?;
    if new_window {
        sweep(state, now).await;
    }
    match wait {
        Some(wait) => {
            let secs = wait.num_seconds().max(1);
            Err(AppError::TooManyRequests {
                message: format!("too many failed logins: try again in {secs} seconds"),
                retry_after_secs: secs,
            })
        }
        None => Ok(Attempt { charged }),
    }
}

impl Attempt {
    /// The password was right: the (account, address) count starts again and the address
    /// is not charged for this attempt.
    pub async fn succeeded(self, state: &AppState) -> AppResult<()> {
        use sea_orm::sea_query::ExprTrait;
        let charged = &self.charged;
        work!(state, |w| {
            w.bookkeeping();
            for (counter, start) in charged {
                if counter.reset_on_success {
                    login_attempt::Entity::delete_many()
                        .filter(Column::Subject.eq(counter.subject.as_str()))
                        .exec(w.conn())
                        .await?;
                } else {
                    login_attempt::Entity::update_many()
                        .col_expr(Column::Attempts, Expr::col(Column::Attempts).sub(1))
                        .filter(Column::Subject.eq(counter.subject.as_str()))
                        .filter(Column::WindowStart.eq(*start))
                        .filter(Column::Attempts.gt(0))
                        .exec(w.conn())
                        .await?;
                }
            }
            Ok(())
        })
    }

    /// The password was wrong: the attempt stays counted.
    pub fn failed(self) {}
}

/// Adds one attempt to `subject` in the window starting at `start`; returns the new count.
async fn increment<C: ConnectionTrait>(conn: &C, subject: &str, start: i64) -> AppResult<i64> {
    use sea_orm::sea_query::ExprTrait;
    let mut insert = Query::insert();
    insert
        .into_table(login_attempt::Entity)
        .columns([Column::Subject, Column::WindowStart, Column::Attempts])
        .values([subject.into(), start.into(), 1i64.into()])
        .map_err(|e| AppError::Internal(anyhow::anyhow!("login attempt upsert: {e}")))?
        .on_conflict(
            OnConflict::columns([Column::Subject, Column::WindowStart])
                .value(
                    Column::Attempts,
                    Expr::col((login_attempt::Entity, Column::Attempts)).add(1),
                )
                .to_owned(),
        )
        .returning_col(Column::Attempts);
    let statement = conn.get_database_backend().build(&insert);
    let row = conn.query_one_raw(statement).await?.ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!("login attempt upsert returned no row"))
    })?;
    Ok(row.try_get::<i64>("", "attempts")?)
}

/// Deletes counters of windows that have ended. Run when a window opens; a failure only
/// leaves rows for the next sweep, so it is logged and not the login's failure.
async fn sweep(state: &AppState, now: DateTime<Utc>) {
    let result = work!(state, |w| {
        w.bookkeeping();
        login_attempt::Entity::delete_many()
            .filter(Column::WindowStart.lt(throttle::expired_before(now)))
            .exec(w.conn())
            .await?;
        Ok(())
    });
    if let Err(e) = result {
        tracing::warn!(error = %e, "login throttle: sweeping ended windows");
    }
}
