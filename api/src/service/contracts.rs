//! Service contracts: made from an award after the standstill or directly with an in-house
//! producer, activated against the orderer's appropriations, amended instead of the budget,
//! terminated, and monitored month by month. Also the portfolio and the benchmark.

use super::audit::AuditEntry;
use super::{new_id, parse_id};
use crate::auth::Caller;
use crate::domain::call::{CallStatus, Viewer};
use crate::domain::contract::{self as dc, ContractStatus, Period, RealizationStatus};
use crate::domain::{Invalid, validate};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use entity::{
    BidStatus, EntryKind, Money, OrganizationKind, PricingModel, Procedure, Role, appropriation,
    award, bid, bid_line, call, call_line, contract_amendment, contract_line, cost_calculation,
    deviation_alert, organization, performance_report, report_entry, service_contract as sc,
};
use rust_decimal::Decimal;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The status at `today`: an active contract past its end date reads COMPLETED.
pub fn status_at(c: &sc::Model, today: NaiveDate) -> ContractStatus {
    dc::effective_status(c.status, c.end_date, today)
}

/// Contracts are seen by admins, their orderer organisation and their producer organisation.
pub fn may_see(viewer: Viewer<'_>, c: &sc::Model) -> bool {
    match viewer {
        Viewer::Admin => true,
        Viewer::Orderer(org) => org == c.orderer_id,
        Viewer::Producer(org) => org == c.producer_id,
        Viewer::Anonymous => false,
    }
}

/// What an activated contract commits per fiscal year (a terminated one, up to its end).
pub fn commitment(c: &sc::Model) -> BTreeMap<i32, Decimal> {
    if c.activated_at.is_none() {
        return BTreeMap::new();
    }
    dc::value_by_year(c.total_value.0, c.start_date, c.end_date, c.terminated_on)
}

