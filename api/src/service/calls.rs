//! Calls for tenders: drafting, publishing, cancelling, reading and listing, and the public
//! questions and answers. Visibility follows `domain::call`; status follows the clock.

use super::PageLimits;
use super::audit::AuditEntry;
use super::catalogue::find_product;
use super::query::positioned;
use super::work::Work;
use super::{new_id, parse_id};
use crate::auth::Caller;
use crate::domain::bid::{BiddingClosed, check_questions_open};
use crate::domain::call::{
    self, CallStatus, NewCall, PublishError, Viewer, can_see_call, manages_call,
};
use crate::domain::ocds::TenderEnd;
use crate::domain::validate;
use crate::email::compose;
use crate::email::outbox::Mail;
use crate::error::{AppError, AppResult};
use crate::service::Cx;
use chrono::{DateTime, Utc};
use entity::{
    Money, Role, call as call_entity, call_line, capability_requirement, lot, product,
    quality_criterion, question,
};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, Set,
};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

/// The longest free-text search accepted (SQLite refuses LIKE patterns past 50 000 bytes).
pub const MAX_SEARCH_CHARS: usize = 200;

/// The status a stored call has at `now`.
pub fn status_at(c: &call_entity::Model, now: DateTime<Utc>) -> CallStatus {
    call::effective_status(c.status, c.submission_deadline, now)
}

/// The call if it exists and the caller may see it; otherwise NOT_FOUND, whichever it was.
pub async fn visible_call<C: ConnectionTrait>(
    conn: &C,
    caller: &Caller,
    field: &str,
    id: &str,
) -> AppResult<call_entity::Model> {
    let not_found = || AppError::not_found(format!("{field}: no such call"));
    let id = parse_id(field, id)?;
    let c = call_entity::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(not_found)?;
    if can_see_call(caller.viewer(), &c.orderer_id, c.published_at.is_some()) {
        Ok(c)
    } else {
        Err(not_found())
    }
}

/// Loads a call for a change by its orderer: NOT_FOUND when invisible, FORBIDDEN when the
/// caller does not manage it. On PostgreSQL the row stays locked until the change commits.
/// A change after the submission deadline first opens the call's sealed log.
pub(crate) async fn managed_call(
    w: &Work<'_>,
    caller: &Caller,
    field: &str,
    id: &str,
    now: DateTime<Utc>,
) -> AppResult<call_entity::Model> {
    let not_found = || AppError::not_found(format!("{field}: no such call"));
    let id = parse_id(field, id)?;
    let c = call_entity::Entity::find_by_id(id)
        .lock_exclusive()
        .one(w.conn())
        .await?
        .ok_or_else(not_found)?;
    let viewer = caller.viewer();
    if !can_see_call(viewer, &c.orderer_id, c.published_at.is_some()) {
        return Err(not_found());
    }
    if !manages_call(viewer, &c.orderer_id) {
        return Err(AppError::forbidden(
            "only ORDERER users of the call's own organization manage it",
        ));
    }
    super::seal::open_locked(w, c, now).await
}

