//! Open Contracting data of a published call: each public change appends its release in the
//! change's own unit of work (`ocds_release`, never updated), and the packages are read from
//! those rows. The one change no write makes, a contract's period ending, is read from its end
//! date: that release is the same whenever it is read.

use super::contracts::History;
use super::parse_id;
use super::work::Work;
use crate::domain::contract::{ContractStatus, Period, versions};
use crate::domain::ocds::{self, ContractChange, Party, Release, TenderEnd};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use entity::{
    BidStatus, EntryKind, PricingModel, audit_event, award, bid, call, contract_amendment,
    contract_line, contract_signature, ocds_release, organization, performance_report,
    report_entry, service_contract as sc,
};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::Value;
use std::collections::HashMap;

fn party(o: &organization::Model) -> Party {
    Party {
        id: o.id.clone(),
        name: o.name.clone(),
        business_id: o.business_id.clone(),
    }
}

/// The organisations `ids` as OCDS parties, in the order given.
async fn parties<C: ConnectionTrait>(conn: &C, ids: &[String]) -> AppResult<Vec<Party>> {
    let orgs = super::query::keyed::<organization::Entity, _, _>(
        conn,
        organization::Column::Id,
        ids.iter().cloned(),
        |o| o.id.clone(),
    )
    .await?;
    ids.iter()
        .map(|id| {
            orgs.get(id)
                .map(party)
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("organisation {id} missing")))
        })
        .collect()
}

async fn party_of<C: ConnectionTrait>(conn: &C, id: &str) -> AppResult<Party> {
    let mut found = parties(conn, &[id.to_owned()]).await?;
    found
        .pop()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("organisation {id} missing")))
}

/// Appends `r` to the call's releases. The caller holds the call row or the contract row
/// locked; the call row is locked here too, so two changes of one call number apart.
async fn append(w: &Work<'_>, call_id: &str, r: Release) -> AppResult<()> {
    call::Entity::find_by_id(call_id.to_owned())
        .lock_exclusive()
        .one(w.conn())
        .await?;
    let last: Option<i32> = ocds_release::Entity::find()
        .select_only()
        .column_as(ocds_release::Column::Seq.max(), "seq")
        .filter(ocds_release::Column::CallId.eq(call_id))
        .into_tuple::<Option<i32>>()
        .one(w.conn())
        .await?
        .flatten();
    ocds_release::ActiveModel {
        call_id: Set(call_id.to_owned()),
        seq: Set(last.unwrap_or(0).saturating_add(1)),
        tag: Set(r.tag.to_owned()),
        date: Set(r.date),
        sections: Set(r.sections.to_string()),
    }
    .insert(w.conn())
    .await?;
    Ok(())
}

/// The public facts of a published call as it stands, its items numbered by position.
async fn call_facts(
    w: &Work<'_>,
    c: &call::Model,
    published_at: DateTime<Utc>,
) -> AppResult<ocds::Call> {
    let conn = w.conn();
    let (lines, products) = super::calls::lines_with_products(conn, &c.id).await?;
    let documents = entity::document::Entity::find()
        .filter(entity::document::Column::OwnerKind.eq(super::documents::CALL))
        .filter(entity::document::Column::OwnerId.eq(c.id.as_str()))
        .order_by_asc(entity::document::Column::UploadedAt)
        .all(conn)
        .await?;
    let items = lines
        .iter()
        .filter_map(|l| {
            products.get(&l.product_id).map(|p| ocds::Item {
                id: item_id(l.position),
                product_code: p.code.clone(),
                product_name: p.name.clone(),
                unit: p.unit.clone(),
                quantity: l.quantity.0,
                related_lot: l.lot_id.clone(),
            })
        })
        .collect();
    let lots = super::lots::lots_of(conn, &c.id)
        .await?
        .into_iter()
        .map(|l| ocds::Lot {
            id: l.id,
            number: l.number,
            title: l.title,
        })
        .collect();
    Ok(ocds::Call {
        id: c.id.clone(),
        title: c.title.clone(),
        description: c.description.clone(),
        buyer: party_of(conn, &c.orderer_id).await?,
        published_at,
        questions_deadline: c.questions_deadline,
        submission_deadline: c.submission_deadline,
        contract_start: c.contract_start,
        contract_end: c.contract_end,
        items,
        lots,
        documents: documents
            .into_iter()
            .map(|d| ocds::DocumentRef {
                url: Some(format!(
                    "{}/documents/{}",
                    w.state().config.public_url,
                    d.id
                )),
                id: d.id,
                title: d.name,
                format: d.content_type,
                sha256: d.sha256,
                date: d.uploaded_at,
            })
            .collect(),
    })
}

