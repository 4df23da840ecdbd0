//! Mutations: each is one service call, which runs in one transaction.

use super::calls::{
    Bid, CallChangeInput, CallForTenders, CreateCallInput, Question, SubmitBidInput,
};
use super::contracts::{
    ContractLineInput, DirectContractInput, PerformanceReport, PerformanceReportInput,
    ServiceContract, line_inputs,
};
use super::evaluation::{Award, BidEvaluation, CapabilityJudgementInput, Evaluation, ScoreInput};
use super::inputs::{
    CostCalculationInput, CreateOrganizationInput, CreateUserInput, ProductInput,
    RegisterProviderInput,
};
use super::remedies::{Appeal, CorrectionRequest, GqlAppealStatus};
use super::scalars::{Dec, Ts};
use super::types::{
    Appropriation, AuthPayload, CostCalculation, Grant, Organization, Product, User,
};
use super::{cx, state};
use crate::domain::{bid as dbid, call as dcall};
use crate::service::{
    bids, budget, calls, catalogue, contracts, costing, evaluation, identity, remedies,
};
use async_graphql::{Context, ID, Object, Result};

pub struct Mutation;

#[Object]
impl Mutation {
    /// Exchanges an email and password for a token.
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> Result<AuthPayload> {
        let client = ctx.data_opt::<crate::auth::ClientAddr>().and_then(|c| c.0);
        let (token, user) = identity::login(state(ctx)?, &email, &password, client).await?;
        Ok(AuthPayload { token, user })
    }

    /// Ends the caller's sessions: every token issued to the caller's user so far stops
    /// working (on all devices; on other server replicas within 2 seconds).
    async fn logout(&self, ctx: &Context<'_>) -> Result<bool> {
        identity::logout(cx(ctx)?).await?;
        Ok(true)
    }

