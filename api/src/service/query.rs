//! Queries every use case repeats, written once: a row by a client-given id, the rows of a
//! parent in their position order, and rows keyed by id.

use super::parse_id;
use crate::error::{AppError, AppResult};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PrimaryKeyTrait, QueryFilter, QueryOrder,
};
use std::collections::HashMap;
use std::hash::Hash;

/// The row a client names by `id` in input `field`: NOT_FOUND "`field`: no such `what`" for
/// an id that is malformed or names nothing.
pub async fn given<E, C>(conn: &C, field: &str, id: &str, what: &str) -> AppResult<E::Model>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<String>,
    C: ConnectionTrait,
{
    let id = parse_id(field, id)?;
    E::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("{field}: no such {what}")))
}

/// The rows whose `parent` column is `parent_id`, ordered by `position`.
pub async fn children<E, C>(
    conn: &C,
    parent: E::Column,
    parent_id: &str,
    position: E::Column,
) -> AppResult<Vec<E::Model>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    Ok(E::find()
        .filter(parent.eq(parent_id))
        .order_by_asc(position)
        .all(conn)
        .await?)
}

/// The rows whose `column` is one of `ids`, keyed by `key`.
pub async fn keyed<E, C, K>(
    conn: &C,
    column: E::Column,
    ids: impl IntoIterator<Item = String>,
    key: impl Fn(&E::Model) -> K,
) -> AppResult<HashMap<K, E::Model>>
where
    E: EntityTrait,
    C: ConnectionTrait,
    K: Eq + Hash,
{
    Ok(E::find()
        .filter(column.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (key(&m), m))
        .collect())
}
