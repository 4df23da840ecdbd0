//! Making a contract: from an award once the standstill has ended, or directly with an
//! in-house producer.

use super::{LineInput, insert_lines, valid_lines};
use crate::domain::call::CallStatus;
use crate::domain::contract::{self as dc, ContractStatus, RealizationStatus};
use crate::error::{AppError, AppResult};
use crate::service::Cx;
use crate::service::lots::{self, Unit};
use crate::service::new_id;
use crate::service::work::Work;
use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    Money, OrganizationKind, PricingModel, Procedure, Role, bid, bid_line, service_contract as sc,
};
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use std::collections::HashMap;

/// What a new contract is made of, whichever way it is made.
struct Terms {
    orderer_id: String,
    producer_id: String,
    call_id: Option<String>,
    source_call_id: Option<String>,
    lot_id: Option<String>,
    procedure: Procedure,
    pricing_model: PricingModel,
    start: NaiveDate,
    end: NaiveDate,
    max_subcontracting_share: Option<Decimal>,
    lines: Vec<dc::input::Line>,
    total: Decimal,
}

/// Saves a new DRAFT contract with its lines as version 1, and its audit event.
async fn save(w: &Work<'_>, actor: &str, t: Terms, now: DateTime<Utc>) -> AppResult<sc::Model> {
    let id = new_id();
    let contract = sc::ActiveModel {
        id: Set(id.clone()),
        orderer_id: Set(t.orderer_id.clone()),
        producer_id: Set(t.producer_id.clone()),
        call_id: Set(t.call_id.clone()),
        source_call_id: Set(t.source_call_id.clone()),
        lot_id: Set(t.lot_id.clone()),
        procedure: Set(t.procedure),
        pricing_model: Set(t.pricing_model),
        status: Set(ContractStatus::Draft),
        start_date: Set(t.start),
        end_date: Set(t.end),
        version: Set(1),
        total_value: Set(Money(t.total)),
        max_subcontracting_share: Set(t.max_subcontracting_share.map(Money)),
        realization_status: Set(RealizationStatus::OnTrack),
        created_at: Set(now),
        activated_at: Set(None),
        terminated_on: Set(None),
        termination_reason: Set(None),
    }
    .insert(w.conn())
    .await?;
    insert_lines(w, &id, 1, &t.lines).await?;
    let mut summary = serde_json::Map::new();
    if let Some(call_id) = &t.source_call_id {
        summary.insert("callId".into(), json!(call_id));
    }
    if let Some(lot_id) = &t.lot_id {
        summary.insert("lotId".into(), json!(lot_id));
    }
    summary.insert("procedure".into(), json!(t.procedure.as_str()));
    summary.insert("producerId".into(), json!(t.producer_id));
    summary.insert("totalValue".into(), json!(t.total.to_string()));
    w.audit(
        now,
        super::audit_entry(actor, "contract.create", &contract).summary(summary.into()),
    )?;
    Ok(contract)
}

/// ORDERER of an awarded call: the contract from the award, once the standstill has ended.
/// Lines are the call's quantities at the winning bid's unit prices.
pub async fn create_from_award(
    Cx { state, caller }: Cx<'_>,
    call_id: &str,
) -> AppResult<sc::Model> {
    let actor = caller.require()?.clone();
    work!(state, |w| {
        let now = state.now();
        let c = crate::service::calls::managed_call(w, caller, "callId", call_id, now).await?;
        lots::refuse_lots(
            w.conn(),
            &c,
            "make each lot's contract with createContractFromLotAward",
        )
        .await?;
        if c.status != CallStatus::Awarded {
            return Err(AppError::InvalidState(format!(
                "a contract is made from an AWARDED call; this one is {}",
                c.status.as_str()
            )));
        }
        from_award(w, &actor.user_id, &Unit { call: c, lot: None }, now).await
    })
}

/// ORDERER of the call: the contract from a lot's award, once the lot's standstill has ended.
/// Lines are the lot's quantities at the winning bid's unit prices. The call is CONTRACTED
/// once every awarded lot's contract is activated (as a call awarded whole is).
pub async fn create_from_lot_award(
    Cx { state, caller }: Cx<'_>,
    lot_id: &str,
) -> AppResult<sc::Model> {
    let actor = caller.require()?.clone();
    work!(state, |w| {
        let now = state.now();
        let u = lots::managed_lot(w, caller, lot_id, now).await?;
        let status = lots::unit_status(w.conn(), &u, now).await?;
        if status != CallStatus::Awarded {
            return Err(AppError::InvalidState(format!(
                "a contract is made from an AWARDED lot; this one is {}",
                status.as_str()
            )));
        }
        from_award(w, &actor.user_id, &u, now).await
    })
}

