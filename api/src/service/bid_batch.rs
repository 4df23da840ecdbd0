//! Bid submissions the writer stores a batch at a time: the deadline rush's path.
//!
//! A submission without documents needs nothing from the database that its own checks do not
//! already hold: the call (locked once per batch, with its sealed log's head) and what the
//! bidder has on it. So such a unit only checks, under the writer's slot, that the call takes
//! bids at the time of receipt it reads then, and leaves its submission in the batch's
//! [`Buffer`]. The buffer is stored — a few statements for all its submissions, whatever their
//! number — before the next unit of any other kind runs in the batch and before the batch
//! commits ([`Buffer::flush`]): versions, receipts, the sealed log's links and the receipts'
//! mail are made there, in the order the units ran, exactly as one unit after another would
//! have made them. Nothing is acknowledged before the batch's commit.
//!
//! A submission naming documents takes the ordinary unit (`bids::submit_bid`): attaching a
//! document checks and moves rows another submission may move too.

use super::new_id;
use super::seal::{SealedEntry, SealedLog};
use crate::domain::bid::{self, ValidBid};
use crate::email::compose::BidAction;
use crate::email::outbox;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use entity::{
    BidStatus, Money, OrganizationKind, bid as bid_entity, bid_line, bid_response, call,
    notification, organization, sealed_event, user,
};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, Set};
use std::collections::{HashMap, HashSet};
use tokio::sync::oneshot;

/// One checked submission waiting in the batch.
pub struct Submission {
    pub call_id: String,
    pub bidder: organization::Model,
    pub user_id: String,
    /// Who the receipt goes to (none when the user has no address any more).
    pub submitter: Option<user::Model>,
    pub valid: ValidBid,
    /// The time of receipt, read under the writer's slot with the call locked.
    pub at: DateTime<Utc>,
    /// Told the bid as stored, once the buffer is.
    pub reply: oneshot::Sender<bid_entity::Model>,
}

/// The submissions of the open batch not yet stored, and the calls they locked.
#[derive(Default)]
pub struct Buffer {
    /// Calls locked in this batch since the last flush, with their sealed logs' heads as the
    /// buffered submissions leave them.
    calls: HashMap<String, SealedLog>,
    submissions: Vec<Submission>,
}

/// What storing a buffer leaves for the batch's commit: sealed-log rows and outbox mail.
#[derive(Default)]
pub struct Stored {
    pub sealed: Vec<sealed_event::ActiveModel>,
    pub mail: Vec<notification::ActiveModel>,
}

/// How many rows one statement of a flush writes or names at most (the widest, `bid`, has 16
/// columns: 8 000 values, well under SQLite's 32 766).
const CHUNK: usize = 500;

impl Buffer {
    /// Whether a unit of another kind may run in the batch as it is (nothing buffered, no call
    /// held in memory that such a unit could change under it).
    pub fn is_idle(&self) -> bool {
        self.calls.is_empty() && self.submissions.is_empty()
    }

    /// The call `id` (already parsed), locked in the batch's transaction on first use; its log
    /// as the buffered submissions leave it. `None` when there is no such call. The error is
    /// the database's: the batch's transaction cannot be vouched for after it.
    pub async fn call(
        &mut self,
        txn: &DatabaseTransaction,
        id: &str,
    ) -> Result<Option<&SealedLog>, sea_orm::DbErr> {
        if !self.calls.contains_key(id) {
            let Some(c) = call::Entity::find_by_id(id.to_owned())
                .lock_exclusive()
                .one(txn)
                .await?
            else {
                return Ok(None);
            };
            self.calls.insert(id.to_owned(), SealedLog { call: c });
        }
        Ok(self.calls.get(id))
    }

    /// Leaves a checked submission for the flush (its call is one [`Self::call`] locked).
    pub fn push(&mut self, s: Submission) {
        self.submissions.push(s);
    }

