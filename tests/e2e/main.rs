//! The end-to-end tests, one test binary (linking the api crate once): a module per area.
//! Run one module with e.g. `cargo test --test e2e seal::`.

mod amendments;
mod audit_chain;
mod bids;
mod call_changes;
mod calls;
mod catalogue_budget;
mod classification;
mod contract;
mod contracts;
mod deadline_rush;
mod demo;
mod documents;
mod error_codes;
mod evaluate_10k;
mod evaluation;
mod group_commit;
mod hardening;
mod hostile_input;
mod identity;
mod lots;
mod notices;
mod notifications;
mod ocds;
mod portal;
mod portal_errors;
mod questions_followup;
mod read_cache;
mod remedies;
mod replicas;
mod seal;
mod seal_side_paths;
mod server;
mod signatures;