/// The contract from a unit's award (checked AWARDED): after the standstill, with nothing
/// pending, once.
async fn from_award(
    w: &Work<'_>,
    actor: &str,
    u: &Unit,
    now: DateTime<Utc>,
) -> AppResult<sc::Model> {
    let c = &u.call;
    let a = lots::award_of_unit(w.conn(), u)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("awarded {} has no award", u.id())))?;
    if u.lot.is_some() {
        // On a call in lots the bids stay open to judging while other lots are evaluated: the
        // awarded bid must still qualify when its lot's contract is made.
        let data = crate::service::evaluation::compute_unit(w.conn(), u).await?;
        if !data.result_for(&a.bid_id).is_some_and(|r| r.qualified) {
            return Err(AppError::InvalidState(
                "the awarded bid no longer qualifies (it was judged again after the award): withdraw the lot's award and award it anew"
                    .into(),
            ));
        }
    }
    if now < a.standstill_ends_at {
        return Err(AppError::InvalidState(format!(
            "the standstill period runs until {}; the contract can be made after it",
            a.standstill_ends_at.to_rfc3339()
        )));
    }
    crate::service::remedies::check_nothing_pending(w.conn(), u).await?;
    if lots::contract_of_unit(w.conn(), u).await?.is_some() {
        return Err(AppError::InvalidState(if u.lot.is_some() {
            "this lot already has its contract".into()
        } else {
            "this call already has its contract".into()
        }));
    }
    let winner = bid::Entity::find_by_id(a.bid_id.clone())
        .one(w.conn())
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("awarded bid missing")))?;
    let call_lines: Vec<_> = crate::service::calls::lines_of(w.conn(), &c.id)
        .await?
        .into_iter()
        .filter(|l| u.lot.is_none() || l.lot_id.as_deref() == Some(u.id()))
        .collect();
    let prices: HashMap<String, Decimal> = bid_line::Entity::find()
        .filter(bid_line::Column::BidId.eq(winner.id.as_str()))
        .all(w.conn())
        .await?
        .into_iter()
        .map(|l| (l.call_line_id, l.unit_price.0))
        .collect();
    let mut lines = Vec::with_capacity(call_lines.len());
    for l in &call_lines {
        let price = prices.get(&l.id).copied().ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!("winning bid lacks line {}", l.id))
        })?;
        lines.push(dc::input::Line {
            product_id: l.product_id.clone(),
            quantity: l.quantity.0,
            unit_price: price,
        });
    }
    let total = crate::domain::money::sum(
        lines
            .iter()
            .map(|l| crate::domain::money::line_total(l.quantity, l.unit_price)),
    );
    let terms = Terms {
        orderer_id: c.orderer_id.clone(),
        producer_id: winner.bidder_id.clone(),
        call_id: u.lot.is_none().then(|| c.id.clone()),
        source_call_id: Some(c.id.clone()),
        lot_id: u.lot_id(),
        procedure: Procedure::Open,
        pricing_model: c.pricing_model,
        start: c.contract_start,
        end: c.contract_end,
        max_subcontracting_share: c.max_subcontracting_share.map(|m| m.0),
        lines,
        total,
    };
    let k = save(w, actor, terms, now).await?;
    let names = u.names();
    crate::service::ocds::contracted(w, &k, names.title().fi).await?;
    Ok(k)
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
    Cx { state, caller }: Cx<'_>,
    input: DirectInput,
) -> AppResult<sc::Model> {
    let actor = caller
        .require_role(Role::Orderer, "make contracts")?
        .clone();
    dc::input::check_direct_terms(
        input.start_date,
        input.end_date,
        input.max_subcontracting_share,
    )?;
    work!(state, |w| {
        let producer =
            crate::service::identity::find_organization(w.conn(), "producerId", &input.producer_id)
                .await?;
        if producer.kind != OrganizationKind::InHouseProducer {
            return Err(AppError::bad_input(
                "producerId",
                "a direct (IN_HOUSE) contract is made with an IN_HOUSE_PRODUCER only",
            ));
        }
        let (lines, total) = valid_lines(w.conn(), input.lines).await?;
        let terms = Terms {
            orderer_id: actor.organization_id.clone(),
            producer_id: producer.id,
            call_id: None,
            source_call_id: None,
            lot_id: None,
            procedure: Procedure::InHouse,
            pricing_model: input.pricing_model,
            start: input.start_date,
            end: input.end_date,
            max_subcontracting_share: input.max_subcontracting_share,
            lines,
            total,
        };
        save(w, &actor.user_id, terms, state.now()).await
    })
}