    /// Changes the caller's password. Every earlier token of the user stops working; the
    /// answer carries a fresh one. A wrong current password is UNAUTHENTICATED and counts as
    /// a failed login.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> Result<AuthPayload> {
        let client = ctx.data_opt::<crate::auth::ClientAddr>().and_then(|c| c.0);
        let (token, user) =
            identity::change_password(cx(ctx)?, &current_password, &new_password, client).await?;
        Ok(AuthPayload { token, user })
    }

    /// ADMIN: disables a user (it cannot log in and its tokens stop working) or enables it
    /// again. An administrator cannot disable their own account.
    async fn set_user_disabled(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        disabled: bool,
    ) -> Result<User> {
        Ok(User(
            identity::set_user_disabled(cx(ctx)?, &user_id, disabled).await?,
        ))
    }

    /// Self-registration of an external provider: its organisation and first user.
    async fn register_provider(
        &self,
        ctx: &Context<'_>,
        input: RegisterProviderInput,
    ) -> Result<AuthPayload> {
        let (token, user) = identity::register_provider(
            state(ctx)?,
            identity::NewProvider {
                organization_name: &input.organization_name,
                business_id: &input.business_id,
                email: &input.email,
                password: &input.password,
                name: &input.name,
                language: input.language.map(Into::into),
            },
        )
        .await?;
        Ok(AuthPayload { token, user })
    }

    /// ADMIN: creates an organisation of any kind.
    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganizationInput,
    ) -> Result<Organization> {
        let org = identity::create_organization(
            cx(ctx)?,
            identity::NewOrganization {
                name: &input.name,
                kind: input.kind.into(),
                business_id: input.business_id.as_deref(),
                email: input.email.as_deref(),
            },
        )
        .await?;
        Ok(Organization(org))
    }

    /// Sets an organisation's postal address, NUTS region and telephone, as eForms notices
    /// name a buyer and a winner: an ADMIN any organisation's, any other user its own. A field
    /// left out keeps its value; a blank one clears it (notices then use the contracting
    /// authority's details from the configuration).
    async fn update_organization_details(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        input: super::inputs::OrganizationDetailsInput,
    ) -> Result<Organization> {
        let org = identity::update_organization_details(
            cx(ctx)?,
            &organization_id,
            crate::domain::address::DetailsInput {
                street_address: input.street_address.as_deref(),
                postal_code: input.postal_code.as_deref(),
                city: input.city.as_deref(),
                nuts_code: input.nuts_code.as_deref(),
                phone: input.phone.as_deref(),
                business_id: input.business_id.as_deref(),
            },
        )
        .await?;
        Ok(Organization(org))
    }

    /// ADMIN: creates a user whose role fits the organisation's kind.
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> Result<User> {
        let user = identity::create_user(
            cx(ctx)?,
            identity::NewUser {
                email: &input.email,
                password: &input.password,
                name: &input.name,
                role: input.role.into(),
                organization_id: &input.organization_id,
                language: input.language.map(Into::into),
            },
        )
        .await?;
        Ok(User(user))
    }

    /// The signed-in user: the language notifications are written in.
    async fn set_my_language(
        &self,
        ctx: &Context<'_>,
        language: super::types::GqlLanguage,
    ) -> Result<User> {
        Ok(User(
            identity::set_my_language(cx(ctx)?, language.into()).await?,
        ))
    }

    /// The caller declares a tie (e.g. a board seat) to an organisation.
    async fn declare_tie(&self, ctx: &Context<'_>, organization_id: ID) -> Result<User> {
        Ok(User(
            identity::declare_tie(cx(ctx)?, &organization_id).await?,
        ))
    }

    /// ADMIN: adds a product to the catalogue.
    async fn create_product(&self, ctx: &Context<'_>, input: ProductInput) -> Result<Product> {
        let p = catalogue::create_product(
            cx(ctx)?,
            catalogue::NewProduct {
                code: &input.code,
                name: &input.name,
                unit: &input.unit,
                category: &input.category,
                description: input.description.as_deref(),
                cpv_code: input.cpv_code.as_deref(),
                service_kind: input.service_kind.map(Into::into),
            },
        )
        .await?;
        Ok(Product(p))
    }

    /// IN_HOUSE_PRODUCER: saves the calculation for a product and year, replacing an earlier one.
    async fn save_cost_calculation(
        &self,
        ctx: &Context<'_>,
        input: CostCalculationInput,
    ) -> Result<CostCalculation> {
        let c = costing::save(
            cx(ctx)?,
            costing::CostInput {
                product_id: &input.product_id,
                fiscal_year: input.fiscal_year,
                volume: input.volume.0,
                direct_costs: input.direct_costs.0,
                overhead_rate: input.overhead_rate.0,
            },
        )
        .await?;
        Ok(CostCalculation(c))
    }

    /// ADMIN: sets an orderer's appropriation for a fiscal year.
    async fn set_appropriation(
        &self,
        ctx: &Context<'_>,
        orderer_id: ID,
        fiscal_year: i32,
        amount: Dec,
    ) -> Result<Appropriation> {
        let a = budget::set_appropriation(cx(ctx)?, &orderer_id, fiscal_year, amount.0).await?;
        Ok(Appropriation(a))
    }

    /// ADMIN: records a grant from an orderer to a producer.
    async fn record_grant(
        &self,
        ctx: &Context<'_>,
        orderer_id: ID,
        recipient_id: ID,
        fiscal_year: i32,
        amount: Dec,
    ) -> Result<Grant> {
        let g = budget::record_grant(cx(ctx)?, &orderer_id, &recipient_id, fiscal_year, amount.0)
            .await?;
        Ok(Grant(g))
    }

    /// ORDERER: drafts a call for tenders for the caller's organisation.
    async fn create_call(
        &self,
        ctx: &Context<'_>,
        input: CreateCallInput,
    ) -> Result<CallForTenders> {
        let (lots, lines) = dcall::lines_and_lots(
            input.lines.into_iter().map(Into::into).collect(),
            input
                .lots
                .map(|ls| ls.into_iter().map(Into::into).collect()),
        )
        .map_err(crate::error::AppError::from)?;
        let new = dcall::NewCall {
            title: input.title,
            description: input.description,
            pricing_model: input.pricing_model.into(),
            lines,
            lots,
            contract_start: input.contract_start,
            contract_end: input.contract_end,
            questions_deadline: input.questions_deadline.0,
            submission_deadline: input.submission_deadline.0,
            standstill_days: input.standstill_days,
            price_weight: input.price_weight,
            quality_criteria: input.quality_criteria.into_iter().map(Into::into).collect(),
            min_turnover_ratio: input.min_turnover_ratio.map(|d| d.0),
            min_equity_ratio: input.min_equity_ratio.map(|d| d.0),
            min_credit_rating: input.min_credit_rating.map(Into::into),
            capability_requirements: input.capability_requirements,
            max_subcontracting_share: input.max_subcontracting_share.map(|d| d.0),
            estimated_value: input.estimated_value.map(|d| d.0),
            title_sv: input.title_sv,
            title_en: input.title_en,
            description_sv: input.description_sv,
            description_en: input.description_en,
        };
        let documents = ids(input.document_ids);
        Ok(CallForTenders(
            calls::create_call(cx(ctx)?, new, &documents).await?,
        ))
    }

    /// Any signed-in user: uploads a file (a GraphQL multipart request, with the Authorization
    /// header; at most 25 MiB). The type is read from the content: PDF, PNG, JPEG, ODF or OOXML
    /// office files, or plain text. The document is the organisation's own until attached.
    async fn upload_document(
        &self,
        ctx: &Context<'_>,
        file: async_graphql::Upload,
    ) -> Result<super::documents::Document> {
        let value = file.value(ctx).map_err(|e| {
            crate::error::AppError::bad_input("file", format!("is not an uploaded file ({e})"))
        })?;
        let content = value.content;
        let d = crate::service::documents::upload(cx(ctx)?, &value.filename, content).await?;
        Ok(super::documents::Document(d))
    }

    /// A user of either party: attaches one of the organisation's uploads to the contract.
    async fn attach_contract_document(
        &self,
        ctx: &Context<'_>,
        contract_id: ID,
        document_id: ID,
    ) -> Result<super::contracts::ServiceContract> {
        let k = crate::service::contracts::attach_document(cx(ctx)?, &contract_id, &document_id)
            .await?;
        Ok(super::contracts::ServiceContract(k))
    }

    /// ORDERER of the call: changes a DRAFT freely, or a PUBLISHED call before its submission
    /// deadline with a reason, as a new version (the 6-day rule: the submission deadline
    /// after the change is at least 6 days after it). A material change (lines, weights,
    /// criteria, requirements) makes the standing bids not current.
    async fn change_call(
        &self,
        ctx: &Context<'_>,
        id: ID,
        change: CallChangeInput,
        reason: String,
    ) -> Result<CallForTenders> {
        let (lots, lines) = match (change.lines, change.lots) {
            (lines, None) => (
                None,
                lines.map(|ls| ls.into_iter().map(Into::into).collect()),
            ),
            (lines, Some(lots)) => {
                let (titles, lines) = dcall::lines_and_lots(
                    lines
                        .unwrap_or_default()
                        .into_iter()
                        .map(Into::into)
                        .collect(),
                    Some(lots.into_iter().map(Into::into).collect()),
                )
                .map_err(crate::error::AppError::from)?;
                (Some(titles), Some(lines))
            }
        };
        let given = crate::domain::call_change::Change {
            title: change.title,
            description: change.description,
            questions_deadline: change.questions_deadline.map(|t| t.0),
            submission_deadline: change.submission_deadline.map(|t| t.0),
            lines,
            lots,
            price_weight: change.price_weight,
            quality_criteria: change
                .quality_criteria
                .map(|qs| qs.into_iter().map(Into::into).collect()),
            capability_requirements: change.capability_requirements,
            estimated_value: change.estimated_value.map(|d| d.0),
            title_sv: change.title_sv,
            title_en: change.title_en,
            description_sv: change.description_sv,
            description_en: change.description_en,
        };
        let documents = ids(change.document_ids);
        Ok(CallForTenders(
            crate::service::call_change::change_call(cx(ctx)?, &id, given, &documents, &reason)
                .await?,
        ))
    }

    /// ORDERER of the call: publishes a draft; both deadlines must still be ahead.
    async fn publish_call(&self, ctx: &Context<'_>, id: ID) -> Result<CallForTenders> {
        Ok(CallForTenders(calls::publish_call(cx(ctx)?, &id).await?))
    }

    /// ORDERER of the call: cancels it, with a reason, until it is awarded.
    async fn cancel_call(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> Result<CallForTenders> {
        Ok(CallForTenders(
            calls::cancel_call(cx(ctx)?, &id, &reason).await?,
        ))
    }

    /// PRODUCER: asks a question until the questions deadline.
    async fn ask_question(&self, ctx: &Context<'_>, call_id: ID, text: String) -> Result<Question> {
        Ok(Question(
            calls::ask_question(cx(ctx)?, &call_id, &text).await?,
        ))
    }

    /// ORDERER of the call: answers a question publicly.
    async fn answer_question(
        &self,
        ctx: &Context<'_>,
        question_id: ID,
        answer: String,
    ) -> Result<Question> {
        Ok(Question(
            calls::answer_question(cx(ctx)?, &question_id, &answer).await?,
        ))
    }

    /// PRODUCER: submits the organisation's sealed bid; a new submission replaces the earlier one.
    async fn submit_bid(&self, ctx: &Context<'_>, input: SubmitBidInput) -> Result<Bid> {
        let bid_input = dbid::BidInput {
            lines: input
                .lines
                .into_iter()
                .map(|l| (l.call_line_id.0, l.unit_price.0))
                .collect(),
            annual_turnover: input.annual_turnover.0,
            equity_ratio: input.equity_ratio.0,
            credit_rating: input.credit_rating.into(),
            capability_responses: input
                .capability_responses
                .into_iter()
                .map(|r| (r.requirement_id.0, r.evidence))
                .collect(),
            quality_responses: input
                .quality_responses
                .into_iter()
                .map(|r| (r.criterion_id.0, r.text))
                .collect(),
            subcontracting_share: input.subcontracting_share.map(|d| d.0),
            document_ids: ids(input.document_ids),
        };
        Ok(Bid(
            bids::submit_bid(cx(ctx)?, &input.call_id, bid_input).await?
        ))
    }

    /// PRODUCER: withdraws the organisation's bid before the deadline.
    async fn withdraw_bid(&self, ctx: &Context<'_>, call_id: ID) -> Result<Bid> {
        Ok(Bid(bids::withdraw_bid(cx(ctx)?, &call_id).await?))
    }

    /// ORDERER of the call: assigns one of the organisation's ORDERER users as an evaluator
    /// (CONFLICT_OF_INTEREST when the user has declared a tie to a bidder).
    async fn assign_evaluator(
        &self,
        ctx: &Context<'_>,
        call_id: ID,
        user_id: ID,
    ) -> Result<Evaluation> {
        let cx = cx(ctx)?;
        let state = cx.state;
        let c = evaluation::assign_evaluator(cx, &call_id, &user_id).await?;
        let now = state.now();
        let data = evaluation::compute(state.db.conn(), &c).await?;
        Ok(Evaluation {
            data: std::sync::Arc::new(data),
            show_results: crate::service::seal::bids_open(&c, now),
        })
    }

    /// ORDERER of the call: judges whether a bid meets capability requirements.
    async fn judge_capability(
        &self,
        ctx: &Context<'_>,
        bid_id: ID,
        judgements: Vec<CapabilityJudgementInput>,
    ) -> Result<BidEvaluation> {
        let js = judgements
            .into_iter()
            .map(|j| (j.requirement_id.0, j.met))
            .collect();
        let (data, bid) = evaluation::judge_capability(cx(ctx)?, &bid_id, js).await?;
        BidEvaluation::of(data, &bid)
    }

    /// An assigned evaluator scores a bid, 0..maxPoints per criterion; re-scoring replaces
    /// this evaluator's earlier scores of the bid.
    async fn score_bid(
        &self,
        ctx: &Context<'_>,
        bid_id: ID,
        scores: Vec<ScoreInput>,
    ) -> Result<BidEvaluation> {
        let ss = scores
            .into_iter()
            .map(|s| (s.criterion_id.0, s.points))
            .collect();
        let (data, bid) = evaluation::score_bid(cx(ctx)?, &bid_id, ss).await?;
        BidEvaluation::of(data, &bid)
    }

    /// ORDERER of the call: awards a qualified bid; the standstill period starts.
    async fn award_call(
        &self,
        ctx: &Context<'_>,
        call_id: ID,
        bid_id: ID,
        justification: String,
    ) -> Result<Award> {
        let cx = cx(ctx)?;
        let what = evaluation::Awarded::Call(&call_id);
        awarded(
            cx,
            evaluation::award(cx, what, &bid_id, &justification).await?,
        )
        .await
    }

    /// ORDERER of the call: awards one lot of a call in lots to a qualified bid covering it;
    /// the lot's ranking is fixed and published and its standstill period starts.
    async fn award_lot(
        &self,
        ctx: &Context<'_>,
        lot_id: ID,
        bid_id: ID,
        justification: String,
    ) -> Result<Award> {
        let cx = cx(ctx)?;
        let what = evaluation::Awarded::Lot(&lot_id);
        awarded(
            cx,
            evaluation::award(cx, what, &bid_id, &justification).await?,
        )
        .await
    }

    /// ORDERER of the call: declares a lot in evaluation unsuccessful (no award), with a
    /// reason; its bidders are told. The call is decided once every lot is.
    async fn declare_lot_unsuccessful(
        &self,
        ctx: &Context<'_>,
        lot_id: ID,
        reason: String,
    ) -> Result<super::lots::Lot> {
        let l = crate::service::lots::declare_lot_unsuccessful(cx(ctx)?, &lot_id, &reason).await?;
        Ok(super::lots::Lot(l))
    }

    /// ORDERER of the call: the contract from a lot's award, after the lot's standstill.
    async fn create_contract_from_lot_award(
        &self,
        ctx: &Context<'_>,
        lot_id: ID,
    ) -> Result<ServiceContract> {
        Ok(ServiceContract(
            contracts::create_from_lot_award(cx(ctx)?, &lot_id).await?,
        ))
    }

    /// ORDERER of the call: ends a call in evaluation without an award.
    async fn declare_unsuccessful(
        &self,
        ctx: &Context<'_>,
        call_id: ID,
        reason: String,
    ) -> Result<CallForTenders> {
        Ok(CallForTenders(
            evaluation::declare_unsuccessful(cx(ctx)?, &call_id, &reason).await?,
        ))
    }

    /// ORDERER of an awarded call: the contract from the award, after the standstill period.
    async fn create_contract_from_award(
        &self,
        ctx: &Context<'_>,
        call_id: ID,
    ) -> Result<ServiceContract> {
        Ok(ServiceContract(
            contracts::create_from_award(cx(ctx)?, &call_id).await?,
        ))
    }

    /// ORDERER: a contract made directly with an in-house producer (procedure IN_HOUSE).
    async fn create_direct_contract(
        &self,
        ctx: &Context<'_>,
        input: DirectContractInput,
    ) -> Result<ServiceContract> {
        let direct = contracts::DirectInput {
            producer_id: input.producer_id.0,
            pricing_model: input.pricing_model.into(),
            start_date: input.start_date,
            end_date: input.end_date,
            lines: line_inputs(input.lines),
            max_subcontracting_share: input.max_subcontracting_share.map(|d| d.0),
        };
        Ok(ServiceContract(
            contracts::create_direct(cx(ctx)?, direct).await?,
        ))
    }

    /// ORDERER: activates a draft contract, committing its value against the appropriations.
    async fn activate_contract(&self, ctx: &Context<'_>, id: ID) -> Result<ServiceContract> {
        Ok(ServiceContract(contracts::activate(cx(ctx)?, &id).await?))
    }

    /// ORDERER: a new version with the full new line set and a reason.
    async fn amend_contract(
        &self,
        ctx: &Context<'_>,
        id: ID,
        lines: Vec<ContractLineInput>,
        reason: String,
        #[graphql(
            desc = "When the new lines take effect; defaults to today, or the contract's start if later."
        )]
        effective_from: Option<chrono::NaiveDate>,
    ) -> Result<ServiceContract> {
        Ok(ServiceContract(
            contracts::amend(cx(ctx)?, &id, line_inputs(lines), &reason, effective_from).await?,
        ))
    }

    /// PRODUCER whose organisation bid on the call: asks the orderer to correct its award
    /// decision, until the correction deadline. On a call in lots, `lotId` names the lot whose
    /// award it is about.
    async fn request_correction(
        &self,
        ctx: &Context<'_>,
        call_id: ID,
        text: String,
        lot_id: Option<ID>,
    ) -> Result<CorrectionRequest> {
        let lot = lot_id.as_ref().map(|id| id.as_str());
        Ok(CorrectionRequest(
            remedies::request_correction(cx(ctx)?, &call_id, lot, &text).await?,
        ))
    }

    /// ORDERER of the call: decides a pending correction request with reasons; accepting it
    /// withdraws the award and returns the call to EVALUATION.
    async fn decide_correction(
        &self,
        ctx: &Context<'_>,
        request_id: ID,
        accept: bool,
        decision: String,
    ) -> Result<CorrectionRequest> {
        Ok(CorrectionRequest(
            remedies::decide_correction(cx(ctx)?, &request_id, accept, &decision).await?,
        ))
    }

    /// ORDERER of the call: withdraws its award before a contract is made; the call returns to
    /// EVALUATION. On a call in lots, `lotId` names the lot whose award is withdrawn.
    async fn withdraw_award(
        &self,
        ctx: &Context<'_>,
        call_id: ID,
        reason: String,
        lot_id: Option<ID>,
    ) -> Result<CallForTenders> {
        let lot = lot_id.as_ref().map(|id| id.as_str());
        Ok(CallForTenders(
            remedies::withdraw_award(cx(ctx)?, &call_id, lot, &reason).await?,
        ))
    }

    /// ORDERER of the call: records an appeal a bidder lodged with the Market Court. On a
    /// call in lots, `lotId` names the lot whose award is appealed.
    async fn record_appeal(
        &self,
        ctx: &Context<'_>,
        call_id: ID,
        appellant_id: ID,
        case_number: String,
        filed_at: Ts,
        lot_id: Option<ID>,
    ) -> Result<Appeal> {
        let input = remedies::NewAppeal {
            call_id: &call_id,
            lot_id: lot_id.as_ref().map(|id| id.as_str()),
            appellant_id: &appellant_id,
            case_number: &case_number,
            filed_at: filed_at.0,
        };
        Ok(Appeal(remedies::record_appeal(cx(ctx)?, input).await?))
    }

    /// ORDERER of the call: records the outcome of a pending appeal.
    async fn resolve_appeal(
        &self,
        ctx: &Context<'_>,
        appeal_id: ID,
        status: GqlAppealStatus,
        outcome: String,
    ) -> Result<Appeal> {
        Ok(Appeal(
            remedies::resolve_appeal(cx(ctx)?, &appeal_id, status.into(), &outcome).await?,
        ))
    }

    /// A user of the contract's orderer or producer signs a DRAFT contract for their
    /// organisation; activation needs both signatures.
    async fn sign_contract(&self, ctx: &Context<'_>, id: ID) -> Result<ServiceContract> {
        Ok(ServiceContract(contracts::sign(cx(ctx)?, &id).await?))
    }

    /// ORDERER: terminates a draft or active contract today.
    async fn terminate_contract(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> Result<ServiceContract> {
        Ok(ServiceContract(
            contracts::terminate(cx(ctx)?, &id, &reason).await?,
        ))
    }

    /// The contract's producer: the report of one month (a second one replaces the first).
    async fn report_performance(
        &self,
        ctx: &Context<'_>,
        input: PerformanceReportInput,
    ) -> Result<PerformanceReport> {
        let cx = cx(ctx)?;
        let st = cx.state;
        let saved = contracts::report(
            cx,
            contracts::ReportInput {
                contract_id: input.contract_id.0,
                period: input.period,
                lines: input
                    .lines
                    .into_iter()
                    .map(|l| (l.product_id.0, l.quantity.0, l.cost.0))
                    .collect(),
                feedback_count: input.feedback_count,
                feedback_average: input.feedback_average.map(|d| d.0),
                quality: input
                    .quality_measurements
                    .into_iter()
                    .map(|q| (q.metric, q.value.0))
                    .collect(),
            },
        )
        .await?;
        let entries =
            contracts::report_entries(st.db.conn(), &saved.contract_id, &saved.period).await?;
        Ok(PerformanceReport {
            report: saved,
            entries,
        })
    }

    /// PRODUCER: be told of new calls in a product category; returns the caller's categories.
    async fn subscribe_to_category(
        &self,
        ctx: &Context<'_>,
        category: String,
    ) -> Result<Vec<String>> {
        Ok(crate::service::notifications::subscribe(cx(ctx)?, &category, true).await?)
    }

    /// PRODUCER: stop following a category; returns the caller's categories.
    async fn unsubscribe_from_category(
        &self,
        ctx: &Context<'_>,
        category: String,
    ) -> Result<Vec<String>> {
        Ok(crate::service::notifications::subscribe(cx(ctx)?, &category, false).await?)
    }
}

/// The ids of an optional list input (none given is none).
fn ids(given: Option<Vec<ID>>) -> Vec<String> {
    given.unwrap_or_default().into_iter().map(|d| d.0).collect()
}

/// The award just made, with its call as the caller sees it.
async fn awarded(cx: crate::service::Cx<'_>, award: entity::award::Model) -> Result<Award> {
    let call = calls::get_call(cx, &award.call_id, None)
        .await?
        .ok_or_else(|| {
            crate::error::AppError::Internal(anyhow::anyhow!("awarded call vanished"))
        })?;
    Ok(Award { award, call })
}
