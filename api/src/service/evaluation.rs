//! Evaluation and award: evaluators, capability judgements, scores, the computed evaluation
//! (`domain::evaluation`), the award with its standstill and public ranking, and declaring a
//! call unsuccessful. Everything here opens only after the submission deadline.

use super::audit::AuditEntry;
use super::bids::may_see;
use super::calls::{Ending, end_without_award, status_at};
use super::lots::Unit;
use super::parse_id;
use super::query;
use super::work::Work;
use crate::auth::Caller;
use crate::domain::call::{CallStatus, Viewer, manages_call};
use crate::domain::evaluation::{self, BidFacts, BidResult, Criterion, Rules};
use crate::domain::lot::LotLines;
use crate::domain::{money, remedies, validate};
use crate::email::compose::OwnResult;
use crate::error::{AppError, AppResult};
use crate::service::Cx;
use chrono::{DateTime, Datelike, TimeDelta, Utc};
use entity::{
    BidStatus, Money, Role, award, award_ranking, bid, bid_line, bid_score, call, call_evaluator,
    capability_judgement, capability_requirement, grant, lot, quality_criterion, user, user_tie,
};
use sea_orm::Condition;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// Everything the evaluation of one call is computed from, and its result.
#[derive(Debug, Clone)]
pub struct EvaluationData {
    pub call: call::Model,
    pub criteria: Vec<quality_criterion::Model>,
    pub requirements: Vec<capability_requirement::Model>,
    pub evaluators: Vec<user::Model>,
    pub bids: HashMap<String, bid::Model>,
    pub facts: HashMap<String, BidFacts>,
    /// The lot evaluated, for a call in lots: only the bids covering it, compared at their
    /// totals for its lines.
    pub lot: Option<lot::Model>,
    /// Each bid's compared total: its whole total, or its total for the lot.
    pub compared: HashMap<String, rust_decimal::Decimal>,
    /// Qualified bids by rank, then the disqualified ones.
    pub results: Vec<BidResult>,
}

impl EvaluationData {
    pub fn result_for(&self, bid_id: &str) -> Option<&BidResult> {
        self.results.iter().find(|r| r.bid_id == bid_id)
    }
}

/// The ids of the bids of a call that are evaluated, as a subquery.
fn evaluated_bid_ids(c: &call::Model) -> sea_orm::sea_query::SelectStatement {
    query::select::<bid::Entity>(bid::Column::Id, evaluated_bids(c))
}

/// The bids of a call that are evaluated: standing, and current (submitted against the
/// call's latest material change or later).
fn evaluated_bids(c: &call::Model) -> Condition {
    standing_bids(&c.id).add(bid::Column::CallVersion.gte(c.material_version))
}

/// The standing (submitted, not withdrawn) bids of a call.
fn standing_bids(call_id: &str) -> Condition {
    Condition::all()
        .add(bid::Column::CallId.eq(call_id))
        .add(bid::Column::Status.eq(BidStatus::Submitted))
}

/// Loads and computes the evaluation of a call (its standing bids only) as a whole.
pub async fn compute<C: ConnectionTrait>(conn: &C, c: &call::Model) -> AppResult<EvaluationData> {
    let mut all = compute_for(conn, c, &[]).await?;
    all.pop()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no evaluation computed")))
}

/// Loads and computes the evaluation of a unit: a call awarded whole, or one of its lots.
pub async fn compute_unit<C: ConnectionTrait>(conn: &C, u: &Unit) -> AppResult<EvaluationData> {
    let lots: Vec<lot::Model> = u.lot.iter().cloned().collect();
    let mut all = compute_for(conn, &u.call, &lots).await?;
    all.pop()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no evaluation computed")))
}

/// Loads and computes the evaluations of `lots` of call `c` at once: the bids, judgements
/// and scores are read once for them all. By lot id.
pub async fn compute_lots<C: ConnectionTrait>(
    conn: &C,
    c: &call::Model,
    lots: &[lot::Model],
) -> AppResult<HashMap<String, EvaluationData>> {
    Ok(compute_for(conn, c, lots)
        .await?
        .into_iter()
        .filter_map(|d| Some((d.lot.as_ref()?.id.clone(), d)))
        .collect())
}