/// An item's id: its line's position, from 1.
fn item_id(position: i32) -> String {
    position.saturating_add(1).to_string()
}

/// The call published.
pub async fn published(w: &Work<'_>, c: &call::Model) -> AppResult<()> {
    let Some(published_at) = c.published_at else {
        return Ok(());
    };
    let facts = call_facts(w, c, published_at).await?;
    append(w, &c.id, ocds::published(&facts)).await
}

/// A published call changed to `c` (its new version); it had `lines_before` lines.
pub async fn tender_amended(
    w: &Work<'_>,
    c: &call::Model,
    reason: &str,
    fields: &[&str],
    lines_before: usize,
    at: DateTime<Utc>,
) -> AppResult<()> {
    let Some(published_at) = c.published_at else {
        return Ok(());
    };
    let facts = call_facts(w, c, published_at).await?;
    let removed: Vec<String> = (facts.items.len()..lines_before)
        .map(|p| item_id(i32::try_from(p).unwrap_or(i32::MAX)))
        .collect();
    let r = ocds::tender_amended(&facts, c.version, at, reason, fields, &removed);
    append(w, &c.id, r).await
}

/// A published call cancelled, or declared unsuccessful.
pub async fn tender_ended(
    w: &Work<'_>,
    c: &call::Model,
    at: DateTime<Utc>,
    end: TenderEnd,
) -> AppResult<()> {
    if c.published_at.is_none() {
        return Ok(());
    }
    let buyer = party_of(w.conn(), &c.orderer_id).await?;
    append(w, &c.id, ocds::tender_ended(&c.id, &buyer, at, end)).await
}

/// The sealed bids opened at the deadline: who bid (standing bids, in submission order).
pub async fn bids_opened(w: &Work<'_>, c: &call::Model) -> AppResult<()> {
    let bidders: Vec<String> = bid::Entity::find()
        .select_only()
        .column(bid::Column::BidderId)
        .filter(bid::Column::CallId.eq(c.id.as_str()))
        .filter(bid::Column::Status.eq(BidStatus::Submitted))
        .order_by_asc(bid::Column::SubmittedAt)
        .into_tuple()
        .all(w.conn())
        .await?;
    let tenderers = parties(w.conn(), &bidders).await?;
    let buyer = party_of(w.conn(), &c.orderer_id).await?;
    let r = ocds::bids_opened(&c.id, &buyer, c.submission_deadline, &tenderers);
    append(w, &c.id, r).await
}

/// How many awards the call has had, withdrawn ones included.
async fn award_rounds<C: ConnectionTrait>(conn: &C, call_id: &str) -> AppResult<u64> {
    Ok(ocds_release::Entity::find()
        .filter(ocds_release::Column::CallId.eq(call_id))
        .filter(ocds_release::Column::Tag.eq("award"))
        .count(conn)
        .await?)
}

/// The id of the current award of the call whole (its latest), or of its lot `lot`: the
/// latest award release naming the lot. Award ids number a call's award releases, every lot's
/// together, so each is unique within the call.
async fn current_award_id<C: ConnectionTrait>(
    conn: &C,
    call_id: &str,
    lot: Option<&str>,
) -> AppResult<String> {
    let Some(lot) = lot else {
        return Ok(ocds::award_id(call_id, award_rounds(conn, call_id).await?));
    };
    let releases = ocds_release::Entity::find()
        .filter(ocds_release::Column::CallId.eq(call_id))
        .filter(ocds_release::Column::Tag.eq("award"))
        .order_by_desc(ocds_release::Column::Seq)
        .all(conn)
        .await?;
    releases
        .iter()
        .find_map(|r| {
            let sections: Value = serde_json::from_str(&r.sections).ok()?;
            let award = sections["awards"].get(0)?;
            (award["relatedLots"].get(0)?.as_str()? == lot)
                .then(|| award["id"].as_str().map(str::to_owned))
                .flatten()
        })
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("lot {lot} has no award release")))
}

