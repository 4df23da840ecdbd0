//! GraphQL types of lots: a call's lots with their lines, and per lot the evaluation (the
//! orderer's, after the deadline) and the award (public once made).

use super::calls::{CallLine, CallLineInput};
use super::evaluation::{Award, Evaluation, award_by_id};
use super::loaders::LoadError;
use super::loaders::{CallLoader, LinesByCall, LotLoader, LotsByCall};
use super::request_time;
use crate::error::AppError;
use crate::service::evaluation::EvaluationData;
use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, ID, InputObject, Object, Result};
use entity::{call, lot};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use std::sync::Arc;

/// A lot (osa-alue) of a call.
pub struct Lot(pub lot::Model);

impl Lot {
    async fn call(&self, ctx: &Context<'_>) -> Result<call::Model> {
        ctx.data::<DataLoader<CallLoader>>()?
            .load_one(self.0.call_id.clone())
            .await?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("lot's call missing")).into())
    }
}

#[Object]
impl Lot {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// From 1.
    async fn number(&self) -> i32 {
        self.0.number
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The lot's lines, in the call's order.
    async fn lines(&self, ctx: &Context<'_>) -> Result<Vec<CallLine>> {
        Ok(
            super::loaders::kept_one::<LinesByCall>(ctx, &self.0.call_id)
                .await?
                .unwrap_or_default()
                .into_iter()
                .filter(|l| l.lot_id.as_deref() == Some(self.0.id.as_str()))
                .map(CallLine)
                .collect(),
        )
    }
    /// Orderer only, after the deadline: the bids covering the lot, compared at their totals
    /// for its lines (qualification and quality scores are each bid's own).
    async fn evaluation(&self, ctx: &Context<'_>) -> Result<Option<Evaluation>> {
        let c = self.call(ctx).await?;
        let now = request_time(ctx)?;
        if !crate::service::evaluation::may_see_lot_evaluations(super::cx(ctx)?, &c, now).await? {
            return Ok(None);
        }
        let data = ctx
            .data::<DataLoader<LotEvaluationLoader>>()?
            .load_one(self.0.id.clone())
            .await?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("lot evaluation missing")))?;
        Ok(Some(Evaluation {
            data,
            show_results: true,
        }))
    }
    /// The lot's award decision and its public ranking, once made.
    async fn award(&self, ctx: &Context<'_>) -> Result<Option<Award>> {
        let c = self.call(ctx).await?;
        award_by_id(ctx, &c, &self.0.id).await
    }
    /// Why the orderer declared the lot unsuccessful (no award), if it did.
    async fn unsuccessful_reason(&self) -> Option<&str> {
        self.0.unsuccessful_reason.as_deref()
    }
}

#[derive(InputObject)]
pub struct LotInput {
    pub title: String,
    pub lines: Vec<CallLineInput>,
}

impl From<LotInput> for (String, Vec<crate::domain::call::NewLine>) {
    fn from(l: LotInput) -> Self {
        (l.title, l.lines.into_iter().map(Into::into).collect())
    }
}

/// The lots of call `call_id`, by number.
pub async fn lots_of(ctx: &Context<'_>, call_id: &str) -> Result<Vec<Lot>> {
    Ok(ctx
        .data::<DataLoader<LotsByCall>>()?
        .load_one(call_id.to_owned())
        .await?
        .unwrap_or_default()
        .into_iter()
        .map(Lot)
        .collect())
}

/// The lot `id`, if given.
pub async fn lot_by_id(ctx: &Context<'_>, id: Option<&String>) -> Result<Option<Lot>> {
    let Some(id) = id else {
        return Ok(None);
    };
    Ok(ctx
        .data::<DataLoader<LotLoader>>()?
        .load_one(id.clone())
        .await?
        .map(Lot))
}

/// The lots a bid covers (those whose lines it prices), by number.
pub async fn lots_of_bid(ctx: &Context<'_>, bid_id: &str) -> Result<Vec<Lot>> {
    let (_, call_lines) = super::calls::priced_lines(ctx, bid_id).await?;
    let lot_ids: std::collections::BTreeSet<String> =
        call_lines.into_values().filter_map(|l| l.lot_id).collect();
    let mut lots: Vec<lot::Model> = ctx
        .data::<DataLoader<LotLoader>>()?
        .load_many(lot_ids)
        .await?
        .into_values()
        .collect();
    lots.sort_by_key(|l| l.number);
    Ok(lots.into_iter().map(Lot).collect())
}

/// The evaluations of lots, by lot id: the lots of one call asked in one request (the
/// orderer's comparison of every lot) are computed together, reading the call's bids,
/// judgements and scores once. Only for a caller the resolver has let see them.
pub struct LotEvaluationLoader(pub DatabaseConnection);

impl Loader<String> for LotEvaluationLoader {
    type Value = Arc<EvaluationData>;
    type Error = LoadError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, Self::Error> {
        let db_err = |e: sea_orm::DbErr| Arc::new(AppError::Db(e));
        let lots = lot::Entity::find()
            .filter(lot::Column::Id.is_in(keys.iter().cloned()))
            .order_by_asc(lot::Column::Number)
            .all(&self.0)
            .await
            .map_err(db_err)?;
        let mut by_call: HashMap<String, Vec<lot::Model>> = HashMap::new();
        for l in lots {
            by_call.entry(l.call_id.clone()).or_default().push(l);
        }
        let mut out = HashMap::new();
        for (call_id, lots) in by_call {
            let Some(c) = call::Entity::find_by_id(call_id)
                .one(&self.0)
                .await
                .map_err(db_err)?
            else {
                continue;
            };
            let computed = crate::service::evaluation::compute_lots(&self.0, &c, &lots)
                .await
                .map_err(Arc::new)?;
            out.extend(computed.into_iter().map(|(id, d)| (id, Arc::new(d))));
        }
        Ok(out)
    }
}
