//! Documents as the API shows them; the content is fetched from `url` (`GET`, with the same
//! Bearer token), answered 404 to anyone who may not read it.

use super::loaders::DocumentsByOwner;
use super::scalars::Ts;
use crate::state::AppState;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Object, Result};

/// The documents attached to the object `kind` `id` (the caller may see the object).
pub async fn of(ctx: &Context<'_>, kind: &'static str, id: &str) -> Result<Vec<Document>> {
    let list = ctx
        .data::<DataLoader<DocumentsByOwner>>()?
        .load_one((kind.to_owned(), id.to_owned()))
        .await?;
    Ok(list.unwrap_or_default().into_iter().map(Document).collect())
}

pub struct Document(pub entity::document::Model);

#[Object]
impl Document {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// The file name as uploaded, made safe (no path, no control characters).
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Read from the content, not from the name.
    async fn content_type(&self) -> &str {
        &self.0.content_type
    }
    async fn size(&self) -> i32 {
        i32::try_from(self.0.size).unwrap_or(i32::MAX)
    }
    /// Lowercase hex SHA-256 of the content.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }
    async fn uploaded_at(&self) -> Ts {
        Ts(self.0.uploaded_at)
    }
    /// Where the content is fetched (`GET` with the Bearer token).
    async fn url(&self, ctx: &Context<'_>) -> Result<String> {
        let state = ctx.data::<AppState>()?;
        Ok(format!(
            "{}/documents/{}",
            state.config.public_url, self.0.id
        ))
    }
}
