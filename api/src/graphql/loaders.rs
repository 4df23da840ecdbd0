//! DataLoaders for relation fields, created per request so nothing is cached across requests.

use crate::error::AppError;
use async_graphql::Request;
use async_graphql::dataloader::{DataLoader, Loader};
use entity::{organization, product, user_tie};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::Arc;

pub type LoadError = Arc<AppError>;

fn db_err(e: sea_orm::DbErr) -> LoadError {
    Arc::new(AppError::Db(e))
}

pub struct OrganizationLoader(pub DatabaseConnection);

impl Loader<String> for OrganizationLoader {
    type Value = organization::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, Self::Error> {
        let rows = organization::Entity::find()
            .filter(organization::Column::Id.is_in(keys.iter().cloned()))
            .all(&self.0)
            .await
            .map_err(db_err)?;
        Ok(rows.into_iter().map(|o| (o.id.clone(), o)).collect())
    }
}

pub struct ProductLoader(pub DatabaseConnection);

impl Loader<String> for ProductLoader {
    type Value = product::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, Self::Error> {
        let rows = product::Entity::find()
            .filter(product::Column::Id.is_in(keys.iter().cloned()))
            .all(&self.0)
            .await
            .map_err(db_err)?;
        Ok(rows.into_iter().map(|p| (p.id.clone(), p)).collect())
    }
}

/// Declared ties of users, keyed by user id: the organisation ids, oldest first.
pub struct TiesLoader(pub DatabaseConnection);

impl Loader<String> for TiesLoader {
    type Value = Vec<String>;
    type Error = LoadError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, Self::Error> {
        let rows = user_tie::Entity::find()
            .filter(user_tie::Column::UserId.is_in(keys.iter().cloned()))
            .all(&self.0)
            .await
            .map_err(db_err)?;
        let mut sorted = rows;
        sorted.sort_by(|a, b| {
            a.declared_at
                .cmp(&b.declared_at)
                .then(a.organization_id.cmp(&b.organization_id))
        });
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for t in sorted {
            map.entry(t.user_id).or_default().push(t.organization_id);
        }
        Ok(map)
    }
}

/// Attaches a fresh set of loaders to one request.
pub fn attach(request: Request, db: &DatabaseConnection) -> Request {
    request
        .data(DataLoader::new(
            OrganizationLoader(db.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(ProductLoader(db.clone()), tokio::spawn))
        .data(DataLoader::new(TiesLoader(db.clone()), tokio::spawn))
}
