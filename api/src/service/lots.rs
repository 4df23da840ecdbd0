//! Lots (osa-alueet, DESIGN "Notices, languages, lots"): a call's lots and their lines, and
//! what is awarded — a call whole, or one of its lots (a [`Unit`]). Each unit has its own
//! award, standstill, remedies and contract; the call is AWARDED once every lot is awarded or
//! unsuccessful, CONTRACTED once every awarded lot has its contract.

use super::audit::AuditEntry;
use super::calls::{managed_call, status_at};
use super::work::Work;
use super::{Cx, parse_id, query};
use crate::auth::Caller;
use crate::domain::call::CallStatus;
use crate::domain::lot::LotLines;
use crate::domain::validate;
use crate::email::compose;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use entity::{BidStatus, Language, award, bid, bid_line, call, call_line, lot, service_contract};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};
use serde_json::json;

/// A call's lots by number.
pub async fn lots_of<C: ConnectionTrait>(conn: &C, call_id: &str) -> AppResult<Vec<lot::Model>> {
    query::children::<lot::Entity, _>(conn, lot::Column::CallId, call_id, lot::Column::Number).await
}

/// A call's lots with their current lines (id, quantity) in the call's order; none for a
/// call without lots.
pub async fn lot_lines<C: ConnectionTrait>(conn: &C, call_id: &str) -> AppResult<Vec<LotLines>> {
    let lots = lots_of(conn, call_id).await?;
    if lots.is_empty() {
        return Ok(Vec::new());
    }
    let lines = super::calls::lines_of(conn, call_id).await?;
    Ok(lots
        .iter()
        .map(|l| LotLines {
            number: l.number,
            lines: lines
                .iter()
                .filter(|x| x.lot_id.as_deref() == Some(l.id.as_str()))
                .map(|x| (x.id.clone(), x.quantity.0))
                .collect(),
        })
        .collect())
}

/// What an award is of: a call whole (`lot` none), or one of its lots.
#[derive(Debug, Clone)]
pub struct Unit {
    pub call: call::Model,
    pub lot: Option<lot::Model>,
}

impl Unit {
    /// The award's id: the call's, or the lot's.
    pub fn id(&self) -> &str {
        self.lot.as_ref().map_or(&self.call.id, |l| &l.id)
    }

    pub fn lot_id(&self) -> Option<String> {
        self.lot.as_ref().map(|l| l.id.clone())
    }

    /// The unit's name in e-mails, in each language.
    pub fn names(&self) -> Names {
        Names::of(&self.call, self.lot.as_ref())
    }
}

/// A call's or a lot's title in each language (a lot's is the call's, its number and title).
pub struct Names {
    fi: String,
    sv: Option<String>,
    en: Option<String>,
}

impl Names {
    pub fn of(c: &call::Model, lot: Option<&lot::Model>) -> Names {
        let t = compose::Title::of(c);
        match lot {
            None => Names {
                fi: t.fi.to_owned(),
                sv: t.sv.map(str::to_owned),
                en: t.en.map(str::to_owned),
            },
            Some(l) => {
                let named = |lang: Language, word: &str| {
                    format!("{} – {word} {}: {}", t.get(lang), l.number, l.title)
                };
                Names {
                    fi: named(Language::Fi, "osa-alue"),
                    sv: Some(named(Language::Sv, "delområde")),
                    en: Some(named(Language::En, "lot")),
                }
            }
        }
    }

    pub fn title(&self) -> compose::Title<'_> {
        compose::Title {
            fi: &self.fi,
            sv: self.sv.as_deref(),
            en: self.en.as_deref(),
        }
    }
}