/// The sum committed per (orderer, year) by activated contracts touching `years`.
pub async fn committed<C: ConnectionTrait>(
    conn: &C,
    orderer_id: Option<&str>,
    years: &[i32],
) -> AppResult<HashMap<(String, i32), Decimal>> {
    let (Some(first), Some(last)) = (years.iter().min(), years.iter().max()) else {
        return Ok(HashMap::new());
    };
    let mut q = sc::Entity::find()
        .filter(sc::Column::ActivatedAt.is_not_null())
        .filter(
            sc::Column::StartDate
                .lte(NaiveDate::from_ymd_opt(*last, 12, 31).unwrap_or(NaiveDate::MAX)),
        )
        .filter(
            sc::Column::EndDate
                .gte(NaiveDate::from_ymd_opt(*first, 1, 1).unwrap_or(NaiveDate::MIN)),
        );
    if let Some(o) = orderer_id {
        q = q.filter(sc::Column::OrdererId.eq(o));
    }
    let mut out: HashMap<(String, i32), Decimal> = HashMap::new();
    for c in q.all(conn).await? {
        for (y, v) in commitment(&c) {
            if years.contains(&y) {
                *out.entry((c.orderer_id.clone(), y)).or_default() += v;
            }
        }
    }
    Ok(out)
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

/// A contract line as given by a client.
pub struct LineInput {
    pub product_id: String,
    pub quantity: Decimal,
    pub unit_price: Decimal,
}

/// Checks lines: at least one, each product once and existing, quantity > 0, unit price >= 0
/// with at most four decimals. Returns (product id, quantity, unit price) and the total.
async fn valid_lines<C: ConnectionTrait>(
    conn: &C,
    lines: Vec<LineInput>,
) -> AppResult<(Vec<(String, Decimal, Decimal)>, Decimal)> {
    if lines.is_empty() {
        return Err(AppError::bad_input(
            "lines",
            "a contract needs at least one line",
        ));
    }
    validate::list_len("lines", lines.len(), crate::domain::call::MAX_LINES)?;
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(lines.len());
    let mut total = Decimal::ZERO;
    for (i, l) in lines.into_iter().enumerate() {
        let product =
            super::catalogue::find_product(conn, &format!("lines[{i}].productId"), &l.product_id)
                .await?;
        if !seen.insert(product.id.clone()) {
            return Err(AppError::bad_input(
                format!("lines[{i}].productId"),
                "each product may appear on one line only",
            ));
        }
        if l.quantity <= Decimal::ZERO {
            return Err(AppError::bad_input(
                format!("lines[{i}].quantity"),
                "must be greater than 0",
            ));
        }
        validate::quantity(&format!("lines[{i}].quantity"), l.quantity)?;
        if l.unit_price < Decimal::ZERO || l.unit_price.normalize().scale() > 4 {
            return Err(AppError::bad_input(
                format!("lines[{i}].unitPrice"),
                "must be >= 0 with at most 4 decimals",
            ));
        }
        let line_total = l.quantity.checked_mul(l.unit_price).ok_or_else(|| {
            AppError::bad_input(format!("lines[{i}]"), "the line total is too large")
        })?;
        total = total
            .checked_add(line_total)
            .ok_or_else(|| AppError::bad_input("lines", "the contract's total is too large"))?;
        out.push((product.id, l.quantity, l.unit_price));
    }
    Ok((out, total))
}

async fn insert_lines<C: ConnectionTrait>(
    conn: &C,
    contract_id: &str,
    version: i32,
    lines: &[(String, Decimal, Decimal)],
) -> AppResult<()> {
    let rows: Vec<contract_line::ActiveModel> = lines
        .iter()
        .enumerate()
        .map(|(i, (p, q, u))| contract_line::ActiveModel {
            contract_id: Set(contract_id.to_owned()),
            version: Set(version),
            position: Set(i as i32),
            product_id: Set(p.clone()),
            quantity: Set(Money(*q)),
            unit_price: Set(Money(*u)),
        })
        .collect();
    contract_line::Entity::insert_many(rows).exec(conn).await?;
    Ok(())
}

/// Loads a contract for a change by its orderer: NOT_FOUND when invisible, FORBIDDEN when
/// the caller may see but not manage it. Locked for the transaction on PostgreSQL.
async fn managed<C: ConnectionTrait>(conn: &C, caller: &Caller, id: &str) -> AppResult<sc::Model> {
    let not_found = || AppError::not_found("id: no such contract");
    let c = sc::Entity::find_by_id(parse_id("id", id)?)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(not_found)?;
    let viewer = caller.viewer();
    if !may_see(viewer, &c) {
        return Err(not_found());
    }
    if !matches!(viewer, Viewer::Orderer(org) if org == c.orderer_id) {
        return Err(AppError::forbidden(
            "only ORDERER users of the contract's orderer organization manage it",
        ));
    }
    Ok(c)
}

#[allow(clippy::too_many_arguments)]
fn new_contract(
    id: &str,
    orderer: &str,
    producer: &str,
    call_id: Option<String>,
    procedure: Procedure,
    pricing_model: PricingModel,
    start: NaiveDate,
    end: NaiveDate,
    total: Decimal,
    max_share: Option<Decimal>,
    now: chrono::DateTime<chrono::Utc>,
) -> sc::ActiveModel {
    sc::ActiveModel {
        id: Set(id.to_owned()),
        orderer_id: Set(orderer.to_owned()),
        producer_id: Set(producer.to_owned()),
        call_id: Set(call_id),
        procedure: Set(procedure),
        pricing_model: Set(pricing_model),
        status: Set(ContractStatus::Draft),
        start_date: Set(start),
        end_date: Set(end),
        version: Set(1),
        total_value: Set(Money(total)),
        max_subcontracting_share: Set(max_share.map(Money)),
        realization_status: Set(RealizationStatus::OnTrack),
        created_at: Set(now),
        activated_at: Set(None),
        terminated_on: Set(None),
        termination_reason: Set(None),
    }
}

/// ORDERER of an awarded call: the contract from the award, once the standstill has ended.
/// Lines are the call's quantities at the winning bid's unit prices.
pub async fn create_from_award(
    state: &AppState,
    caller: &Caller,
    call_id: &str,
) -> AppResult<sc::Model> {
    let actor = caller.require()?.clone();
    work!(state, |w| {
        let c = super::calls::managed_call(w, caller, "callId", call_id, state.now()).await?;
        let status = c.status;
        if status != CallStatus::Awarded {
            return Err(AppError::InvalidState(format!(
                "a contract is made from an AWARDED call; this one is {}",
                status.as_str()
            )));
        }
        let a = award::Entity::find_by_id(c.id.clone())
            .one(w.conn())
            .await?
            .ok_or_else(|| {
                AppError::Internal(anyhow::anyhow!("awarded call {} has no award", c.id))
            })?;
        let now = state.now();
        if now < a.standstill_ends_at {
            return Err(AppError::InvalidState(format!(
                "the standstill period runs until {}; the contract can be made after it",
                a.standstill_ends_at.to_rfc3339()
            )));
        }
        if sc::Entity::find()
            .filter(sc::Column::CallId.eq(c.id.as_str()))
            .one(w.conn())
            .await?
            .is_some()
        {
            return Err(AppError::InvalidState(
                "this call already has its contract".into(),
            ));
        }
        let winner = bid::Entity::find_by_id(a.bid_id.clone())
            .one(w.conn())
            .await?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("awarded bid missing")))?;
        let call_lines = call_line::Entity::find()
            .filter(call_line::Column::CallId.eq(c.id.as_str()))
            .order_by_asc(call_line::Column::Position)
            .all(w.conn())
            .await?;
        let prices: HashMap<String, Decimal> = bid_line::Entity::find()
            .filter(bid_line::Column::BidId.eq(winner.id.as_str()))
            .all(w.conn())
            .await?
            .into_iter()
            .map(|l| (l.call_line_id, l.unit_price.0))
            .collect();
        let mut lines = Vec::with_capacity(call_lines.len());
        let mut total = Decimal::ZERO;
        for l in &call_lines {
            let price = prices.get(&l.id).copied().ok_or_else(|| {
                AppError::Internal(anyhow::anyhow!("winning bid lacks line {}", l.id))
            })?;
            total = total.saturating_add(l.quantity.0.saturating_mul(price));
            lines.push((l.product_id.clone(), l.quantity.0, price));
        }
        let id = new_id();
        let contract = new_contract(
            &id,
            &c.orderer_id,
            &winner.bidder_id,
            Some(c.id.clone()),
            Procedure::Open,
            c.pricing_model,
            c.contract_start,
            c.contract_end,
            total,
            c.max_subcontracting_share.map(|m| m.0),
            now,
        )
        .insert(w.conn())
        .await?;
        insert_lines(w.conn(), &id, 1, &lines).await?;
        w.audit(
            now,
            AuditEntry::by(&actor.user_id, "contract.create", "contract", &id)
                .orderer(&c.orderer_id)
                .summary(json!({
                    "callId": c.id,
                    "procedure": Procedure::Open.as_str(),
                    "producerId": winner.bidder_id,
                    "totalValue": total.to_string(),
                })),
        )?;
        Ok(contract)
    })
}