/// ORDERER: drafts a call for the caller's own organisation.
pub async fn create_call(
    Cx { state, caller }: Cx<'_>,
    input: NewCall,
    document_ids: &[String],
) -> AppResult<call_entity::Model> {
    let actor = caller.require_role(Role::Orderer, "create calls for tenders")?;
    let c = call::validate_new_call(input)?;
    let now = state.now();
    work!(state, |w| {
        let mut product_ids = Vec::with_capacity(c.lines.len());
        for (i, l) in c.lines.iter().enumerate() {
            let field = format!("{}.productId", call::line_field(&c, i));
            product_ids.push(find_product(w.conn(), &field, &l.product_id).await?.id);
        }
        let id = new_id();
        let search_text = call::search_text(&c);
        let model = call_entity::ActiveModel {
            id: Set(id.clone()),
            orderer_id: Set(actor.organization_id.clone()),
            title: Set(c.title.clone()),
            description: Set(c.description.clone()),
            search_text: Set(search_text),
            status: Set(CallStatus::Draft),
            pricing_model: Set(c.pricing_model),
            contract_start: Set(c.contract_start),
            contract_end: Set(c.contract_end),
            questions_deadline: Set(crate::clock::to_micros(c.questions_deadline)),
            submission_deadline: Set(crate::clock::to_micros(c.submission_deadline)),
            standstill_days: Set(c.standstill_days.unwrap_or(call::DEFAULT_STANDSTILL_DAYS)),
            price_weight: Set(c.price_weight),
            min_turnover_ratio: Set(c.min_turnover_ratio.map(Money)),
            min_equity_ratio: Set(c.min_equity_ratio.map(Money)),
            min_credit_rating: Set(c.min_credit_rating),
            max_subcontracting_share: Set(c.max_subcontracting_share.map(Money)),
            created_at: Set(now),
            published_at: Set(None),
            cancelled_at: Set(None),
            cancel_reason: Set(None),
            unsuccessful_reason: Set(None),
            sealed_seq: Set(0),
            sealed_hash: Set(crate::domain::audit::GENESIS_HASH.to_owned()),
            bids_opened_at: Set(None),
            version: Set(1),
            material_version: Set(1),
            estimated_value: Set(c.estimated_value.map(Money)),
            title_sv: Set(c.title_sv.clone()),
            title_en: Set(c.title_en.clone()),
            description_sv: Set(c.description_sv.clone()),
            description_en: Set(c.description_en.clone()),
        }
        .insert(w.conn())
        .await?;
        let lines: Vec<call::NewLine> = c
            .lines
            .iter()
            .zip(product_ids)
            .map(|(l, product_id)| call::NewLine {
                product_id,
                quantity: l.quantity,
                lot: l.lot,
            })
            .collect();
        let lot_ids = insert_lots(w, &id, &c.lots).await?;
        insert_terms(
            w,
            &id,
            &lot_ids,
            Some(&lines),
            Some(&c.quality_criteria),
            Some(&c.capability_requirements),
        )
        .await?;
        let docs = super::documents::attach(
            w,
            super::documents::CALL,
            &id,
            &actor.organization_id,
            document_ids,
            "documentIds",
        )
        .await?;
        w.audit(
            now,
            AuditEntry::by(&actor.user_id, "call.create", "call", &id)
                .orderer(&actor.organization_id)
                .summary(super::documents::with_documents(
                    json!({
                        "title": model.title,
                        "lines": c.lines.len(),
                        "lots": c.lots.len(),
                        "submissionDeadline": model.submission_deadline.to_rfc3339(),
                    }),
                    &docs,
                )),
        )?;
        Ok(model)
    })
}

/// Inserts a new call's lots, numbered from 1; returns their ids by number.
async fn insert_lots(
    w: &Work<'_>,
    call_id: &str,
    titles: &[String],
) -> AppResult<HashMap<i32, String>> {
    let lots: Vec<lot::ActiveModel> = (1..)
        .zip(titles)
        .map(|(number, title)| lot::ActiveModel {
            id: Set(new_id()),
            call_id: Set(call_id.to_owned()),
            number: Set(number),
            title: Set(title.clone()),
            unsuccessful_reason: Set(None),
            unsuccessful_at: Set(None),
        })
        .collect();
    let ids = lots
        .iter()
        .filter_map(|l| match (&l.number, &l.id) {
            (Set(n), Set(id)) => Some((*n, id.clone())),
            _ => None,
        })
        .collect();
    w.insert_all(lots).await?;
    Ok(ids)
}

/// Inserts a call's lines (products by id; each in its lot, by number in `lot_ids`), quality
/// criteria and capability requirements, each of those given, numbered from 0.
pub(super) async fn insert_terms(
    w: &Work<'_>,
    call_id: &str,
    lot_ids: &HashMap<i32, String>,
    lines: Option<&[call::NewLine]>,
    criteria: Option<&[call::NewCriterion]>,
    requirements: Option<&[String]>,
) -> AppResult<()> {
    w.insert_all(
        positioned(lines.unwrap_or_default()).map(|(i, l)| call_line::ActiveModel {
            id: Set(new_id()),
            call_id: Set(call_id.to_owned()),
            position: Set(i),
            product_id: Set(l.product_id.clone()),
            quantity: Set(Money(l.quantity)),
            retired_in: Set(None),
            lot_id: Set(l.lot.and_then(|n| lot_ids.get(&n).cloned())),
        }),
    )
    .await?;
    w.insert_all(positioned(criteria.unwrap_or_default()).map(|(i, q)| {
        quality_criterion::ActiveModel {
            id: Set(new_id()),
            call_id: Set(call_id.to_owned()),
            position: Set(i),
            name: Set(q.name.clone()),
            weight: Set(q.weight),
            max_points: Set(q.max_points),
            retired_in: Set(None),
        }
    }))
    .await?;
    w.insert_all(positioned(requirements.unwrap_or_default()).map(|(i, t)| {
        capability_requirement::ActiveModel {
            id: Set(new_id()),
            call_id: Set(call_id.to_owned()),
            position: Set(i),
            text: Set(t.clone()),
            retired_in: Set(None),
        }
    }))
    .await
}