/// The call a contract came from and its award's id; none for a direct contract.
async fn contract_award<C: ConnectionTrait>(
    conn: &C,
    k: &sc::Model,
) -> AppResult<Option<(String, String)>> {
    let Some(call_id) = &k.source_call_id else {
        return Ok(None);
    };
    let award_id = current_award_id(conn, call_id, k.lot_id.as_deref()).await?;
    Ok(Some((call_id.clone(), award_id)))
}

/// An award decided on bid `winner`, of the call whole or of a lot; `ranked` are the ranked
/// bidders with their prices for what was awarded, by rank.
pub async fn awarded(
    w: &Work<'_>,
    u: &super::lots::Unit,
    a: &award::Model,
    winner: &bid::Model,
    ranked: &[(String, Decimal)],
) -> AppResult<()> {
    let c = &u.call;
    let round = award_rounds(w.conn(), &c.id).await?.saturating_add(1);
    let id = ocds::award_id(&c.id, round);
    let page = crate::decision::render(&super::remedies::decision_of(w.conn(), u.id()).await?);
    let names = u.names();
    let title = names.title().fi.to_owned();
    let route = if u.lot.is_some() { "lots" } else { "calls" };
    let decision = ocds::DocumentRef {
        id: format!("{id}-decision"),
        title: format!("Hankintapäätös / Award decision: {title}"),
        format: "text/html".into(),
        url: Some(format!(
            "{}/{route}/{}/decision.html",
            w.state().config.public_url,
            u.id()
        )),
        sha256: crate::domain::audit::sha256_hex(&page),
        date: a.decided_at,
    };
    let ids: Vec<String> = ranked.iter().map(|(b, _)| b.clone()).collect();
    let tenderers = parties(w.conn(), &ids).await?;
    let value = ranked
        .iter()
        .find(|(b, _)| *b == winner.bidder_id)
        .map_or(winner.total_price.0, |(_, v)| *v);
    let facts = ocds::Award {
        id,
        decision,
        title,
        date: a.decided_at,
        supplier: party_of(w.conn(), &winner.bidder_id).await?,
        value,
        justification: a.justification.clone(),
        contract_start: c.contract_start,
        contract_end: c.contract_end,
        related_lot: u.lot_id(),
        ranked: tenderers
            .into_iter()
            .zip(ranked.iter().map(|(_, v)| *v))
            .collect(),
    };
    // The tender is complete once the call is decided: at once for a call awarded whole, at
    // the last lot's decision for a call in lots.
    let complete = u.lot.is_none()
        || call::Entity::find_by_id(c.id.clone())
            .one(w.conn())
            .await?
            .is_some_and(|now| now.status == entity::CallStatus::Awarded);
    let buyer = party_of(w.conn(), &c.orderer_id).await?;
    append(w, &c.id, ocds::awarded(&c.id, &buyer, &facts, complete)).await
}

/// A unit's award withdrawn; `supplier` is the organisation it had named.
pub async fn award_withdrawn(
    w: &Work<'_>,
    u: &super::lots::Unit,
    supplier: &str,
    at: DateTime<Utc>,
) -> AppResult<()> {
    let c = &u.call;
    let lot = u.lot_id();
    let award_id = current_award_id(w.conn(), &c.id, lot.as_deref()).await?;
    let supplier = party_of(w.conn(), supplier).await?;
    let buyer = party_of(w.conn(), &c.orderer_id).await?;
    let r = ocds::award_withdrawn(&c.id, &buyer, &award_id, &supplier, at, lot.as_deref());
    append(w, &c.id, r).await
}