pub struct DirectInput {
    pub producer_id: String,
    pub pricing_model: PricingModel,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub lines: Vec<LineInput>,
    pub max_subcontracting_share: Option<Decimal>,
}

/// ORDERER: a contract made directly with an in-house producer (procedure IN_HOUSE).
pub async fn create_direct(
    state: &AppState,
    caller: &Caller,
    input: DirectInput,
) -> AppResult<sc::Model> {
    let actor = caller
        .require_role(Role::Orderer, "make contracts")?
        .clone();
    validate::contract_date("startDate", input.start_date)?;
    validate::contract_date("endDate", input.end_date)?;
    if input.end_date <= input.start_date {
        return Err(AppError::bad_input("endDate", "must be after startDate"));
    }
    if let Some(s) = input.max_subcontracting_share
        && (s < Decimal::ZERO || s > Decimal::ONE)
    {
        return Err(AppError::bad_input(
            "maxSubcontractingShare",
            "must be between 0 and 1",
        ));
    }
    work!(state, |w| {
        let producer =
            super::identity::find_organization(w.conn(), "producerId", &input.producer_id).await?;
        if producer.kind != OrganizationKind::InHouseProducer {
            return Err(AppError::bad_input(
                "producerId",
                "a direct (IN_HOUSE) contract is made with an IN_HOUSE_PRODUCER only",
            ));
        }
        let (lines, total) = valid_lines(w.conn(), input.lines).await?;
        let now = state.now();
        let id = new_id();
        let contract = new_contract(
            &id,
            &actor.organization_id,
            &producer.id,
            None,
            Procedure::InHouse,
            input.pricing_model,
            input.start_date,
            input.end_date,
            total,
            input.max_subcontracting_share,
            now,
        )
        .insert(w.conn())
        .await?;
        insert_lines(w.conn(), &id, 1, &lines).await?;
        w.audit(
            now,
            AuditEntry::by(&actor.user_id, "contract.create", "contract", &id)
                .orderer(&actor.organization_id)
                .summary(json!({
                    "procedure": Procedure::InHouse.as_str(),
                    "producerId": producer.id,
                    "totalValue": total.to_string(),
                })),
        )?;
        Ok(contract)
    })
}

