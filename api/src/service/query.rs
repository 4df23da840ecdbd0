//! Queries every use case repeats, written once: a row by a client-given id, the rows of a
//! parent in their position order, rows keyed by id, one column of the rows that match, and
//! the sub-select of an `IN (…)` filter.

use super::parse_id;
use crate::error::{AppError, AppResult};
use sea_orm::sea_query::{IntoCondition, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PrimaryKeyTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
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

/// The items with their positions, from 0 (a list from a client is bounded far below
/// `i32::MAX` at the input).
pub fn positioned<I: IntoIterator>(items: I) -> impl Iterator<Item = (i32, I::Item)> {
    (0..).zip(items)
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

/// The text `column` of the rows of `E` that match `filter` (only that column is read),
/// collected into `R` (a `Vec` or a set).
pub async fn column<E, C, R>(
    conn: &C,
    column: E::Column,
    filter: impl IntoCondition,
) -> AppResult<R>
where
    E: EntityTrait,
    C: ConnectionTrait,
    R: FromIterator<String>,
{
    Ok(E::find()
        .select_only()
        .column(column)
        .filter(filter)
        .into_tuple::<String>()
        .all(conn)
        .await?
        .into_iter()
        .collect())
}

/// `SELECT column FROM E WHERE filter`, the sub-select of an `IN (…)` filter.
pub fn select<E: EntityTrait>(column: E::Column, filter: impl IntoCondition) -> SelectStatement {
    E::find()
        .select_only()
        .column(column)
        .filter(filter)
        .into_query()
}
