//! The award decision's remedies: a bidder's correction request (hankintaoikaisu) and the
//! orderer's decision on it, the orderer's own withdrawal of an award, and the appeals to the
//! Market Court the orderer records and resolves. Rules in `domain::remedies`.

use super::audit::AuditEntry;
use super::calls::{find_call_for_producer, managed_call};
use super::lots::{self, Unit};
use super::work::Work;
use super::{Cx, new_id, query};
use crate::domain::remedies::{self, AppealRefused, RequestRefused};
use crate::domain::validate;
use crate::email::compose;
use crate::email::outbox;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use entity::{
    AppealStatus, CallStatus, CorrectionStatus, Role, appeal, award, award_ranking, call,
    correction_request,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, PrimaryKeyTrait,
    QueryFilter, QueryOrder, Set,
};
use serde_json::json;

/// The longest case number (diaarinumero) of an appeal.
pub const MAX_CASE_NUMBER_CHARS: usize = 100;

impl From<RequestRefused> for AppError {
    fn from(r: RequestRefused) -> Self {
        match r {
            RequestRefused::NoDecision(w) => w.into(),
            RequestRefused::TooLate(deadline) => AppError::DeadlinePassed(format!(
                "the correction deadline {} has passed",
                deadline.to_rfc3339()
            )),
        }
    }
}

impl From<AppealRefused> for AppError {
    fn from(r: AppealRefused) -> Self {
        match r {
            AppealRefused::State(w) => w.into(),
            AppealRefused::Input(i) => i.into(),
        }
    }
}

/// Whether `org` has a standing bid on the unit (the call, or covering the lot).
async fn is_bidder<C: ConnectionTrait>(conn: &C, u: &Unit, org: &str) -> AppResult<bool> {
    Ok(lots::bidders_of(conn, u).await?.iter().any(|b| b == org))
}

/// PRODUCER whose organisation has a standing bid on the call: asks the orderer to correct its
/// award decision, until the correction deadline. The call's orderer users are told.
pub async fn request_correction(
    Cx { state, caller }: Cx<'_>,
    call_id: &str,
    lot_id: Option<&str>,
    text: &str,
) -> AppResult<correction_request::Model> {
    let actor = caller
        .require_role(Role::Producer, "request corrections")?
        .clone();
    let text = validate::reason("text", text)?;
    work!(state, |w| {
        let c = find_call_for_producer(w.conn(), "callId", call_id).await?;
        if c.published_at.is_none() {
            return Err(AppError::not_found("callId: no such call"));
        }
        let now = state.now();
        let u = lots::unit_of(w.conn(), c, lot_id).await?;
        let decided = lots::award_of_unit(w.conn(), &u)
            .await?
            .map(|a| a.decided_at);
        remedies::check_request(lots::unit_status(w.conn(), &u, now).await?, decided, now)?;
        if !is_bidder(w.conn(), &u, &actor.organization_id).await? {
            return Err(AppError::forbidden(
                "only an organisation that bid on the call may request a correction",
            ));
        }
        let r = correction_request::ActiveModel {
            id: Set(new_id()),
            call_id: Set(u.call.id.clone()),
            lot_id: Set(u.lot_id()),
            requester_id: Set(actor.organization_id.clone()),
            requested_by: Set(actor.user_id.clone()),
            text: Set(text.clone()),
            submitted_at: Set(now),
            status: Set(CorrectionStatus::Pending),
            decision: Set(None),
            decided_by: Set(None),
            decided_at: Set(None),
        }
        .insert(w.conn())
        .await?;
        w.audit(
            now,
            AuditEntry::by(
                &actor.user_id,
                "correction.request",
                "correction_request",
                &r.id,
            )
            .orderer(&u.call.orderer_id)
            .summary(json!({
                "callId": u.call.id,
                "lotId": r.lot_id,
                "requesterId": r.requester_id,
                "text": text,
            })),
        )?;
        let names = outbox::organization_names(w.conn(), vec![r.requester_id.clone()]).await?;
        let requester = names.get(&r.requester_id).map_or("", String::as_str);
        let users = super::notifications::orderer_users(w.conn(), &u.call).await?;
        let unit_names = u.names();
        let mail = compose::correction_requested(unit_names.title(), requester, &text);
        w.mail(now, &users, &mail)?;
        Ok(r)
    })
}

