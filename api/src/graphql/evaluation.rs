//! GraphQL types of evaluation and award. The evaluation is the orderer's, after the
//! deadline; the award and its ranking are public once decided; the awarded bid itself is
//! shown only to those who may see that bid.

use super::calls::{Bid, CallForTenders, CapabilityRequirement, QualityCriterion};
use super::loaders::{AwardLoader, BidLoader, RankingByAward, UserLoader};
use super::scalars::{Dec, Ts};
use super::types::{Organization, User, organization_by_id};
use super::{caller, request_time};
use crate::domain::evaluation::{self as deval, BidResult};
use crate::error::AppError;
use crate::service::bids::may_see;
use crate::service::evaluation::EvaluationData;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, InputObject, Object, Result};
use entity::{award, award_ranking, call};
use std::sync::Arc;

/// The evaluation of a call: its evaluators and, once the bids are opened, the results.
pub struct Evaluation {
    pub data: Arc<EvaluationData>,
    pub show_results: bool,
}

#[Object]
impl Evaluation {
    async fn evaluators(&self) -> Vec<User> {
        self.data.evaluators.iter().cloned().map(User).collect()
    }
    /// Qualified bids first, by rank; then the disqualified ones.
    async fn results(&self) -> Vec<BidEvaluation> {
        if !self.show_results {
            return Vec::new();
        }
        (0..self.data.results.len())
            .map(|i| BidEvaluation {
                data: self.data.clone(),
                index: i,
            })
            .collect()
    }
    /// The full comparison table (bids x criteria x evaluators) for the orderer's minutes.
    async fn report(&self) -> EvaluationReport {
        EvaluationReport {
            data: self.data.clone(),
            show_results: self.show_results,
        }
    }
}

/// One bid's evaluation. Scores are exact in the ranking and shown rounded half-up to 2 decimals.
pub struct BidEvaluation {
    pub data: Arc<EvaluationData>,
    pub index: usize,
}

impl BidEvaluation {
    /// The evaluation of one bid of `data`.
    pub fn of(data: EvaluationData, bid_id: &str) -> Result<BidEvaluation> {
        let index = data
            .results
            .iter()
            .position(|r| r.bid_id == bid_id)
            .ok_or_else(|| {
                AppError::Internal(anyhow::anyhow!("bid {bid_id} missing from its evaluation"))
            })?;
        Ok(BidEvaluation {
            data: Arc::new(data),
            index,
        })
    }

    fn result(&self) -> Result<&BidResult> {
        self.data.results.get(self.index).ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!("evaluation index out of range")).into()
        })
    }
}

fn shown(d: Option<rust_decimal::Decimal>) -> Option<Dec> {
    d.map(Dec::rounded)
}

#[Object]
impl BidEvaluation {
    async fn bid(&self) -> Result<Bid> {
        let id = &self.result()?.bid_id;
        self.data
            .bids
            .get(id)
            .cloned()
            .map(Bid)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("bid {id} missing")).into())
    }
    async fn qualified(&self) -> Result<bool> {
        Ok(self.result()?.qualified)
    }
    /// Readable sentences naming each failed rule.
    async fn disqualification_reasons(&self) -> Result<Vec<String>> {
        Ok(self.result()?.reasons.clone())
    }
    /// The same reasons, machine-readable: a code and its figures, for a client to word in
    /// its user's language.
    async fn reason_codes(&self) -> Result<Vec<DisqualificationReason>> {
        Ok(self
            .result()?
            .reason_codes
            .iter()
            .cloned()
            .map(DisqualificationReason)
            .collect())
    }
    async fn price_score(&self) -> Result<Option<Dec>> {
        Ok(shown(self.result()?.price_score))
    }
    async fn quality_score(&self) -> Result<Option<Dec>> {
        Ok(shown(self.result()?.quality_score))
    }
    async fn total_score(&self) -> Result<Option<Dec>> {
        Ok(shown(self.result()?.total_score))
    }
    async fn rank(&self) -> Result<Option<i32>> {
        Ok(self.result()?.rank.map(|r| r as i32))
    }
    /// Below 80 % of the mean of the other qualified bids: ask for an explanation.
    async fn abnormally_low(&self) -> Result<bool> {
        Ok(self.result()?.abnormally_low)
    }
}

/// One failed qualification rule: `code` is TURNOVER_BELOW, EQUITY_RATIO_BELOW,
/// CREDIT_RATING_BELOW, CAPABILITY_NOT_MET, CAPABILITY_NOT_JUDGED or GRANT_HOLDER (more may be
/// added: a client words an unknown code generically).
pub struct DisqualificationReason(deval::Reason);