/// ORDERER: activates a draft, committing its value per fiscal year against the
/// appropriations; BUDGET_EXCEEDED (and nothing changes) when a year lacks room.
pub async fn activate(state: &AppState, caller: &Caller, id: &str) -> AppResult<sc::Model> {
    let actor = caller.require()?.clone();
    work!(state, |w| {
        let c = managed(w.conn(), caller, id).await?;
        let status = c.status;
        if status != ContractStatus::Draft {
            return Err(AppError::InvalidState(format!(
                "only a DRAFT contract is activated; this one is {}",
                status.as_str()
            )));
        }
        let split = dc::value_by_year(c.total_value.0, c.start_date, c.end_date, None);
        check_budget(w.conn(), &c.orderer_id, &split).await?;
        let now = state.now();
        let call_id = c.call_id.clone();
        let mut am: sc::ActiveModel = c.into();
        am.status = Set(ContractStatus::Active);
        am.activated_at = Set(Some(now));
        let c = am.update(w.conn()).await?;
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
            AuditEntry::by(&actor.user_id, "contract.activate", "contract", &c.id)
                .orderer(&c.orderer_id)
                .summary(json!({ "committed": committed })),
        )?;
        super::notifications::contract_activated(w, now, &c).await?;
        Ok(c)
    })
}

/// ORDERER: a new version with the full new line set; an active contract's value change is
/// checked against the appropriations year by year.
pub async fn amend(
    state: &AppState,
    caller: &Caller,
    id: &str,
    lines: Vec<LineInput>,
    reason: &str,
) -> AppResult<sc::Model> {
    let actor = caller.require()?.clone();
    let reason = validate::text("reason", reason, 20_000)?;
    work!(state, |w| {
        let c = managed(w.conn(), caller, id).await?;
        let now = state.now();
        let status = status_at(&c, now.date_naive());
        if !matches!(status, ContractStatus::Draft | ContractStatus::Active) {
            return Err(AppError::InvalidState(format!(
                "a contract that is {} cannot be amended",
                status.as_str()
            )));
        }
        let (lines, total) = valid_lines(w.conn(), lines).await?;
        if status == ContractStatus::Active {
            let old = dc::value_by_year(c.total_value.0, c.start_date, c.end_date, None);
            let new = dc::value_by_year(total, c.start_date, c.end_date, None);
            check_budget(w.conn(), &c.orderer_id, &dc::delta_by_year(&old, &new)).await?;
        }
        let version = c.version + 1;
        let delta = total - c.total_value.0;
        insert_lines(w.conn(), &c.id, version, &lines).await?;
        contract_amendment::ActiveModel {
            contract_id: Set(c.id.clone()),
            version: Set(version),
            reason: Set(reason.clone()),
            value_delta: Set(Money(delta)),
            created_by: Set(actor.user_id.clone()),
            created_at: Set(now),
        }
        .insert(w.conn())
        .await?;
        let mut am: sc::ActiveModel = c.into();
        am.version = Set(version);
        am.total_value = Set(Money(total));
        let c = am.update(w.conn()).await?;
        w.audit(
            now,
            AuditEntry::by(&actor.user_id, "contract.amend", "contract", &c.id)
                .orderer(&c.orderer_id)
                .summary(json!({
                    "version": version,
                    "reason": reason,
                    "valueDelta": delta.to_string(),
                })),
        )?;
        Ok(c)
    })
}

