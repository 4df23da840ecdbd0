//! Prometheus metrics (`GET /metrics`), through the `metrics` facade and its Prometheus
//! exporter: GraphQL requests and latency per operation type (`query`, `mutation`, `cached`,
//! `invalid`; never the client's operation name), errors by code, HTTP responses by status,
//! the outbox's pending and failed rows, and the database pool.

use crate::state::AppState;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::sync::OnceLock;

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process-wide recorder once (later calls share it).
pub fn handle() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            match PrometheusBuilder::new()
                .set_buckets(&[
                    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                ])
                .and_then(|b| b.install_recorder())
            {
                Ok(h) => Some(h),
                Err(e) => {
                    tracing::warn!("metrics recorder not installed: {e}");
                    None
                }
            }
        })
        .as_ref()
}

/// Records one GraphQL request; `operation` is its type, a label from a fixed set.
pub fn graphql_request(operation: &str, seconds: f64, error_codes: &[String]) {
    let op = operation.to_owned();
    metrics::counter!("graphql_requests_total", "operation" => op.clone()).increment(1);
    metrics::histogram!("graphql_request_duration_seconds", "operation" => op).record(seconds);
    for code in error_codes {
        metrics::counter!("graphql_errors_total", "code" => code.clone()).increment(1);
    }
}

pub fn http_response(status: u16) {
    metrics::counter!("http_responses_total", "status" => status.to_string()).increment(1);
}

/// Renders the text format, refreshing the gauges that are read from the database.
pub async fn render(state: &AppState) -> String {
    use entity::{NotificationStatus, notification};
    for (status, name) in [
        (NotificationStatus::Pending, "pending"),
        (NotificationStatus::Failed, "failed"),
    ] {
        if let Ok(n) = notification::Entity::find()
            .filter(notification::Column::Status.eq(status))
            // Sealed notices (bid receipts, notices to a sealed call's bidders) are left out:
            // a pending receipt would count a bid before the opening.
            .filter(notification::Column::SealedCallId.is_null())
            .count(state.db.conn())
            .await
        {
            metrics::gauge!("outbox_notifications", "status" => name).set(n as f64);
        }
    }
    let (size, idle) = state.db.pool_usage();
    metrics::gauge!("db_pool_connections").set(size as f64);
    metrics::gauge!("db_pool_connections_in_use").set((size as usize).saturating_sub(idle) as f64);
    handle().map(|h| h.render()).unwrap_or_default()
}