/// A lot declared unsuccessful.
pub async fn lot_unsuccessful(
    w: &Work<'_>,
    c: &call::Model,
    lot_id: &str,
    at: DateTime<Utc>,
) -> AppResult<()> {
    let buyer = party_of(w.conn(), &c.orderer_id).await?;
    append(w, &c.id, ocds::lot_unsuccessful(&c.id, &buyer, lot_id, at)).await
}

/// The contract of an award made (a direct contract has no call and no releases).
pub async fn contracted(w: &Work<'_>, k: &sc::Model, title: &str) -> AppResult<()> {
    let Some((call_id, award_id)) = contract_award(w.conn(), k).await? else {
        return Ok(());
    };
    let facts = ocds::Contract {
        id: k.id.clone(),
        award_id,
        title: title.to_owned(),
        date: k.created_at,
        start: k.start_date,
        end: k.end_date,
        value: k.total_value.0,
    };
    let buyer = party_of(w.conn(), &k.orderer_id).await?;
    append(w, &call_id, ocds::contracted(&buyer, &facts)).await
}

/// A call's contract signed by both, activated or terminated.
pub async fn contract_changed(
    w: &Work<'_>,
    k: &sc::Model,
    at: DateTime<Utc>,
    change: ContractChange,
) -> AppResult<()> {
    let Some((call_id, award_id)) = contract_award(w.conn(), k).await? else {
        return Ok(());
    };
    let buyer = party_of(w.conn(), &k.orderer_id).await?;
    let r = ocds::contract_changed(&buyer, &k.id, &award_id, at, change);
    append(w, &call_id, r).await
}

/// Documents attached to a call's contract: a release with the contract's documents as they
/// now are (their names and SHA-256; the content stays its parties').
pub async fn contract_documents(w: &Work<'_>, k: &sc::Model, at: DateTime<Utc>) -> AppResult<()> {
    let Some((call_id, award_id)) = contract_award(w.conn(), k).await? else {
        return Ok(());
    };
    let docs = entity::document::Entity::find()
        .filter(entity::document::Column::OwnerKind.eq(super::documents::CONTRACT))
        .filter(entity::document::Column::OwnerId.eq(k.id.as_str()))
        .order_by_asc(entity::document::Column::UploadedAt)
        .all(w.conn())
        .await?;
    // Not the file's name: a name may carry personal data or a business secret.
    let refs: Vec<ocds::DocumentRef> = docs
        .into_iter()
        .zip(1..)
        .map(|(d, n)| ocds::DocumentRef {
            id: d.id,
            title: format!("Sopimusasiakirja {n} / Contract document {n}"),
            format: d.content_type,
            url: None,
            sha256: d.sha256,
            date: d.uploaded_at,
        })
        .collect();
    let buyer = party_of(w.conn(), &k.orderer_id).await?;
    append(
        w,
        &call_id,
        ocds::contract_documents(&buyer, &k.id, &award_id, at, &refs),
    )
    .await
}

/// A call's contract amended (`k` as it is after the amendment).
pub async fn contract_amended(
    w: &Work<'_>,
    k: &sc::Model,
    amendment: &ocds::Amendment,
) -> AppResult<()> {
    let Some((call_id, award_id)) = contract_award(w.conn(), k).await? else {
        return Ok(());
    };
    let buyer = party_of(w.conn(), &k.orderer_id).await?;
    let r = ocds::contract_amended(&buyer, &k.id, &award_id, amendment);
    append(w, &call_id, r).await
}

/// What a reported month is worth: at the prices of the version in effect that month, or,
/// for a LUMP_SUM contract, the month's share of the value whatever the quantities.
pub fn month_value(
    k: &sc::Model,
    h: &History,
    lines: &[contract_line::Model],
    entries: &[report_entry::Model],
    period: Period,
) -> Decimal {
    if k.pricing_model == PricingModel::LumpSum {
        return versions::pieces_month_value(&h.pieces, k.end_date, period);
    }
    let version = versions::version_for_month(&h.versions, period, k.end_date);
    let prices: HashMap<&str, Decimal> = lines
        .iter()
        .filter(|l| l.version == version)
        .map(|l| (l.product_id.as_str(), l.unit_price.0))
        .collect();
    let label = period.label();
    entries
        .iter()
        .filter(|e| e.kind == EntryKind::Line && e.period == label)
        .filter_map(|e| {
            prices
                .get(e.subject.as_str())
                .map(|p| e.amount.0.saturating_mul(*p))
        })
        .fold(Decimal::ZERO, Decimal::saturating_add)
}

