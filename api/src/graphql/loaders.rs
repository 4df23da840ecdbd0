//! DataLoaders for relation fields, created per request. Nothing sealed is kept across
//! requests: only the rows of a call's terms (lines, criteria, requirements), products and
//! organisations, which every reader of the call may be shown, are kept between read-only
//! requests in the public cache's parts (`public_cache::Parts`, under the public cache's rule: until the
//! next write or deadline); the fields' guards decide, per request, who sees them.

use crate::error::AppError;
use async_graphql::Request;
use async_graphql::dataloader::{DataLoader, Loader};
use entity::{
    BidStatus, appeal, award, award_ranking, bid, bid_line, bid_response, call, call_change,
    call_line, capability_requirement, contract_amendment, contract_line, contract_signature,
    correction_request, deviation_alert, document, lot, organization, performance_report, product,
    quality_criterion, question, report_entry, user, user_tie,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use std::sync::Arc;

pub type LoadError = Arc<AppError>;

fn db_err(e: sea_orm::DbErr) -> LoadError {
    Arc::new(AppError::Db(e))
}

/// A loader whose values are kept in the public cache's parts, as `KIND`.
pub trait Kept {
    const KIND: &'static str;
}

/// One value by key: straight from the request's parts when they keep it (no loader round,
/// which costs more than the lookup), else through the request's loader, which keeps it.
pub async fn kept_one<L>(
    ctx: &async_graphql::Context<'_>,
    key: &str,
) -> async_graphql::Result<Option<L::Value>>
where
    L: Loader<String, Error = LoadError> + Kept,
    L::Value: Clone + Send + Sync + 'static,
{
    if let Some(Some(parts)) = ctx.data_opt::<Option<crate::public_cache::Parts>>()
        && let Some(kept) = parts
            .cache
            .part::<L::Value>(parts.seq, parts.now, L::KIND, key)
    {
        return Ok(kept);
    }
    Ok(ctx
        .data::<DataLoader<L>>()?
        .load_one(key.to_owned())
        .await?)
}

/// Loads the keys that `parts` does not keep with `load`, and keeps what it loaded.
async fn through_parts<V, F>(
    parts: Option<&crate::public_cache::Parts>,
    kind: &'static str,
    keys: &[String],
    load: impl FnOnce(Vec<String>) -> F,
) -> Result<HashMap<String, V>, LoadError>
where
    V: Clone + Send + Sync + 'static,
    F: std::future::Future<Output = Result<HashMap<String, V>, LoadError>>,
{
    let Some(parts) = parts else {
        return load(keys.to_vec()).await;
    };
    let (mut found, missing) = parts.get_many::<V>(kind, keys);
    if !missing.is_empty() {
        let loaded = load(missing.clone()).await?;
        parts.put_many(kind, &missing, &loaded);
        found.extend(loaded);
    }
    Ok(found)
}

/// The rows of `$entity` whose `$key` is one of `$keys`, by `$field`.
macro_rules! rows_by_key {
    ($conn:expr, $entity:ident, $key:ident, $field:ident, $keys:expr) => {{
        let rows = $entity::Entity::find()
            .filter($entity::Column::$key.is_in($keys))
            .all($conn)
            .await
            .map_err(db_err)?;
        Ok(rows.into_iter().map(|r| (r.$field.clone(), r)).collect())
    }};
}

/// The rows of `$entity` whose `$key` is one of `$keys` (and that meet `where`), grouped by
/// `$field` in `$order`.
macro_rules! rows_grouped {
    ($conn:expr, $entity:ident, $key:ident, $field:ident, $order:ident, $keys:expr $(, where $cond:expr)?) => {{
        let rows = $entity::Entity::find()
            .filter($entity::Column::$key.is_in($keys))
            $(.filter($cond))?
            .order_by_asc($entity::Column::$order)
            .all($conn)
            .await
            .map_err(db_err)?;
        let mut map: HashMap<String, Vec<$entity::Model>> = HashMap::new();
        for r in rows {
            map.entry(r.$field.clone()).or_default().push(r);
        }
        Ok(map)
    }};
}

/// A loader of rows by a unique key column (by default the primary key `id`).
macro_rules! by_id_loader {
    ($name:ident, $entity:ident) => {
        by_id_loader!($name, $entity, Id, id);
    };
    ($name:ident, $entity:ident, kept as $kind:literal) => {
        pub struct $name(
            pub DatabaseConnection,
            pub Option<crate::public_cache::Parts>,
        );

        impl Kept for $name {
            const KIND: &'static str = $kind;
        }

        impl Loader<String> for $name {
            type Value = $entity::Model;
            type Error = LoadError;

            async fn load(
                &self,
                keys: &[String],
            ) -> Result<HashMap<String, Self::Value>, Self::Error> {
                through_parts(self.1.as_ref(), $kind, keys, |keys| async move {
                    rows_by_key!(&self.0, $entity, Id, id, keys)
                })
                .await
            }
        }
    };
    ($name:ident, $entity:ident, $key:ident, $field:ident) => {
        pub struct $name(pub DatabaseConnection);

        impl Loader<String> for $name {
            type Value = $entity::Model;
            type Error = LoadError;

            async fn load(
                &self,
                keys: &[String],
            ) -> Result<HashMap<String, Self::Value>, Self::Error> {
                rows_by_key!(&self.0, $entity, $key, $field, keys.iter().cloned())
            }
        }
    };
}

/// A loader of child rows grouped by a parent key column, in a given order (only the rows
/// that meet `where`, when given).
macro_rules! grouped_loader {
    ($name:ident, $entity:ident, $key:ident, $field:ident, $order:ident, where $cond:expr, kept as $kind:literal) => {
        pub struct $name(pub DatabaseConnection, pub Option<crate::public_cache::Parts>);

        impl Kept for $name {
            const KIND: &'static str = $kind;
        }

        impl Loader<String> for $name {
            type Value = Vec<$entity::Model>;
            type Error = LoadError;

            async fn load(
                &self,
                keys: &[String],
            ) -> Result<HashMap<String, Self::Value>, Self::Error> {
                through_parts(self.1.as_ref(), $kind, keys, |keys| async move {
                    rows_grouped!(&self.0, $entity, $key, $field, $order, keys, where $cond)
                })
                .await
            }
        }
    };
    ($name:ident, $entity:ident, $key:ident, $field:ident, $order:ident $(, where $cond:expr)?) => {
        pub struct $name(pub DatabaseConnection);

        impl Loader<String> for $name {
            type Value = Vec<$entity::Model>;
            type Error = LoadError;

            async fn load(
                &self,
                keys: &[String],
            ) -> Result<HashMap<String, Self::Value>, Self::Error> {
                rows_grouped!(&self.0, $entity, $key, $field, $order, keys.iter().cloned() $(, where $cond)?)
            }
        }
    };
}

by_id_loader!(OrganizationLoader, organization, kept as "organization");
by_id_loader!(ProductLoader, product, kept as "product");
by_id_loader!(CallLoader, call);
by_id_loader!(CallLineLoader, call_line);
by_id_loader!(CriterionLoader, quality_criterion);
by_id_loader!(RequirementLoader, capability_requirement);
by_id_loader!(UserLoader, user);
by_id_loader!(BidLoader, bid);
by_id_loader!(AwardLoader, award);
by_id_loader!(LotLoader, lot);

grouped_loader!(TiesByUser, user_tie, UserId, user_id, DeclaredAt);
// A call's own lines, criteria and requirements: not those a change replaced.
grouped_loader!(LinesByCall, call_line, CallId, call_id, Position, where call_line::Column::RetiredIn.is_null(), kept as "lines");
grouped_loader!(CriteriaByCall, quality_criterion, CallId, call_id, Position, where quality_criterion::Column::RetiredIn.is_null(), kept as "criteria");
grouped_loader!(
    RequirementsByCall,
    capability_requirement,
    CallId,
    call_id,
    Position,
    where capability_requirement::Column::RetiredIn.is_null(),
    kept as "requirements"
);
grouped_loader!(ChangesByCall, call_change, CallId, call_id, Version);
/// The documents attached to objects, by (kind, id) (`service::documents::CALL`, …), in
/// upload order.
pub struct DocumentsByOwner(pub DatabaseConnection);

impl Loader<(String, String)> for DocumentsByOwner {
    type Value = Vec<document::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(String, String)],
    ) -> Result<HashMap<(String, String), Self::Value>, Self::Error> {
        let kinds: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
        let rows = document::Entity::find()
            .filter(document::Column::OwnerKind.is_in(kinds))
            .filter(document::Column::OwnerId.is_in(keys.iter().map(|(_, id)| id.clone())))
            .order_by_asc(document::Column::UploadedAt)
            .all(&self.0)
            .await
            .map_err(db_err)?;
        let mut map: HashMap<(String, String), Vec<document::Model>> = HashMap::new();
        for r in rows {
            let key = keys.iter().find(|(k, id)| {
                r.owner_kind.as_deref() == Some(k.as_str())
                    && r.owner_id.as_deref() == Some(id.as_str())
            });
            if let Some(key) = key {
                map.entry(key.clone()).or_default().push(r);
            }
        }
        Ok(map)
    }
}
grouped_loader!(QuestionsByCall, question, CallId, call_id, AskedAt);
grouped_loader!(BidsByCall, bid, CallId, call_id, SubmittedAt);
grouped_loader!(LinesByBid, bid_line, BidId, bid_id, CallLineId);
grouped_loader!(ResponsesByBid, bid_response, BidId, bid_id, TargetId);
grouped_loader!(RankingByAward, award_ranking, AwardId, award_id, Rank);
grouped_loader!(LotsByCall, lot, CallId, call_id, Number);
grouped_loader!(
    CorrectionsByCall,
    correction_request,
    CallId,
    call_id,
    SubmittedAt
);
grouped_loader!(AppealsByCall, appeal, CallId, call_id, FiledAt);
grouped_loader!(
    SignaturesByContract,
    contract_signature,
    ContractId,
    contract_id,
    SignedAt
);
grouped_loader!(
    ContractLinesByContract,
    contract_line,
    ContractId,
    contract_id,
    Position
);
grouped_loader!(
    AmendmentsByContract,
    contract_amendment,
    ContractId,
    contract_id,
    Version
);
grouped_loader!(
    ReportsByContract,
    performance_report,
    ContractId,
    contract_id,
    Period
);
grouped_loader!(
    EntriesByContract,
    report_entry,
    ContractId,
    contract_id,
    Position
);
grouped_loader!(
    AlertsByContract,
    deviation_alert,
    ContractId,
    contract_id,
    CreatedAt
);