/// ORDERER of the call: publishes a draft whose deadlines are still ahead.
pub async fn publish_call(Cx { state, caller }: Cx<'_>, id: &str) -> AppResult<call_entity::Model> {
    let actor = caller.require()?.clone();
    work!(state, |w| {
        let now = state.now();
        let c = managed_call(w, caller, "id", id, now).await?;
        match call::check_publishable(c.status, c.questions_deadline, c.submission_deadline, now) {
            Ok(()) => {}
            Err(PublishError::NotDraft(s)) => {
                return Err(AppError::InvalidState(format!(
                    "only a DRAFT can be published; this call is {}",
                    s.as_str()
                )));
            }
            Err(PublishError::Past(field)) => {
                return Err(AppError::bad_input(
                    field,
                    "must be in the future when the call is published",
                ));
            }
        }
        let mut am: call_entity::ActiveModel = c.into();
        am.status = Set(CallStatus::Published);
        am.published_at = Set(Some(now));
        let c = am.update(w.conn()).await?;
        w.audit(
            now,
            AuditEntry::on_call(&actor.user_id, "call.publish", &c)
                .summary(json!({ "title": c.title })),
        )?;
        super::notifications::call_published(w, now, &c).await?;
        super::ocds::published(w, &c).await?;
        Ok(c)
    })
}

/// ORDERER of the call: cancels it, with a reason, until it is awarded.
pub async fn cancel_call(
    Cx { state, caller }: Cx<'_>,
    id: &str,
    reason: &str,
) -> AppResult<call_entity::Model> {
    let actor = caller.require()?.clone();
    let reason = validate::reason("reason", reason)?;
    work!(state, |w| {
        let now = state.now();
        let c = managed_call(w, caller, "id", id, now).await?;
        let before = status_at(&c, now);
        if !call::can_cancel(before) {
            return Err(AppError::InvalidState(format!(
                "a call that is {} cannot be cancelled",
                before.as_str()
            )));
        }
        // A call in lots with a lot awarded is decided in part: withdraw that award first.
        let awarded = entity::award::Entity::find()
            .filter(entity::award::Column::CallId.eq(c.id.as_str()))
            .count(w.conn())
            .await?;
        if awarded > 0 {
            return Err(AppError::InvalidState(
                "a lot of this call is awarded: a call decided in part cannot be cancelled (withdraw the lot's award first)".into(),
            ));
        }
        let ending = Ending::Cancelled { before };
        end_without_award(w, now, &actor.user_id, c, ending, reason).await
    })
}

/// How a call ends without an award.
pub enum Ending {
    /// Cancelled by its orderer before the award, from status `before`.
    Cancelled { before: CallStatus },
    /// Declared unsuccessful in evaluation.
    Unsuccessful,
}