/// Each bid's total for each of `lots` whose current lines it prices all, by lot id and bid id
/// (read in one query).
async fn lot_totals<C: ConnectionTrait>(
    conn: &C,
    c: &call::Model,
    lots: &[lot::Model],
) -> AppResult<HashMap<String, HashMap<String, rust_decimal::Decimal>>> {
    let lines = super::calls::lines_of(conn, &c.id).await?;
    let lot_lines: Vec<(String, LotLines)> = lots
        .iter()
        .map(|l| {
            let own = lines
                .iter()
                .filter(|x| x.lot_id.as_deref() == Some(l.id.as_str()))
                .map(|x| (x.id.clone(), x.quantity.0))
                .collect();
            (
                l.id.clone(),
                LotLines {
                    number: l.number,
                    lines: own,
                },
            )
        })
        .collect();
    let line_ids = lot_lines
        .iter()
        .flat_map(|(_, l)| l.lines.iter().map(|(id, _)| id.clone()));
    let priced: Vec<(String, String, Money)> = bid_line::Entity::find()
        .select_only()
        .column(bid_line::Column::BidId)
        .column(bid_line::Column::CallLineId)
        .column(bid_line::Column::UnitPrice)
        .filter(bid_line::Column::BidId.in_subquery(evaluated_bid_ids(c)))
        .filter(bid_line::Column::CallLineId.is_in(line_ids))
        .into_tuple()
        .all(conn)
        .await?;
    let mut prices: HashMap<String, HashMap<String, rust_decimal::Decimal>> = HashMap::new();
    for (bid_id, line_id, price) in priced {
        prices.entry(bid_id).or_default().insert(line_id, price.0);
    }
    let mut out: HashMap<String, HashMap<String, rust_decimal::Decimal>> = HashMap::new();
    for (bid_id, p) in &prices {
        let p: HashMap<&str, rust_decimal::Decimal> =
            p.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        for (lot_id, lot) in &lot_lines {
            if let Some((_, total)) =
                crate::domain::lot::lot_totals(std::slice::from_ref(lot), &p)?.first()
            {
                out.entry(lot_id.clone())
                    .or_default()
                    .insert(bid_id.clone(), *total);
            }
        }
    }
    Ok(out)
}

