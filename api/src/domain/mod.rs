//! Plain types and rules of the domain. Nothing here imports sea-orm or async-graphql,
//! so each rule of DESIGN.md is a function unit-tested beside its code.

pub mod audit;
pub mod bid;
pub mod business_id;
pub mod call;
pub mod contract;
pub mod costing;
pub mod evaluation;
pub mod ocds;
pub mod seal;
pub mod throttle;
pub mod validate;

/// A rule an input broke: the field and the rule, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: String,
    pub rule: String,
}

impl Invalid {
    pub fn new(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Invalid {
            field: field.into(),
            rule: rule.into(),
        }
    }
}