/// Ends a call without an award: saves its new status and the reason, records the event,
/// and tells its bidders.
pub(super) async fn end_without_award(
    w: &Work<'_>,
    now: DateTime<Utc>,
    actor: &str,
    c: call_entity::Model,
    ending: Ending,
    reason: String,
) -> AppResult<call_entity::Model> {
    let mut am: call_entity::ActiveModel = c.into();
    let end = match ending {
        Ending::Cancelled { .. } => TenderEnd::Cancelled,
        Ending::Unsuccessful => TenderEnd::Unsuccessful,
    };
    let (action, summary, mail): (_, _, fn(compose::Title<'_>, &str) -> Mail) = match ending {
        Ending::Cancelled { before } => {
            am.status = Set(CallStatus::Cancelled);
            am.cancelled_at = Set(Some(now));
            am.cancel_reason = Set(Some(reason.clone()));
            let summary = json!({ "reason": reason, "statusBefore": before.as_str() });
            ("call.cancel", summary, compose::call_cancelled)
        }
        Ending::Unsuccessful => {
            am.status = Set(CallStatus::Unsuccessful);
            am.unsuccessful_reason = Set(Some(reason.clone()));
            let summary = json!({ "reason": reason });
            (
                "call.declare_unsuccessful",
                summary,
                compose::call_unsuccessful,
            )
        }
    };
    let c = am.update(w.conn()).await?;
    w.audit(now, AuditEntry::on_call(actor, action, &c).summary(summary))?;
    super::notifications::bidders_told(w, now, &c, &mail(compose::Title::of(&c), &reason)).await?;
    super::ocds::tender_ended(w, &c, now, end).await?;
    Ok(c)
}

/// The call, or nothing when it does not exist or the caller may not see it.
pub async fn get_call(
    Cx { state, caller }: Cx<'_>,
    id: &str,
    kept: Option<&crate::public_cache::Parts>,
) -> AppResult<Option<call_entity::Model>> {
    let id = parse_id("id", id)?;
    // The row as kept for read-only requests (the public cache's rule), or read.
    let c = match kept.and_then(|k| {
        k.cache
            .part::<call_entity::Model>(k.seq, k.now, "call", &id)
    }) {
        Some(c) => c,
        None => {
            let c = call_entity::Entity::find_by_id(id.clone())
                .one(state.db.conn())
                .await?;
            if let Some(k) = kept {
                k.cache.put_part(k.seq, "call", id, c.clone());
            }
            c
        }
    };
    Ok(c.filter(|c| can_see_call(caller.viewer(), &c.orderer_id, c.published_at.is_some())))
}

#[derive(Debug, Clone, Default)]
pub struct CallFilter {
    pub status: Option<CallStatus>,
    pub orderer_id: Option<String>,
    pub product_id: Option<String>,
    pub search: Option<String>,
    pub category: Option<String>,
}

pub struct CallPage {
    pub calls: Vec<call_entity::Model>,
    pub has_next_page: bool,
    pub total_count: u64,
}

pub const CALLS_PAGE: PageLimits = PageLimits::new(20, 100);

/// Escapes `%`, `_` and `\` for a LIKE pattern with `\` as the escape character.
fn like_contains(term: &str) -> String {
    let mut out = String::with_capacity(term.len() + 2);
    out.push('%');
    for ch in term.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

fn filtered(
    caller: &Caller,
    filter: &CallFilter,
    now: DateTime<Utc>,
) -> AppResult<Select<call_entity::Entity>> {
    use call_entity::Column as C;
    let mut q = call_entity::Entity::find();
    q = match caller.viewer() {
        Viewer::Admin => q,
        Viewer::Orderer(org) => q.filter(
            Condition::any()
                .add(C::PublishedAt.is_not_null())
                .add(C::OrdererId.eq(org)),
        ),
        Viewer::Producer(_) | Viewer::Anonymous => q.filter(C::PublishedAt.is_not_null()),
    };
    if let Some(status) = filter.status {
        q = match status {
            CallStatus::Published => q
                .filter(C::Status.eq(CallStatus::Published))
                .filter(C::SubmissionDeadline.gt(now)),
            CallStatus::Evaluation => q
                .filter(C::Status.eq(CallStatus::Published))
                .filter(C::SubmissionDeadline.lte(now)),
            other => q.filter(C::Status.eq(other)),
        };
    }
    if let Some(o) = &filter.orderer_id {
        q = q.filter(C::OrdererId.eq(parse_id("filter.ordererId", o).unwrap_or_default()));
    }
    if let Some(p) = &filter.product_id {
        let product = parse_id("filter.productId", p).unwrap_or_default();
        q = q.filter(
            C::Id.in_subquery(
                Query::select()
                    .column(call_line::Column::CallId)
                    .from(call_line::Entity)
                    .and_where(Expr::col(call_line::Column::ProductId).eq(product))
                    .and_where(Expr::col(call_line::Column::RetiredIn).is_null())
                    .to_owned(),
            ),
        );
    }
    if let Some(category) = filter
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        q = q.filter(
            C::Id.in_subquery(
                Query::select()
                    .column((call_line::Entity, call_line::Column::CallId))
                    .from(call_line::Entity)
                    .inner_join(
                        product::Entity,
                        Expr::col((product::Entity, product::Column::Id))
                            .equals((call_line::Entity, call_line::Column::ProductId)),
                    )
                    .and_where(
                        Expr::col((call_line::Entity, call_line::Column::RetiredIn)).is_null(),
                    )
                    .and_where(Expr::col((product::Entity, product::Column::Category)).eq(category))
                    .to_owned(),
            ),
        );
    }
    if let Some(term) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        if term.chars().count() > MAX_SEARCH_CHARS {
            return Err(AppError::bad_input(
                "filter.search",
                format!("must be at most {MAX_SEARCH_CHARS} characters"),
            ));
        }
        let pattern = like_contains(&term.to_lowercase());
        q = q.filter(Expr::col(C::SearchText).like(LikeExpr::new(pattern).escape('\\')));
    }
    Ok(q)
}