/// The evaluation of call `c` as a whole (`lots` empty), or of each of `lots` (in their order).
async fn compute_for<C: ConnectionTrait>(
    conn: &C,
    c: &call::Model,
    lots: &[lot::Model],
) -> AppResult<Vec<EvaluationData>> {
    let criteria = super::calls::criteria_of(conn, &c.id).await?;
    let requirements = super::calls::requirements_of(conn, &c.id).await?;
    let evaluator_ids: Vec<String> = call_evaluator::Entity::find()
        .filter(call_evaluator::Column::CallId.eq(c.id.as_str()))
        .order_by_asc(call_evaluator::Column::AssignedAt)
        .all(conn)
        .await?
        .into_iter()
        .map(|e| e.user_id)
        .collect();
    let mut evaluators = user::Entity::find()
        .filter(user::Column::Id.is_in(evaluator_ids.clone()))
        .all(conn)
        .await?;
    evaluators.sort_by_key(|u| evaluator_ids.iter().position(|id| *id == u.id));
    // A lot's evaluation reads the bids covering the lots asked for only (every lot asked:
    // every bid, which saves the sub-select).
    let mut scope = evaluated_bids(c);
    if !lots.is_empty() && lots.len() < super::lots::lots_of(conn, &c.id).await?.len() {
        let ids: Vec<String> = lots.iter().map(|l| l.id.clone()).collect();
        scope = scope.add(super::lots::covers_any(&ids));
    }
    let scoped_ids = || query::select::<bid::Entity>(bid::Column::Id, scope.clone());
    let bids = bid::Entity::find().filter(scope.clone()).all(conn).await?;
    // Only the columns the ranking reads: with 10 000 bids these are 30 000 rows, and
    // decoding the judges' and timestamps' columns took a third of the evaluation's time.
    let judgements: Vec<(String, String, bool)> = capability_judgement::Entity::find()
        .select_only()
        .column(capability_judgement::Column::BidId)
        .column(capability_judgement::Column::RequirementId)
        .column(capability_judgement::Column::Met)
        .filter(capability_judgement::Column::BidId.in_subquery(scoped_ids()))
        .into_tuple()
        .all(conn)
        .await?;
    let scores: Vec<(String, String, String, i32)> = bid_score::Entity::find()
        .select_only()
        .column(bid_score::Column::BidId)
        .column(bid_score::Column::CriterionId)
        .column(bid_score::Column::EvaluatorId)
        .column(bid_score::Column::Points)
        .filter(bid_score::Column::BidId.in_subquery(scoped_ids()))
        .into_tuple()
        .all(conn)
        .await?;
    let grants = grant::Entity::find()
        .filter(grant::Column::OrdererId.eq(c.orderer_id.as_str()))
        .filter(grant::Column::FiscalYear.between(c.contract_start.year(), c.contract_end.year()))
        .filter(
            grant::Column::RecipientId.in_subquery(query::select::<bid::Entity>(
                bid::Column::BidderId,
                bid::Column::CallId.eq(c.id.as_str()),
            )),
        )
        .all(conn)
        .await?;
    let mut grant_years: HashMap<String, HashSet<i32>> = HashMap::new();
    for g in grants {
        grant_years
            .entry(g.recipient_id)
            .or_default()
            .insert(g.fiscal_year);
    }
    let mut facts: HashMap<String, BidFacts> = HashMap::with_capacity(bids.len());
    for b in &bids {
        facts.insert(
            b.id.clone(),
            BidFacts {
                id: b.id.clone(),
                total_price: b.total_price.0,
                annual_turnover: b.annual_turnover.0,
                equity_ratio: b.equity_ratio.0,
                credit_rating: b.credit_rating,
                submitted_at: b.submitted_at,
                judgements: HashMap::new(),
                scores: HashMap::new(),
                grant_years: grant_years.get(&b.bidder_id).cloned().unwrap_or_default(),
            },
        );
    }
    for (bid_id, requirement_id, met) in judgements {
        if let Some(f) = facts.get_mut(&bid_id) {
            f.judgements.insert(requirement_id, met);
        }
    }
    for (bid_id, criterion_id, evaluator_id, points) in scores {
        if let Some(f) = facts.get_mut(&bid_id) {
            f.scores.insert((criterion_id, evaluator_id), points);
        }
    }
    let rules = Rules {
        price_weight: c.price_weight,
        criteria: criteria
            .iter()
            .map(|q| Criterion {
                id: q.id.clone(),
                weight: q.weight,
                max_points: q.max_points,
            })
            .collect(),
        min_turnover_ratio: c.min_turnover_ratio.map(|m| m.0),
        min_equity_ratio: c.min_equity_ratio.map(|m| m.0),
        min_credit_rating: c.min_credit_rating,
        requirements: requirements
            .iter()
            .map(|r| (r.id.clone(), r.text.clone()))
            .collect(),
        contract_start: c.contract_start,
        contract_end: c.contract_end,
    };
    let evaluated = |lot: Option<&lot::Model>, compared: HashMap<String, rust_decimal::Decimal>| {
        let results = evaluation::evaluate_priced(
            &rules,
            bids.iter().filter_map(|b| {
                let total = compared.get(&b.id).copied()?;
                Some((facts.get(&b.id)?, total))
            }),
        );
        let own = |id: &String| compared.contains_key(id);
        EvaluationData {
            call: c.clone(),
            criteria: criteria.clone(),
            requirements: requirements.clone(),
            evaluators: evaluators.clone(),
            bids: bids
                .iter()
                .filter(|b| own(&b.id))
                .map(|b| (b.id.clone(), b.clone()))
                .collect(),
            facts: facts
                .iter()
                .filter(|(id, _)| own(id))
                .map(|(id, f)| (id.clone(), f.clone()))
                .collect(),
            lot: lot.cloned(),
            compared,
            results,
        }
    };
    if lots.is_empty() {
        let whole = bids
            .iter()
            .map(|b| (b.id.clone(), b.total_price.0))
            .collect();
        return Ok(vec![evaluated(None, whole)]);
    }
    let mut totals = lot_totals(conn, c, lots).await?;
    Ok(lots
        .iter()
        .map(|l| evaluated(Some(l), totals.remove(&l.id).unwrap_or_default()))
        .collect())
}

