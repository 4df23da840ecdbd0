//! Service contracts: made from an award after the standstill or directly with an in-house
//! producer (`create`), activated against the orderer's appropriations, amended instead of the
//! budget and terminated (`change`), monitored month by month (`report`), and read as the
//! orderer's portfolio and the benchmark (`figures`). What they share is here.

mod change;
mod create;
mod figures;
mod report;
mod sign;

pub use change::{activate, amend, terminate};
pub use create::{DirectInput, create_direct, create_from_award};
pub use figures::{BenchmarkFigures, benchmark, portfolio};
pub use report::{ReportInput, realization_of, report, report_entries};
pub use sign::sign;

use super::audit::AuditEntry;
use super::parse_id;
use super::query::positioned;
use super::work::Work;
use crate::auth::Caller;
use crate::domain::call::Viewer;
use crate::domain::contract::{self as dc, ContractStatus};
use crate::error::{AppError, AppResult};
use crate::service::Cx;
use chrono::NaiveDate;
use entity::{Money, contract_line, service_contract as sc};
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::{BTreeMap, HashMap};

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

/// The audit entry of a change to contract `c` by `actor`, readable by its orderer.
fn audit_entry<'a>(actor: &'a str, action: &'a str, c: &'a sc::Model) -> AuditEntry<'a> {
    AuditEntry::by(actor, action, "contract", &c.id).orderer(&c.orderer_id)
}

/// Who acts on a contract: its orderer manages it, its producer reports on it, and either
/// signs it.
#[derive(Clone, Copy)]
enum Party {
    Orderer,
    Producer,
    Either,
}

/// Loads a contract for a change by `party`: NOT_FOUND when the caller cannot see it,
/// FORBIDDEN when it may see but not act on it. Locked for the transaction on PostgreSQL.
async fn locked_for<C: ConnectionTrait>(
    conn: &C,
    caller: &Caller,
    party: Party,
    field: &str,
    id: &str,
) -> AppResult<sc::Model> {
    let not_found = || AppError::not_found(format!("{field}: no such contract"));
    let c = sc::Entity::find_by_id(parse_id(field, id)?)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(not_found)?;
    let viewer = caller.viewer();
    if !may_see(viewer, &c) {
        return Err(not_found());
    }
    let (acts, why) = match party {
        Party::Orderer => (
            matches!(viewer, Viewer::Orderer(org) if org == c.orderer_id),
            "only ORDERER users of the contract's orderer organization manage it",
        ),
        Party::Producer => (
            matches!(viewer, Viewer::Producer(org) if org == c.producer_id),
            "only the contract's producer reports on it",
        ),
        Party::Either => (
            matches!(viewer, Viewer::Orderer(org) if org == c.orderer_id)
                || matches!(viewer, Viewer::Producer(org) if org == c.producer_id),
            "only users of the contract's orderer or producer sign it",
        ),
    };
    if !acts {
        return Err(AppError::forbidden(why));
    }
    Ok(c)
}

/// A contract line as given by a client.
pub struct LineInput {
    pub product_id: String,
    pub quantity: Decimal,
    pub unit_price: Decimal,
}

/// Checks lines by the contract's rules (`dc::input::Lines`), each product found in the
/// catalogue. Returns the lines and the total.
async fn valid_lines<C: ConnectionTrait>(
    conn: &C,
    lines: Vec<LineInput>,
) -> AppResult<(Vec<dc::input::Line>, Decimal)> {
    let mut checked = dc::input::Lines::new(lines.len())?;
    for (i, l) in lines.into_iter().enumerate() {
        let product =
            super::catalogue::find_product(conn, &format!("lines[{i}].productId"), &l.product_id)
                .await?;
        checked.add(i, product.id, l.quantity, l.unit_price)?;
    }
    Ok(checked.finish())
}

/// Saves a version's lines.
async fn insert_lines(
    w: &Work<'_>,
    contract_id: &str,
    version: i32,
    lines: &[dc::input::Line],
) -> AppResult<()> {
    w.insert_all(positioned(lines).map(|(i, l)| contract_line::ActiveModel {
        contract_id: Set(contract_id.to_owned()),
        version: Set(version),
        position: Set(i),
        product_id: Set(l.product_id.clone()),
        quantity: Set(Money(l.quantity)),
        unit_price: Set(Money(l.unit_price)),
    }))
    .await
}

pub async fn get(Cx { state, caller }: Cx<'_>, id: &str) -> AppResult<Option<sc::Model>> {
    let Ok(id) = parse_id("id", id) else {
        return Ok(None);
    };
    let c = sc::Entity::find_by_id(id).one(state.db.conn()).await?;
    Ok(c.filter(|c| may_see(caller.viewer(), c)))
}

/// Contracts the caller may see: all for admins, the organisation's own for others.
pub async fn list(
    Cx { state, caller }: Cx<'_>,
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
