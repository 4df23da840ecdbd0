//! The product catalogue (tuotteistus): productized services the orderers buy.

use super::audit::AuditEntry;
use super::new_id;
use crate::domain::{cpv, validate};
use crate::error::{AppError, AppResult};
use crate::service::Cx;
use crate::state::AppState;
use entity::{Role, ServiceKind, product};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;

pub struct NewProduct<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub unit: &'a str,
    pub category: &'a str,
    pub description: Option<&'a str>,
    /// CPV 2008 code with its check digit.
    pub cpv_code: Option<&'a str>,
    /// GENERAL unless given.
    pub service_kind: Option<ServiceKind>,
}

/// ADMIN: a product with a unique code.
pub async fn create_product(
    Cx { state, caller }: Cx<'_>,
    input: NewProduct<'_>,
) -> AppResult<product::Model> {
    let admin = caller.require_role(Role::Admin, "maintain the product catalogue")?;
    let code = validate::text("code", input.code, 50)?;
    let name = validate::text("name", input.name, 200)?;
    let unit = validate::text("unit", input.unit, 50)?;
    let category = validate::text("category", input.category, 100)?;
    let description = validate::optional_text("description", input.description, 4000)?;
    let cpv_code = input
        .cpv_code
        .map(|c| cpv::check("cpvCode", c))
        .transpose()?;
    let service_kind = input.service_kind.unwrap_or(ServiceKind::General);
    let now = state.now();
    work!(state, |w| {
        let taken = product::Entity::find()
            .filter(product::Column::Code.eq(code.as_str()))
            .count(w.conn())
            .await?
            > 0;
        if taken {
            return Err(AppError::taken(
                "code",
                format!("code: product code {code} is already in use"),
            ));
        }
        let p = product::ActiveModel {
            id: Set(new_id()),
            code: Set(code),
            name: Set(name),
            unit: Set(unit),
            category: Set(category),
            description: Set(description),
            created_at: Set(now),
            cpv_code: Set(cpv_code),
            service_kind: Set(service_kind),
        }
        .insert(w.conn())
        .await?;
        w.audit(
            now,
            AuditEntry::by(&admin.user_id, "product.create", "product", &p.id).summary(json!({
                "code": p.code,
                "name": p.name,
                "unit": p.unit,
                "category": p.category,
                "cpvCode": p.cpv_code,
                "serviceKind": p.service_kind.as_str(),
            })),
        )?;
        Ok(p)
    })
}

/// Public: the catalogue, optionally one category, by code.
pub async fn products(state: &AppState, category: Option<&str>) -> AppResult<Vec<product::Model>> {
    let mut q = product::Entity::find().order_by_asc(product::Column::Code);
    if let Some(c) = category.map(str::trim).filter(|c| !c.is_empty()) {
        q = q.filter(product::Column::Category.eq(c));
    }
    Ok(q.all(state.db.conn()).await?)
}

pub async fn find_product<C: ConnectionTrait>(
    conn: &C,
    field: &str,
    id: &str,
) -> AppResult<product::Model> {
    super::query::given::<product::Entity, _>(conn, field, id, "product").await
}