/// The evaluation is for the call's orderer organisation, after the deadline only.
pub fn may_see_evaluation(viewer: Viewer<'_>, c: &call::Model, now: DateTime<Utc>) -> bool {
    manages_call(viewer, &c.orderer_id) && super::seal::bids_open(c, now)
}

/// `call.evaluation`: the evaluation, or nothing for anyone else or before the deadline, and
/// nothing on a call in lots (each lot has its own).
pub async fn evaluation_of(
    Cx { state, caller }: Cx<'_>,
    c: &call::Model,
    now: DateTime<Utc>,
) -> AppResult<Option<EvaluationData>> {
    if !may_see_evaluation(caller.viewer(), c, now) {
        return Ok(None);
    }
    if super::lots::has_lots(state.db.conn(), &c.id).await? {
        return Ok(None);
    }
    super::seal::ensure_open(state, c).await?;
    Ok(Some(compute(state.db.conn(), c).await?))
}

/// Whether the caller may read the evaluations of call `c`'s lots (`Lot.evaluation`): its
/// orderer, after the deadline only; the sealed log is opened first.
pub async fn may_see_lot_evaluations(
    Cx { state, caller }: Cx<'_>,
    c: &call::Model,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    if !may_see_evaluation(caller.viewer(), c, now) {
        return Ok(false);
    }
    super::seal::ensure_open(state, c).await?;
    Ok(true)
}

/// The call, locked, for a change by its orderer (see `calls::managed_call`).
async fn call_for_update(
    w: &Work<'_>,
    caller: &Caller,
    field: &str,
    id: &str,
    now: DateTime<Utc>,
) -> AppResult<call::Model> {
    super::calls::managed_call(w, caller, field, id, now).await
}

fn require_evaluation_status(c: &call::Model, now: DateTime<Utc>, doing: &str) -> AppResult<()> {
    let status = status_at(c, now);
    if status == CallStatus::Evaluation {
        Ok(())
    } else {
        Err(AppError::InvalidState(format!(
            "{doing} is possible while the call is in EVALUATION; it is {}",
            status.as_str()
        )))
    }
}

/// The bidder organisations a user has declared ties to, among the call's standing bidders.
async fn tied_bidders<C: ConnectionTrait>(
    conn: &C,
    user_id: &str,
    call_id: &str,
) -> AppResult<Vec<String>> {
    let standing = query::select::<bid::Entity>(bid::Column::BidderId, standing_bids(call_id));
    query::column::<user_tie::Entity, _, _>(
        conn,
        user_tie::Column::OrganizationId,
        Condition::all()
            .add(user_tie::Column::UserId.eq(user_id))
            .add(user_tie::Column::OrganizationId.in_subquery(standing)),
    )
    .await
}

fn conflict(tied: &[String]) -> AppError {
    AppError::ConflictOfInterest(format!(
        "the user has declared a tie to {} of the bidders on this call",
        if tied.len() == 1 {
            "one".to_owned()
        } else {
            tied.len().to_string()
        }
    ))
}

