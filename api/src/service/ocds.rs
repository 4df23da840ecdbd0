//! Open Contracting data of a published call, built from what is public at this moment.

use super::calls::status_at;
use super::parse_id;
use crate::domain::call::CallStatus;
use crate::domain::contract::{ContractStatus, Period, versions};
use crate::domain::ocds::{self, Award, Contract, Item, Party, Transaction};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use entity::{
    BidStatus, EntryKind, PricingModel, award, bid, call, contract_line, organization,
    performance_report, product, report_entry, service_contract as sc,
};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;
use std::collections::HashMap;

fn party(o: &organization::Model) -> Party {
    Party {
        id: o.id.clone(),
        name: o.name.clone(),
        business_id: o.business_id.clone(),
    }
}

/// The releases of a published call (NOT_FOUND for anything else), with its ocid.
pub async fn releases(state: &AppState, call_id: &str) -> AppResult<(String, Vec<Value>)> {
    let conn = state.db.conn();
    let not_found = || AppError::not_found("callId: no published call");
    let c = call::Entity::find_by_id(parse_id("callId", call_id).map_err(|_| not_found())?)
        .one(conn)
        .await?
        .ok_or_else(not_found)?;
    let published_at = c.published_at.ok_or_else(not_found)?;
    let now = state.now();
    let status = status_at(&c, now);
    let tender_status = match status {
        CallStatus::Cancelled => "cancelled",
        CallStatus::Unsuccessful => "unsuccessful",
        CallStatus::Awarded | CallStatus::Contracted => "complete",
        _ => "active",
    };
    let orgs = |ids: Vec<String>| async move {
        Ok::<HashMap<String, organization::Model>, AppError>(
            organization::Entity::find()
                .filter(organization::Column::Id.is_in(ids))
                .all(conn)
                .await?
                .into_iter()
                .map(|o| (o.id.clone(), o))
                .collect(),
        )
    };
    let lines = super::calls::lines_of(conn, &c.id).await?;
    let products = super::query::keyed::<product::Entity, _, _>(
        conn,
        product::Column::Id,
        lines.iter().map(|l| l.product_id.clone()),
        |p| p.id.clone(),
    )
    .await?;
    let items = lines
        .iter()
        .filter_map(|l| {
            products.get(&l.product_id).map(|p| Item {
                id: l.id.clone(),
                product_code: p.code.clone(),
                product_name: p.name.clone(),
                unit: p.unit.clone(),
                quantity: l.quantity.0,
            })
        })
        .collect();
    // The seal: who bid is public only once the submission deadline has passed.
    let bids = if super::seal::bids_open(&c, now) {
        bid::Entity::find()
            .filter(bid::Column::CallId.eq(c.id.as_str()))
            .filter(bid::Column::Status.eq(BidStatus::Submitted))
            .order_by_asc(bid::Column::SubmittedAt)
            .all(conn)
            .await?
    } else {
        Vec::new()
    };
    let award_row = award::Entity::find_by_id(c.id.clone()).one(conn).await?;
    let contract_row = sc::Entity::find()
        .filter(sc::Column::CallId.eq(c.id.as_str()))
        .one(conn)
        .await?;
    let mut ids: Vec<String> = bids.iter().map(|b| b.bidder_id.clone()).collect();
    ids.push(c.orderer_id.clone());
    let orgs = orgs(ids).await?;
    let buyer = orgs
        .get(&c.orderer_id)
        .map(party)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("buyer missing")))?;
    let tenderers = super::seal::bids_open(&c, now).then(|| {
        bids.iter()
            .filter_map(|b| orgs.get(&b.bidder_id).map(party))
            .collect()
    });
    let award = match &award_row {
        Some(a) => {
            let winner = bids
                .iter()
                .find(|b| b.id == a.bid_id)
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("awarded bid missing")))?;
            let supplier = orgs
                .get(&winner.bidder_id)
                .map(party)
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("supplier missing")))?;
            Some(Award {
                date: a.decided_at,
                supplier,
                value: winner.total_price.0,
                justification: a.justification.clone(),
            })
        }
        None => None,
    };
    let contract = match &contract_row {
        Some(k) => Some(contract_of(state, k).await?),
        None => None,
    };
    let call_data = ocds::Call {
        id: c.id.clone(),
        title: c.title.clone(),
        description: c.description.clone(),
        tender_status,
        buyer,
        published_at,
        questions_deadline: c.questions_deadline,
        submission_deadline: c.submission_deadline,
        contract_start: c.contract_start,
        contract_end: c.contract_end,
        items,
        tenderers,
    };
    let prefix = &state.config.ocds_prefix;
    Ok((
        ocds::ocid(prefix, &c.id),
        ocds::releases(prefix, &call_data, award.as_ref(), contract.as_ref()),
    ))
}

