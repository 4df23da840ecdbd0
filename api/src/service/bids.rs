//! Sealed bids: submission (which replaces an earlier bid), withdrawal, and reading under
//! the seal of `domain::bid`.

use super::PageLimits;
use super::bid_batch::Submission;
use super::documents;
use super::query::column;
use super::seal::{self, SealedEntry};
use super::work::Work;
use super::{new_id, parse_id};
use crate::domain::bid::{self, BidInput, BidTerms, BiddingClosed, ValidBid};
use crate::domain::call::Viewer;
use crate::email::compose::BidAction;
use crate::email::outbox;
use crate::error::{AppError, AppResult};
use crate::service::Cx;
use chrono::{DateTime, Utc};
use entity::{
    BidStatus, Money, OrganizationKind, ResponseKind, Role, bid as bid_entity, bid_line,
    bid_response, call as call_entity, capability_requirement, organization, quality_criterion,
    user,
};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

fn closed(e: BiddingClosed, deadline: DateTime<Utc>) -> AppError {
    match e {
        BiddingClosed::DeadlinePassed => AppError::DeadlinePassed(format!(
            "the submission deadline {} has passed",
            deadline.to_rfc3339()
        )),
        BiddingClosed::NotOpen(s) => AppError::InvalidState(format!(
            "bids are not taken on a call that is {}",
            s.as_str()
        )),
    }
}

async fn terms<C: ConnectionTrait>(conn: &C, c: &call_entity::Model) -> AppResult<BidTerms> {
    let lines = super::calls::lines_of(conn, &c.id).await?;
    let requirement_ids = column::<capability_requirement::Entity, _, _>(
        conn,
        capability_requirement::Column::Id,
        capability_requirement::Column::CallId
            .eq(c.id.as_str())
            .and(capability_requirement::Column::RetiredIn.is_null()),
    )
    .await?;
    let criterion_ids = column::<quality_criterion::Entity, _, _>(
        conn,
        quality_criterion::Column::Id,
        quality_criterion::Column::CallId
            .eq(c.id.as_str())
            .and(quality_criterion::Column::RetiredIn.is_null()),
    )
    .await?;
    Ok(BidTerms {
        lines: lines.into_iter().map(|l| (l.id, l.quantity.0)).collect(),
        requirement_ids,
        criterion_ids,
        max_subcontracting_share: c.max_subcontracting_share.map(|m| m.0),
        lots: super::lots::lot_lines(conn, &c.id).await?,
    })
}

/// The bidder organisation, read before the unit of work (its kind decides `inHouse`).
async fn bidder_of<C: ConnectionTrait>(conn: &C, org_id: &str) -> AppResult<organization::Model> {
    organization::Entity::find_by_id(org_id.to_owned())
        .one(conn)
        .await?
        .ok_or_else(|| {
            AppError::Unauthenticated("the token's organization no longer exists".into())
        })
}

/// The bidder organisation and the submitting user (whom the receipt is sent to), read
/// before the unit of work in one statement.
async fn bidder_and_submitter<C: ConnectionTrait>(
    conn: &C,
    actor: &crate::auth::Actor,
) -> AppResult<(organization::Model, Option<user::Model>)> {
    let found = user::Entity::find_by_id(actor.user_id.clone())
        .find_also_related(organization::Entity)
        .one(conn)
        .await?;
    match found {
        Some((u, Some(org))) if org.id == actor.organization_id => Ok((org, Some(u))),
        // The user is gone, or the token names another organisation than the user's now:
        // the token's organisation bids, as always.
        Some((u, _)) => Ok((bidder_of(conn, &actor.organization_id).await?, Some(u))),
        None => Ok((bidder_of(conn, &actor.organization_id).await?, None)),
    }
}

/// Locks the bidder organisation's row for this unit on PostgreSQL (`SELECT … FOR UPDATE`), so
/// one organisation's concurrent submissions through several processes apply one after the
/// other, and returns it as it is now. On SQLite the unit holds the database's one write lock
/// already: the row read before the unit is used as it is, without a statement on the
/// writer's serial path.
async fn lock_bidder(w: &Work<'_>, read: organization::Model) -> AppResult<organization::Model> {
    if w.conn().get_database_backend() != DbBackend::Postgres {
        return Ok(read);
    }
    organization::Entity::find_by_id(read.id)
        .lock_exclusive()
        .one(w.conn())
        .await?
        .ok_or_else(|| {
            AppError::Unauthenticated("the token's organization no longer exists".into())
        })
}

/// The terms bids on a call are checked against, kept by (call, version, material version):
/// its lines, requirements, criteria and lots change only with a new version, so an entry is
/// never stale. At most `TERMS_KEPT` calls' terms are kept; then they are read again.
#[derive(Default)]
pub struct TermsCache(std::sync::Mutex<HashMap<(String, i32, i32), Arc<BidTerms>>>);