/// The number of standing (not withdrawn) bids per call, counted in the database.
pub struct BidCountByCall(pub DatabaseConnection);

impl Loader<String> for BidCountByCall {
    type Value = i64;
    type Error = LoadError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, i64>, Self::Error> {
        let rows: Vec<(String, i64)> = bid::Entity::find()
            .select_only()
            .column(bid::Column::CallId)
            .column_as(Expr::col(bid::Column::Id).count(), "n")
            .filter(bid::Column::CallId.is_in(keys.iter().cloned()))
            .filter(bid::Column::Status.eq(BidStatus::Submitted))
            .group_by(bid::Column::CallId)
            .into_tuple()
            .all(&self.0)
            .await
            .map_err(db_err)?;
        Ok(rows.into_iter().collect())
    }
}

/// An organisation's own bid on a call, keyed by (call id, organisation id).
pub struct OwnBidLoader(pub DatabaseConnection);

impl Loader<(String, String)> for OwnBidLoader {
    type Value = bid::Model;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(String, String)],
    ) -> Result<HashMap<(String, String), bid::Model>, Self::Error> {
        let mut by_org: HashMap<&str, Vec<String>> = HashMap::new();
        for (call_id, org) in keys {
            by_org
                .entry(org.as_str())
                .or_default()
                .push(call_id.clone());
        }
        let mut out = HashMap::new();
        for (org, calls) in by_org {
            let rows = bid::Entity::find()
                .filter(bid::Column::BidderId.eq(org))
                .filter(bid::Column::CallId.is_in(calls))
                .all(&self.0)
                .await
                .map_err(db_err)?;
            for b in rows {
                out.insert((b.call_id.clone(), b.bidder_id.clone()), b);
            }
        }
        Ok(out)
    }
}