/// ORDERER: ends a draft or active contract today; an active one keeps the commitment of the
/// days it ran and releases the rest.
pub async fn terminate(
    state: &AppState,
    caller: &Caller,
    id: &str,
    reason: &str,
) -> AppResult<sc::Model> {
    let actor = caller.require()?.clone();
    let reason = validate::text("reason", reason, 20_000)?;
    work!(state, |w| {
        let c = managed(w.conn(), caller, id).await?;
        let now = state.now();
        let status = status_at(&c, now.date_naive());
        if !matches!(status, ContractStatus::Draft | ContractStatus::Active) {
            return Err(AppError::InvalidState(format!(
                "a contract that is {} cannot be terminated",
                status.as_str()
            )));
        }
        let mut am: sc::ActiveModel = c.into();
        am.status = Set(ContractStatus::Terminated);
        am.terminated_on = Set(Some(now.date_naive()));
        am.termination_reason = Set(Some(reason.clone()));
        let c = am.update(w.conn()).await?;
        w.audit(
            now,
            AuditEntry::by(&actor.user_id, "contract.terminate", "contract", &c.id)
                .orderer(&c.orderer_id)
                .summary(json!({ "reason": reason, "statusBefore": status.as_str() })),
        )?;
        Ok(c)
    })
}

pub async fn get(state: &AppState, caller: &Caller, id: &str) -> AppResult<Option<sc::Model>> {
    let Ok(id) = parse_id("id", id) else {
        return Ok(None);
    };
    let c = sc::Entity::find_by_id(id).one(state.db.conn()).await?;
    Ok(c.filter(|c| may_see(caller.viewer(), c)))
}

/// Contracts the caller may see: all for admins, the organisation's own for others.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    orderer_id: Option<&str>,
    producer_id: Option<&str>,
    status: Option<ContractStatus>,
    today: NaiveDate,
) -> AppResult<Vec<sc::Model>> {
    caller.require()?;
    let mut q = sc::Entity::find().order_by_desc(sc::Column::Id);
    q = match caller.viewer() {
        Viewer::Admin => q,
        Viewer::Orderer(org) => q.filter(sc::Column::OrdererId.eq(org)),
        Viewer::Producer(org) => q.filter(sc::Column::ProducerId.eq(org)),
        Viewer::Anonymous => return Ok(Vec::new()),
    };
    if let Some(o) = orderer_id {
        q = q.filter(sc::Column::OrdererId.eq(parse_id("ordererId", o).unwrap_or_default()));
    }
    if let Some(p) = producer_id {
        q = q.filter(sc::Column::ProducerId.eq(parse_id("producerId", p).unwrap_or_default()));
    }
    q = match status {
        None => q,
        Some(ContractStatus::Active) => q
            .filter(sc::Column::Status.eq(ContractStatus::Active))
            .filter(sc::Column::EndDate.gte(today)),
        Some(ContractStatus::Completed) => q
            .filter(sc::Column::Status.eq(ContractStatus::Active))
            .filter(sc::Column::EndDate.lt(today)),
        Some(s) => q.filter(sc::Column::Status.eq(s)),
    };
    Ok(q.all(state.db.conn()).await?)
}

/// The current version's lines of a contract.
pub async fn current_lines<C: ConnectionTrait>(
    conn: &C,
    c: &sc::Model,
) -> AppResult<Vec<contract_line::Model>> {
    Ok(contract_line::Entity::find()
        .filter(contract_line::Column::ContractId.eq(c.id.as_str()))
        .filter(contract_line::Column::Version.eq(c.version))
        .order_by_asc(contract_line::Column::Position)
        .all(conn)
        .await?)
}