const TERMS_KEPT: usize = 256;

impl TermsCache {
    async fn of<C: ConnectionTrait>(
        &self,
        conn: &C,
        c: &call_entity::Model,
    ) -> AppResult<Arc<BidTerms>> {
        let key = (c.id.clone(), c.version, c.material_version);
        if let Some(t) = self.lock().get(&key) {
            return Ok(t.clone());
        }
        let t = Arc::new(terms(conn, c).await?);
        let mut kept = self.lock();
        if kept.len() >= TERMS_KEPT {
            kept.clear();
        }
        kept.insert(key, t.clone());
        Ok(t)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, i32, i32), Arc<BidTerms>>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn changed_materially() -> AppError {
    AppError::InvalidState(
        "the call was changed materially while the bid was being sent: review it against the call as it now stands and submit it again".into(),
    )
}

/// PRODUCER: submits the organisation's bid, replacing an earlier one (version + 1).
pub async fn submit_bid(
    Cx { state, caller }: Cx<'_>,
    call_id: &str,
    input: BidInput,
) -> AppResult<bid_entity::Model> {
    let actor = caller.require_role(Role::Producer, "submit bids")?.clone();
    let open = |c: &call_entity::Model, now| {
        bid::check_bidding_open(c.status, c.submission_deadline, now)
            .map_err(|e| closed(e, c.submission_deadline))
    };
    // The bid is checked against the call's lines, requirements and criteria before the unit of
    // work; the unit (in the process's one writer) then re-reads what can
    // change: the call's status and deadline, and its material version (a bid checked against
    // terms a material change replaced in between is refused, to be checked again).
    // A plain read, outside any transaction: a shared lock here would wait for the writer's
    // batch, which holds the call locked until it commits.
    let before = call_entity::Entity::find_by_id(parse_id("callId", call_id)?)
        .one(state.db.conn())
        .await?
        .ok_or_else(|| AppError::not_found("callId: no such call"))?;
    open(&before, state.now())?;
    let terms = state.bid_terms.of(state.db.conn(), &before).await?;
    let valid: ValidBid = bid::validate_bid(&terms, input)?;
    // Read before the unit, off the writer's serial path: the bidder and the user the
    // receipt goes to.
    let (bidder, submitter) = bidder_and_submitter(state.db.conn(), &actor).await?;
    if valid.document_ids.is_empty() {
        // Nothing to attach: the batch stores it with the others (`bid_batch`).
        let mut unit = super::work::buffered(state).await?;
        let id = super::parse_id("callId", call_id)?;
        let c = unit
            .call(&id)
            .await?
            .ok_or_else(|| AppError::not_found("callId: no such call"))?;
        // The time of receipt, read with the call locked and the writer's slot held, as below.
        let now = state.now();
        open(&c, now)?;
        if c.bids_opened_at.is_some() {
            return Err(closed(BiddingClosed::DeadlinePassed, c.submission_deadline));
        }
        if c.material_version != before.material_version {
            return Err(changed_materially());
        }
        let (reply, made) = tokio::sync::oneshot::channel();
        unit.submit(Submission {
            call_id: c.id,
            bidder,
            user_id: actor.user_id.clone(),
            submitter,
            valid,
            at: now,
            reply,
        })
        .await?;
        return made.await.map_err(|_| {
            AppError::Internal(anyhow::anyhow!(
                "the batch stored no bid for the submission"
            ))
        });
    }
    work!(state, |w| {
        let bidder = lock_bidder(w, bidder).await?;
        // The call row holds the head of its sealed log: locking it serialises this call's
        // bidders (and nobody else's). The time of receipt is read again once it is locked: a
        // bid queued behind others in the last second is judged by when it is actually taken
        // in, receipt times follow the order of the sealed log, and none is taken in after the
        // log was opened.
        let mut log = seal::lock(w.conn(), "callId", call_id).await?;
        let now = state.now();
        open(&log.call, now)?;
        if !log.is_sealed() {
            return Err(closed(
                BiddingClosed::DeadlinePassed,
                log.call.submission_deadline,
            ));
        }
        if log.call.material_version != before.material_version {
            return Err(changed_materially());
        }
        let c = log.call.clone();
        let existing = bid_entity::Entity::find()
            .filter(bid_entity::Column::CallId.eq(c.id.as_str()))
            .filter(bid_entity::Column::BidderId.eq(bidder.id.as_str()))
            .one(w.conn())
            .await?;
        let version = existing.as_ref().map_or(1, |b| b.version + 1);
        let bid_id = existing.as_ref().map_or_else(new_id, |b| b.id.clone());
        // A replacement's attachments are those it names: the earlier version's go back to the
        // organisation, unattached, and may be named again.
        if existing.is_some() {
            documents::release(w, documents::BID, &bid_id).await?;
        }
        let docs = documents::attach(
            w,
            documents::BID,
            &bid_id,
            &bidder.id,
            &valid.document_ids,
            "documentIds",
        )
        .await?;
        let hashes: Vec<&str> = docs.iter().map(|d| d.sha256.as_str()).collect();
        let canonical = bid::canonical_bid(&c.id, &bidder.id, version, &valid, &hashes, now);
        let receipt = bid::receipt(&canonical);
        let in_house = bidder.kind == OrganizationKind::InHouseProducer;
        let replaced = existing.is_some();
        let mut am: bid_entity::ActiveModel = match existing {
            Some(old) => {
                bid_line::Entity::delete_many()
                    .filter(bid_line::Column::BidId.eq(old.id.as_str()))
                    .exec(w.conn())
                    .await?;
                bid_response::Entity::delete_many()
                    .filter(bid_response::Column::BidId.eq(old.id.as_str()))
                    .exec(w.conn())
                    .await?;
                old.into()
            }
            None => bid_entity::ActiveModel {
                id: Set(bid_id.clone()),
                call_id: Set(c.id.clone()),
                bidder_id: Set(bidder.id.clone()),
                ..Default::default()
            },
        };
        fill(
            &mut am,
            &valid,
            &actor.user_id,
            in_house,
            version,
            now,
            &receipt,
        );
        // Submitted against the call as it stands (read under the call's lock).
        am.call_version = Set(c.version);
        let saved = if replaced {
            am.update(w.conn()).await?
        } else {
            am.insert(w.conn()).await?
        };
        w.insert_all(line_rows(&saved.id, &valid)).await?;
        w.insert_all(response_rows(&saved.id, &valid)).await?;
        let mut summary = submission_summary(&c.id, &bidder.id, version, &receipt);
        if !hashes.is_empty() {
            // The hashes the receipt covers, sorted, and nothing else of the documents: the log
            // is read by admins and, once opened, by the orderer, neither of whom may read a
            // withdrawn bid's documents or their names.
            let mut sorted = hashes.clone();
            sorted.sort_unstable();
            summary["documents"] = json!(sorted);
        }
        w.seal(
            &mut log,
            now,
            SealedEntry::by(
                &actor.user_id,
                if replaced {
                    "bid.replace"
                } else {
                    "bid.submit"
                },
                "bid",
                &saved.id,
            )
            .summary(summary),
        )
        .await?;
        let action = if replaced {
            BidAction::Replaced
        } else {
            BidAction::Submitted
        };
        super::notifications::bid_receipt(w, now, submitter.as_ref(), &c, &saved, action)?;
        Ok(saved)
    })
}

/// The lines of bid `bid_id` as `v` prices them.
pub(super) fn line_rows<'a>(
    bid_id: &'a str,
    v: &'a ValidBid,
) -> impl Iterator<Item = bid_line::ActiveModel> + 'a {
    v.lines
        .iter()
        .map(move |(line, price)| bid_line::ActiveModel {
            bid_id: Set(bid_id.to_owned()),
            call_line_id: Set(line.clone()),
            unit_price: Set(Money(*price)),
        })
}

