//! The GraphQL schema: thin resolvers over the services, output types wrapping entity models,
//! and per-request DataLoaders for every relation field.

pub mod audit;
pub mod calls;
pub mod contracts;
pub mod cost;
pub mod documents;
pub mod evaluation;
pub mod input_guard;
pub mod inputs;
pub mod loaders;
pub mod lots;
pub mod mutation;
pub mod notifications;
pub mod parsed;
pub mod query;
pub mod remedies;
pub mod scalars;
pub mod types;

use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use async_graphql::{Context, EmptySubscription, Schema, SchemaBuilder};

/// The deepest query accepted (a depth bomb gets a clean error instead of work).
pub const MAX_DEPTH: usize = 16;
/// The most fields a query may select in all.
pub const MAX_COMPLEXITY: usize = 2000;

pub type AppSchema = Schema<query::Query, mutation::Mutation, EmptySubscription>;

/// The schema without runtime data: enough to print the SDL.
pub fn schema_builder() -> SchemaBuilder<query::Query, mutation::Mutation, EmptySubscription> {
    Schema::build(query::Query, mutation::Mutation, EmptySubscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(MAX_DEPTH * 2)
        .limit_directives(20)
}

pub fn build_schema(state: AppState) -> AppSchema {
    schema_builder().data(state).finish()
}

/// The SDL that `schema.graphql` must equal.
pub fn sdl() -> String {
    schema_builder().finish().sdl()
}

pub(crate) fn state<'a>(ctx: &Context<'a>) -> AppResult<&'a AppState> {
    ctx.data::<AppState>()
        .map_err(|_| AppError::Internal(anyhow::anyhow!("AppState missing from schema data")))
}

/// The one instant a request is judged by: every field of a response sees the same time.
#[derive(Debug, Clone, Copy)]
pub struct RequestTime(pub chrono::DateTime<chrono::Utc>);

pub(crate) fn request_time(ctx: &Context<'_>) -> AppResult<chrono::DateTime<chrono::Utc>> {
    ctx.data::<RequestTime>()
        .map(|t| t.0)
        .map_err(|_| AppError::Internal(anyhow::anyhow!("RequestTime missing from request data")))
}

pub(crate) fn caller<'a>(ctx: &Context<'a>) -> AppResult<&'a Caller> {
    ctx.data::<Caller>()
        .map_err(|_| AppError::Internal(anyhow::anyhow!("Caller missing from request data")))
}

/// The request's context for a use case: the application and the caller.
pub(crate) fn cx<'a>(ctx: &Context<'a>) -> AppResult<crate::service::Cx<'a>> {
    Ok(crate::service::Cx {
        state: state(ctx)?,
        caller: caller(ctx)?,
    })
}
