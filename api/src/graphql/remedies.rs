//! GraphQL types of the award decision's remedies: correction requests and appeals, each
//! shown to whom DESIGN says (the call's orderer every one; a bidder its own requests and the
//! appeals; anyone else none).

use super::caller;
use super::loaders::{AppealsByCall, CorrectionsByCall, OwnBidLoader};
use super::scalars::Ts;
use super::types::{Organization, organization_by_id};
use crate::domain::call::{Viewer, manages_call};
use crate::service::remedies::{RemedyReader, appeals_for, corrections_for};
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, ID, Object, Result};
use entity::{BidStatus, appeal, call, correction_request};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "CorrectionStatus", remote = "entity::CorrectionStatus")]
pub enum GqlCorrectionStatus {
    Pending,
    Rejected,
    Accepted,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "AppealStatus", remote = "entity::AppealStatus")]
pub enum GqlAppealStatus {
    Pending,
    Upheld,
    Dismissed,
    Withdrawn,
}

/// A bidder's request that the orderer correct its award decision (hankintaoikaisu).
pub struct CorrectionRequest(pub correction_request::Model);

#[Object]
impl CorrectionRequest {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn requester(&self, ctx: &Context<'_>) -> Result<Organization> {
        organization_by_id(ctx, &self.0.requester_id).await
    }
    /// The lot whose award the request is about, on a call in lots.
    async fn lot(&self, ctx: &Context<'_>) -> Result<Option<super::lots::Lot>> {
        super::lots::lot_by_id(ctx, self.0.lot_id.as_ref()).await
    }
    async fn text(&self) -> &str {
        &self.0.text
    }
    async fn submitted_at(&self) -> Ts {
        Ts(self.0.submitted_at)
    }
    async fn status(&self) -> GqlCorrectionStatus {
        self.0.status.into()
    }
    /// The orderer's decision with its reasons, once decided.
    async fn decision(&self) -> Option<&str> {
        self.0.decision.as_deref()
    }
    async fn decided_at(&self) -> Option<Ts> {
        self.0.decided_at.map(Ts)
    }
}

/// An appeal to the Market Court (valitus) about the call's decision, as the orderer
/// recorded it.
pub struct Appeal(pub appeal::Model);

#[Object]
impl Appeal {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn appellant(&self, ctx: &Context<'_>) -> Result<Organization> {
        organization_by_id(ctx, &self.0.appellant_id).await
    }
    /// The lot whose award is appealed, on a call in lots.
    async fn lot(&self, ctx: &Context<'_>) -> Result<Option<super::lots::Lot>> {
        super::lots::lot_by_id(ctx, self.0.lot_id.as_ref()).await
    }
    /// The Market Court's case number (diaarinumero).
    async fn case_number(&self) -> &str {
        &self.0.case_number
    }
    async fn filed_at(&self) -> Ts {
        Ts(self.0.filed_at)
    }
    async fn status(&self) -> GqlAppealStatus {
        self.0.status.into()
    }
    /// The court's outcome as the orderer recorded it, once resolved.
    async fn outcome(&self) -> Option<&str> {
        self.0.outcome.as_deref()
    }
    async fn resolved_at(&self) -> Option<Ts> {
        self.0.resolved_at.map(Ts)
    }
}

/// How the caller reads call `c`'s remedies. The bid is looked up only when there is
/// something to show, and remedies exist only after the bids were opened.
async fn reader(ctx: &Context<'_>, c: &call::Model) -> Result<RemedyReader> {
    let viewer = caller(ctx)?.viewer();
    if manages_call(viewer, &c.orderer_id) {
        return Ok(RemedyReader::Orderer);
    }
    if let Viewer::Producer(org) = viewer {
        let own = ctx
            .data::<DataLoader<OwnBidLoader>>()?
            .load_one((c.id.clone(), org.to_owned()))
            .await?;
        if own.is_some_and(|b| b.status == BidStatus::Submitted) {
            return Ok(RemedyReader::Bidder(org.to_owned()));
        }
    }
    Ok(RemedyReader::Other)
}

/// `CallForTenders.correctionRequests`.
pub async fn corrections_of(ctx: &Context<'_>, c: &call::Model) -> Result<Vec<CorrectionRequest>> {
    let rows = ctx
        .data::<DataLoader<CorrectionsByCall>>()?
        .load_one(c.id.clone())
        .await?
        .unwrap_or_default();
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let reader = reader(ctx, c).await?;
    Ok(corrections_for(&reader, rows)
        .into_iter()
        .map(CorrectionRequest)
        .collect())
}

/// `CallForTenders.appeals`.
pub async fn appeals_of(ctx: &Context<'_>, c: &call::Model) -> Result<Vec<Appeal>> {
    let rows = ctx
        .data::<DataLoader<AppealsByCall>>()?
        .load_one(c.id.clone())
        .await?
        .unwrap_or_default();
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let reader = reader(ctx, c).await?;
    Ok(appeals_for(&reader, rows).into_iter().map(Appeal).collect())
}