/// A correction request or an appeal named by the client (`field`, `id`, what it is) and its
/// call, which the caller manages, locked: NOT_FOUND for an unknown id or a call the caller
/// cannot see, FORBIDDEN for one it sees but does not manage. The row is read again under
/// the call's lock, so a decision that came first is seen.
async fn of_managed_call<E>(
    w: &Work<'_>,
    caller: &crate::auth::Caller,
    (field, id, what): (&str, &str, &str),
    call_of: impl Fn(&E::Model) -> &String,
) -> AppResult<(E::Model, call::Model)>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<String>,
{
    let row = query::given::<E, _>(w.conn(), field, id, what).await?;
    let c = managed_call(w, caller, field, call_of(&row), w.now())
        .await
        .map_err(|e| match e {
            AppError::NotFound(_) => AppError::not_found(format!("{field}: no such {what}")),
            e => e,
        })?;
    let row = query::given::<E, _>(w.conn(), field, id, what).await?;
    Ok((row, c))
}

/// ORDERER of the call: decides a pending correction request with reasons. Accepting it
/// withdraws the award (see [`withdraw_award`]). The requester is told either way.
pub async fn decide_correction(
    Cx { state, caller }: Cx<'_>,
    request_id: &str,
    accept: bool,
    decision: &str,
) -> AppResult<correction_request::Model> {
    let actor = caller.require()?.clone();
    let decision = validate::reason("decision", decision)?;
    work!(state, |w| {
        let now = state.now();
        let (r, c) = of_managed_call::<correction_request::Entity>(
            w,
            caller,
            ("requestId", request_id, "correction request"),
            |r| &r.call_id,
        )
        .await?;
        remedies::check_decidable(r.status)?;
        let u = lots::unit_of(w.conn(), c, r.lot_id.as_deref()).await?;
        let c = u.call.clone();
        let status = if accept {
            CorrectionStatus::Accepted
        } else {
            CorrectionStatus::Rejected
        };
        let mut am: correction_request::ActiveModel = r.into();
        am.status = Set(status);
        am.decision = Set(Some(decision.clone()));
        am.decided_by = Set(Some(actor.user_id.clone()));
        am.decided_at = Set(Some(now));
        let r = am.update(w.conn()).await?;
        w.audit(
            now,
            AuditEntry::by(
                &actor.user_id,
                "correction.decide",
                "correction_request",
                &r.id,
            )
            .orderer(&c.orderer_id)
            .summary(json!({
                "callId": c.id,
                "lotId": r.lot_id,
                "status": status.as_str(),
                "decision": decision,
            })),
        )?;
        let users = outbox::users_of(w.conn(), vec![r.requester_id.clone()]).await?;
        let unit_names = u.names();
        let mail = compose::correction_decided(unit_names.title(), accept, &decision);
        w.mail(now, &users, &mail)?;
        if accept {
            let reason = format!("a correction request was accepted: {decision}");
            withdraw(w, now, &actor.user_id, u, &reason).await?;
        }
        Ok(r)
    })
}

/// ORDERER of the call: withdraws its award (its own correction) before a contract is made;
/// of a lot, `lot_id`, on a call in lots.
pub async fn withdraw_award(
    Cx { state, caller }: Cx<'_>,
    call_id: &str,
    lot_id: Option<&str>,
    reason: &str,
) -> AppResult<call::Model> {
    let actor = caller.require()?.clone();
    let reason = validate::reason("reason", reason)?;
    work!(state, |w| {
        let now = state.now();
        let u = lots::managed_unit(w, caller, call_id, lot_id, now).await?;
        withdraw(w, now, &actor.user_id, u, &reason).await
    })
}