async fn contract_of(state: &AppState, k: &sc::Model) -> AppResult<Contract> {
    let conn = state.db.conn();
    let now = state.now();
    let status = match super::contracts::status_at(k, now.date_naive()) {
        ContractStatus::Draft => "pending",
        ContractStatus::Active => "active",
        ContractStatus::Completed | ContractStatus::Terminated => "terminated",
    };
    // Each month at the prices of the version in effect that month.
    let h = super::contracts::history(conn, k).await?;
    let lines = contract_line::Entity::find()
        .filter(contract_line::Column::ContractId.eq(k.id.as_str()))
        .all(conn)
        .await?;
    let prices: HashMap<(i32, String), Decimal> = lines
        .iter()
        .map(|l| ((l.version, l.product_id.clone()), l.unit_price.0))
        .collect();
    let months = performance_report::Entity::find()
        .filter(performance_report::Column::ContractId.eq(k.id.as_str()))
        .order_by_asc(performance_report::Column::Period)
        .all(conn)
        .await?;
    let entries = report_entry::Entity::find()
        .filter(report_entry::Column::ContractId.eq(k.id.as_str()))
        .filter(report_entry::Column::Kind.eq(EntryKind::Line))
        .all(conn)
        .await?;
    let lump_sum = k.pricing_model == PricingModel::LumpSum;
    let transactions = months
        .iter()
        .filter_map(|m| {
            let period = Period::parse("period", &m.period).ok()?;
            // LUMP_SUM pays by time: the month's share of the value, whatever the quantities.
            let value: Decimal = if lump_sum {
                versions::pieces_month_value(&h.pieces, k.end_date, period)
            } else {
                let version = versions::version_for_month(&h.versions, period, k.end_date);
                entries
                    .iter()
                    .filter(|e| e.period == m.period)
                    .filter_map(|e| {
                        prices
                            .get(&(version, e.subject.clone()))
                            .map(|p| e.amount.0.saturating_mul(*p))
                    })
                    .fold(Decimal::ZERO, Decimal::saturating_add)
            };
            let date = period.last_day().and_hms_opt(23, 59, 59)?.and_utc();
            Some(Transaction {
                period: m.period.clone(),
                date,
                value,
            })
        })
        .collect();
    Ok(Contract {
        id: k.id.clone(),
        status,
        date: k.activated_at.unwrap_or(k.created_at),
        date_signed: k.activated_at,
        start: k.start_date,
        end: k.end_date,
        value: k.total_value.0,
        transactions,
    })
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
    Ok(ocds::release_package(
        &releases_uri(state, &id),
        state.now(),
        releases,
    ))
}

pub async fn record_package(state: &AppState, call_id: &str) -> AppResult<Value> {
    let (ocid, releases) = releases(state, call_id).await?;
    let id = call_id.trim().to_lowercase();
    let uri = format!("{}/ocds/calls/{id}/record.json", state.config.public_url);
    Ok(ocds::record_package(
        &uri,
        &releases_uri(state, &id),
        state.now(),
        &ocid,
        releases,
    ))
}
