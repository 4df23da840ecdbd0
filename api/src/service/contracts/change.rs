//! The orderer's changes to a contract: activation against the appropriations, amendments
//! (a new version of the lines, the value change checked year by year) and termination.

use super::{
    LineInput, Party, audit_entry, committed, insert_lines, locked_for, status_at, valid_lines,
};
use crate::auth::Caller;
use crate::domain::call::CallStatus;
use crate::domain::contract::versions::{self, Version, pieces_by_year};
use crate::domain::contract::{self as dc, Change, ContractStatus};
use crate::domain::ocds::{Amendment, ContractChange};
use crate::domain::validate;
use crate::error::{AppError, AppResult};
use crate::service::Cx;
use crate::service::ocds;
use crate::service::work::Work;
use chrono::{DateTime, Utc};
use entity::{Money, appropriation, call, contract_amendment, service_contract as sc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;
use std::collections::BTreeMap;

/// A contract its orderer is changing.
struct Changing {
    /// The orderer user making the change.
    actor: String,
    /// The contract, locked for the rest of the unit.
    c: sc::Model,
    /// Its status (stored for activation, effective for the others).
    status: ContractStatus,
    now: DateTime<Utc>,
}

/// The contract its orderer changes, locked, once its status allows the change.
async fn changing(w: &Work<'_>, caller: &Caller, id: &str, change: Change) -> AppResult<Changing> {
    let actor = caller.require()?.user_id.clone();
    let c = locked_for(w.conn(), caller, Party::Orderer, "id", id).await?;
    let now = w.now();
    let status = match change {
        Change::Activate => c.status,
        _ => status_at(&c, now.date_naive()),
    };
    dc::check_change(change, status)?;
    Ok(Changing {
        actor,
        c,
        status,
        now,
    })
}

/// ORDERER: activates a draft, committing its value per fiscal year against the
/// appropriations; BUDGET_EXCEEDED (and nothing changes) when a year lacks room.
pub async fn activate(Cx { state, caller }: Cx<'_>, id: &str) -> AppResult<sc::Model> {
    caller.require()?;
    work!(state, |w| {
        let Changing { actor, c, .. } = changing(w, caller, id, Change::Activate).await?;
        dc::check_signed(super::sign::signed(w.conn(), &c).await?)?;
        let h = super::history(w.conn(), &c).await?;
        let split = pieces_by_year(&h.pieces, c.end_date, None);
        check_budget(w.conn(), &c.orderer_id, &split).await?;
        let now = state.now();
        let call_id = c.call_id.clone();
        let mut am: sc::ActiveModel = c.into();
        am.status = Set(ContractStatus::Active);
        am.activated_at = Set(Some(now));
        let c = am.update(w.conn()).await?;
        if let (Some(_), Some(source)) = (&c.lot_id, &c.source_call_id) {
            let call = call::Entity::find_by_id(source.clone())
                .one(w.conn())
                .await?
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("contract's call missing")))?;
            crate::service::lots::after_lot_contracted(w, call).await?;
        }
        if let Some(call_id) = &call_id {
            let mut call_am = call::ActiveModel {
                id: Set(call_id.clone()),
                ..Default::default()
            };
            call_am.status = Set(CallStatus::Contracted);
            call_am.update(w.conn()).await?;
        }
        let committed: BTreeMap<String, String> = split
            .iter()
            .map(|(y, v)| (y.to_string(), v.to_string()))
            .collect();
        w.audit(
            now,
            audit_entry(&actor, "contract.activate", &c).summary(json!({ "committed": committed })),
        )?;
        crate::service::notifications::contract_activated(w, now, &c).await?;
        ocds::contract_changed(w, &c, now, ContractChange::Activated).await?;
        Ok(c)
    })
}