/// ORDERER of the call: assigns one of the organisation's ORDERER users as an evaluator.
/// Ties are checked against the bidders once the bids are opened: before the deadline the
/// bidders are sealed, so the check waits for the scoring.
pub async fn assign_evaluator(
    Cx { state, caller }: Cx<'_>,
    call_id: &str,
    user_id: &str,
) -> AppResult<call::Model> {
    let actor = caller.require()?.clone();
    work!(state, |w| {
        let c = call_for_update(w, caller, "callId", call_id, state.now()).await?;
        let now = state.now();
        let status = status_at(&c, now);
        if !matches!(
            status,
            CallStatus::Draft | CallStatus::Published | CallStatus::Evaluation
        ) {
            return Err(AppError::InvalidState(format!(
                "evaluators cannot be assigned to a call that is {}",
                status.as_str()
            )));
        }
        let u = user::Entity::find_by_id(parse_id("userId", user_id)?)
            .one(w.conn())
            .await?
            .ok_or_else(|| AppError::not_found("userId: no such user"))?;
        if u.role != Role::Orderer || u.organization_id != c.orderer_id {
            return Err(AppError::bad_input(
                "userId",
                "an evaluator must be an ORDERER user of the call's organization",
            ));
        }
        if super::seal::bids_open(&c, now) {
            let tied = tied_bidders(w.conn(), &u.id, &c.id).await?;
            if !tied.is_empty() {
                return Err(conflict(&tied));
            }
        }
        let exists = call_evaluator::Entity::find_by_id((c.id.clone(), u.id.clone()))
            .one(w.conn())
            .await?
            .is_some();
        if exists {
            w.unchanged();
        } else {
            call_evaluator::ActiveModel {
                call_id: Set(c.id.clone()),
                user_id: Set(u.id.clone()),
                assigned_by: Set(actor.user_id.clone()),
                assigned_at: Set(now),
            }
            .insert(w.conn())
            .await?;
            w.audit(
                now,
                AuditEntry::on_call(&actor.user_id, "call.assign_evaluator", &c)
                    .summary(json!({ "userId": u.id })),
            )?;
        }
        Ok(c)
    })
}

/// A standing bid and its call, for an orderer acting on it after the deadline.
async fn bid_for_evaluation(
    w: &Work<'_>,
    caller: &Caller,
    bid_id: &str,
    now: DateTime<Utc>,
) -> AppResult<(bid::Model, call::Model)> {
    let not_found = || AppError::not_found("bidId: no such bid");
    let b = bid::Entity::find_by_id(parse_id("bidId", bid_id)?)
        .one(w.conn())
        .await?
        .ok_or_else(not_found)?;
    // Locked for the change, which after the deadline first opens the call's sealed log.
    let c = call::Entity::find_by_id(b.call_id.clone())
        .lock_exclusive()
        .one(w.conn())
        .await?
        .ok_or_else(not_found)?;
    if !may_see(caller.viewer(), &b, &c, now) {
        return Err(not_found());
    }
    let c = super::seal::open_locked(w, c, now).await?;
    if b.call_version < c.material_version {
        return Err(AppError::InvalidState(
            "the bid was submitted before a material change to the call and was not submitted again: it is not evaluated".into(),
        ));
    }
    Ok((b, c))
}

/// Records a change to a bid's evaluation (`entry`) and returns the call's evaluation as
/// it now stands, with the bid's id. On a call in lots the bid's qualification and quality
/// score are its own, but prices are compared lot by lot (`Lot.evaluation`): its price score,
/// total, rank and abnormally-low flag are left out here.
async fn reevaluated(
    w: &Work<'_>,
    now: DateTime<Utc>,
    entry: AuditEntry<'_>,
    c: &call::Model,
    bid_id: &str,
) -> AppResult<(EvaluationData, String)> {
    w.audit(now, entry)?;
    let mut data = compute(w.conn(), c).await?;
    if super::lots::has_lots(w.conn(), &c.id).await? {
        for r in &mut data.results {
            r.price_score = None;
            r.total_score = None;
            r.rank = None;
            r.abnormally_low = false;
        }
    }
    Ok((data, bid_id.to_owned()))
}

