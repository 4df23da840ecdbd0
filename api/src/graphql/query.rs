//! Queries: each authorises through a service and wraps the result.

use super::audit::{AuditEvent, AuditVerification};
use super::calls::{Bid, CallConnection, CallEdge, CallFilter, CallForTenders, PageInfo};
use super::contracts::{Benchmark, GqlContractStatus, Portfolio, ServiceContract};
use super::notifications::Notification;
use super::types::{
    Appropriation, CostCalculation, GqlOrganizationKind, Grant, Organization, Product, User,
    UserConnection, UserEdge,
};
use super::{caller, cx, request_time, state};
use crate::service::{bids, budget, calls, catalogue, contracts, costing, identity};
use async_graphql::{Context, ID, Object, Result};

pub struct Query;

#[Object]
impl Query {
    /// The logged-in user, or null without a token.
    async fn me(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(identity::me(cx(ctx)?).await?.map(User))
    }

    /// The users of the caller's own organisation, by name (an addition to the contract: the
    /// portal's orderer picks evaluators from it).
    async fn my_colleagues(&self, ctx: &Context<'_>) -> Result<Vec<User>> {
        let list = identity::colleagues(cx(ctx)?).await?;
        Ok(list.into_iter().map(User).collect())
    }

    /// ADMIN: the users of one organisation, by name (an addition to the contract: the
    /// portal's administration pages list them). `first` defaults to 50 and is capped at 200;
    /// `after` is the `endCursor` of the page before.
    async fn users(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<UserConnection> {
        let page = identity::users_of(cx(ctx)?, &organization_id, first, after.as_deref()).await?;
        let end_cursor = page.users.last().map(|u| u.id.clone());
        Ok(UserConnection {
            edges: page
                .users
                .into_iter()
                .map(|u| UserEdge {
                    cursor: u.id.clone(),
                    node: User(u),
                })
                .collect(),
            page_info: PageInfo {
                has_next_page: page.has_next_page,
                end_cursor,
            },
            total_count: i32::try_from(page.total_count).unwrap_or(i32::MAX),
        })
    }

    /// Organisations, optionally of one kind (logged-in users).
    async fn organizations(
        &self,
        ctx: &Context<'_>,
        kind: Option<GqlOrganizationKind>,
    ) -> Result<Vec<Organization>> {
        let orgs = identity::organizations(cx(ctx)?, kind.map(Into::into)).await?;
        Ok(orgs.into_iter().map(Organization).collect())
    }

    /// The product catalogue, optionally one category (public).
    async fn products(&self, ctx: &Context<'_>, category: Option<String>) -> Result<Vec<Product>> {
        let ps = catalogue::products(state(ctx)?, category.as_deref()).await?;
        Ok(ps.into_iter().map(Product).collect())
    }

    /// Appropriations of a fiscal year: all for ADMIN, the own organisation's for an ORDERER.
    async fn appropriations(
        &self,
        ctx: &Context<'_>,
        fiscal_year: i32,
    ) -> Result<Vec<Appropriation>> {
        let list = budget::appropriations(cx(ctx)?, fiscal_year).await?;
        Ok(list.into_iter().map(Appropriation).collect())
    }

    /// Grants of a fiscal year, newest first: all for ADMIN, those the own organisation gave
    /// for an ORDERER (an addition to the contract: the portal's budget page lists them).
    /// `first` defaults to 100, at most 500.
    async fn grants(
        &self,
        ctx: &Context<'_>,
        fiscal_year: i32,
        first: Option<i32>,
    ) -> Result<Vec<Grant>> {
        let list = budget::grants(cx(ctx)?, fiscal_year, first).await?;
        Ok(list.into_iter().map(Grant).collect())
    }

    /// In-house cost calculations: all for ADMIN and ORDERER users, the own for an in-house producer.
    async fn cost_calculations(
        &self,
        ctx: &Context<'_>,
        producer_id: Option<ID>,
        fiscal_year: Option<i32>,
    ) -> Result<Vec<CostCalculation>> {
        let list = costing::list(
            cx(ctx)?,
            producer_id.as_ref().map(|p| p.as_str()),
            fiscal_year,
        )
        .await?;
        Ok(list.into_iter().map(CostCalculation).collect())
    }

    /// Calls the caller may see (published ones for everybody, drafts for their orderer and
    /// admins), newest first. `first` defaults to 20 and is capped at 100.
    async fn calls(
        &self,
        ctx: &Context<'_>,
        filter: Option<CallFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<CallConnection> {
        let filter = filter.map(|f| calls::CallFilter {
            status: f.status.map(Into::into),
            orderer_id: f.orderer_id.map(|i| i.0),
            product_id: f.product_id.map(|i| i.0),
            search: f.search,
            category: f.category,
        });
        let look = ctx.look_ahead();
        let wanted = calls::PageParts {
            rows: look.field("edges").exists() || look.field("pageInfo").exists(),
            count: look.field("totalCount").exists(),
        };
        let page = calls::list_calls(
            cx(ctx)?,
            filter.unwrap_or_default(),
            first,
            after.as_deref(),
            request_time(ctx)?,
            wanted,
            ctx.data_opt::<Option<crate::public_cache::Parts>>()
                .and_then(Option::as_ref),
        )
        .await?;
        let end_cursor = page.calls.last().map(|c| c.id.clone());
        Ok(CallConnection {
            edges: page
                .calls
                .into_iter()
                .map(|c| CallEdge {
                    cursor: c.id.clone(),
                    node: CallForTenders(c),
                })
                .collect(),
            page_info: PageInfo {
                has_next_page: page.has_next_page,
                end_cursor,
            },
            total_count: i32::try_from(page.total_count).unwrap_or(i32::MAX),
        })
    }

    /// One call, or null when it does not exist or the caller may not see it.
    async fn call(&self, ctx: &Context<'_>, id: ID) -> Result<Option<CallForTenders>> {
        let kept = ctx
            .data_opt::<Option<crate::public_cache::Parts>>()
            .and_then(Option::as_ref);
        Ok(calls::get_call(cx(ctx)?, &id, kept)
            .await?
            .map(CallForTenders))
    }

    /// One bid, or null when it does not exist or is sealed from the caller.
    async fn bid(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Bid>> {
        Ok(bids::get_bid(cx(ctx)?, &id, request_time(ctx)?)
            .await?
            .map(Bid))
    }

    /// The caller's organisation's own bids (PRODUCER), most recently submitted first.
    /// `first` defaults to 50, at most 500.
    async fn my_bids(&self, ctx: &Context<'_>, first: Option<i32>) -> Result<Vec<Bid>> {
        let list = bids::my_bids(cx(ctx)?, first).await?;
        Ok(list.into_iter().map(Bid).collect())
    }

    /// One contract, for admins and its orderer and producer organisations.
    async fn contract(&self, ctx: &Context<'_>, id: ID) -> Result<Option<ServiceContract>> {
        Ok(contracts::get(cx(ctx)?, &id).await?.map(ServiceContract))
    }

    /// Contracts the caller may see, newest first.
    async fn contracts(
        &self,
        ctx: &Context<'_>,
        orderer_id: Option<ID>,
        producer_id: Option<ID>,
        status: Option<GqlContractStatus>,
    ) -> Result<Vec<ServiceContract>> {
        let today = request_time(ctx)?.date_naive();
        let list = contracts::list(
            cx(ctx)?,
            orderer_id.as_ref().map(|i| i.as_str()),
            producer_id.as_ref().map(|i| i.as_str()),
            status.map(Into::into),
            today,
        )
        .await?;
        Ok(list.into_iter().map(ServiceContract).collect())
    }

    /// An orderer's contract portfolio for a fiscal year (admins and the orderer itself).
    async fn portfolio(
        &self,
        ctx: &Context<'_>,
        orderer_id: ID,
        fiscal_year: i32,
    ) -> Result<Portfolio> {
        let cx = cx(ctx)?;
        let st = cx.state;
        let rows = contracts::portfolio(cx, &orderer_id, fiscal_year).await?;
        let orderer =
            crate::service::identity::find_organization(st.db.conn(), "ordererId", &orderer_id)
                .await?;
        let appropriation =
            budget::appropriation_of(st.db.conn(), &orderer.id, fiscal_year).await?;
        Ok(Portfolio {
            orderer_id: orderer.id,
            fiscal_year,
            rows,
            appropriation,
        })
    }

    /// A product's market benchmark for a fiscal year (admins, orderers, in-house producers).
    async fn benchmark(
        &self,
        ctx: &Context<'_>,
        product_id: ID,
        fiscal_year: i32,
    ) -> Result<Benchmark> {
        let cx = cx(ctx)?;
        let st = cx.state;
        let figures =
            contracts::benchmark(cx, &product_id, fiscal_year, request_time(ctx)?).await?;
        let product =
            crate::service::catalogue::find_product(st.db.conn(), "productId", &product_id).await?;
        Ok(Benchmark {
            product,
            fiscal_year,
            figures,
        })
    }

    /// Notifications, newest first: all for admins (except bid receipts before the deadline),
    /// their own for everyone else. `first` defaults to 50, at most 500.
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> Result<Vec<Notification>> {
        let list = crate::service::notifications::list(cx(ctx)?, first).await?;
        Ok(list.into_iter().map(Notification).collect())
    }

    /// The product categories the caller (a producer) follows.
    async fn my_category_subscriptions(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        let actor = caller(ctx)?.require()?;
        Ok(
            crate::service::notifications::subscriptions_of(state(ctx)?.db.conn(), &actor.user_id)
                .await?,
        )
    }

    /// Audit events, newest first: all for admins, the own organisation's for orderer users.
    /// A sealed bid's events are in its call's sealed log (`sealedLog`), not here.
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        entity: Option<String>,
        entity_id: Option<String>,
        first: Option<i32>,
    ) -> Result<Vec<AuditEvent>> {
        let list =
            crate::service::audit::list(cx(ctx)?, entity.as_deref(), entity_id.as_deref(), first)
                .await?;
        Ok(list.into_iter().map(AuditEvent).collect())
    }

    /// ADMIN: recomputes the whole chain and reports the first broken sequence number.
    async fn verify_audit_chain(&self, ctx: &Context<'_>) -> Result<AuditVerification> {
        let r = crate::service::audit::verify(cx(ctx)?).await?;
        Ok(AuditVerification {
            valid: r.valid,
            events: i32::try_from(r.events).unwrap_or(i32::MAX),
            first_broken_seq: r
                .first_broken_seq
                .map(|s| i32::try_from(s).unwrap_or(i32::MAX)),
            sealed_events: i32::try_from(r.sealed_events).unwrap_or(i32::MAX),
        })
    }

    /// A call's sealed log (its bid events, numbered from 1 and hash-chained on their own),
    /// once the bids are opened: ADMIN, or ORDERER of the call. Empty before the opening and
    /// for a call cancelled before its deadline. Its last hash and its length are in the
    /// summary of the main chain's `call.bids_opened` event for the call.
    /// Pages: up to `first` events (500 unless asked, at most 1000) after `afterSeq`.
    async fn sealed_log(
        &self,
        ctx: &Context<'_>,
        call_id: ID,
        first: Option<i32>,
        after_seq: Option<i32>,
    ) -> Result<Vec<AuditEvent>> {
        let list =
            crate::service::audit::sealed_log(cx(ctx)?, &call_id, first, after_seq.map(i64::from))
                .await?;
        Ok(list.into_iter().map(AuditEvent).collect())
    }

    /// The eForms notice XML (eForms SDK 1.15) for a call (CONTRACT_NOTICE once published,
    /// CONTRACT_AWARD_NOTICE once awarded, dated the contract's conclusion once both parties
    /// have signed) or a contract amendment (CONTRACT_MODIFICATION_NOTICE with contractId: the
    /// latest amendment, or `version`). Before its call is published, a contract notice is a
    /// draft only the call's orderer reads.
    /// Also served as XML at `GET /notices/{contract|award|modification}/{id}`.
    async fn notice(
        &self,
        ctx: &Context<'_>,
        kind: super::types::GqlNoticeKind,
        call_id: Option<ID>,
        contract_id: Option<ID>,
        #[graphql(
            desc = "The amendment (contract version) of a modification notice; the latest when omitted."
        )]
        version: Option<i32>,
    ) -> Result<String> {
        use crate::service::notices::{self, Subject};
        let subject = match (&call_id, &contract_id) {
            (Some(call), None) => Subject::Call(call),
            (None, Some(contract)) => Subject::Contract(contract, version),
            (Some(_), Some(_)) => {
                return Err(crate::error::AppError::BadInput {
                    field: "contractId".into(),
                    rule: "give callId or contractId, not both".into(),
                }
                .into());
            }
            (None, None) => {
                return Err(crate::error::AppError::BadInput {
                    field: "callId".into(),
                    rule: "give callId (contract and award notices) or contractId (modification notices)".into(),
                }
                .into());
            }
        };
        Ok(notices::notice(cx(ctx)?, kind.into(), subject).await?.xml)
    }

    /// OCDS 1.1 release package for one call (published calls only).
    async fn ocds_release_package(
        &self,
        ctx: &Context<'_>,
        call_id: ID,
    ) -> Result<async_graphql::Json<serde_json::Value>> {
        Ok(async_graphql::Json(
            crate::service::ocds::release_package(state(ctx)?, &call_id).await?,
        ))
    }
}
