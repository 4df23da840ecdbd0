//! Database entities of Kilpailutus, and nothing else: the tables as sea-orm sees them.
//! Output types wrap these models, so a column never reaches a client by being added here.

pub mod appeal;
pub mod appropriation;
pub mod audit_event;
pub mod audit_head;
pub mod award;
pub mod award_ranking;
pub mod bid;
pub mod bid_line;
pub mod bid_response;
pub mod bid_score;
pub mod call;
pub mod call_change;
pub mod call_evaluator;
pub mod call_line;
pub mod call_reminder;
pub mod capability_judgement;
pub mod capability_requirement;
pub mod category_subscription;
pub mod contract_amendment;
pub mod contract_line;
pub mod contract_signature;
pub mod correction_request;
pub mod cost_calculation;
pub mod deviation_alert;
pub mod document;
pub mod document_blob;
pub mod document_chunk;
pub mod grant;
pub mod login_attempt;
pub mod lot;
pub mod notification;
pub mod ocds_release;
pub mod organization;
pub mod performance_report;
pub mod product;
pub mod quality_criterion;
pub mod question;
pub mod report_entry;
pub mod sealed_event;
pub mod service_contract;
pub mod types;
pub mod user;
pub mod user_tie;

pub use types::{
    AppealStatus, BidStatus, CallStatus, ContractStatus, CorrectionStatus, CreditRating, EntryKind,
    Language, Money, NotificationStatus, OrganizationKind, PricingModel, Procedure,
    RealizationStatus, ResponseKind, Role, ServiceKind,
};