/// ORDERER of the call: judges whether a bid meets capability requirements. Judging a
/// requirement again replaces the earlier judgement.
pub async fn judge_capability(
    Cx { state, caller }: Cx<'_>,
    bid_id: &str,
    judgements: Vec<(String, bool)>,
) -> AppResult<(EvaluationData, String)> {
    let actor = caller
        .require_role(Role::Orderer, "judge capability")?
        .clone();
    work!(state, |w| {
        let now = state.now();
        let (b, c) = bid_for_evaluation(w, caller, bid_id, now).await?;
        require_evaluation_status(&c, now, "judging capability")?;
        evaluation::check_judgements(None, &judgements)?;
        let known: HashSet<String> = query::column::<capability_requirement::Entity, _, _>(
            w.conn(),
            capability_requirement::Column::Id,
            capability_requirement::Column::CallId
                .eq(c.id.as_str())
                .and(capability_requirement::Column::RetiredIn.is_null()),
        )
        .await?;
        evaluation::check_judgements(Some(&known), &judgements)?;
        capability_judgement::Entity::delete_many()
            .filter(capability_judgement::Column::BidId.eq(b.id.as_str()))
            .filter(
                capability_judgement::Column::RequirementId
                    .is_in(judgements.iter().map(|(r, _)| r.clone())),
            )
            .exec(w.conn())
            .await?;
        w.insert_all(
            judgements
                .iter()
                .map(|(req, met)| capability_judgement::ActiveModel {
                    bid_id: Set(b.id.clone()),
                    requirement_id: Set(req.clone()),
                    met: Set(*met),
                    judged_by: Set(actor.user_id.clone()),
                    judged_at: Set(now),
                }),
        )
        .await?;
        let judged: Vec<_> = judgements
            .iter()
            .map(|(r, m)| json!({ "requirementId": r, "met": m }))
            .collect();
        let summary = json!({ "callId": c.id, "judgements": judged });
        let entry = AuditEntry::on_bid(&actor.user_id, "bid.judge_capability", &b.id, &c);
        reevaluated(w, now, entry.summary(summary), &c, &b.id).await
    })
}

/// An assigned evaluator scores a bid: 0..maxPoints per criterion. Scoring again replaces
/// this evaluator's earlier scores of the bid.
pub async fn score_bid(
    Cx { state, caller }: Cx<'_>,
    bid_id: &str,
    scores: Vec<(String, i32)>,
) -> AppResult<(EvaluationData, String)> {
    let actor = caller.require_role(Role::Orderer, "score bids")?.clone();
    work!(state, |w| {
        let now = state.now();
        let (b, c) = bid_for_evaluation(w, caller, bid_id, now).await?;
        let assigned = call_evaluator::Entity::find_by_id((c.id.clone(), actor.user_id.clone()))
            .one(w.conn())
            .await?
            .is_some();
        if !assigned {
            return Err(AppError::forbidden(
                "only evaluators assigned to this call may score its bids",
            ));
        }
        require_evaluation_status(&c, now, "scoring")?;
        let tied = tied_bidders(w.conn(), &actor.user_id, &c.id).await?;
        if !tied.is_empty() {
            return Err(conflict(&tied));
        }
        let criteria: HashMap<String, i32> = super::calls::criteria_of(w.conn(), &c.id)
            .await?
            .into_iter()
            .map(|q| (q.id, q.max_points))
            .collect();
        evaluation::check_scores(&criteria, &scores)?;
        bid_score::Entity::delete_many()
            .filter(bid_score::Column::BidId.eq(b.id.as_str()))
            .filter(bid_score::Column::EvaluatorId.eq(actor.user_id.as_str()))
            .exec(w.conn())
            .await?;
        w.insert_all(
            scores
                .iter()
                .map(|(criterion, points)| bid_score::ActiveModel {
                    bid_id: Set(b.id.clone()),
                    criterion_id: Set(criterion.clone()),
                    evaluator_id: Set(actor.user_id.clone()),
                    points: Set(*points),
                    scored_at: Set(now),
                }),
        )
        .await?;
        let scored: Vec<_> = scores
            .iter()
            .map(|(k, p)| json!({ "criterionId": k, "points": p }))
            .collect();
        let summary = json!({ "callId": c.id, "scores": scored });
        let entry = AuditEntry::on_bid(&actor.user_id, "bid.score", &b.id, &c);
        reevaluated(w, now, entry.summary(summary), &c, &b.id).await
    })
}

