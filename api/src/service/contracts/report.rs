//! The producer's monthly report on a contract, and the contract's realisation from the
//! reports.

use super::{History, Party, audit_entry, locked_for, status_at};
use crate::domain::contract::versions;
use crate::domain::contract::{self as dc, Change, Period, RealizationStatus};
use crate::error::AppResult;
use crate::service::{Cx, query};
use crate::service::{new_id, parse_id};
use entity::{
    EntryKind, Money, PricingModel, contract_line, deviation_alert, performance_report,
    report_entry, service_contract as sc,
};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// Realisation of a contract from its reported months and their entries, each month at the
/// prices of the version in effect that month (`lines` holds every version's lines), and by
/// time for LUMP_SUM (`dc::realization_from_reports`).
pub fn realization_of(
    c: &sc::Model,
    h: &History,
    lines: &[contract_line::Model],
    months: &[String],
    entries: &[report_entry::Model],
) -> dc::Realization {
    let prices: HashMap<(i32, &str), Decimal> = lines
        .iter()
        .map(|l| ((l.version, l.product_id.as_str()), l.unit_price.0))
        .collect();
    let terms = dc::Terms {
        lump_sum: c.pricing_model == PricingModel::LumpSum,
        contracted: c.total_value.0,
        start: c.start_date,
        end: c.end_date,
    };
    let price = |month: Period, product: &str| {
        let version = versions::version_for_month(&h.versions, month, c.end_date);
        prices.get(&(version, product)).copied()
    };
    dc::realization_from_reports(
        terms,
        price,
        entries
            .iter()
            .filter(|e| e.kind == EntryKind::Line)
            .map(|e| (e.period.as_str(), e.subject.as_str(), e.amount.0)),
        months.iter().map(String::as_str),
        &h.pieces,
    )
}

pub struct ReportInput {
    pub contract_id: String,
    pub period: String,
    /// (product id, quantity, cost)
    pub lines: Vec<(String, Decimal, Decimal)>,
    pub feedback_count: i32,
    pub feedback_average: Option<Decimal>,
    /// (metric, value)
    pub quality: Vec<(String, Decimal)>,
}

/// The contract's producer reports a month; a second report for a month replaces the first.
/// A turn of the realisation to OVER or UNDER records a deviation alert for the orderer.
pub async fn report(
    Cx { state, caller }: Cx<'_>,
    input: ReportInput,
) -> AppResult<performance_report::Model> {
    let actor = caller.require()?.clone();
    work!(state, |w| {
        let c = locked_for(
            w.conn(),
            caller,
            Party::Producer,
            "contractId",
            &input.contract_id,
        )
        .await?;
        let now = state.now();
        let today = now.date_naive();
        dc::check_change(Change::Report, status_at(&c, today))?;
        let period = Period::parse("period", &input.period)?;
        dc::check_period(period, c.start_date, c.end_date, today)?;
        // Every version's lines: the month is reported on the products of the version in
        // effect that month, and valued at its prices.
        let h = super::history(w.conn(), &c).await?;
        let lines = contract_line::Entity::find()
            .filter(contract_line::Column::ContractId.eq(c.id.as_str()))
            .all(w.conn())
            .await?;
        let version = versions::version_for_month(&h.versions, period, c.end_date);
        let products: HashSet<&str> = lines
            .iter()
            .filter(|l| l.version == version)
            .map(|l| l.product_id.as_str())
            .collect();
        let given = dc::input::ReportGiven {
            lines: &input.lines,
            feedback_count: input.feedback_count,
            feedback_average: input.feedback_average,
            quality: &input.quality,
        };
        let report_lines = dc::input::check_report(&given, |product| {
            parse_id("productId", product)
                .ok()
                .filter(|p| products.contains(p.as_str()))
        })?;
        let label = period.label();
        performance_report::Entity::delete_many()
            .filter(performance_report::Column::ContractId.eq(c.id.as_str()))
            .filter(performance_report::Column::Period.eq(label.as_str()))
            .exec(w.conn())
            .await?;
        report_entry::Entity::delete_many()
            .filter(report_entry::Column::ContractId.eq(c.id.as_str()))
            .filter(report_entry::Column::Period.eq(label.as_str()))
            .exec(w.conn())
            .await?;
        let saved = performance_report::ActiveModel {
            contract_id: Set(c.id.clone()),
            period: Set(label.clone()),
            feedback_count: Set(input.feedback_count),
            feedback_average: Set(input.feedback_average.map(Money)),
            reported_by: Set(actor.user_id.clone()),
            reported_at: Set(now),
        }
        .insert(w.conn())
        .await?;
        let entries: Vec<report_entry::ActiveModel> = report_lines
            .iter()
            .map(|(p, q, cost)| (EntryKind::Line, p.clone(), *q, Some(*cost)))
            .chain(
                input
                    .quality
                    .iter()
                    .map(|(m, v)| (EntryKind::Quality, m.trim().to_owned(), *v, None)),
            )
            .enumerate()
            .map(
                |(i, (kind, subject, amount, cost))| report_entry::ActiveModel {
                    contract_id: Set(c.id.clone()),
                    period: Set(label.clone()),
                    position: Set(i as i32),
                    kind: Set(kind),
                    subject: Set(subject),
                    amount: Set(Money(amount)),
                    cost: Set(cost.map(Money)),
                },
            )
            .collect();
        if !entries.is_empty() {
            report_entry::Entity::insert_many(entries)
                .exec(w.conn())
                .await?;
        }
        let entries = report_entry::Entity::find()
            .filter(report_entry::Column::ContractId.eq(c.id.as_str()))
            .all(w.conn())
            .await?;
        let months: Vec<String> = query::column::<performance_report::Entity, _, _>(
            w.conn(),
            performance_report::Column::Period,
            performance_report::Column::ContractId.eq(c.id.as_str()),
        )
        .await?;
        let value = crate::service::ocds::month_value(&c, &h, &lines, &entries, period);
        crate::service::ocds::reported(w, &c, now, period, value).await?;
        let r = realization_of(&c, &h, &lines, &months, &entries);
        let previous = c.realization_status;
        if r.status != previous && r.status != RealizationStatus::OnTrack {
            deviation_alert::ActiveModel {
                id: Set(new_id()),
                contract_id: Set(c.id.clone()),
                status: Set(r.status),
                previous_status: Set(previous),
                period: Set(label.clone()),
                forecast: Set(Money(r.forecast)),
                contracted: Set(Money(r.contracted)),
                created_at: Set(now),
            }
            .insert(w.conn())
            .await?;
            crate::service::notifications::deviation(w, now, &c, r.status, &label, r.forecast)
                .await?;
        }
        if r.status != previous {
            let mut am: sc::ActiveModel = c.clone().into();
            am.realization_status = Set(r.status);
            am.update(w.conn()).await?;
        }
        w.audit(
            now,
            audit_entry(&actor.user_id, "contract.report", &c).summary(json!({
                "period": label,
                "lines": input.lines.len(),
                "realization": r.status.as_str(),
            })),
        )?;
        Ok(saved)
    })
}

/// The entries of one month's report.
pub async fn report_entries<C: ConnectionTrait>(
    conn: &C,
    contract_id: &str,
    period: &str,
) -> AppResult<Vec<report_entry::Model>> {
    Ok(report_entry::Entity::find()
        .filter(report_entry::Column::ContractId.eq(contract_id))
        .filter(report_entry::Column::Period.eq(period))
        .order_by_asc(report_entry::Column::Position)
        .all(conn)
        .await?)
}