/// Calls the caller may see, newest first, with keyset pagination on the (time-ordered) id.
/// Which parts of a page the client asked for: the rows (`edges`, `pageInfo`) and the
/// count (`totalCount`). A part nobody asked for is not read from the database.
#[derive(Debug, Clone, Copy)]
pub struct PageParts {
    pub rows: bool,
    pub count: bool,
}

/// Who sees which calls (`filtered`): everything, an orderer also its drafts, everyone else
/// the published ones. Lists and counts are kept per scope and filter.
fn scope_key(caller: &Caller, filter: &CallFilter) -> String {
    let scope = match caller.viewer() {
        Viewer::Admin => "all".to_owned(),
        Viewer::Orderer(org) => format!("orderer {org}"),
        Viewer::Producer(_) | Viewer::Anonymous => "published".to_owned(),
    };
    format!("{scope} {filter:?}")
}

/// How many calls `base` finds: counted once per scope and filter while nothing is written
/// and no deadline passes (the public cache's rule; a status filter depends on the
/// deadlines), not on every request.
async fn count_of(
    state: &crate::state::AppState,
    key: &str,
    base: &Select<call_entity::Entity>,
    kept: Option<&crate::public_cache::Parts>,
) -> AppResult<u64> {
    if let Some(Some(n)) = kept.and_then(|k| k.cache.part::<u64>(k.seq, k.now, "call count", key)) {
        return Ok(n);
    }
    let n = base.clone().count(state.db.conn()).await?;
    if let Some(k) = kept {
        k.cache
            .put_part(k.seq, "call count", key.to_owned(), Some(n));
    }
    Ok(n)
}

/// One page of calls (and whether more follow), kept like the counts.
type Page = (Arc<Vec<call_entity::Model>>, bool);

pub async fn list_calls(
    Cx { state, caller }: Cx<'_>,
    filter: CallFilter,
    first: Option<i32>,
    after: Option<&str>,
    now: DateTime<Utc>,
    wanted: PageParts,
    kept: Option<&crate::public_cache::Parts>,
) -> AppResult<CallPage> {
    let first = CALLS_PAGE.size(first)?;
    let base = filtered(caller, &filter, now)?;
    let key = scope_key(caller, &filter);
    let total_count = if wanted.count {
        count_of(state, &key, &base, kept).await?
    } else {
        0
    };
    if !wanted.rows {
        return Ok(CallPage {
            calls: Vec::new(),
            has_next_page: false,
            total_count,
        });
    }
    let mut page = base.order_by_desc(call_entity::Column::Id);
    let cursor = match after {
        Some(cursor) => Some(
            uuid::Uuid::parse_str(cursor)
                .map_err(|_| AppError::bad_input("after", "is not a cursor this API gave out"))?
                .to_string(),
        ),
        None => None,
    };
    let page_key = format!("{key} first {first} after {cursor:?}");
    if let Some(Some((calls, has_next_page))) =
        kept.and_then(|k| k.cache.part::<Page>(k.seq, k.now, "call page", &page_key))
    {
        return Ok(CallPage {
            calls: calls.as_ref().clone(),
            has_next_page,
            total_count,
        });
    }
    if let Some(cursor) = cursor {
        page = page.filter(call_entity::Column::Id.lt(cursor));
    }
    let (calls, has_next_page) =
        super::page_of(page.limit(first + 1).all(state.db.conn()).await?, first);
    if let Some(k) = kept {
        let kept_page: Page = (Arc::new(calls.clone()), has_next_page);
        k.cache
            .put_part(k.seq, "call page", page_key, Some(kept_page));
    }
    Ok(CallPage {
        calls,
        has_next_page,
        total_count,
    })
}