/// What an orderer awards: a call whole, or one of its lots.
#[derive(Debug, Clone, Copy)]
pub enum Awarded<'a> {
    Call(&'a str),
    Lot(&'a str),
}

/// ORDERER of the call: awards a qualified bid with a justification; the ranking of the
/// qualified bids is fixed and published, and the standstill period starts. A lot is awarded
/// on its own (its bids compared at their totals for its lines); the call is AWARDED once
/// every lot is decided.
pub async fn award(
    Cx { state, caller }: Cx<'_>,
    what: Awarded<'_>,
    bid_id: &str,
    justification: &str,
) -> AppResult<award::Model> {
    let actor = caller.require()?.clone();
    let justification = validate::reason("justification", justification)?;
    work!(state, |w| {
        let now = state.now();
        let u = match what {
            Awarded::Call(call_id) => {
                let c = call_for_update(w, caller, "callId", call_id, now).await?;
                super::lots::refuse_lots(w.conn(), &c, "award each lot with awardLot").await?;
                Unit { call: c, lot: None }
            }
            Awarded::Lot(lot_id) => super::lots::managed_lot(w, caller, lot_id, now).await?,
        };
        require_evaluation_status(&u.call, now, "awarding")?;
        let status = super::lots::unit_status(w.conn(), &u, now).await?;
        if status != CallStatus::Evaluation {
            return Err(AppError::InvalidState(format!(
                "awarding is possible in EVALUATION; the lot is {}",
                status.as_str()
            )));
        }
        let c = u.call.clone();
        let data = compute_unit(w.conn(), &u).await?;
        let bid_key = parse_id("bidId", bid_id)?;
        let result = data.result_for(&bid_key).ok_or_else(|| {
            AppError::not_found(if u.lot.is_some() {
                "bidId: no such bid on this lot"
            } else {
                "bidId: no such bid on this call"
            })
        })?;
        if !result.qualified {
            return Err(AppError::InvalidState(format!(
                "the bid is not qualified: {}",
                result.reasons.join("; ")
            )));
        }
        let standstill_ends_at = now + TimeDelta::days(i64::from(c.standstill_days));
        let a = award::ActiveModel {
            id: Set(u.id().to_owned()),
            call_id: Set(c.id.clone()),
            lot_id: Set(u.lot_id()),
            bid_id: Set(bid_key.clone()),
            justification: Set(justification.clone()),
            decided_by: Set(actor.user_id.clone()),
            decided_at: Set(now),
            standstill_ends_at: Set(standstill_ends_at),
        }
        .insert(w.conn())
        .await?;
        let ranking: Vec<award_ranking::ActiveModel> = data
            .results
            .iter()
            .filter(|r| r.qualified)
            .filter_map(|r| {
                let b = data.bids.get(&r.bid_id)?;
                Some(award_ranking::ActiveModel {
                    award_id: Set(u.id().to_owned()),
                    rank: Set(r.rank.map_or(0, |x| x as i32)),
                    bid_id: Set(b.id.clone()),
                    bidder_id: Set(b.bidder_id.clone()),
                    total_price: Set(Money(data.compared.get(&b.id).copied()?)),
                    total_score: Set(Money(r.total_score.unwrap_or_default())),
                })
            })
            .collect();
        w.insert_all(ranking).await?;
        let winner = data
            .bids
            .get(&bid_key)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("awarded bid {bid_key} missing")))?;
        let mut summary = json!({
            "bidId": bid_key,
            "justification": justification,
            "standstillEndsAt": standstill_ends_at.to_rfc3339(),
        });
        match &u.lot {
            None => {
                let mut am: call::ActiveModel = c.clone().into();
                am.status = Set(CallStatus::Awarded);
                am.update(w.conn()).await?;
                w.audit(
                    now,
                    AuditEntry::on_call(&actor.user_id, "call.award", &c).summary(summary),
                )?;
            }
            Some(l) => {
                summary["lotId"] = json!(l.id);
                summary["lotNumber"] = json!(l.number);
                summary["lotTotal"] = json!(data.compared.get(&bid_key).map(|d| d.to_string()));
                w.audit(
                    now,
                    AuditEntry::on_call(&actor.user_id, "lot.award", &c).summary(summary),
                )?;
                super::lots::after_lot_decided(w, now, &actor.user_id, c.clone()).await?;
            }
        }
        let ranked: Vec<(String, rust_decimal::Decimal)> = data
            .results
            .iter()
            .filter(|r| r.qualified)
            .filter_map(|r| {
                let b = data.bids.get(&r.bid_id)?;
                Some((b.bidder_id.clone(), data.compared.get(&b.id).copied()?))
            })
            .collect();
        super::ocds::awarded(w, &u, &a, winner, &ranked).await?;
        let names = crate::email::outbox::organization_names(
            w.conn(),
            data.bids.values().map(|b| b.bidder_id.clone()).collect(),
        )
        .await?;
        let mut results = HashMap::new();
        let mut ranking_lines = Vec::new();
        let shown = |d: Option<rust_decimal::Decimal>| money::display(d.unwrap_or_default());
        for r in &data.results {
            let Some(b) = data.bids.get(&r.bid_id) else {
                continue;
            };
            // Each bidder's own result: the awarded bid (whatever its rank) is told it won.
            let own = match r.rank {
                Some(rank) if r.qualified => {
                    ranking_lines.push((
                        rank as i32,
                        names.get(&b.bidder_id).cloned().unwrap_or_default(),
                        data.compared.get(&b.id).copied().unwrap_or(b.total_price.0),
                        shown(r.total_score),
                    ));
                    if b.id == bid_key {
                        OwnResult::Awarded {
                            rank: rank as i32,
                            total_score: shown(r.total_score),
                        }
                    } else {
                        OwnResult::Ranked {
                            rank: rank as i32,
                            price_score: shown(r.price_score),
                            quality_score: shown(r.quality_score),
                            total_score: shown(r.total_score),
                        }
                    }
                }
                _ => OwnResult::Disqualified {
                    reasons: r.reasons.clone(),
                },
            };
            results.insert(b.bidder_id.clone(), own);
        }
        let unit_names = u.names();
        let decided = super::notifications::Decided {
            bidders: super::lots::bidders_of(w.conn(), &u).await?,
            title: unit_names.title(),
            ranking: &ranking_lines,
            results: &results,
            justification: &justification,
            remedies: crate::email::compose::Remedies {
                standstill_ends_at,
                correction_deadline: remedies::correction_deadline(now),
                appeal_deadline: remedies::appeal_deadline(now),
            },
        };
        super::notifications::award_decided(w, now, decided).await?;
        Ok(a)
    })
}

