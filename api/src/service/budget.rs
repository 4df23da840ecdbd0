//! Budget administration: appropriations (määräraha) per orderer and year, and grants
//! (avustus), which later disqualify the grantee from the same orderer's calls.

use super::PageLimits;
use super::audit::AuditEntry;
use super::identity::find_organization;
use super::new_id;
use crate::domain::validate;
use crate::error::{AppError, AppResult};
use crate::service::Cx;
use entity::{Money, OrganizationKind, Role, appropriation, grant, organization};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

/// An appropriation with what contracts have committed of it.
#[derive(Debug, Clone)]
pub struct AppropriationView {
    pub orderer_id: String,
    pub fiscal_year: i32,
    pub amount: Decimal,
    pub committed: Decimal,
}

impl AppropriationView {
    pub fn available(&self) -> Decimal {
        self.amount - self.committed
    }
}

/// What activated contracts commit of the orderer's year (`service::contracts::committed`).
async fn committed_in<C: ConnectionTrait>(
    conn: &C,
    orderer_id: &str,
    fiscal_year: i32,
) -> AppResult<Decimal> {
    let used = super::contracts::committed(conn, Some(orderer_id), &[fiscal_year]).await?;
    Ok(used
        .get(&(orderer_id.to_owned(), fiscal_year))
        .copied()
        .unwrap_or_default())
}

fn view(a: appropriation::Model, committed: Decimal) -> AppropriationView {
    AppropriationView {
        orderer_id: a.orderer_id,
        fiscal_year: a.fiscal_year,
        amount: a.amount.0,
        committed,
    }
}

/// One orderer's appropriation for a year with what is committed of it, if it has one.
pub async fn appropriation_of<C: ConnectionTrait>(
    conn: &C,
    orderer_id: &str,
    fiscal_year: i32,
) -> AppResult<Option<AppropriationView>> {
    let Some(a) = appropriation::Entity::find_by_id((orderer_id.to_owned(), fiscal_year))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let committed = committed_in(conn, orderer_id, fiscal_year).await?;
    Ok(Some(view(a, committed)))
}

/// The ORDERER organisation named in input `ordererId`.
async fn find_orderer<C: ConnectionTrait>(conn: &C, id: &str) -> AppResult<organization::Model> {
    let org = find_organization(conn, "ordererId", id).await?;
    if org.kind == OrganizationKind::Orderer {
        Ok(org)
    } else {
        Err(AppError::bad_input(
            "ordererId",
            "must be an ORDERER organization",
        ))
    }
}

/// ADMIN: sets (or replaces) an orderer's appropriation for a year.
pub async fn set_appropriation(
    Cx { state, caller }: Cx<'_>,
    orderer_id: &str,
    fiscal_year: i32,
    amount: Decimal,
) -> AppResult<AppropriationView> {
    let admin = caller.require_role(Role::Admin, "set appropriations")?;
    let fiscal_year = validate::fiscal_year("fiscalYear", fiscal_year)?;
    let amount = validate::amount("amount", amount)?;
    let now = state.now();
    work!(state, |w| {
        let orderer = find_orderer(w.conn(), orderer_id).await?;
        let already = committed_in(w.conn(), &orderer.id, fiscal_year).await?;
        if amount < already {
            return Err(AppError::BudgetExceeded(format!(
                "contracts already commit {already} of {fiscal_year}; the appropriation cannot be lower"
            )));
        }
        let existing = appropriation::Entity::find_by_id((orderer.id.clone(), fiscal_year))
            .one(w.conn())
            .await?;
        let previous = existing.as_ref().map(|a| a.amount.0);
        let saved = match existing {
            Some(a) => {
                let mut am: appropriation::ActiveModel = a.into();
                am.amount = Set(Money(amount));
                am.updated_at = Set(now);
                am.update(w.conn()).await?
            }
            None => {
                appropriation::ActiveModel {
                    orderer_id: Set(orderer.id.clone()),
                    fiscal_year: Set(fiscal_year),
                    amount: Set(Money(amount)),
                    updated_at: Set(now),
                }
                .insert(w.conn())
                .await?
            }
        };
        let entity_id = format!("{}:{}", orderer.id, fiscal_year);
        w.audit(
            now,
            AuditEntry::by(
                &admin.user_id,
                "appropriation.set",
                "appropriation",
                &entity_id,
            )
            .orderer(&orderer.id)
            .summary(json!({
                "ordererId": orderer.id,
                "fiscalYear": fiscal_year,
                "amount": amount.to_string(),
                "previous": previous.map(|p| p.to_string()),
            })),
        )?;
        Ok(view(saved, already))
    })
}

