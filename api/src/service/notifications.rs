//! Who is told what: the events that queue e-mail (each inside the transaction of its
//! change), category subscriptions, the deadline reminders, and the `notifications` query.

use super::PageLimits;
use super::audit::AuditEntry;
use super::query;
use super::work::Work;
use crate::domain::validate;
use crate::email::compose::{self, BidAction, RankingLine};
use crate::email::outbox::{self, Mail};
use crate::error::AppResult;
use crate::service::Cx;
use crate::state::AppState;
use chrono::{DateTime, TimeDelta, Utc};
use entity::{
    BidStatus, CallStatus, RealizationStatus, Role, bid, call, call_line, call_reminder,
    category_subscription, notification, product, question, service_contract as sc, user,
};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

/// The organisations with a standing bid on a call.
async fn bidder_orgs<C: ConnectionTrait>(conn: &C, call_id: &str) -> AppResult<Vec<String>> {
    query::column::<bid::Entity, _, _>(
        conn,
        bid::Column::BidderId,
        Condition::all()
            .add(bid::Column::CallId.eq(call_id))
            .add(bid::Column::Status.eq(BidStatus::Submitted)),
    )
    .await
}

/// The product categories of a call's lines.
pub async fn categories_of<C: ConnectionTrait>(conn: &C, call_id: &str) -> AppResult<Vec<String>> {
    let products = query::select::<call_line::Entity>(
        call_line::Column::ProductId,
        call_line::Column::CallId
            .eq(call_id)
            .and(call_line::Column::RetiredIn.is_null()),
    );
    let mut cats: Vec<String> = query::column::<product::Entity, _, _>(
        conn,
        product::Column::Category,
        product::Column::Id.in_subquery(products),
    )
    .await?;
    cats.sort();
    cats.dedup();
    Ok(cats)
}

/// Producer users subscribed to any of these categories.
async fn subscribers<C: ConnectionTrait>(
    conn: &C,
    categories: &[String],
) -> AppResult<Vec<user::Model>> {
    if categories.is_empty() {
        return Ok(Vec::new());
    }
    let subscribed = query::select::<category_subscription::Entity>(
        category_subscription::Column::UserId,
        category_subscription::Column::Category.is_in(categories.to_vec()),
    );
    Ok(user::Entity::find()
        .filter(user::Column::Id.in_subquery(subscribed))
        .filter(user::Column::Role.eq(Role::Producer))
        .all(conn)
        .await?)
}

/// The submitting user gets the receipt of a submission, replacement or withdrawal.
pub fn bid_receipt(
    w: &Work<'_>,
    now: DateTime<Utc>,
    submitter: Option<&user::Model>,
    c: &call::Model,
    b: &bid::Model,
    action: BidAction,
) -> AppResult<()> {
    let Some(u) = submitter else {
        return Ok(());
    };
    w.mail(
        now,
        std::slice::from_ref(u),
        &bid_receipt_mail(c, b, action, now),
    )?;
    Ok(())
}

/// The receipt of bid `b` (as just stored at `now`) for its submitter.
pub fn bid_receipt_mail(
    c: &call::Model,
    b: &bid::Model,
    action: BidAction,
    now: DateTime<Utc>,
) -> Mail {
    let mut mail = compose::bid_receipt(
        compose::Title::of(c),
        action,
        b.version,
        &b.receipt,
        now,
        c.submission_deadline,
    );
    // Its delivery is recorded in the call's sealed log, and only the bidder sees it.
    mail.sealed_call = Some(c.id.clone());
    mail
}

/// The call's ORDERER users.
pub async fn orderer_users<C: ConnectionTrait>(
    conn: &C,
    c: &call::Model,
) -> AppResult<Vec<user::Model>> {
    Ok(outbox::users_of(conn, vec![c.orderer_id.clone()])
        .await?
        .into_iter()
        .filter(|u| u.role == Role::Orderer)
        .collect())
}

/// The call's orderer users hear of a new question: the call's title and the question's
/// text only; the asker (organisation or user) is not named.
pub async fn question_asked(
    w: &Work<'_>,
    now: DateTime<Utc>,
    q: &question::Model,
    c: &call::Model,
) -> AppResult<()> {
    let users = orderer_users(w.conn(), c).await?;
    w.mail(
        now,
        &users,
        &compose::question_asked(compose::Title::of(c), &q.text),
    )?;
    Ok(())
}