/// PRODUCER: asks a question on a published call until its questions deadline.
pub async fn ask_question(
    Cx { state, caller }: Cx<'_>,
    call_id: &str,
    text: &str,
) -> AppResult<question::Model> {
    let actor = caller
        .require_role(Role::Producer, "ask questions")?
        .clone();
    let text = validate::text("text", text, 5000)?;
    work!(state, |w| {
        let c = find_call_for_producer(w.conn(), "callId", call_id).await?;
        let now = state.now();
        match check_questions_open(c.status, c.questions_deadline, now) {
            Ok(()) => {}
            Err(BiddingClosed::DeadlinePassed) => {
                return Err(AppError::DeadlinePassed(format!(
                    "the questions deadline {} has passed",
                    c.questions_deadline.to_rfc3339()
                )));
            }
            Err(BiddingClosed::NotOpen(s)) => {
                return Err(AppError::InvalidState(format!(
                    "questions are not taken on a call that is {}",
                    s.as_str()
                )));
            }
        }
        let nonce = {
            use rand::RngCore;
            let mut bytes = [0u8; 32];
            rand::rng().fill_bytes(&mut bytes);
            hex::encode(bytes)
        };
        let q = question::ActiveModel {
            id: Set(new_id()),
            call_id: Set(c.id.clone()),
            asker_organization_id: Set(actor.organization_id.clone()),
            asker_user_id: Set(actor.user_id.clone()),
            text: Set(text),
            answer: Set(None),
            asked_at: Set(now),
            answered_at: Set(None),
            answered_by: Set(None),
            asker_nonce: Set(Some(nonce.clone())),
            answer_edited_at: Set(None),
        }
        .insert(w.conn())
        .await?;
        // Askers are visible to their own organisation only (DESIGN, the seal's side paths):
        // the event has no actor, and names the asker by a commitment that the record (the
        // question row's nonce) can later prove, but the orderer or an admin cannot reverse.
        w.audit(
            now,
            AuditEntry::system("question.ask", "question", &q.id)
                .orderer(&c.orderer_id)
                .summary(json!({
                    "askerCommitment": crate::domain::audit::sha256_hex(&format!(
                        "{}:{nonce}",
                        actor.user_id
                    )),
                    "callId": c.id,
                })),
        )?;
        // The call's orderer hears of it: the call and the question, never who asked.
        super::notifications::question_asked(w, now, &q, &c).await?;
        Ok(q)
    })
}

/// A call's lines in their order.
pub async fn lines_of<C: ConnectionTrait>(
    conn: &C,
    call_id: &str,
) -> AppResult<Vec<call_line::Model>> {
    Ok(call_line::Entity::find()
        .filter(call_line::Column::CallId.eq(call_id))
        .filter(call_line::Column::RetiredIn.is_null())
        .order_by_asc(call_line::Column::Position)
        .all(conn)
        .await?)
}

/// A call's lines in their order, with their products by id.
pub async fn lines_with_products<C: ConnectionTrait>(
    conn: &C,
    call_id: &str,
) -> AppResult<(
    Vec<call_line::Model>,
    std::collections::HashMap<String, product::Model>,
)> {
    let lines = lines_of(conn, call_id).await?;
    let products = super::query::keyed::<product::Entity, _, _>(
        conn,
        product::Column::Id,
        lines.iter().map(|l| l.product_id.clone()),
        |p| p.id.clone(),
    )
    .await?;
    Ok((lines, products))
}