/// Withdraws a unit's award: the call (or the lot) returns to EVALUATION (judgements and
/// scores kept), the award and its ranking leave the public view (the event keeps them in the
/// audit chain), the pending correction requests about it are closed as ACCEPTED, and every
/// bidder of the unit is told.
async fn withdraw(
    w: &Work<'_>,
    now: DateTime<Utc>,
    actor: &str,
    u: Unit,
    reason: &str,
) -> AppResult<call::Model> {
    let contract_made = lots::contract_of_unit(w.conn(), &u).await?.is_some();
    remedies::check_withdrawable(lots::unit_status(w.conn(), &u, now).await?, contract_made)?;
    let a = lots::award_of_unit(w.conn(), &u)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("awarded {} has no award", u.id())))?;
    let ranking: Vec<_> = award_ranking::Entity::find()
        .filter(award_ranking::Column::AwardId.eq(u.id()))
        .order_by_asc(award_ranking::Column::Rank)
        .all(w.conn())
        .await?
        .into_iter()
        .map(|r| {
            json!({
                "rank": r.rank,
                "bidId": r.bid_id,
                "bidderId": r.bidder_id,
                "totalPrice": r.total_price.0.to_string(),
                "totalScore": r.total_score.0.to_string(),
            })
        })
        .collect();
    award_ranking::Entity::delete_many()
        .filter(award_ranking::Column::AwardId.eq(u.id()))
        .exec(w.conn())
        .await?;
    award::Entity::delete_by_id(u.id().to_owned())
        .exec(w.conn())
        .await?;
    let about = match &u.lot {
        Some(l) => correction_request::Column::LotId.eq(l.id.as_str()),
        None => correction_request::Column::CallId.eq(u.call.id.as_str()),
    };
    let closed = correction_request::Entity::update_many()
        .col_expr(
            correction_request::Column::Status,
            Expr::value(CorrectionStatus::Accepted.as_str()),
        )
        .col_expr(
            correction_request::Column::Decision,
            Expr::value(format!("The award was withdrawn: {reason}")),
        )
        .col_expr(correction_request::Column::DecidedBy, Expr::value(actor))
        .col_expr(correction_request::Column::DecidedAt, Expr::value(now))
        .filter(about)
        .filter(correction_request::Column::Status.eq(CorrectionStatus::Pending))
        .exec(w.conn())
        .await?
        .rows_affected;
    // The call is in evaluation again (a call in lots: until every lot is decided again).
    let mut am: call::ActiveModel = u.call.clone().into();
    am.status = Set(CallStatus::Published);
    let c = am.update(w.conn()).await?;
    w.audit(
        now,
        AuditEntry::on_call(actor, "call.withdraw_award", &c).summary(json!({
            "lotId": u.lot_id(),
            "reason": reason,
            "withdrawn": {
                "bidId": a.bid_id,
                "justification": a.justification,
                "decidedAt": a.decided_at.to_rfc3339(),
                "standstillEndsAt": a.standstill_ends_at.to_rfc3339(),
                "ranking": ranking,
            },
            "requestsClosed": closed,
        })),
    )?;
    let users = outbox::users_of(w.conn(), lots::bidders_of(w.conn(), &u).await?).await?;
    let unit_names = u.names();
    w.mail(
        now,
        &users,
        &compose::award_withdrawn(unit_names.title(), reason),
    )?;
    let winner = entity::bid::Entity::find_by_id(a.bid_id.clone())
        .one(w.conn())
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("awarded bid {} missing", a.bid_id)))?;
    super::ocds::award_withdrawn(w, &u, &winner.bidder_id, now).await?;
    Ok(c)
}

/// What an orderer records of an appeal.
pub struct NewAppeal<'a> {
    pub call_id: &'a str,
    /// The lot whose award is appealed, on a call in lots.
    pub lot_id: Option<&'a str>,
    pub appellant_id: &'a str,
    pub case_number: &'a str,
    pub filed_at: DateTime<Utc>,
}