/// ADMIN sees every orderer's appropriations; an ORDERER sees its own organisation's.
pub async fn appropriations(
    Cx { state, caller }: Cx<'_>,
    fiscal_year: i32,
) -> AppResult<Vec<AppropriationView>> {
    let actor = caller.require()?;
    let mut q = appropriation::Entity::find()
        .filter(appropriation::Column::FiscalYear.eq(fiscal_year))
        .order_by_asc(appropriation::Column::OrdererId);
    if let Some(orderer) =
        actor.orderer_scope("appropriations are for administrators and orderers")?
    {
        q = q.filter(appropriation::Column::OrdererId.eq(orderer));
    }
    let rows = q.all(state.db.conn()).await?;
    let orderer = (actor.role == Role::Orderer).then_some(actor.organization_id.as_str());
    let used = super::contracts::committed(state.db.conn(), orderer, &[fiscal_year]).await?;
    Ok(rows
        .into_iter()
        .map(|a| {
            let c = used
                .get(&(a.orderer_id.clone(), fiscal_year))
                .copied()
                .unwrap_or_default();
            view(a, c)
        })
        .collect())
}

/// ADMIN: records a grant an orderer gave a producer organisation for a year.
pub async fn record_grant(
    Cx { state, caller }: Cx<'_>,
    orderer_id: &str,
    recipient_id: &str,
    fiscal_year: i32,
    amount: Decimal,
) -> AppResult<grant::Model> {
    let admin = caller.require_role(Role::Admin, "record grants")?;
    let fiscal_year = validate::fiscal_year("fiscalYear", fiscal_year)?;
    let amount = validate::positive_amount("amount", amount)?;
    let now = state.now();
    work!(state, |w| {
        let orderer = find_orderer(w.conn(), orderer_id).await?;
        let recipient = find_organization(w.conn(), "recipientId", recipient_id).await?;
        if !matches!(
            recipient.kind,
            OrganizationKind::ExternalProvider | OrganizationKind::InHouseProducer
        ) {
            return Err(AppError::bad_input(
                "recipientId",
                "must be a producer organization (IN_HOUSE_PRODUCER or EXTERNAL_PROVIDER)",
            ));
        }
        let g = grant::ActiveModel {
            id: Set(new_id()),
            orderer_id: Set(orderer.id.clone()),
            recipient_id: Set(recipient.id.clone()),
            fiscal_year: Set(fiscal_year),
            amount: Set(Money(amount)),
            created_at: Set(now),
        }
        .insert(w.conn())
        .await?;
        w.audit(
            now,
            AuditEntry::by(&admin.user_id, "grant.record", "grant", &g.id)
                .orderer(&orderer.id)
                .summary(json!({
                    "ordererId": orderer.id,
                    "recipientId": recipient.id,
                    "fiscalYear": fiscal_year,
                    "amount": amount.to_string(),
                })),
        )?;
        Ok(g)
    })
}

/// How many grants `grants` answers unless asked, and at most.
pub const GRANTS_PAGE: PageLimits = PageLimits::new(100, 500);

/// Grants of a fiscal year, newest first: all for ADMIN, those the own organisation gave for
/// an ORDERER; a producer is FORBIDDEN.
pub async fn grants(
    Cx { state, caller }: Cx<'_>,
    fiscal_year: i32,
    first: Option<i32>,
) -> AppResult<Vec<grant::Model>> {
    use sea_orm::QuerySelect;
    let actor = caller.require()?;
    let first = GRANTS_PAGE.size(first)?;
    let mut q = grant::Entity::find()
        .filter(grant::Column::FiscalYear.eq(fiscal_year))
        .order_by_desc(grant::Column::Id);
    if let Some(orderer) = actor.orderer_scope("grants are for administrators and orderers")? {
        q = q.filter(grant::Column::OrdererId.eq(orderer));
    }
    Ok(q.limit(first).all(state.db.conn()).await?)
}