/// A month of a call's contract reported (again): its transaction.
pub async fn reported(
    w: &Work<'_>,
    k: &sc::Model,
    at: DateTime<Utc>,
    period: Period,
    value: Decimal,
) -> AppResult<()> {
    let Some(call_id) = &k.source_call_id else {
        return Ok(());
    };
    let Some(date) = period.last_day().and_hms_opt(23, 59, 59) else {
        return Ok(());
    };
    let t = ocds::Transaction {
        period: period.label(),
        date: date.and_utc(),
        value,
    };
    // A month reported again at the same value changes nothing public: no new release.
    let earlier = ocds_release::Entity::find()
        .filter(ocds_release::Column::CallId.eq(call_id.as_str()))
        .filter(ocds_release::Column::Tag.eq("implementation"))
        .order_by_desc(ocds_release::Column::Seq)
        .all(w.conn())
        .await?;
    let published = earlier.iter().find_map(|r| {
        let sections: Value = serde_json::from_str(&r.sections).ok()?;
        ocds::transaction_value(&sections, &k.id, &t.period).cloned()
    });
    if published == Some(ocds::money(value)) {
        return Ok(());
    }
    let award_id = current_award_id(w.conn(), call_id, k.lot_id.as_deref()).await?;
    let buyer = party_of(w.conn(), &k.orderer_id).await?;
    let supplier = party_of(w.conn(), &k.producer_id).await?;
    let r = ocds::implementation(&buyer, &k.id, &award_id, &supplier, at, &t);
    append(w, call_id, r).await
}

/// When the audit trail recorded `action` on the call (the first time).
async fn recorded_at<C: ConnectionTrait>(
    conn: &C,
    call_id: &str,
    action: &str,
) -> AppResult<Option<DateTime<Utc>>> {
    Ok(audit_event::Entity::find()
        .filter(audit_event::Column::EntityId.eq(call_id))
        .filter(audit_event::Column::Action.eq(action))
        .order_by_asc(audit_event::Column::Seq)
        .one(conn)
        .await?
        .map(|e| e.at))
}

/// Writes the releases of a call published before releases were stored, from what is stored
/// of it now, each dated when its change was made. An award withdrawn before the upgrade is
/// not among them (its row is gone; the audit chain keeps it). Returns whether it wrote.
async fn backfill_call(state: &AppState, call_id: &str) -> AppResult<bool> {
    work!(state, |w| {
        let c = super::seal::lock(w.conn(), "callId", call_id).await?.call;
        let stored = ocds_release::Entity::find()
            .filter(ocds_release::Column::CallId.eq(c.id.as_str()))
            .count(w.conn())
            .await?;
        if stored > 0 || c.published_at.is_none() {
            // Another process did it first.
            w.unchanged();
            return Ok(false);
        }
        let conn = w.conn();
        published(w, &c).await?;
        if c.bids_opened_at.is_some() {
            bids_opened(w, &c).await?;
        }
        if let Some(at) = c.cancelled_at {
            tender_ended(w, &c, at, TenderEnd::Cancelled).await?;
        }
        if let Some(a) = award::Entity::find_by_id(c.id.clone()).one(conn).await? {
            let winner = bid::Entity::find_by_id(a.bid_id.clone())
                .one(conn)
                .await?
                .ok_or_else(|| {
                    AppError::Internal(anyhow::anyhow!("awarded bid {} missing", a.bid_id))
                })?;
            let ranked: Vec<(String, Decimal)> = entity::award_ranking::Entity::find()
                .filter(entity::award_ranking::Column::AwardId.eq(a.id.as_str()))
                .order_by_asc(entity::award_ranking::Column::Rank)
                .all(conn)
                .await?
                .into_iter()
                .map(|r| (r.bidder_id, r.total_price.0))
                .collect();
            let whole = super::lots::Unit {
                call: c.clone(),
                lot: None,
            };
            awarded(w, &whole, &a, &winner, &ranked).await?;
        }
        if c.status == entity::CallStatus::Unsuccessful {
            let at = recorded_at(conn, &c.id, "call.declare_unsuccessful")
                .await?
                .unwrap_or(c.submission_deadline);
            tender_ended(w, &c, at, TenderEnd::Unsuccessful).await?;
        }
        let contract = sc::Entity::find()
            .filter(sc::Column::CallId.eq(c.id.as_str()))
            .one(conn)
            .await?;
        // Documents came after the releases did (migrations 000018 and 000016): a call left
        // without releases has no contract documents to replay.
        if let Some(k) = contract {
            backfill_contract(w, &c, &k).await?;
        }
        w.audit(
            w.now(),
            super::audit::AuditEntry::system("ocds.backfill", "call", &c.id).orderer(&c.orderer_id),
        )?;
        Ok(true)
    })
}