/// ORDERER of the call: records an appeal a bidder lodged with the Market Court about the
/// call's decision; while it is PENDING no contract is made from the award.
pub async fn record_appeal(
    Cx { state, caller }: Cx<'_>,
    input: NewAppeal<'_>,
) -> AppResult<appeal::Model> {
    let actor = caller.require()?.clone();
    let case_number = validate::text("caseNumber", input.case_number, MAX_CASE_NUMBER_CHARS)?;
    work!(state, |w| {
        let now = state.now();
        let u = lots::managed_unit(w, caller, input.call_id, input.lot_id, now).await?;
        let status = lots::unit_status(w.conn(), &u, now).await?;
        remedies::check_appeal(status, input.filed_at, now)?;
        let appellant =
            super::identity::find_organization(w.conn(), "appellantId", input.appellant_id).await?;
        if !is_bidder(w.conn(), &u, &appellant.id).await? {
            return Err(AppError::bad_input(
                "appellantId",
                "is not a bidder of this call",
            ));
        }
        let a = appeal::ActiveModel {
            id: Set(new_id()),
            call_id: Set(u.call.id.clone()),
            lot_id: Set(u.lot_id()),
            appellant_id: Set(appellant.id.clone()),
            case_number: Set(case_number.clone()),
            filed_at: Set(input.filed_at),
            status: Set(AppealStatus::Pending),
            outcome: Set(None),
            recorded_by: Set(actor.user_id.clone()),
            recorded_at: Set(now),
            resolved_by: Set(None),
            resolved_at: Set(None),
        }
        .insert(w.conn())
        .await?;
        w.audit(
            now,
            AuditEntry::by(&actor.user_id, "appeal.record", "appeal", &a.id)
                .orderer(&u.call.orderer_id)
                .summary(json!({
                    "callId": u.call.id,
                    "lotId": a.lot_id,
                    "appellantId": appellant.id,
                    "caseNumber": case_number,
                    "filedAt": input.filed_at.to_rfc3339(),
                })),
        )?;
        Ok(a)
    })
}

/// ORDERER of the call: records the Market Court's outcome of a pending appeal (UPHELD,
/// DISMISSED, or WITHDRAWN by the appellant).
pub async fn resolve_appeal(
    Cx { state, caller }: Cx<'_>,
    appeal_id: &str,
    status: AppealStatus,
    outcome: &str,
) -> AppResult<appeal::Model> {
    let actor = caller.require()?.clone();
    let outcome = validate::reason("outcome", outcome)?;
    work!(state, |w| {
        let now = state.now();
        let (a, c) =
            of_managed_call::<appeal::Entity>(w, caller, ("appealId", appeal_id, "appeal"), |a| {
                &a.call_id
            })
            .await?;
        remedies::check_resolution(a.status, status)?;
        let mut am: appeal::ActiveModel = a.into();
        am.status = Set(status);
        am.outcome = Set(Some(outcome.clone()));
        am.resolved_by = Set(Some(actor.user_id.clone()));
        am.resolved_at = Set(Some(now));
        let a = am.update(w.conn()).await?;
        w.audit(
            now,
            AuditEntry::by(&actor.user_id, "appeal.resolve", "appeal", &a.id)
                .orderer(&c.orderer_id)
                .summary(json!({
                    "callId": c.id,
                    "status": status.as_str(),
                    "outcome": outcome,
                })),
        )?;
        Ok(a)
    })
}

/// No contract is made from a unit's award while a correction request or an appeal about
/// it is pending.
pub async fn check_nothing_pending<C: ConnectionTrait>(conn: &C, u: &Unit) -> AppResult<()> {
    let (requests, appeals) = match &u.lot {
        Some(l) => (
            correction_request::Column::LotId.eq(l.id.as_str()),
            appeal::Column::LotId.eq(l.id.as_str()),
        ),
        None => (
            correction_request::Column::CallId.eq(u.call.id.as_str()),
            appeal::Column::CallId.eq(u.call.id.as_str()),
        ),
    };
    let corrections = correction_request::Entity::find()
        .filter(requests)
        .filter(correction_request::Column::Status.eq(CorrectionStatus::Pending))
        .count(conn)
        .await?;
    let appeals = appeal::Entity::find()
        .filter(appeals)
        .filter(appeal::Column::Status.eq(AppealStatus::Pending))
        .count(conn)
        .await?;
    remedies::check_no_pending(corrections as usize, appeals as usize)?;
    Ok(())
}

