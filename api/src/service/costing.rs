//! Cost calculations of in-house producers: one per producer, product and fiscal year.

use super::audit::AuditEntry;
use super::catalogue::find_product;
use super::{new_id, parse_id};
use crate::domain::costing::CostInputs;
use crate::domain::validate;
use crate::error::{AppError, AppResult};
use crate::service::Cx;
use entity::{Money, OrganizationKind, Role, cost_calculation};
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

pub struct CostInput<'a> {
    pub product_id: &'a str,
    pub fiscal_year: i32,
    pub volume: Decimal,
    pub direct_costs: Decimal,
    pub overhead_rate: Decimal,
}

/// An IN_HOUSE_PRODUCER user saves its organisation's calculation; saving again for the same
/// product and year replaces it.
pub async fn save(
    Cx { state, caller }: Cx<'_>,
    input: CostInput<'_>,
) -> AppResult<cost_calculation::Model> {
    let actor = caller.require()?;
    if actor.role != Role::Producer || actor.organization_kind != OrganizationKind::InHouseProducer
    {
        return Err(AppError::forbidden(
            "only in-house producers keep cost calculations",
        ));
    }
    let fiscal_year = validate::fiscal_year("fiscalYear", input.fiscal_year)?;
    let inputs = CostInputs::new(input.volume, input.direct_costs, input.overhead_rate)?;
    validate::amount("directCosts", inputs.direct_costs)?;
    let now = state.now();
    work!(state, |w| {
        let product = find_product(w.conn(), "productId", input.product_id).await?;
        let existing = cost_calculation::Entity::find()
            .filter(cost_calculation::Column::ProducerId.eq(actor.organization_id.as_str()))
            .filter(cost_calculation::Column::ProductId.eq(product.id.as_str()))
            .filter(cost_calculation::Column::FiscalYear.eq(fiscal_year))
            .one(w.conn())
            .await?;
        let replaced = existing.is_some();
        let saved = match existing {
            Some(c) => {
                let mut am: cost_calculation::ActiveModel = c.into();
                am.volume = Set(Money(inputs.volume));
                am.direct_costs = Set(Money(inputs.direct_costs));
                am.overhead_rate = Set(Money(inputs.overhead_rate));
                am.updated_at = Set(now);
                am.update(w.conn()).await?
            }
            None => {
                cost_calculation::ActiveModel {
                    id: Set(new_id()),
                    producer_id: Set(actor.organization_id.clone()),
                    product_id: Set(product.id.clone()),
                    fiscal_year: Set(fiscal_year),
                    volume: Set(Money(inputs.volume)),
                    direct_costs: Set(Money(inputs.direct_costs)),
                    overhead_rate: Set(Money(inputs.overhead_rate)),
                    updated_at: Set(now),
                }
                .insert(w.conn())
                .await?
            }
        };
        w.audit(
            now,
            AuditEntry::by(
                &actor.user_id,
                "cost_calculation.save",
                "cost_calculation",
                &saved.id,
            )
            .summary(json!({
                "producerId": saved.producer_id,
                "productId": saved.product_id,
                "fiscalYear": fiscal_year,
                "volume": inputs.volume.to_string(),
                "directCosts": inputs.direct_costs.to_string(),
                "overheadRate": inputs.overhead_rate.to_string(),
                "replaced": replaced,
            })),
        )?;
        Ok(saved)
    })
}

/// Administrators and orderers read every in-house calculation; an in-house producer reads its
/// own; external providers read none (they are the competition).
pub async fn list(
    Cx { state, caller }: Cx<'_>,
    producer_id: Option<&str>,
    fiscal_year: Option<i32>,
) -> AppResult<Vec<cost_calculation::Model>> {
    let actor = caller.require()?;
    let producer_filter = match producer_id {
        Some(p) => Some(parse_id("producerId", p)?),
        None => None,
    };
    let scope = match (actor.role, actor.organization_kind) {
        (Role::Admin, _) | (Role::Orderer, _) => producer_filter,
        (Role::Producer, OrganizationKind::InHouseProducer) => {
            if producer_filter
                .as_ref()
                .is_some_and(|p| *p != actor.organization_id)
            {
                return Err(AppError::forbidden(
                    "an in-house producer sees only its own cost calculations",
                ));
            }
            Some(actor.organization_id.clone())
        }
        _ => {
            return Err(AppError::forbidden(
                "cost calculations are not shown to external providers",
            ));
        }
    };
    let mut q = cost_calculation::Entity::find()
        .order_by_asc(cost_calculation::Column::FiscalYear)
        .order_by_asc(cost_calculation::Column::ProductId);
    if let Some(p) = scope {
        q = q.filter(cost_calculation::Column::ProducerId.eq(p));
    }
    if let Some(y) = fiscal_year {
        q = q.filter(cost_calculation::Column::FiscalYear.eq(y));
    }
    Ok(q.all(state.db.conn()).await?)
}

/// The unit cost of a stored calculation (its inputs were checked when it was saved).
pub fn unit_cost(c: &cost_calculation::Model) -> AppResult<Decimal> {
    CostInputs::new(c.volume.0, c.direct_costs.0, c.overhead_rate.0)
        .map(|i| i.unit_cost())
        .map_err(|e| {
            AppError::Internal(anyhow::anyhow!(
                "stored cost calculation {} is invalid: {e:?}",
                c.id
            ))
        })
}