/// The capability and quality responses of bid `bid_id` in `v`.
pub(super) fn response_rows<'a>(
    bid_id: &'a str,
    v: &'a ValidBid,
) -> impl Iterator<Item = bid_response::ActiveModel> + 'a {
    v.capability_responses
        .iter()
        .map(|r| (r, ResponseKind::Capability))
        .chain(
            v.quality_responses
                .iter()
                .map(|r| (r, ResponseKind::Quality)),
        )
        .map(move |((target, text), kind)| bid_response::ActiveModel {
            bid_id: Set(bid_id.to_owned()),
            target_id: Set(target.clone()),
            kind: Set(kind),
            text: Set(text.clone()),
        })
}

/// What the sealed log records of a submission (documents' hashes are added by the caller).
pub(super) fn submission_summary(
    call_id: &str,
    bidder_id: &str,
    version: i32,
    receipt: &str,
) -> serde_json::Value {
    json!({
        "callId": call_id,
        "bidderId": bidder_id,
        "version": version,
        "receipt": receipt,
    })
}

fn fill(
    am: &mut bid_entity::ActiveModel,
    b: &ValidBid,
    user: &str,
    in_house: bool,
    version: i32,
    now: DateTime<Utc>,
    receipt: &str,
) {
    am.submitted_by = Set(user.to_owned());
    am.in_house = Set(in_house);
    am.status = Set(BidStatus::Submitted);
    am.version = Set(version);
    am.total_price = Set(Money(b.total_price));
    am.annual_turnover = Set(Money(b.annual_turnover));
    am.equity_ratio = Set(Money(b.equity_ratio));
    am.credit_rating = Set(b.credit_rating);
    am.subcontracting_share = Set(Money(b.subcontracting_share));
    am.submitted_at = Set(now);
    am.receipt = Set(receipt.to_owned());
    am.withdrawn_at = Set(None);
}