    /// Stores every buffered submission in the order they were pushed, moves the sealed logs'
    /// heads on their call rows, tells each submission its bid, and forgets the calls it
    /// held. Returns the sealed-log rows and mail for the batch's commit.
    pub async fn flush(&mut self, txn: &DatabaseTransaction) -> AppResult<Stored> {
        let submissions = std::mem::take(&mut self.submissions);
        let mut calls = std::mem::take(&mut self.calls);
        let mut out = Stored::default();
        if submissions.is_empty() {
            return Ok(out);
        }
        // What each bidder has on each call now.
        let mut bidders: HashMap<&str, Vec<&str>> = HashMap::new();
        for s in &submissions {
            bidders
                .entry(s.call_id.as_str())
                .or_default()
                .push(s.bidder.id.as_str());
        }
        let mut current: HashMap<(String, String), Current> = HashMap::new();
        for (call_id, mut ids) in bidders {
            ids.sort_unstable();
            ids.dedup();
            for chunk in ids.chunks(CHUNK) {
                let stored = bid_entity::Entity::find()
                    .filter(bid_entity::Column::CallId.eq(call_id))
                    .filter(bid_entity::Column::BidderId.is_in(chunk.iter().copied()))
                    .all(txn)
                    .await?;
                for b in stored {
                    current.insert(
                        (b.call_id.clone(), b.bidder_id.clone()),
                        Current {
                            bid: b,
                            stored: true,
                            made: None,
                        },
                    );
                }
            }
        }
        // The bids this flush writes, in the order first submitted.
        let mut touched: Vec<(String, String)> = Vec::new();
        let mut seen: HashSet<(String, String)> = HashSet::new();
        let mut logs_moved: HashSet<String> = HashSet::new();
        let mut replies = Vec::with_capacity(submissions.len());
        for s in submissions {
            let log = calls.get_mut(&s.call_id).ok_or_else(|| {
                AppError::Internal(anyhow::anyhow!(
                    "buffered submission on call {} that the batch did not lock",
                    s.call_id
                ))
            })?;
            let key = (s.call_id.clone(), s.bidder.id.clone());
            let before = current.remove(&key);
            let version =
                match &before {
                    Some(b) => b.bid.version.checked_add(1).ok_or_else(|| {
                        AppError::Internal(anyhow::anyhow!("bid version overflow"))
                    })?,
                    None => 1,
                };
            let id = before.as_ref().map_or_else(new_id, |b| b.bid.id.clone());
            let replaced = before.is_some();
            let canonical =
                bid::canonical_bid(&s.call_id, &s.bidder.id, version, &s.valid, &[], s.at);
            let receipt = bid::receipt(&canonical);
            let made = bid_entity::Model {
                id,
                call_id: s.call_id.clone(),
                bidder_id: s.bidder.id.clone(),
                submitted_by: s.user_id.clone(),
                in_house: s.bidder.kind == OrganizationKind::InHouseProducer,
                status: BidStatus::Submitted,
                version,
                total_price: Money(s.valid.total_price),
                annual_turnover: Money(s.valid.annual_turnover),
                equity_ratio: Money(s.valid.equity_ratio),
                credit_rating: s.valid.credit_rating,
                subcontracting_share: Money(s.valid.subcontracting_share),
                submitted_at: s.at,
                receipt: receipt.clone(),
                withdrawn_at: None,
                call_version: log.call.version,
            };
            out.sealed.push(
                log.link_next(
                    s.at,
                    SealedEntry::by(
                        &s.user_id,
                        if replaced {
                            "bid.replace"
                        } else {
                            "bid.submit"
                        },
                        "bid",
                        &made.id,
                    )
                    .summary(super::bids::submission_summary(
                        &s.call_id,
                        &s.bidder.id,
                        version,
                        &receipt,
                    )),
                )?,
            );
            logs_moved.insert(s.call_id.clone());
            if let Some(u) = &s.submitter {
                let action = if replaced {
                    BidAction::Replaced
                } else {
                    BidAction::Submitted
                };
                let mail = super::notifications::bid_receipt_mail(&log.call, &made, action, s.at);
                out.mail
                    .extend(outbox::rows(s.at, std::slice::from_ref(u), &mail));
            }
            if seen.insert(key.clone()) {
                touched.push(key.clone());
            }
            replies.push((s.reply, made.clone()));
            current.insert(
                key,
                Current {
                    bid: made,
                    stored: before.is_some_and(|b| b.stored),
                    made: Some(s.valid),
                },
            );
        }
        // The bids as the last submission of each left them, in one statement per chunk.
        let finals: Vec<&Current> = touched.iter().filter_map(|k| current.get(k)).collect();
        let replaced_stored: Vec<&str> = finals
            .iter()
            .filter(|c| c.stored)
            .map(|c| c.bid.id.as_str())
            .collect();
        for chunk in replaced_stored.chunks(CHUNK) {
            let ids = || chunk.iter().copied();
            bid_line::Entity::delete_many()
                .filter(bid_line::Column::BidId.is_in(ids()))
                .exec(txn)
                .await?;
            bid_response::Entity::delete_many()
                .filter(bid_response::Column::BidId.is_in(ids()))
                .exec(txn)
                .await?;
            // A replacement's attachments are those it names (none here): the earlier
            // version's go back to the organisation, unattached.
            super::documents::release_all(txn, super::documents::BID, chunk).await?;
        }
        for chunk in finals.chunks(CHUNK) {
            bid_entity::Entity::insert_many(chunk.iter().map(|c| to_active(&c.bid)))
                .on_conflict(
                    OnConflict::column(bid_entity::Column::Id)
                        .update_columns(REPLACED_COLUMNS)
                        .to_owned(),
                )
                .exec(txn)
                .await?;
        }
        let made = || {
            finals
                .iter()
                .filter_map(|c| c.made.as_ref().map(|v| (c.bid.id.as_str(), v)))
        };
        let lines: Vec<_> = made()
            .flat_map(|(id, v)| super::bids::line_rows(id, v))
            .collect();
        super::work::insert_chunked(txn, lines).await?;
        let responses: Vec<_> = made()
            .flat_map(|(id, v)| super::bids::response_rows(id, v))
            .collect();
        super::work::insert_chunked(txn, responses).await?;
        for id in &logs_moved {
            if let Some(log) = calls.get(id) {
                log.store_head(txn).await?;
            }
        }
        for (reply, made) in replies {
            // A unit whose caller went away is not waiting: its bid is stored all the same,
            // as it would have been had it run alone.
            let _ = reply.send(made);
        }
        Ok(out)
    }
}

