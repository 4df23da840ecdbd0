//! `changeCall`: a DRAFT edited in place, or a PUBLISHED call changed before its submission
//! deadline as a new version (see `domain::call_change`). A new version keeps what it
//! replaced: replaced lines, criteria and requirements stay (retired in the version, still
//! named by the bids submitted against them), the change is recorded with its reason and
//! fields, the audit event holds the earlier values, and OCDS gets a `tenderAmendment`. The
//! subscribers are told, and every bidder is told to review its bid, privately: the orderer
//! does not learn who bid.

use super::audit::AuditEntry;
use super::calls::{insert_terms, managed_call, status_at};
use super::catalogue::find_product;
use super::work::Work;
use crate::domain::call::{self, NewCall, NewCriterion, NewLine};
use crate::domain::call_change::{self as change, Change, Changeable};
use crate::domain::validate;
use crate::email::compose;
use crate::error::{AppError, AppResult};
use crate::service::Cx;
use chrono::{DateTime, Utc};
use entity::{
    call as call_entity, call_change, call_line, call_reminder, capability_requirement, lot,
    quality_criterion,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

/// The call as a new call's input, with its own lines, criteria and requirements.
async fn as_input<C: ConnectionTrait>(
    conn: &C,
    c: &call_entity::Model,
    lots: &[lot::Model],
) -> AppResult<NewCall> {
    let lines = super::calls::lines_of(conn, &c.id).await?;
    let number_of = |id: &Option<String>| {
        lots.iter()
            .find(|l| Some(&l.id) == id.as_ref())
            .map(|l| l.number)
    };
    let criteria = super::calls::criteria_of(conn, &c.id).await?;
    let requirements = super::calls::requirements_of(conn, &c.id).await?;
    Ok(NewCall {
        title: c.title.clone(),
        description: c.description.clone(),
        pricing_model: c.pricing_model,
        lines: lines
            .into_iter()
            .map(|l| NewLine {
                lot: number_of(&l.lot_id),
                product_id: l.product_id,
                quantity: l.quantity.0,
            })
            .collect(),
        lots: lots.iter().map(|l| l.title.clone()).collect(),
        contract_start: c.contract_start,
        contract_end: c.contract_end,
        questions_deadline: c.questions_deadline,
        submission_deadline: c.submission_deadline,
        standstill_days: Some(c.standstill_days),
        price_weight: c.price_weight,
        quality_criteria: criteria
            .into_iter()
            .map(|q| NewCriterion {
                name: q.name,
                weight: q.weight,
                max_points: q.max_points,
            })
            .collect(),
        min_turnover_ratio: c.min_turnover_ratio.map(|m| m.0),
        min_equity_ratio: c.min_equity_ratio.map(|m| m.0),
        min_credit_rating: c.min_credit_rating,
        capability_requirements: requirements.into_iter().map(|r| r.text).collect(),
        max_subcontracting_share: c.max_subcontracting_share.map(|m| m.0),
        estimated_value: c.estimated_value.map(|m| m.0),
        title_sv: c.title_sv.clone(),
        title_en: c.title_en.clone(),
        description_sv: c.description_sv.clone(),
        description_en: c.description_en.clone(),
    })
}

/// The values of `fields` in `c`, for the audit event (the earlier version kept).
fn values(c: &NewCall, fields: &[&str]) -> Value {
    let mut out = serde_json::Map::new();
    for f in fields {
        let v = match *f {
            "title" => json!(c.title),
            "description" => json!(c.description),
            "questionsDeadline" => json!(c.questions_deadline.to_rfc3339()),
            "submissionDeadline" => json!(c.submission_deadline.to_rfc3339()),
            "lines" => json!(
                c.lines
                    .iter()
                    .map(|l| json!({
                        "productId": l.product_id,
                        "quantity": l.quantity.to_string(),
                        "lot": l.lot,
                    }))
                    .collect::<Vec<_>>()
            ),
            "lots" => json!(c.lots),
            "priceWeight" => json!(c.price_weight),
            "qualityCriteria" => json!(
                c.quality_criteria
                    .iter()
                    .map(
                        |q| json!({ "name": q.name, "weight": q.weight, "maxPoints": q.max_points })
                    )
                    .collect::<Vec<_>>()
            ),
            "capabilityRequirements" => json!(c.capability_requirements),
            "estimatedValue" => json!(c.estimated_value.map(|v| v.to_string())),
            "titleSv" => json!(c.title_sv),
            "titleEn" => json!(c.title_en),
            "descriptionSv" => json!(c.description_sv),
            "descriptionEn" => json!(c.description_en),
            _ => Value::Null,
        };
        out.insert((*f).to_owned(), v);
    }
    Value::Object(out)
}

/// Takes the call's lines, criteria or requirements (those `fields` name) out of it: a
/// draft's are deleted, a published call's retired in `version` (kept for the bids).
async fn take_out(
    w: &Work<'_>,
    call_id: &str,
    fields: &[&str],
    mode: Changeable,
    version: i32,
) -> AppResult<()> {
    macro_rules! take {
        ($entity:ident) => {
            match mode {
                Changeable::Draft => {
                    $entity::Entity::delete_many()
                        .filter($entity::Column::CallId.eq(call_id))
                        .exec(w.conn())
                        .await?;
                }
                Changeable::Published => {
                    $entity::Entity::update_many()
                        .col_expr($entity::Column::RetiredIn, Expr::value(version))
                        .filter($entity::Column::CallId.eq(call_id))
                        .filter($entity::Column::RetiredIn.is_null())
                        .exec(w.conn())
                        .await?;
                }
            }
        };
    }
    if fields.contains(&"lines") {
        take!(call_line);
    }
    if fields.contains(&"qualityCriteria") {
        take!(quality_criterion);
    }
    if fields.contains(&"capabilityRequirements") {
        take!(capability_requirement);
    }
    Ok(())
}

/// ORDERER of the call: changes a DRAFT, or a PUBLISHED call before its submission deadline
/// (with a reason, as a new version); `document_ids` are the organisation's uploads to attach.
pub async fn change_call(
    Cx { state, caller }: Cx<'_>,
    id: &str,
    given: Change,
    document_ids: &[String],
    reason: &str,
) -> AppResult<call_entity::Model> {
    let actor = caller.require()?.clone();
    work!(state, |w| {
        let now = state.now();
        let c = managed_call(w, caller, "id", id, now).await?;
        let mode = change::check_changeable(status_at(&c, now))?;
        let reason = match mode {
            Changeable::Published => validate::reason("reason", reason)?,
            Changeable::Draft => {
                validate::optional_text("reason", Some(reason), validate::MAX_REASON_CHARS)?
                    .unwrap_or_default()
            }
        };
        let mut given = given;
        let lots = super::lots::lots_of(w.conn(), &c.id).await?;
        if let Some(titles) = &given.lots
            && titles.len() != lots.len()
        {
            return Err(AppError::bad_input(
                "lots",
                format!(
                    "a call keeps the lots it was made with: give all {} of them, in order",
                    lots.len()
                ),
            ));
        }
        let before = as_input(w.conn(), &c, &lots).await?;
        if let Some(lines) = given.lines.as_mut() {
            validate::list_len("lines", lines.len(), call::MAX_LINES)?;
            let shape = NewCall {
                lines: lines.clone(),
                ..before.clone()
            };
            for (i, l) in lines.iter_mut().enumerate() {
                let field = format!("{}.productId", call::line_field(&shape, i));
                l.product_id = find_product(w.conn(), &field, &l.product_id).await?.id;
            }
        }
        let next = call::validate_new_call(change::apply(&before, given))?;
        let mut fields = change::changed_fields(&before, &next);
        if !document_ids.is_empty() {
            fields.push("documentIds");
        }
        change::check_times(mode, &next, &fields, now)?;
        let material = change::is_material(&fields);
        let version = match mode {
            Changeable::Draft => c.version,
            Changeable::Published => c.version.saturating_add(1),
        };
        if mode == Changeable::Published && c.version >= change::MAX_VERSION {
            return Err(AppError::InvalidState(format!(
                "a call is changed at most {} times after publication; cancel it and publish a new one",
                change::MAX_VERSION - 1
            )));
        }
        let categories_before = super::notifications::categories_of(w.conn(), &c.id).await?;
        take_out(w, &c.id, &fields, mode, version).await?;
        let docs = super::documents::attach(
            w,
            super::documents::CALL,
            &c.id,
            &actor.organization_id,
            document_ids,
            "documentIds",
        )
        .await?;
        if fields.contains(&"submissionDeadline") {
            // The 24-hour reminder is due again before the new deadline.
            call_reminder::Entity::delete_by_id(c.id.clone())
                .exec(w.conn())
                .await?;
        }
        let given_if = |name: &str| fields.contains(&name);
        if given_if("lots") {
            for (l, title) in lots.iter().zip(&next.lots) {
                if &l.title != title {
                    let mut am: lot::ActiveModel = l.clone().into();
                    am.title = Set(title.clone());
                    am.update(w.conn()).await?;
                }
            }
        }
        let lot_ids = lots.iter().map(|l| (l.number, l.id.clone())).collect();
        insert_terms(
            w,
            &c.id,
            &lot_ids,
            given_if("lines").then_some(next.lines.as_slice()),
            given_if("qualityCriteria").then_some(next.quality_criteria.as_slice()),
            given_if("capabilityRequirements").then_some(next.capability_requirements.as_slice()),
        )
        .await?;
        let material_version = if material && mode == Changeable::Published {
            version
        } else {
            c.material_version
        };
        let mut am: call_entity::ActiveModel = c.clone().into();
        am.title = Set(next.title.clone());
        am.description = Set(next.description.clone());
        am.search_text = Set(crate::domain::call::search_text(&next));
        am.questions_deadline = Set(crate::clock::to_micros(next.questions_deadline));
        am.submission_deadline = Set(crate::clock::to_micros(next.submission_deadline));
        am.price_weight = Set(next.price_weight);
        am.estimated_value = Set(next.estimated_value.map(entity::Money));
        am.title_sv = Set(next.title_sv.clone());
        am.title_en = Set(next.title_en.clone());
        am.description_sv = Set(next.description_sv.clone());
        am.description_en = Set(next.description_en.clone());
        am.version = Set(version);
        am.material_version = Set(material_version);
        let changed = am.update(w.conn()).await?;
        w.audit(
            now,
            AuditEntry::on_call(&actor.user_id, "call.change", &changed).summary(
                super::documents::with_documents(
                    json!({
                        "version": version,
                        "reason": reason,
                        "fields": fields,
                        "material": material,
                        "before": values(&before, &fields),
                    }),
                    &docs,
                ),
            ),
        )?;
        if mode == Changeable::Published {
            let before = Before {
                lines: before.lines.len(),
                categories: categories_before,
            };
            published_change(w, &changed, &actor.user_id, &reason, &fields, before, now).await?;
        }
        Ok(changed)
    })
}

/// What a published call had before a change: its number of lines and its categories.
struct Before {
    lines: usize,
    categories: Vec<String>,
}

/// A published call's new version: the change recorded, OCDS, and the mail.
async fn published_change(
    w: &Work<'_>,
    c: &call_entity::Model,
    actor: &str,
    reason: &str,
    fields: &[&str],
    before: Before,
    now: DateTime<Utc>,
) -> AppResult<()> {
    call_change::ActiveModel {
        call_id: Set(c.id.clone()),
        version: Set(c.version),
        reason: Set(reason.to_owned()),
        fields: Set(json!(fields).to_string()),
        changed_by: Set(actor.to_owned()),
        changed_at: Set(now),
    }
    .insert(w.conn())
    .await?;
    super::ocds::tender_amended(w, c, reason, fields, before.lines, now).await?;
    let what = compose::CallChanged {
        title: compose::Title::of(c),
        version: c.version,
        fields,
        reason,
        submission_deadline: c.submission_deadline,
        material: change::is_material(fields),
    };
    let mail = compose::call_changed(&what);
    super::notifications::call_changed(w, now, c, before.categories, &mail).await?;
    super::notifications::bidders_told(w, now, c, &compose::bid_review(&what)).await?;
    Ok(())
}

/// The fields a change names, as stored.
pub fn fields_of(c: &call_change::Model) -> Vec<String> {
    serde_json::from_str(&c.fields).unwrap_or_default()
}