/// The unit a managing orderer names: the call `call_id`, or its lot `lot_id` when given
/// (NOT_FOUND for a lot of another call). The call is locked (see `calls::managed_call`).
pub async fn managed_unit(
    w: &Work<'_>,
    caller: &Caller,
    call_id: &str,
    lot_id: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<Unit> {
    let c = managed_call(w, caller, "callId", call_id, now).await?;
    unit_of(w.conn(), c, lot_id).await
}

/// The unit of call `c` a client names with an optional `lotId`: a call in lots needs one.
pub async fn unit_of<C: ConnectionTrait>(
    conn: &C,
    c: call::Model,
    lot_id: Option<&str>,
) -> AppResult<Unit> {
    match lot_id {
        None => {
            if has_lots(conn, &c.id).await? {
                return Err(AppError::bad_input(
                    "lotId",
                    "the call is divided into lots: name the lot",
                ));
            }
            Ok(Unit { call: c, lot: None })
        }
        Some(id) => {
            let l = lot::Entity::find_by_id(parse_id("lotId", id)?)
                .one(conn)
                .await?
                .filter(|l| l.call_id == c.id)
                .ok_or_else(|| AppError::not_found("lotId: no such lot of this call"))?;
            Ok(Unit {
                call: c,
                lot: Some(l),
            })
        }
    }
}

/// The lot `lot_id` and its call, which the caller manages, locked: NOT_FOUND for an unknown
/// lot or one whose call the caller cannot see, FORBIDDEN for one it sees but does not manage.
pub async fn managed_lot(
    w: &Work<'_>,
    caller: &Caller,
    lot_id: &str,
    now: DateTime<Utc>,
) -> AppResult<Unit> {
    let l = query::given::<lot::Entity, _>(w.conn(), "lotId", lot_id, "lot").await?;
    let c = managed_call(w, caller, "lotId", &l.call_id, now)
        .await
        .map_err(|e| match e {
            AppError::NotFound(_) => AppError::not_found("lotId: no such lot"),
            e => e,
        })?;
    // Read again under the call's lock: a decision on the lot that came first is seen.
    let l = query::given::<lot::Entity, _>(w.conn(), "lotId", lot_id, "lot").await?;
    Ok(Unit {
        call: c,
        lot: Some(l),
    })
}

/// Whether call `call_id` is divided into lots.
pub async fn has_lots<C: ConnectionTrait>(conn: &C, call_id: &str) -> AppResult<bool> {
    Ok(lot::Entity::find()
        .filter(lot::Column::CallId.eq(call_id))
        .count(conn)
        .await?
        > 0)
}

/// A call in lots refuses what is done to a call awarded whole.
pub async fn refuse_lots<C: ConnectionTrait>(
    conn: &C,
    c: &call::Model,
    use_: &str,
) -> AppResult<()> {
    if has_lots(conn, &c.id).await? {
        return Err(AppError::InvalidState(format!(
            "the call is divided into lots: {use_}"
        )));
    }
    Ok(())
}

/// The award of a unit, if it has one.
pub async fn award_of_unit<C: ConnectionTrait>(
    conn: &C,
    u: &Unit,
) -> AppResult<Option<award::Model>> {
    Ok(award::Entity::find_by_id(u.id().to_owned())
        .one(conn)
        .await?)
}

/// The contract made from a unit's award, if any.
pub async fn contract_of_unit<C: ConnectionTrait>(
    conn: &C,
    u: &Unit,
) -> AppResult<Option<service_contract::Model>> {
    let column = match &u.lot {
        Some(_) => service_contract::Column::LotId,
        None => service_contract::Column::CallId,
    };
    Ok(service_contract::Entity::find()
        .filter(column.eq(u.id()))
        .one(conn)
        .await?)
}

/// The status a unit has at `now`: the call's, or for a lot its own once it is decided
/// (AWARDED, CONTRACTED or UNSUCCESSFUL) and the call's until then.
pub async fn unit_status<C: ConnectionTrait>(
    conn: &C,
    u: &Unit,
    now: DateTime<Utc>,
) -> AppResult<CallStatus> {
    let call_status = status_at(&u.call, now);
    let Some(l) = &u.lot else {
        return Ok(call_status);
    };
    if matches!(call_status, CallStatus::Cancelled | CallStatus::Draft) {
        return Ok(call_status);
    }
    if l.unsuccessful_at.is_some() {
        return Ok(CallStatus::Unsuccessful);
    }
    if contract_of_unit(conn, u)
        .await?
        .is_some_and(|k| k.activated_at.is_some())
    {
        return Ok(CallStatus::Contracted);
    }
    if award_of_unit(conn, u).await?.is_some() {
        return Ok(CallStatus::Awarded);
    }
    Ok(call_status)
}

/// The condition "the bid prices a line of lot `lot_id`" on `bid::Column::Id`.
pub fn covers(lot_id: &str) -> Condition {
    covers_any(&[lot_id.to_owned()])
}

/// The condition "the bid prices a line of one of `lot_ids`" on `bid::Column::Id`.
pub fn covers_any(lot_ids: &[String]) -> Condition {
    let lines = Query::select()
        .column(bid_line::Column::BidId)
        .from(bid_line::Entity)
        .and_where(
            bid_line::Column::CallLineId.in_subquery(query::select::<call_line::Entity>(
                call_line::Column::Id,
                call_line::Column::LotId.is_in(lot_ids.iter().cloned()),
            )),
        )
        .to_owned();
    Condition::all().add(bid::Column::Id.in_subquery(lines))
}

/// The organisations with a standing bid on the unit: on the call, or covering the lot.
pub async fn bidders_of<C: ConnectionTrait>(conn: &C, u: &Unit) -> AppResult<Vec<String>> {
    let mut filter = Condition::all()
        .add(bid::Column::CallId.eq(u.call.id.as_str()))
        .add(bid::Column::Status.eq(BidStatus::Submitted));
    if let Some(l) = &u.lot {
        filter = filter.add(covers(&l.id));
    }
    query::column::<bid::Entity, _, _>(conn, bid::Column::BidderId, filter).await
}

/// After a lot is decided: the call becomes AWARDED once every lot is awarded or
/// unsuccessful with at least one awarded, and UNSUCCESSFUL when every lot is unsuccessful.
/// Returns the call as it now stands.
pub async fn after_lot_decided(
    w: &Work<'_>,
    now: DateTime<Utc>,
    actor: &str,
    c: call::Model,
) -> AppResult<call::Model> {
    let lots = lots_of(w.conn(), &c.id).await?;
    let awarded: std::collections::HashSet<String> = query::column::<award::Entity, _, _>(
        w.conn(),
        award::Column::Id,
        award::Column::CallId.eq(c.id.as_str()),
    )
    .await?;
    let undecided = lots
        .iter()
        .filter(|l| l.unsuccessful_at.is_none() && !awarded.contains(&l.id))
        .count();
    if undecided > 0 {
        return Ok(c);
    }
    let mut am: call::ActiveModel = c.into();
    if awarded.is_empty() {
        let reason = "Every lot was declared unsuccessful.".to_owned();
        am.status = Set(CallStatus::Unsuccessful);
        am.unsuccessful_reason = Set(Some(reason.clone()));
        let c = am.update(w.conn()).await?;
        w.audit(
            now,
            AuditEntry::on_call(actor, "call.declare_unsuccessful", &c)
                .summary(json!({ "reason": reason })),
        )?;
        super::ocds::tender_ended(w, &c, now, crate::domain::ocds::TenderEnd::Unsuccessful).await?;
        Ok(c)
    } else {
        am.status = Set(CallStatus::Awarded);
        let c = am.update(w.conn()).await?;
        // Every awarded lot's contract may already be active (the last lot decided was
        // declared unsuccessful).
        after_lot_contracted(w, c).await
    }
}

/// After a lot's contract is activated: the call becomes CONTRACTED once it is AWARDED and
/// every awarded lot's contract is activated (as a call awarded whole is on its contract's
/// activation).
pub async fn after_lot_contracted(w: &Work<'_>, c: call::Model) -> AppResult<call::Model> {
    if c.status != CallStatus::Awarded {
        return Ok(c);
    }
    let awarded = award::Entity::find()
        .filter(award::Column::CallId.eq(c.id.as_str()))
        .count(w.conn())
        .await?;
    let contracted = service_contract::Entity::find()
        .filter(service_contract::Column::SourceCallId.eq(c.id.as_str()))
        .filter(service_contract::Column::LotId.is_not_null())
        .filter(service_contract::Column::ActivatedAt.is_not_null())
        .count(w.conn())
        .await?;
    if contracted < awarded {
        return Ok(c);
    }
    let mut am: call::ActiveModel = c.into();
    am.status = Set(CallStatus::Contracted);
    Ok(am.update(w.conn()).await?)
}

/// ORDERER of the call: declares a lot in evaluation unsuccessful (no award), with a reason;
/// its bidders are told. When it was the last undecided lot the call is decided.
pub async fn declare_lot_unsuccessful(
    Cx { state, caller }: Cx<'_>,
    lot_id: &str,
    reason: &str,
) -> AppResult<lot::Model> {
    let actor = caller.require()?.clone();
    let reason = validate::reason("reason", reason)?;
    work!(state, |w| {
        let now = state.now();
        let u = managed_lot(w, caller, lot_id, now).await?;
        let status = unit_status(w.conn(), &u, now).await?;
        if status != CallStatus::Evaluation {
            return Err(AppError::InvalidState(format!(
                "a lot is declared unsuccessful in EVALUATION; it is {}",
                status.as_str()
            )));
        }
        let Some(l) = u.lot.clone() else {
            return Err(AppError::Internal(anyhow::anyhow!(
                "a lot unit without its lot"
            )));
        };
        let mut am: lot::ActiveModel = l.into();
        am.unsuccessful_reason = Set(Some(reason.clone()));
        am.unsuccessful_at = Set(Some(now));
        let l = am.update(w.conn()).await?;
        w.audit(
            now,
            AuditEntry::on_call(&actor.user_id, "lot.declare_unsuccessful", &u.call)
                .summary(json!({ "lotId": l.id, "lotNumber": l.number, "reason": reason })),
        )?;
        let users =
            crate::email::outbox::users_of(w.conn(), bidders_of(w.conn(), &u).await?).await?;
        let names = Names::of(&u.call, Some(&l));
        w.mail(
            now,
            &users,
            &compose::call_unsuccessful(names.title(), &reason),
        )?;
        super::ocds::lot_unsuccessful(w, &u.call, &l.id, now).await?;
        let c = after_lot_decided(w, now, &actor.user_id, u.call).await?;
        if matches!(c.status, CallStatus::Awarded | CallStatus::Contracted) {
            // The last lot decided: the tender is complete.
            super::ocds::tender_ended(w, &c, now, crate::domain::ocds::TenderEnd::Complete).await?;
        }
        Ok(l)
    })
}