/// ORDERER of the call: ends a call in evaluation without an award.
pub async fn declare_unsuccessful(
    Cx { state, caller }: Cx<'_>,
    call_id: &str,
    reason: &str,
) -> AppResult<call::Model> {
    let actor = caller.require()?.clone();
    let reason = validate::reason("reason", reason)?;
    work!(state, |w| {
        let c = call_for_update(w, caller, "callId", call_id, state.now()).await?;
        let now = state.now();
        require_evaluation_status(&c, now, "declaring the call unsuccessful")?;
        let lots_awarded = award::Entity::find()
            .filter(award::Column::CallId.eq(c.id.as_str()))
            .count(w.conn())
            .await?;
        if lots_awarded > 0 {
            return Err(AppError::InvalidState(
                "a lot of this call is awarded: declare the other lots unsuccessful one by one (declareLotUnsuccessful)".into(),
            ));
        }
        let ending = Ending::Unsuccessful;
        end_without_award(w, now, &actor.user_id, c, ending, reason).await
    })
}

/// The award of a call and its ranking; public once the call is awarded.
pub async fn award_of<C: ConnectionTrait>(
    conn: &C,
    call_id: &str,
) -> AppResult<Option<(award::Model, Vec<award_ranking::Model>)>> {
    let Some(a) = award::Entity::find_by_id(call_id.to_owned())
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let ranking = award_ranking::Entity::find()
        .filter(award_ranking::Column::AwardId.eq(call_id))
        .order_by_asc(award_ranking::Column::Rank)
        .all(conn)
        .await?;
    Ok(Some((a, ranking)))
}

/// Whether the call's stored status is one the award can be shown for.
pub fn is_awarded(c: &call::Model) -> bool {
    matches!(c.status, CallStatus::Awarded | CallStatus::Contracted)
}
