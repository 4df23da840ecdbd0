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
pub use create::{DirectInput, create_direct, create_from_award, create_from_lot_award};
pub use figures::{BenchmarkFigures, benchmark, portfolio};
pub use report::{ReportInput, realization_of, report, report_entries};
pub use sign::sign;

use super::audit::AuditEntry;
use super::parse_id;
use super::query::positioned;
use super::work::Work;
use crate::auth::Caller;
use crate::domain::call::Viewer;
use crate::domain::contract::versions::{Piece, Version, pieces_by_year};
use crate::domain::contract::{self as dc, ContractStatus};
use crate::error::{AppError, AppResult};
use crate::service::Cx;
use chrono::NaiveDate;
use entity::{
    Money, contract_amendment, contract_line, performance_report, service_contract as sc,
};
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

/// A contract's versions in time and the pieces of its value (`domain::contract::versions`).
#[derive(Debug, Clone, Default)]
pub struct History {
    pub versions: Vec<Version>,
    pub pieces: Vec<Piece>,
}

/// The histories of `contracts`, keyed by contract id: version 1 from the start with the
/// original value, then each amendment from its `effectiveFrom` with its value change.
pub async fn histories<C: ConnectionTrait>(
    conn: &C,
    contracts: &[&sc::Model],
) -> AppResult<HashMap<String, History>> {
    let amendments = contract_amendment::Entity::find()
        .filter(
            contract_amendment::Column::ContractId.is_in(contracts.iter().map(|c| c.id.clone())),
        )
        .order_by_asc(contract_amendment::Column::Version)
        .all(conn)
        .await?;
    let mut by_contract: HashMap<&str, Vec<&contract_amendment::Model>> = HashMap::new();
    for a in &amendments {
        by_contract
            .entry(a.contract_id.as_str())
            .or_default()
            .push(a);
    }
    Ok(contracts
        .iter()
        .map(|c| {
            let own = by_contract.remove(c.id.as_str()).unwrap_or_default();
            (c.id.clone(), history_from(c, &own))
        })
        .collect())
}

/// The history of one contract from its amendments (in version order).
pub fn history_from(c: &sc::Model, amendments: &[&contract_amendment::Model]) -> History {
    let changed = crate::domain::money::sum(amendments.iter().map(|a| a.value_delta.0));
    let mut versions = vec![Version {
        version: 1,
        effective_from: c.start_date,
    }];
    let mut pieces = vec![Piece {
        from: c.start_date,
        value: c.total_value.0.saturating_sub(changed),
    }];
    for a in amendments {
        let from = a.effective_from.unwrap_or(c.start_date);
        versions.push(Version {
            version: a.version,
            effective_from: from,
        });
        pieces.push(Piece {
            from,
            value: a.value_delta.0,
        });
    }
    History { versions, pieces }
}

/// Each version's lines' value (the sum of its line totals), by version.
pub async fn lines_values<C: ConnectionTrait>(
    conn: &C,
    contract_id: &str,
) -> AppResult<HashMap<i32, Decimal>> {
    let mut out: HashMap<i32, Decimal> = HashMap::new();
    for l in contract_line::Entity::find()
        .filter(contract_line::Column::ContractId.eq(contract_id))
        .all(conn)
        .await?
    {
        let total = crate::domain::money::line_total(l.quantity.0, l.unit_price.0);
        let e = out.entry(l.version).or_default();
        *e = e.saturating_add(total);
    }
    Ok(out)
}

/// The latest month reported on a contract.
pub async fn latest_report<C: ConnectionTrait>(
    conn: &C,
    contract_id: &str,
) -> AppResult<Option<dc::Period>> {
    let months: Vec<String> = crate::service::query::column::<performance_report::Entity, _, _>(
        conn,
        performance_report::Column::Period,
        performance_report::Column::ContractId.eq(contract_id),
    )
    .await?;
    Ok(months
        .iter()
        .filter_map(|m| dc::Period::parse("period", m).ok())
        .max())
}

/// The history of one contract.
pub async fn history<C: ConnectionTrait>(conn: &C, c: &sc::Model) -> AppResult<History> {
    Ok(histories(conn, &[c])
        .await?
        .remove(&c.id)
        .unwrap_or_default())
}

/// What an activated contract commits per fiscal year (a terminated one, up to its end): its
/// value split by days, each amendment's change only over the years from its effective day.
pub fn commitment(c: &sc::Model, h: &History) -> BTreeMap<i32, Decimal> {
    if c.activated_at.is_none() {
        return BTreeMap::new();
    }
    pieces_by_year(&h.pieces, c.end_date, c.terminated_on)
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
    let contracts = q.all(conn).await?;
    let hs = histories(conn, &contracts.iter().collect::<Vec<_>>()).await?;
    for c in &contracts {
        let h = hs.get(&c.id).cloned().unwrap_or_default();
        for (y, v) in commitment(c, &h) {
            if years.contains(&y) {
                *out.entry((c.orderer_id.clone(), y)).or_default() += v;
            }
        }
    }
    Ok(out)
}

/// The audit entry of a change to contract `c` by `actor`, readable by its orderer.
pub(crate) fn audit_entry<'a>(actor: &'a str, action: &'a str, c: &'a sc::Model) -> AuditEntry<'a> {
    AuditEntry::by(actor, action, "contract", &c.id).orderer(&c.orderer_id)
}

/// Who acts on a contract: its orderer manages it, its producer reports on it, and either
/// signs it.
#[derive(Clone, Copy)]
pub(crate) enum Party {
    Orderer,
    Producer,
    Either,
}

/// Loads a contract for a change by `party`: NOT_FOUND when the caller cannot see it,
/// FORBIDDEN when it may see but not act on it. Locked for the transaction on PostgreSQL.
pub(crate) async fn locked_for<C: ConnectionTrait>(
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

/// A user of either party: attaches one of the organisation's uploads to the contract (any
/// status: a signed copy, a report, an annex); both parties and admins read it.
pub async fn attach_document(
    Cx { state, caller }: Cx<'_>,
    contract_id: &str,
    document_id: &str,
) -> AppResult<sc::Model> {
    let actor = caller.require()?.clone();
    work!(state, |w| {
        let k = locked_for(w.conn(), caller, Party::Either, "contractId", contract_id).await?;
        let ids = [document_id.to_owned()];
        let kind = crate::service::documents::CONTRACT;
        let docs = crate::service::documents::attach(
            w,
            kind,
            &k.id,
            &actor.organization_id,
            &ids,
            "documentId",
        )
        .await?;
        crate::service::ocds::contract_documents(w, &k, w.now()).await?;
        w.audit(
            w.now(),
            audit_entry(&actor.user_id, "contract.attach_document", &k).summary(
                crate::service::documents::with_documents(
                    serde_json::json!({ "documentId": document_id }),
                    &docs,
                ),
            ),
        )?;
        Ok(k)
    })
}