async fn backfill_contract(w: &Work<'_>, c: &call::Model, k: &sc::Model) -> AppResult<()> {
    let conn = w.conn();
    // The contract as made: its value before the amendments.
    let amendments = contract_amendment::Entity::find()
        .filter(contract_amendment::Column::ContractId.eq(k.id.as_str()))
        .order_by_asc(contract_amendment::Column::Version)
        .all(conn)
        .await?;
    let mut value = amendments
        .iter()
        .fold(k.total_value.0, |v, a| v.saturating_sub(a.value_delta.0));
    let mut made = k.clone();
    made.total_value = entity::types::Money(value);
    contracted(w, &made, &c.title).await?;
    let signatures = contract_signature::Entity::find()
        .filter(contract_signature::Column::ContractId.eq(k.id.as_str()))
        .all(conn)
        .await?;
    if signatures.len() >= 2
        && let Some(at) = signatures.iter().map(|s| s.signed_at).max()
    {
        contract_changed(w, k, at, ContractChange::Signed).await?;
    }
    if let Some(at) = k.activated_at {
        contract_changed(w, k, at, ContractChange::Activated).await?;
    }
    for a in &amendments {
        value = value.saturating_add(a.value_delta.0);
        let amendment = ocds::Amendment {
            version: a.version,
            date: a.created_at,
            effective_from: a.effective_from.unwrap_or(k.start_date),
            rationale: a.reason.clone(),
            value,
        };
        contract_amended(w, k, &amendment).await?;
    }
    let h = super::contracts::history(conn, k).await?;
    let lines = contract_line::Entity::find()
        .filter(contract_line::Column::ContractId.eq(k.id.as_str()))
        .all(conn)
        .await?;
    let entries = report_entry::Entity::find()
        .filter(report_entry::Column::ContractId.eq(k.id.as_str()))
        .all(conn)
        .await?;
    let reports = performance_report::Entity::find()
        .filter(performance_report::Column::ContractId.eq(k.id.as_str()))
        .order_by_asc(performance_report::Column::Period)
        .all(conn)
        .await?;
    for r in reports {
        if let Ok(period) = Period::parse("period", &r.period) {
            let value = month_value(k, &h, &lines, &entries, period);
            reported(w, k, r.reported_at, period, value).await?;
        }
    }
    if let Some(day) = k.terminated_on {
        let at = day.and_time(chrono::NaiveTime::MIN).and_utc();
        contract_changed(w, k, at, ContractChange::Terminated).await?;
    }
    Ok(())
}

/// Writes the releases of every call published before releases were stored (run at start,
/// after the migrations; safe in several processes at once). Returns how many calls.
pub async fn backfill(state: &AppState) -> AppResult<usize> {
    let missing: Vec<String> = call::Entity::find()
        .select_only()
        .column(call::Column::Id)
        .filter(call::Column::PublishedAt.is_not_null())
        .filter(
            call::Column::Id.not_in_subquery(super::query::select::<ocds_release::Entity>(
                ocds_release::Column::CallId,
                sea_orm::Condition::all(),
            )),
        )
        .into_tuple()
        .all(state.db.conn())
        .await?;
    let mut n = 0;
    for id in missing {
        // One call that cannot be written does not keep the server from starting.
        match backfill_call(state, &id).await {
            Ok(true) => n += 1,
            Ok(false) => {}
            Err(e) => tracing::error!(call = %id, error = %e, "OCDS releases of an earlier call"),
        }
    }
    if n > 0 {
        tracing::info!(
            calls = n,
            "OCDS releases written for calls published before they were stored"
        );
    }
    Ok(n)
}