#[Object]
impl DisqualificationReason {
    async fn code(&self) -> &str {
        self.0.code
    }
    /// The bid's figure: turnover in euros, equity ratio (0.18 = 18 %), credit rating.
    async fn actual(&self) -> Option<&str> {
        self.0.actual.as_deref()
    }
    /// The figure the call requires (for CAPABILITY_NOT_MET, the requirement's text).
    async fn required(&self) -> Option<&str> {
        self.0.required.as_deref()
    }
    /// The capability requirement not met.
    async fn requirement_id(&self) -> Option<ID> {
        self.0.requirement_id.clone().map(ID)
    }
    /// The fiscal year of the orderer's grant (GRANT_HOLDER).
    async fn year(&self) -> Option<i32> {
        self.0.year
    }
    /// The English sentence, as in `disqualificationReasons`.
    async fn message(&self) -> &str {
        &self.0.text
    }
}

/// The comparison table of a call's evaluation.
pub struct EvaluationReport {
    data: Arc<EvaluationData>,
    show_results: bool,
}

#[Object]
impl EvaluationReport {
    async fn call(&self) -> CallForTenders {
        CallForTenders(self.data.call.clone())
    }
    async fn criteria(&self) -> Vec<QualityCriterion> {
        self.data
            .criteria
            .iter()
            .cloned()
            .map(QualityCriterion)
            .collect()
    }
    async fn capability_requirements(&self) -> Vec<CapabilityRequirement> {
        self.data
            .requirements
            .iter()
            .cloned()
            .map(CapabilityRequirement)
            .collect()
    }
    async fn evaluators(&self) -> Vec<User> {
        self.data.evaluators.iter().cloned().map(User).collect()
    }
    /// One row per standing bid, in the order of the results.
    async fn rows(&self) -> Vec<ComparisonRow> {
        if !self.show_results {
            return Vec::new();
        }
        (0..self.data.results.len())
            .map(|i| {
                ComparisonRow(BidEvaluation {
                    data: self.data.clone(),
                    index: i,
                })
            })
            .collect()
    }
}

pub struct ComparisonRow(BidEvaluation);

#[Object]
impl ComparisonRow {
    async fn evaluation(&self) -> BidEvaluation {
        BidEvaluation {
            data: self.0.data.clone(),
            index: self.0.index,
        }
    }
    async fn bidder(&self, ctx: &Context<'_>) -> Result<Organization> {
        let id = &self.0.result()?.bid_id;
        let b = self
            .0
            .data
            .bids
            .get(id)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("bid {id} missing")))?;
        organization_by_id(ctx, &b.bidder_id).await
    }
    async fn total_price(&self) -> Result<Dec> {
        let id = &self.0.result()?.bid_id;
        let b = self
            .0
            .data
            .bids
            .get(id)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("bid {id} missing")))?;
        Ok(Dec::money(b.total_price.0))
    }
    /// Each requirement with the orderer's judgement (null: not yet judged).
    async fn capability(&self) -> Result<Vec<CapabilityCell>> {
        let facts = self.facts()?;
        Ok(self
            .0
            .data
            .requirements
            .iter()
            .map(|r| CapabilityCell {
                requirement: r.clone(),
                met: facts.judgements.get(&r.id).copied(),
            })
            .collect())
    }
    /// Each criterion with every evaluator's points, the mean and the weighted score.
    async fn criteria(&self) -> Result<Vec<CriterionCell>> {
        let facts = self.facts()?;
        Ok(self
            .0
            .data
            .criteria
            .iter()
            .map(|c| CriterionCell {
                criterion: c.clone(),
                scores: self
                    .0
                    .data
                    .evaluators
                    .iter()
                    .map(|e| {
                        (
                            e.id.clone(),
                            facts.scores.get(&(c.id.clone(), e.id.clone())).copied(),
                        )
                    })
                    .collect(),
                mean: deval::criterion_mean(facts, &c.id),
            })
            .collect())
    }
}

impl ComparisonRow {
    fn facts(&self) -> Result<&deval::BidFacts> {
        let id = &self.0.result()?.bid_id;
        self.0
            .data
            .facts
            .get(id)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("facts of bid {id} missing")).into())
    }
}

pub struct CapabilityCell {
    requirement: entity::capability_requirement::Model,
    met: Option<bool>,
}

#[Object]
impl CapabilityCell {
    async fn requirement(&self) -> CapabilityRequirement {
        CapabilityRequirement(self.requirement.clone())
    }
    async fn met(&self) -> Option<bool> {
        self.met
    }
}

pub struct CriterionCell {
    criterion: entity::quality_criterion::Model,
    /// (evaluator id, points if scored)
    scores: Vec<(String, Option<i32>)>,
    mean: Option<rust_decimal::Decimal>,
}