/// The asker hears that the answer is published.
pub async fn answer_published(
    w: &Work<'_>,
    now: DateTime<Utc>,
    q: &question::Model,
    c: &call::Model,
) -> AppResult<()> {
    let Some(u) = outbox::user(w.conn(), &q.asker_user_id).await? else {
        return Ok(());
    };
    let mut mail = compose::answer_published(
        compose::Title::of(c),
        &q.text,
        q.answer.as_deref().unwrap_or_default(),
    );
    // Who asked is for the asker's own organisation only.
    mail.private = true;
    w.mail(now, &[u], &mail)?;
    Ok(())
}

/// Providers subscribed to one of the call's categories hear of its publication.
pub async fn call_published(w: &Work<'_>, now: DateTime<Utc>, c: &call::Model) -> AppResult<()> {
    let cats = categories_of(w.conn(), &c.id).await?;
    let users = subscribers(w.conn(), &cats).await?;
    w.mail(
        now,
        &users,
        &compose::call_published(compose::Title::of(c), &cats, c.submission_deadline),
    )?;
    Ok(())
}

/// The subscribers of a published call's categories, before (`categories_before`) or after the
/// change, hear of a change to it.
pub async fn call_changed(
    w: &Work<'_>,
    now: DateTime<Utc>,
    c: &call::Model,
    categories_before: Vec<String>,
    mail: &Mail,
) -> AppResult<()> {
    let mut cats = categories_of(w.conn(), &c.id).await?;
    cats.extend(categories_before);
    cats.sort();
    cats.dedup();
    let users = subscribers(w.conn(), &cats).await?;
    w.mail(now, &users, mail)?;
    Ok(())
}

/// Every bidder's users hear of a cancellation or an unsuccessful end. While the call's
/// bids are sealed (a cancellation before the deadline) the notices are private to their
/// recipients and their delivery is recorded in the call's sealed log, so the bidders of a
/// call cancelled before its deadline stay sealed for good.
pub async fn bidders_told(
    w: &Work<'_>,
    now: DateTime<Utc>,
    c: &call::Model,
    mail: &Mail,
) -> AppResult<()> {
    let users = outbox::users_of(w.conn(), bidder_orgs(w.conn(), &c.id).await?).await?;
    let mut mail = mail.clone();
    if c.bids_opened_at.is_none() && now < c.submission_deadline {
        mail.sealed_call = Some(c.id.clone());
    }
    w.mail(now, &users, &mail)?;
    Ok(())
}

/// An award decision as its bidders are served it.
pub struct Decided<'a> {
    /// The bidders told: the call's, or the lot's.
    pub bidders: Vec<String>,
    /// What was awarded: the call's title, or the lot's.
    pub title: compose::Title<'a>,
    pub ranking: &'a [RankingLine],
    /// Each bidder organisation's own result.
    pub results: &'a std::collections::HashMap<String, compose::OwnResult>,
    pub justification: &'a str,
    pub remedies: compose::Remedies,
}

/// Every bidder's users hear the award decision: their own result (awarded, their rank and
/// scores, or why they did not qualify), the ranking, the justification, the standstill end
/// and the remedies.
pub async fn award_decided(w: &Work<'_>, now: DateTime<Utc>, d: Decided<'_>) -> AppResult<()> {
    for org in d.bidders {
        // A standing bid without a result was not evaluated: it is not current.
        let own = d
            .results
            .get(&org)
            .unwrap_or(&compose::OwnResult::NotCurrent);
        let users = outbox::users_of(w.conn(), vec![org.clone()]).await?;
        let mail = compose::award_decision(d.title, own, d.ranking, d.justification, d.remedies);
        w.mail(now, &users, &mail)?;
    }
    Ok(())
}