/// The releases of a published call (NOT_FOUND for anything else), oldest first, with its
/// ocid.
pub async fn releases(state: &AppState, call_id: &str) -> AppResult<(String, Vec<Value>)> {
    let conn = state.db.conn();
    let not_found = || AppError::not_found("callId: no published call");
    let c = call::Entity::find_by_id(parse_id("callId", call_id).map_err(|_| not_found())?)
        .one(conn)
        .await?
        .ok_or_else(not_found)?;
    if c.published_at.is_none() {
        return Err(not_found());
    }
    // The opening is a release of its own: make sure it is written once the deadline passed.
    super::seal::ensure_open(state, &c).await?;
    let ocid = ocds::ocid(&state.config.ocds_prefix, &c.id);
    let rows = ocds_release::Entity::find()
        .filter(ocds_release::Column::CallId.eq(c.id.as_str()))
        .order_by_asc(ocds_release::Column::Seq)
        .all(conn)
        .await?;
    let mut out: Vec<(DateTime<Utc>, Value)> = rows
        .iter()
        .map(|r| {
            let sections: Value = serde_json::from_str(&r.sections)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("release {}: {e}", r.seq)))?;
            Ok((
                r.date,
                ocds::publish(&ocid, r.seq, &r.tag, r.date, &sections),
            ))
        })
        .collect::<AppResult<_>>()?;
    // A contract that ran to its end: the day after its last day, it reads terminated. (A
    // call in lots has a contract per lot.)
    let today = state.now().date_naive();
    let contracts = sc::Entity::find()
        .filter(sc::Column::SourceCallId.eq(c.id.as_str()))
        .all(conn)
        .await?;
    let lots = super::lots::lots_of(conn, &c.id).await?;
    for k in contracts
        .iter()
        .filter(|k| super::contracts::status_at(k, today) == ContractStatus::Completed)
    {
        let Some((_, award_id)) = contract_award(conn, k).await? else {
            continue;
        };
        let buyer = party_of(conn, &k.orderer_id).await?;
        // After its activation too (a contract may be activated after its period).
        let at = ocds::contract_end_date(k.end_date).max(k.activated_at.unwrap_or_default());
        let r = ocds::contract_changed(&buyer, &k.id, &award_id, at, ContractChange::Ended);
        // Numbered 0: stored releases count from 1; a lot's contract names its lot.
        let mut release = ocds::publish(&ocid, 0, r.tag, r.date, &r.sections);
        if let Some(lot) = lots.iter().find(|l| Some(&l.id) == k.lot_id.as_ref()) {
            release["id"] = Value::String(format!("{ocid}-0-lot{}-{}", lot.number, r.tag));
        }
        out.push((r.date, release));
    }
    // Oldest first; the sort is stable, so releases of one moment keep their order.
    out.sort_by_key(|(date, _)| *date);
    Ok((ocid, out.into_iter().map(|(_, r)| r).collect()))
}

pub fn releases_uri(state: &AppState, call_id: &str) -> String {
    format!(
        "{}/ocds/calls/{call_id}/releases.json",
        state.config.public_url
    )
}

pub async fn release_package(state: &AppState, call_id: &str) -> AppResult<Value> {
    let (_, releases) = releases(state, call_id).await?;
    let id = call_id.trim().to_lowercase();
    Ok(ocds::release_package(&releases_uri(state, &id), releases))
}

pub async fn record_package(state: &AppState, call_id: &str) -> AppResult<Value> {
    let (ocid, releases) = releases(state, call_id).await?;
    let id = call_id.trim().to_lowercase();
    let uri = format!("{}/ocds/calls/{id}/record.json", state.config.public_url);
    Ok(ocds::record_package(
        &uri,
        &releases_uri(state, &id),
        &ocid,
        releases,
    ))
}