#[Object]
impl CriterionCell {
    async fn criterion(&self) -> QualityCriterion {
        QualityCriterion(self.criterion.clone())
    }
    async fn scores(&self) -> Vec<EvaluatorScore> {
        self.scores
            .iter()
            .map(|(e, p)| EvaluatorScore {
                evaluator_id: e.clone(),
                points: *p,
            })
            .collect()
    }
    /// Mean points over the evaluators who scored, rounded half-up to 2 decimals.
    async fn mean(&self) -> Option<Dec> {
        shown(self.mean)
    }
    /// (mean / maxPoints) x weight, rounded half-up to 2 decimals; 0 when nobody scored.
    async fn weighted_score(&self) -> Dec {
        let w = match self.mean {
            Some(m) if self.criterion.max_points > 0 => {
                m * rust_decimal::Decimal::from(self.criterion.weight)
                    / rust_decimal::Decimal::from(self.criterion.max_points)
            }
            _ => rust_decimal::Decimal::ZERO,
        };
        Dec::rounded(w)
    }
}

pub struct EvaluatorScore {
    evaluator_id: String,
    points: Option<i32>,
}

#[Object]
impl EvaluatorScore {
    async fn evaluator(&self, ctx: &Context<'_>) -> Result<User> {
        ctx.data::<DataLoader<UserLoader>>()?
            .load_one(self.evaluator_id.clone())
            .await?
            .map(User)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("evaluator missing")).into())
    }
    /// Null when this evaluator has not scored the criterion.
    async fn points(&self) -> Option<i32> {
        self.points
    }
}

/// An award decision; public once made.
pub struct Award {
    pub award: award::Model,
    pub call: call::Model,
}

#[Object]
impl Award {
    /// The awarded bid, for those who may see it (the call's orderer and the winner).
    async fn bid(&self, ctx: &Context<'_>) -> Result<Bid> {
        let viewer = caller(ctx)?.viewer();
        let now = request_time(ctx)?;
        let b = ctx
            .data::<DataLoader<BidLoader>>()?
            .load_one(self.award.bid_id.clone())
            .await?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("awarded bid missing")))?;
        if may_see(viewer, &b, &self.call, now) {
            Ok(Bid(b))
        } else {
            Err(AppError::not_found(
                "the awarded bid is shown to the orderer and the winner only; see ranking",
            )
            .into())
        }
    }
    async fn justification(&self) -> &str {
        &self.award.justification
    }
    async fn decided_at(&self) -> Ts {
        Ts(self.award.decided_at)
    }
    async fn standstill_ends_at(&self) -> Ts {
        Ts(self.award.standstill_ends_at)
    }
    /// decidedAt + 14 days: until then a bidder may request a correction.
    async fn correction_deadline(&self) -> Ts {
        Ts(crate::domain::remedies::correction_deadline(
            self.award.decided_at,
        ))
    }
    /// decidedAt + 14 days: until then an appeal may be lodged with the Market Court.
    async fn appeal_deadline(&self) -> Ts {
        Ts(crate::domain::remedies::appeal_deadline(
            self.award.decided_at,
        ))
    }
    /// Public: every qualified bidder's organisation, total price and total score, by rank.
    async fn ranking(&self, ctx: &Context<'_>) -> Result<Vec<AwardRankingEntry>> {
        let rows = ctx
            .data::<DataLoader<RankingByAward>>()?
            .load_one(self.award.id.clone())
            .await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(AwardRankingEntry)
            .collect())
    }
}

/// The award of a call awarded whole, if it has one (a call in lots has its awards on its
/// lots: its own id names none).
pub async fn award_for(ctx: &Context<'_>, c: &call::Model) -> Result<Option<Award>> {
    award_by_id(ctx, c, &c.id).await
}

/// The award `id` (a call's or a lot's) of call `c`, if made.
pub async fn award_by_id(ctx: &Context<'_>, c: &call::Model, id: &str) -> Result<Option<Award>> {
    let a = ctx
        .data::<DataLoader<AwardLoader>>()?
        .load_one(id.to_owned())
        .await?;
    Ok(a.map(|award| Award {
        award,
        call: c.clone(),
    }))
}

pub struct AwardRankingEntry(award_ranking::Model);

#[Object]
impl AwardRankingEntry {
    async fn rank(&self) -> i32 {
        self.0.rank
    }
    async fn bidder(&self, ctx: &Context<'_>) -> Result<Organization> {
        organization_by_id(ctx, &self.0.bidder_id).await
    }
    async fn total_price(&self) -> Dec {
        Dec::money(self.0.total_price.0)
    }
    /// Rounded half-up to 2 decimals.
    async fn total_score(&self) -> Dec {
        Dec::rounded(self.0.total_score.0)
    }
}

#[derive(InputObject)]
pub struct CapabilityJudgementInput {
    pub requirement_id: ID,
    pub met: bool,
}

#[derive(InputObject)]
pub struct ScoreInput {
    pub criterion_id: ID,
    pub points: i32,
}