/// A readable name for a contract in e-mails.
async fn contract_title<C: ConnectionTrait>(conn: &C, c: &sc::Model) -> AppResult<String> {
    if let Some(call_id) = &c.source_call_id
        && let Some(call) = call::Entity::find_by_id(call_id.clone()).one(conn).await?
    {
        // A lot's contract is named by its call and lot.
        let lot = match &c.lot_id {
            Some(id) => {
                entity::lot::Entity::find_by_id(id.clone())
                    .one(conn)
                    .await?
            }
            None => None,
        };
        let names = super::lots::Names::of(&call, lot.as_ref());
        return Ok(names.title().fi.to_owned());
    }
    let names = outbox::organization_names(conn, vec![c.producer_id.clone()]).await?;
    Ok(format!(
        "{} {} – {}",
        names.get(&c.producer_id).cloned().unwrap_or_default(),
        c.start_date,
        c.end_date
    ))
}

/// The producer's users hear of their contract: `mail` is composed from its title.
async fn producer_told(
    w: &Work<'_>,
    now: DateTime<Utc>,
    c: &sc::Model,
    mail: impl FnOnce(&str) -> Mail,
) -> AppResult<()> {
    let title = contract_title(w.conn(), c).await?;
    let users = outbox::users_of(w.conn(), vec![c.producer_id.clone()]).await?;
    w.mail(now, &users, &mail(&title))?;
    Ok(())
}

/// The producer's users hear that their contract is active.
pub async fn contract_activated(w: &Work<'_>, now: DateTime<Utc>, c: &sc::Model) -> AppResult<()> {
    let (value, start, end) = (c.total_value.0, c.start_date, c.end_date);
    producer_told(w, now, c, |title| {
        compose::contract_activated(title, value, start, end)
    })
    .await
}

/// The other party's users hear that `signer` (the orderer or the producer organisation)
/// signed the contract, and whether it is now signed by both.
pub async fn contract_signed(
    w: &Work<'_>,
    now: DateTime<Utc>,
    c: &sc::Model,
    signer: &str,
    both: bool,
) -> AppResult<()> {
    let title = contract_title(w.conn(), c).await?;
    let other = if signer == c.orderer_id {
        &c.producer_id
    } else {
        &c.orderer_id
    };
    let names = outbox::organization_names(w.conn(), vec![signer.to_owned()]).await?;
    let users = outbox::users_of(w.conn(), vec![other.clone()]).await?;
    let by = names.get(signer).map_or("", String::as_str);
    w.mail(now, &users, &compose::contract_signed(&title, by, both))?;
    Ok(())
}

/// The producer's users hear of an amendment of their contract (`reason`) or of its
/// termination.
pub async fn contract_changed(
    w: &Work<'_>,
    now: DateTime<Utc>,
    c: &sc::Model,
    reason: &str,
) -> AppResult<()> {
    let value = c.total_value.0;
    match c.terminated_on {
        Some(on) => producer_told(w, now, c, |t| compose::contract_terminated(t, on, reason)).await,
        None => {
            let version = c.version;
            producer_told(w, now, c, |t| {
                compose::contract_amended(t, version, value, reason)
            })
            .await
        }
    }
}

/// The orderer's users hear of a realisation turning OVER or UNDER.
pub async fn deviation(
    w: &Work<'_>,
    now: DateTime<Utc>,
    c: &sc::Model,
    status: RealizationStatus,
    period: &str,
    forecast: rust_decimal::Decimal,
) -> AppResult<()> {
    let title = contract_title(w.conn(), c).await?;
    let users = outbox::users_of(w.conn(), vec![c.orderer_id.clone()]).await?;
    let mail = compose::deviation(&title, status, period, forecast, c.total_value.0);
    w.mail(now, &users, &mail)?;
    Ok(())
}