/// Realisation of a contract from its reported months, their entries and the current lines.
pub fn realization_of(
    c: &sc::Model,
    lines: &[contract_line::Model],
    months: &[String],
    entries: &[report_entry::Model],
) -> dc::Realization {
    let prices: HashMap<&str, Decimal> = lines
        .iter()
        .map(|l| (l.product_id.as_str(), l.unit_price.0))
        .collect();
    let delivered: Decimal = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Line)
        .filter_map(|e| {
            prices
                .get(e.subject.as_str())
                .map(|price| e.amount.0.saturating_mul(*price))
        })
        .fold(Decimal::ZERO, Decimal::saturating_add);
    let latest = months
        .iter()
        .filter_map(|m| Period::parse("period", m).ok())
        .max();
    if c.pricing_model == PricingModel::LumpSum {
        return dc::lump_sum_realization(c.total_value.0, c.start_date, c.end_date, latest);
    }
    dc::realization(
        c.total_value.0,
        c.start_date,
        c.end_date,
        delivered,
        latest,
        dc::default_threshold(),
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
    state: &AppState,
    caller: &Caller,
    input: ReportInput,
) -> AppResult<performance_report::Model> {
    let actor = caller.require()?.clone();
    work!(state, |w| {
        let not_found = || AppError::not_found("contractId: no such contract");
        let c = sc::Entity::find_by_id(parse_id("contractId", &input.contract_id)?)
            .lock_exclusive()
            .one(w.conn())
            .await?
            .ok_or_else(not_found)?;
        let viewer = caller.viewer();
        if !may_see(viewer, &c) {
            return Err(not_found());
        }
        if !matches!(viewer, Viewer::Producer(org) if org == c.producer_id) {
            return Err(AppError::forbidden(
                "only the contract's producer reports on it",
            ));
        }
        let now = state.now();
        let today = now.date_naive();
        let status = status_at(&c, today);
        if !matches!(status, ContractStatus::Active | ContractStatus::Completed) {
            return Err(AppError::InvalidState(format!(
                "reports are made on ACTIVE contracts; this one is {}",
                status.as_str()
            )));
        }
        let period = Period::parse("period", &input.period)?;
        dc::check_period(period, c.start_date, c.end_date, today)?;
        let lines = current_lines(w.conn(), &c).await?;
        let products: HashSet<&str> = lines.iter().map(|l| l.product_id.as_str()).collect();
        let mut seen = HashSet::new();
        let mut report_lines = Vec::with_capacity(input.lines.len());
        for (i, (product, quantity, cost)) in input.lines.iter().enumerate() {
            let p = parse_id(&format!("lines[{i}].productId"), product).map_err(|_| {
                AppError::bad_input(
                    format!("lines[{i}].productId"),
                    "is not a product of this contract",
                )
            })?;
            if !products.contains(p.as_str()) {
                return Err(AppError::bad_input(
                    format!("lines[{i}].productId"),
                    "is not a product of this contract",
                ));
            }
            report_lines.push((p.clone(), *quantity, *cost));
            if !seen.insert(p) {
                return Err(AppError::bad_input(
                    format!("lines[{i}].productId"),
                    "is reported twice",
                ));
            }
            if *quantity < Decimal::ZERO {
                return Err(AppError::bad_input(
                    format!("lines[{i}].quantity"),
                    "must not be negative",
                ));
            }
            validate::quantity(&format!("lines[{i}].quantity"), *quantity)?;
            if *cost < Decimal::ZERO {
                return Err(AppError::bad_input(
                    format!("lines[{i}].cost"),
                    "must not be negative",
                ));
            }
        }
        if input.feedback_count < 0 {
            return Err(AppError::bad_input("feedbackCount", "must not be negative"));
        }
        if let Some(avg) = input.feedback_average
            && (avg < Decimal::ONE || avg > Decimal::from(5))
        {
            return Err(AppError::bad_input(
                "feedbackAverage",
                "must be between 1 and 5",
            ));
        }
        for (i, (metric, _)) in input.quality.iter().enumerate() {
            validate::text(&format!("qualityMeasurements[{i}].metric"), metric, 200)
                .map_err(|e: Invalid| AppError::from(e))?;
        }
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
        let months: Vec<String> = performance_report::Entity::find()
            .filter(performance_report::Column::ContractId.eq(c.id.as_str()))
            .all(w.conn())
            .await?
            .into_iter()
            .map(|m| m.period)
            .collect();
        let r = realization_of(&c, &lines, &months, &entries);
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
            let forecast = crate::domain::evaluation::display(r.forecast).to_string();
            super::notifications::deviation(w, now, &c, r.status, &label, &forecast).await?;
        }
        if r.status != previous {
            let mut am: sc::ActiveModel = c.clone().into();
            am.realization_status = Set(r.status);
            am.update(w.conn()).await?;
        }
        w.audit(
            now,
            AuditEntry::by(&actor.user_id, "contract.report", "contract", &c.id)
                .orderer(&c.orderer_id)
                .summary(json!({
                    "period": label,
                    "lines": input.lines.len(),
                    "realization": r.status.as_str(),
                })),
        )?;
        Ok(saved)
    })
}