/// The call's own quality criteria (not those a change replaced), in order.
pub async fn criteria_of<C: ConnectionTrait>(
    conn: &C,
    call_id: &str,
) -> AppResult<Vec<quality_criterion::Model>> {
    Ok(quality_criterion::Entity::find()
        .filter(quality_criterion::Column::CallId.eq(call_id))
        .filter(quality_criterion::Column::RetiredIn.is_null())
        .order_by_asc(quality_criterion::Column::Position)
        .all(conn)
        .await?)
}

/// The call's own capability requirements (not those a change replaced), in order.
pub async fn requirements_of<C: ConnectionTrait>(
    conn: &C,
    call_id: &str,
) -> AppResult<Vec<capability_requirement::Model>> {
    Ok(capability_requirement::Entity::find()
        .filter(capability_requirement::Column::CallId.eq(call_id))
        .filter(capability_requirement::Column::RetiredIn.is_null())
        .order_by_asc(capability_requirement::Column::Position)
        .all(conn)
        .await?)
}

/// A call a producer acts on: any existing call (a draft or cancelled call is then refused
/// with INVALID_STATE by the caller's own rule), or NOT_FOUND.
pub async fn find_call_for_producer<C: ConnectionTrait>(
    conn: &C,
    field: &str,
    id: &str,
) -> AppResult<call_entity::Model> {
    let id = parse_id(field, id)?;
    call_entity::Entity::find_by_id(id)
        .lock_shared()
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("{field}: no such call")))
}

/// ORDERER of the call: answers (or re-answers) a question; the answer is public.
pub async fn answer_question(
    Cx { state, caller }: Cx<'_>,
    question_id: &str,
    answer: &str,
) -> AppResult<question::Model> {
    let actor = caller.require()?.clone();
    let answer = validate::text("answer", answer, 20_000)?;
    work!(state, |w| {
        let qid = parse_id("questionId", question_id)?;
        let q = question::Entity::find_by_id(qid)
            .one(w.conn())
            .await?
            .ok_or_else(|| AppError::not_found("questionId: no such question"))?;
        let now = state.now();
        let c = managed_call(w, caller, "id", &q.call_id, now)
            .await
            .map_err(|e| match e {
                AppError::NotFound(_) => AppError::not_found("questionId: no such question"),
                other => other,
            })?;
        let status = status_at(&c, now);
        if matches!(status, CallStatus::Draft | CallStatus::Cancelled) {
            return Err(AppError::InvalidState(format!(
                "questions cannot be answered on a call that is {}",
                status.as_str()
            )));
        }
        // Replacing a published answer is shown publicly with its time.
        let edited = q.answer.is_some();
        let mut am: question::ActiveModel = q.into();
        if edited {
            am.answer_edited_at = Set(Some(now));
        }
        am.answer = Set(Some(answer));
        am.answered_at = Set(Some(now));
        am.answered_by = Set(Some(actor.user_id.clone()));
        let q = am.update(w.conn()).await?;
        w.audit(
            now,
            AuditEntry::by(&actor.user_id, "question.answer", "question", &q.id)
                .orderer(&c.orderer_id)
                .summary(json!({ "callId": c.id })),
        )?;
        super::notifications::answer_published(w, now, &q, &c).await?;
        Ok(q)
    })
}

/// Which of a call's questions the viewer sees: the orderer's users and admins all of them;
/// a producer the answered ones and its own; everyone else the answered ones. Askers are
/// never part of what is shown.
pub fn question_visible(viewer: Viewer<'_>, call_orderer_id: &str, q: &question::Model) -> bool {
    q.answer.is_some()
        || match viewer {
            Viewer::Admin => true,
            Viewer::Orderer(org) => org == call_orderer_id,
            Viewer::Producer(org) => org == q.asker_organization_id,
            Viewer::Anonymous => false,
        }
}

/// The next submission deadline after `now` among published calls: the next moment a call's
/// public status changes without a write.
pub async fn next_deadline<C: ConnectionTrait>(
    conn: &C,
    now: DateTime<Utc>,
) -> AppResult<Option<DateTime<Utc>>> {
    Ok(call_entity::Entity::find()
        .filter(call_entity::Column::Status.eq(CallStatus::Published))
        .filter(call_entity::Column::SubmissionDeadline.gt(now))
        .order_by_asc(call_entity::Column::SubmissionDeadline)
        .one(conn)
        .await?
        .map(|c| c.submission_deadline))
}