/// ORDERER: a new version with the full new line set; an active contract's value change is
/// checked against the appropriations year by year.
pub async fn amend(
    Cx { state, caller }: Cx<'_>,
    id: &str,
    lines: Vec<LineInput>,
    reason: &str,
    effective_from: Option<chrono::NaiveDate>,
) -> AppResult<sc::Model> {
    caller.require()?;
    let reason = validate::reason("reason", reason)?;
    work!(state, |w| {
        let ch = changing(w, caller, id, Change::Amend).await?;
        let Changing {
            actor,
            c,
            status,
            now,
        } = ch;
        let (lines, new_lines_value) = valid_lines(w.conn(), lines).await?;
        let latest = super::latest_report(w.conn(), &c.id).await?;
        let from = versions::effective_from(
            effective_from,
            now.date_naive(),
            c.start_date,
            c.end_date,
            latest,
        )?;
        let version = c.version + 1;
        // The value with the new version in effect from `from`: the versions blended by days.
        let mut h = super::history(w.conn(), &c).await?;
        h.versions.push(Version {
            version,
            effective_from: from,
        });
        let mut values = super::lines_values(w.conn(), &c.id).await?;
        values.insert(version, new_lines_value);
        let total = versions::blended_value(&h.versions, &values, c.start_date, c.end_date);
        let delta = total.saturating_sub(c.total_value.0);
        if status == ContractStatus::Active {
            // Only the change from `from` on, in the years it touches.
            let change = dc::value_by_year(delta, from, c.end_date, None);
            check_budget(w.conn(), &c.orderer_id, &change).await?;
        }
        insert_lines(w, &c.id, version, &lines).await?;
        contract_amendment::ActiveModel {
            contract_id: Set(c.id.clone()),
            version: Set(version),
            reason: Set(reason.clone()),
            value_delta: Set(Money(delta)),
            created_by: Set(actor.clone()),
            created_at: Set(now),
            effective_from: Set(Some(from)),
        }
        .insert(w.conn())
        .await?;
        let mut am: sc::ActiveModel = c.into();
        am.version = Set(version);
        am.total_value = Set(Money(total));
        let c = am.update(w.conn()).await?;
        w.audit(
            now,
            audit_entry(&actor, "contract.amend", &c).summary(json!({
                "version": version,
                "reason": reason,
                "effectiveFrom": from.to_string(),
                "valueDelta": delta.to_string(),
            })),
        )?;
        crate::service::notifications::contract_changed(w, now, &c, &reason).await?;
        let amendment = Amendment {
            version,
            date: now,
            effective_from: from,
            rationale: reason,
            value: total,
        };
        ocds::contract_amended(w, &c, &amendment).await?;
        Ok(c)
    })
}

/// ORDERER: ends a draft or active contract today; an active one keeps the commitment of the
/// days it ran and releases the rest.
pub async fn terminate(
    Cx { state, caller }: Cx<'_>,
    id: &str,
    reason: &str,
) -> AppResult<sc::Model> {
    caller.require()?;
    let reason = validate::reason("reason", reason)?;
    work!(state, |w| {
        let ch = changing(w, caller, id, Change::Terminate).await?;
        let Changing {
            actor,
            c,
            status,
            now,
        } = ch;
        let mut am: sc::ActiveModel = c.into();
        am.status = Set(ContractStatus::Terminated);
        am.terminated_on = Set(Some(now.date_naive()));
        am.termination_reason = Set(Some(reason.clone()));
        let c = am.update(w.conn()).await?;
        w.audit(
            now,
            audit_entry(&actor, "contract.terminate", &c)
                .summary(json!({ "reason": reason, "statusBefore": status.as_str() })),
        )?;
        crate::service::notifications::contract_changed(w, now, &c, &reason).await?;
        ocds::contract_changed(w, &c, now, ContractChange::Terminated).await?;
        Ok(c)
    })
}

/// Locks the orderer's appropriations for these years (in year order) and checks that each
/// increase fits what is still free. A year without an appropriation has no room.
async fn check_budget<C: ConnectionTrait>(
    conn: &C,
    orderer_id: &str,
    increase: &BTreeMap<i32, Decimal>,
) -> AppResult<()> {
    let years: Vec<i32> = increase
        .iter()
        .filter(|(_, v)| **v > Decimal::ZERO)
        .map(|(y, _)| *y)
        .collect();
    if years.is_empty() {
        return Ok(());
    }
    let rows = appropriation::Entity::find()
        .filter(appropriation::Column::OrdererId.eq(orderer_id))
        .filter(appropriation::Column::FiscalYear.is_in(years.clone()))
        .order_by_asc(appropriation::Column::FiscalYear)
        .lock_exclusive()
        .all(conn)
        .await?;
    let used = committed(conn, Some(orderer_id), &years).await?;
    let available: BTreeMap<i32, Option<Decimal>> = years
        .iter()
        .map(|y| {
            let amount = rows
                .iter()
                .find(|a| a.fiscal_year == *y)
                .map(|a| a.amount.0);
            let spent = used
                .get(&(orderer_id.to_owned(), *y))
                .copied()
                .unwrap_or_default();
            (*y, amount.map(|a| a - spent))
        })
        .collect();
    match dc::first_year_without_room(increase, &available) {
        None => Ok(()),
        Some((year, need, None)) => Err(AppError::BudgetExceeded(format!(
            "there is no appropriation for {year}; the contract needs {need} in that year"
        ))),
        Some((year, need, Some(free))) => Err(AppError::BudgetExceeded(format!(
            "the appropriation for {year} has {free} free; the contract needs {need} in that year"
        ))),
    }
}