/// Attaches a fresh set of loaders to one request; `parts` for a read-only request.
pub fn attach(
    request: Request,
    db: &DatabaseConnection,
    parts: Option<crate::public_cache::Parts>,
) -> Request {
    // No waiting for more keys: the fields of one list ask for theirs in the same pass of
    // the resolver, before the load (a task spawned in that pass) runs; a 1 ms wait would only
    // add that much to every nesting level of every answer.
    fn dl<T: Send + Sync + 'static>(loader: T) -> DataLoader<T> {
        DataLoader::new(loader, tokio::spawn).delay(std::time::Duration::ZERO)
    }
    request
        .data(dl(OrganizationLoader(db.clone(), parts.clone())))
        .data(dl(ProductLoader(db.clone(), parts.clone())))
        .data(dl(CallLoader(db.clone())))
        .data(dl(CallLineLoader(db.clone())))
        .data(dl(CriterionLoader(db.clone())))
        .data(dl(RequirementLoader(db.clone())))
        .data(dl(TiesByUser(db.clone())))
        .data(dl(LinesByCall(db.clone(), parts.clone())))
        .data(dl(CriteriaByCall(db.clone(), parts.clone())))
        .data(dl(ChangesByCall(db.clone())))
        .data(dl(DocumentsByOwner(db.clone())))
        .data(dl(RequirementsByCall(db.clone(), parts.clone())))
        .data(dl(QuestionsByCall(db.clone())))
        .data(dl(BidsByCall(db.clone())))
        .data(dl(LinesByBid(db.clone())))
        .data(dl(ResponsesByBid(db.clone())))
        .data(dl(BidCountByCall(db.clone())))
        .data(dl(OwnBidLoader(db.clone())))
        .data(dl(UserLoader(db.clone())))
        .data(dl(BidLoader(db.clone())))
        .data(dl(AwardLoader(db.clone())))
        .data(dl(RankingByAward(db.clone())))
        .data(dl(LotLoader(db.clone())))
        .data(dl(LotsByCall(db.clone())))
        .data(dl(super::lots::LotEvaluationLoader(db.clone())))
        .data(dl(CorrectionsByCall(db.clone())))
        .data(dl(AppealsByCall(db.clone())))
        .data(dl(SignaturesByContract(db.clone())))
        .data(dl(ContractLinesByContract(db.clone())))
        .data(dl(AmendmentsByContract(db.clone())))
        .data(dl(ReportsByContract(db.clone())))
        .data(dl(EntriesByContract(db.clone())))
        .data(dl(AlertsByContract(db.clone())))
}
