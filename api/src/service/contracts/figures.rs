//! What an orderer reads over its contracts: the portfolio of a fiscal year and the benchmark
//! of a product against the market.

use super::commitment;
use crate::domain::call::CallStatus;
use crate::domain::contract::{ContractStatus, MarketFigures, market_figures};
use crate::error::{AppError, AppResult};
use crate::service::Cx;
use crate::service::query;
use crate::service::query::keyed;
use crate::service::{catalogue, costing, parse_id, seal};
use chrono::NaiveDate;
use entity::{
    BidStatus, OrganizationKind, Role, bid, bid_line, call, call_line, cost_calculation,
    organization, service_contract as sc,
};
use rust_decimal::Decimal;
use sea_orm::Condition;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{HashMap, HashSet};

/// Portfolio rows: each active or completed contract of the orderer touching the year, with
/// its value in that year.
pub async fn portfolio(
    Cx { state, caller }: Cx<'_>,
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
    let hs = super::histories(state.db.conn(), &contracts.iter().collect::<Vec<_>>()).await?;
    Ok(contracts
        .into_iter()
        .map(|c| {
            let h = hs.get(&c.id).cloned().unwrap_or_default();
            let value = commitment(&c, &h).get(&year).copied().unwrap_or_default();
            let ih = in_house.contains(&c.producer_id);
            (c, value, ih)
        })
        .collect())
}

/// The figures of a benchmark.
pub struct BenchmarkFigures {
    pub in_house_unit_cost: Option<Decimal>,
    pub in_house_bid_prices: Vec<Decimal>,
    pub market: MarketFigures,
}

/// Benchmarking: the in-house producer's unit cost and bid prices against the unit prices
/// of current external bids on calls that have been decided (AWARDED, CONTRACTED or
/// UNSUCCESSFUL) and whose contract starts in the year; min, median and max only from at
/// least three distinct external bidders (`domain::contract::market_figures`). Sealed bids
/// never enter the figures.
pub async fn benchmark(
    Cx { state, caller }: Cx<'_>,
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
    let product = catalogue::find_product(conn, "productId", product_id).await?;
    let (from, to) = (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX),
    );
    // Calls of the year whose lines include the product, and those lines.
    let lines = call_line::Entity::find()
        .filter(call_line::Column::ProductId.eq(product.id.as_str()))
        .filter(call_line::Column::RetiredIn.is_null())
        .filter(
            call_line::Column::CallId.in_subquery(query::select::<call::Entity>(
                call::Column::Id,
                Condition::all()
                    .add(call::Column::ContractStart.gte(from))
                    .add(call::Column::ContractStart.lte(to))
                    .add(call::Column::PublishedAt.is_not_null()),
            )),
        )
        .all(conn)
        .await?;
    let calls = keyed::<call::Entity, _, _>(
        conn,
        call::Column::Id,
        lines.iter().map(|l| l.call_id.clone()),
        |c| c.id.clone(),
    )
    .await?;
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
        let opened = seal::bids_open(c, now);
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
        [one] => Some(costing::unit_cost(one)?),
        _ => None,
    };
    Ok(BenchmarkFigures {
        in_house_unit_cost,
        in_house_bid_prices,
        market: market_figures(&market),
    })
}