/// Portfolio rows: each active or completed contract of the orderer touching the year, with
/// its value in that year.
pub async fn portfolio(
    state: &AppState,
    caller: &Caller,
    orderer_id: &str,
    year: i32,
) -> AppResult<Vec<(sc::Model, Decimal, bool)>> {
    let actor = caller.require()?;
    let orderer = parse_id("ordererId", orderer_id)?;
    match actor.role {
        Role::Admin => {}
        Role::Orderer if actor.organization_id == orderer => {}
        _ => {
            return Err(AppError::forbidden(
                "the portfolio is for administrators and the orderer itself",
            ));
        }
    }
    let contracts = sc::Entity::find()
        .filter(sc::Column::OrdererId.eq(orderer.as_str()))
        .filter(sc::Column::Status.eq(ContractStatus::Active))
        .filter(
            sc::Column::StartDate
                .lte(NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)),
        )
        .filter(
            sc::Column::EndDate.gte(NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)),
        )
        .order_by_asc(sc::Column::StartDate)
        .all(state.db.conn())
        .await?;
    let producer_ids: Vec<String> = contracts.iter().map(|c| c.producer_id.clone()).collect();
    let in_house: HashSet<String> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(producer_ids))
        .filter(organization::Column::Kind.eq(OrganizationKind::InHouseProducer))
        .all(state.db.conn())
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    Ok(contracts
        .into_iter()
        .map(|c| {
            let value = commitment(&c).get(&year).copied().unwrap_or_default();
            let ih = in_house.contains(&c.producer_id);
            (c, value, ih)
        })
        .collect())
}

/// The figures of a benchmark.
pub struct BenchmarkFigures {
    pub in_house_unit_cost: Option<Decimal>,
    pub in_house_bid_prices: Vec<Decimal>,
    pub market: crate::domain::contract::MarketFigures,
}