/// PRODUCER: withdraws the organisation's bid before the deadline.
pub async fn withdraw_bid(
    Cx { state, caller }: Cx<'_>,
    call_id: &str,
) -> AppResult<bid_entity::Model> {
    let actor = caller
        .require_role(Role::Producer, "withdraw bids")?
        .clone();
    let bidder = bidder_of(state.db.conn(), &actor.organization_id).await?;
    let submitter = outbox::user(state.db.conn(), &actor.user_id).await?;
    work!(state, |w| {
        let bidder = lock_bidder(w, bidder).await?;
        let mut log = seal::lock(w.conn(), "callId", call_id).await?;
        let now = state.now();
        let c = log.call.clone();
        bid::check_bidding_open(c.status, c.submission_deadline, now)
            .map_err(|e| closed(e, c.submission_deadline))?;
        if !log.is_sealed() {
            return Err(closed(BiddingClosed::DeadlinePassed, c.submission_deadline));
        }
        let b = bid_entity::Entity::find()
            .filter(bid_entity::Column::CallId.eq(c.id.as_str()))
            .filter(bid_entity::Column::BidderId.eq(bidder.id.as_str()))
            .one(w.conn())
            .await?
            .ok_or_else(|| {
                AppError::not_found("callId: your organization has no bid on this call")
            })?;
        if b.status == BidStatus::Withdrawn {
            return Err(AppError::InvalidState(
                "the bid is already withdrawn".into(),
            ));
        }
        let mut am: bid_entity::ActiveModel = b.into();
        am.status = Set(BidStatus::Withdrawn);
        am.withdrawn_at = Set(Some(now));
        let b = am.update(w.conn()).await?;
        w.seal(
            &mut log,
            now,
            SealedEntry::by(&actor.user_id, "bid.withdraw", "bid", &b.id)
                .summary(json!({ "callId": c.id, "bidderId": bidder.id, "version": b.version })),
        )
        .await?;
        super::notifications::bid_receipt(
            w,
            now,
            submitter.as_ref(),
            &c,
            &b,
            BidAction::Withdrawn,
        )?;
        Ok(b)
    })
}

/// Whether the viewer may see this bid of this call at `now` (the seal).
pub fn may_see(
    viewer: Viewer<'_>,
    b: &bid_entity::Model,
    c: &call_entity::Model,
    now: DateTime<Utc>,
) -> bool {
    bid::can_see_bid(
        viewer,
        &b.bidder_id,
        &c.orderer_id,
        b.status == BidStatus::Withdrawn,
        seal::bids_open(c, now),
    )
}

/// A bid by id, or nothing when it does not exist or is sealed from the caller.
pub async fn get_bid(
    Cx { state, caller }: Cx<'_>,
    id: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<bid_entity::Model>> {
    let Ok(id) = parse_id("id", id) else {
        return Ok(None);
    };
    let Some(b) = bid_entity::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
    else {
        return Ok(None);
    };
    let Some(c) = call_entity::Entity::find_by_id(b.call_id.clone())
        .one(state.db.conn())
        .await?
    else {
        return Ok(None);
    };
    Ok(may_see(caller.viewer(), &b, &c, now).then_some(b))
}

/// How many bids `my_bids` returns unless asked otherwise, and at most.
pub const MY_BIDS_PAGE: PageLimits = PageLimits::new(50, 500);

/// PRODUCER: the organisation's own bids (their current versions, withdrawn ones included),
/// most recently submitted first. A bidder always sees its own bids.
pub async fn my_bids(
    Cx { state, caller }: Cx<'_>,
    first: Option<i32>,
) -> AppResult<Vec<bid_entity::Model>> {
    let actor = caller.require_role(Role::Producer, "list their bids")?;
    let limit = MY_BIDS_PAGE.size(first)?;
    Ok(bid_entity::Entity::find()
        .filter(bid_entity::Column::BidderId.eq(actor.organization_id.as_str()))
        .order_by_desc(bid_entity::Column::SubmittedAt)
        .order_by_desc(bid_entity::Column::Id)
        .limit(limit)
        .all(state.db.conn())
        .await?)
}