/// Writes, once per call, the reminder to every provider subscribed to one of its
/// categories, when a published call's submission deadline is less than 24 hours away.
/// Bidders are reminded too: leaving them out would tell, from the list of recipients, who
/// has bid (the reminder says a standing bid may still be replaced).
pub async fn write_deadline_reminders(state: &AppState) -> AppResult<usize> {
    let now = state.now();
    let soon = call::Entity::find()
        .filter(call::Column::Status.eq(CallStatus::Published))
        .filter(call::Column::SubmissionDeadline.gt(now))
        .filter(call::Column::SubmissionDeadline.lte(now + TimeDelta::hours(24)))
        .filter(
            call::Column::Id.not_in_subquery(query::select::<call_reminder::Entity>(
                call_reminder::Column::CallId,
                Condition::all(),
            )),
        )
        .all(state.db.conn())
        .await?;
    let mut written = 0;
    for c in soon {
        let queued = work!(state, |w| {
            call_reminder::ActiveModel {
                call_id: Set(c.id.clone()),
                sent_at: Set(now),
            }
            .insert(w.conn())
            .await?;
            let cats = categories_of(w.conn(), &c.id).await?;
            let users: Vec<user::Model> = subscribers(w.conn(), &cats).await?;
            let mail = compose::deadline_reminder(compose::Title::of(&c), c.submission_deadline);
            let n = w.mail(now, &users, &mail)?;
            w.audit(
                now,
                AuditEntry::system("call.deadline_reminder", "call", &c.id)
                    .orderer(&c.orderer_id)
                    .summary(serde_json::json!({ "recipients": n })),
            )?;
            Ok(n)
        });
        match queued {
            Ok(n) => written += n,
            // Another process wrote this call's reminder at the same moment.
            Err(e) if e.is_unique_violation() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(written)
}

/// PRODUCER users follow product categories; returns the caller's categories.
pub async fn subscribe(
    Cx { state, caller }: Cx<'_>,
    category: &str,
    on: bool,
) -> AppResult<Vec<String>> {
    let actor = caller
        .require_role(Role::Producer, "subscribe to categories")?
        .clone();
    let category = validate::text("category", category, 100)?;
    let now = state.now();
    work!(state, |w| {
        let existing =
            category_subscription::Entity::find_by_id((actor.user_id.clone(), category.clone()))
                .one(w.conn())
                .await?;
        match (on, existing) {
            (true, None) => {
                category_subscription::ActiveModel {
                    user_id: Set(actor.user_id.clone()),
                    category: Set(category.clone()),
                    created_at: Set(now),
                }
                .insert(w.conn())
                .await?;
            }
            (false, Some(s)) => {
                category_subscription::Entity::delete_by_id((s.user_id, s.category))
                    .exec(w.conn())
                    .await?;
            }
            _ => {}
        }
        let list = subscriptions_of(w.conn(), &actor.user_id).await?;
        w.audit(
            now,
            super::audit::AuditEntry {
                actor: Some(&actor.user_id),
                action: if on {
                    "user.subscribe"
                } else {
                    "user.unsubscribe"
                },
                entity: "user",
                entity_id: &actor.user_id,
                orderer: None,
                sealed_until: None,
                summary: serde_json::json!({ "category": category }),
            },
        )?;
        Ok(list)
    })
}

pub async fn subscriptions_of<C: ConnectionTrait>(
    conn: &C,
    user_id: &str,
) -> AppResult<Vec<String>> {
    Ok(category_subscription::Entity::find()
        .filter(category_subscription::Column::UserId.eq(user_id))
        .order_by_asc(category_subscription::Column::Category)
        .all(conn)
        .await?
        .into_iter()
        .map(|s| s.category)
        .collect())
}

pub const NOTIFICATIONS_PAGE: PageLimits = PageLimits::new(50, 500);

/// Admins see every notification except the private ones (bid receipts, notices to the
/// bidders of a sealed call, answers to an asker), which are their recipient's alone;
/// everyone else sees their own. Newest first.
pub async fn list(
    Cx { state, caller }: Cx<'_>,
    first: Option<i32>,
) -> AppResult<Vec<notification::Model>> {
    let actor = caller.require()?;
    let limit = NOTIFICATIONS_PAGE.size(first)?;
    let now = state.now();
    let mut q = notification::Entity::find()
        .order_by_desc(notification::Column::Id)
        .limit(limit);
    q = if actor.role == Role::Admin {
        q.filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(notification::Column::Private.eq(false))
                        .add(
                            Condition::any()
                                .add(notification::Column::SealedUntil.is_null())
                                .add(notification::Column::SealedUntil.lte(now)),
                        ),
                )
                .add(notification::Column::RecipientUserId.eq(actor.user_id.as_str())),
        )
    } else {
        q.filter(notification::Column::RecipientUserId.eq(actor.user_id.as_str()))
    };
    Ok(q.all(state.db.conn()).await?)
}