/// Benchmarking: the in-house producer's unit cost and bid prices against the unit prices
/// of current external bids on calls that have been decided (AWARDED, CONTRACTED or
/// UNSUCCESSFUL) and whose contract starts in the year; min, median and max only from at
/// least three distinct external bidders (`domain::contract::market_figures`). Sealed bids
/// never enter the figures.
pub async fn benchmark(
    state: &AppState,
    caller: &Caller,
    product_id: &str,
    year: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<BenchmarkFigures> {
    let actor = caller.require()?;
    let own_in_house = match (actor.role, actor.organization_kind) {
        (Role::Admin, _) | (Role::Orderer, _) => None,
        (Role::Producer, OrganizationKind::InHouseProducer) => Some(actor.organization_id.clone()),
        _ => {
            return Err(AppError::forbidden(
                "benchmarks are for administrators, orderers and in-house producers",
            ));
        }
    };
    let conn = state.db.conn();
    let product = super::catalogue::find_product(conn, "productId", product_id).await?;
    let (from, to) = (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX),
    );
    // Calls of the year whose lines include the product, and those lines.
    let lines = call_line::Entity::find()
        .filter(call_line::Column::ProductId.eq(product.id.as_str()))
        .filter(
            call_line::Column::CallId.in_subquery(
                Query::select()
                    .column(call::Column::Id)
                    .from(call::Entity)
                    .and_where(call::Column::ContractStart.gte(from))
                    .and_where(call::Column::ContractStart.lte(to))
                    .and_where(call::Column::PublishedAt.is_not_null())
                    .to_owned(),
            ),
        )
        .all(conn)
        .await?;
    let calls: HashMap<String, call::Model> = call::Entity::find()
        .filter(call::Column::Id.is_in(lines.iter().map(|l| l.call_id.clone())))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect();
    let line_ids: Vec<String> = lines.iter().map(|l| l.id.clone()).collect();
    let line_call: HashMap<String, String> = lines
        .iter()
        .map(|l| (l.id.clone(), l.call_id.clone()))
        .collect();
    let priced = bid_line::Entity::find()
        .filter(bid_line::Column::CallLineId.is_in(line_ids))
        .all(conn)
        .await?;
    let bids: HashMap<String, bid::Model> = bid::Entity::find()
        .filter(bid::Column::Id.is_in(priced.iter().map(|p| p.bid_id.clone())))
        .filter(bid::Column::Status.eq(BidStatus::Submitted))
        .all(conn)
        .await?
        .into_iter()
        .map(|b| (b.id.clone(), b))
        .collect();
    let bidder_kinds: HashMap<String, OrganizationKind> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(bids.values().map(|b| b.bidder_id.clone())))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.id, o.kind))
        .collect();
    let mut market = Vec::new();
    let mut in_house_bid_prices = Vec::new();
    for p in priced {
        let Some(b) = bids.get(&p.bid_id) else {
            continue;
        };
        let Some(c) = line_call.get(&p.call_line_id).and_then(|id| calls.get(id)) else {
            continue;
        };
        let opened = super::seal::bids_open(c, now);
        let decided = matches!(
            c.status,
            CallStatus::Awarded | CallStatus::Contracted | CallStatus::Unsuccessful
        );
        match bidder_kinds.get(&b.bidder_id) {
            Some(OrganizationKind::ExternalProvider) if decided => {
                market.push((b.bidder_id.clone(), p.unit_price.0))
            }
            Some(OrganizationKind::InHouseProducer) => {
                let own = own_in_house.as_deref() == Some(b.bidder_id.as_str());
                // Its own bids the in-house producer always sees; others only once opened.
                if own || (own_in_house.is_none() && opened) {
                    in_house_bid_prices.push(p.unit_price.0);
                }
            }
            _ => {}
        }
    }
    in_house_bid_prices.sort();
    let mut costs = cost_calculation::Entity::find()
        .filter(cost_calculation::Column::ProductId.eq(product.id.as_str()))
        .filter(cost_calculation::Column::FiscalYear.eq(year));
    if let Some(own) = &own_in_house {
        costs = costs.filter(cost_calculation::Column::ProducerId.eq(own.as_str()));
    }
    let costs = costs.all(conn).await?;
    // For an in-house producer its own calculation; for others the one in-house calculation
    // there is (with several in-house producers, none is singled out).
    let in_house_unit_cost = match costs.as_slice() {
        [one] => Some(super::costing::unit_cost(one)?),
        _ => None,
    };
    Ok(BenchmarkFigures {
        in_house_unit_cost,
        in_house_bid_prices,
        market: crate::domain::contract::market_figures(&market),
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

/// The next moment an active contract reads COMPLETED without a write (the day after its
/// end date, at midnight UTC), for caches of public answers (OCDS shows contract status).
pub async fn next_completion<C: ConnectionTrait>(
    conn: &C,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<Option<chrono::DateTime<chrono::Utc>>> {
    let next = sc::Entity::find()
        .filter(sc::Column::Status.eq(ContractStatus::Active))
        .filter(sc::Column::EndDate.gte(now.date_naive()))
        .order_by_asc(sc::Column::EndDate)
        .one(conn)
        .await?;
    Ok(next
        .and_then(|c| c.end_date.succ_opt())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc()))
}