/// Who reads a call's remedies: its orderer every one, a bidder its own requests and every
/// appeal, anyone else none.
pub enum RemedyReader {
    Orderer,
    Bidder(String),
    Other,
}

/// The correction requests of a call that `reader` may see, oldest first.
pub fn corrections_for(
    reader: &RemedyReader,
    rows: Vec<correction_request::Model>,
) -> Vec<correction_request::Model> {
    match reader {
        RemedyReader::Orderer => rows,
        RemedyReader::Bidder(org) => rows
            .into_iter()
            .filter(|r| &r.requester_id == org)
            .collect(),
        RemedyReader::Other => Vec::new(),
    }
}

/// The appeals of a call that `reader` may see.
pub fn appeals_for(reader: &RemedyReader, rows: Vec<appeal::Model>) -> Vec<appeal::Model> {
    match reader {
        RemedyReader::Orderer | RemedyReader::Bidder(_) => rows,
        RemedyReader::Other => Vec::new(),
    }
}

/// The award decision `id` (an awarded call's id, or an awarded lot's) as its printable
/// document (everything on it is public once the award is made); NOT_FOUND for anything else.
pub async fn decision_document(
    state: &crate::state::AppState,
    id: &str,
) -> AppResult<crate::decision::Decision> {
    decision_of(state.db.conn(), id).await
}

/// The award decision document as `conn` sees it (inside the award's own unit of work too).
pub async fn decision_of<C: sea_orm::ConnectionTrait>(
    conn: &C,
    id: &str,
) -> AppResult<crate::decision::Decision> {
    let not_found = || AppError::not_found("id: no such award decision");
    let a = query::given::<award::Entity, _>(conn, "id", id, "award decision")
        .await
        .map_err(|_| not_found())?;
    let c = query::given::<call::Entity, _>(conn, "id", &a.call_id, "call").await?;
    if c.published_at.is_none() {
        return Err(not_found());
    }
    let lot = match &a.lot_id {
        Some(l) => Some(query::given::<entity::lot::Entity, _>(conn, "id", l, "lot").await?),
        None => None,
    };
    let ranking = award_ranking::Entity::find()
        .filter(award_ranking::Column::AwardId.eq(a.id.as_str()))
        .order_by_asc(award_ranking::Column::Rank)
        .all(conn)
        .await?;
    let winner = ranking
        .iter()
        .find(|r| r.bid_id == a.bid_id)
        .map(|r| r.bidder_id.clone())
        .unwrap_or_default();
    let mut ids: Vec<String> = ranking.iter().map(|r| r.bidder_id.clone()).collect();
    ids.push(c.orderer_id.clone());
    let names = outbox::organization_names(conn, ids).await?;
    let name = |id: &str| names.get(id).cloned().unwrap_or_default();
    Ok(crate::decision::Decision {
        call_title: lots::Names::of(&c, lot.as_ref()).title().fi.to_owned(),
        orderer: name(&c.orderer_id),
        decided_at: a.decided_at,
        awarded: name(&winner),
        justification: a.justification.clone(),
        ranking: ranking
            .iter()
            .map(|r| {
                (
                    r.rank,
                    name(&r.bidder_id),
                    crate::domain::money::display(r.total_price.0).to_string(),
                    crate::domain::money::display(r.total_score.0).to_string(),
                )
            })
            .collect(),
        remedies: compose::Remedies {
            standstill_ends_at: a.standstill_ends_at,
            correction_deadline: remedies::correction_deadline(a.decided_at),
            appeal_deadline: remedies::appeal_deadline(a.decided_at),
        },
    })
}