/// A bidder's bid on a call as the flush goes: as stored, or as a buffered submission made it.
struct Current {
    bid: bid_entity::Model,
    /// Whether a row for it was stored before this flush.
    stored: bool,
    /// The submission that made it in this flush (its lines and responses are written).
    made: Option<ValidBid>,
}

/// What a new version of a bid changes (its id, call and bidder stay).
const REPLACED_COLUMNS: [bid_entity::Column; 13] = [
    bid_entity::Column::SubmittedBy,
    bid_entity::Column::InHouse,
    bid_entity::Column::Status,
    bid_entity::Column::Version,
    bid_entity::Column::TotalPrice,
    bid_entity::Column::AnnualTurnover,
    bid_entity::Column::EquityRatio,
    bid_entity::Column::CreditRating,
    bid_entity::Column::SubcontractingShare,
    bid_entity::Column::SubmittedAt,
    bid_entity::Column::Receipt,
    bid_entity::Column::WithdrawnAt,
    bid_entity::Column::CallVersion,
];

fn to_active(b: &bid_entity::Model) -> bid_entity::ActiveModel {
    let b = b.clone();
    bid_entity::ActiveModel {
        id: Set(b.id),
        call_id: Set(b.call_id),
        bidder_id: Set(b.bidder_id),
        submitted_by: Set(b.submitted_by),
        in_house: Set(b.in_house),
        status: Set(b.status),
        version: Set(b.version),
        total_price: Set(b.total_price),
        annual_turnover: Set(b.annual_turnover),
        equity_ratio: Set(b.equity_ratio),
        credit_rating: Set(b.credit_rating),
        subcontracting_share: Set(b.subcontracting_share),
        submitted_at: Set(b.submitted_at),
        receipt: Set(b.receipt),
        withdrawn_at: Set(b.withdrawn_at),
        call_version: Set(b.call_version),
    }
}
