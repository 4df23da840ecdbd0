//! Use cases. Each mutation opens one unit of work, checks who may act, calls the domain,
//! saves, records its audit event and commits; a failure anywhere writes nothing.

/// Runs a use case's work as one unit of work (`work::run`): one transaction, its audit
/// events, its mail. `work!(state, |w| { … Ok(value) })` is
/// `work::run(state, |w| Box::pin(async move { … })).await`: the work is an `async move`
/// block that borrows the unit `w` and anything of the caller's. (An `async` closure would
/// read better but its future cannot yet be proven `Send` for every lifetime of `w`.)
macro_rules! work {
    ($state:expr, |$w:ident| $body:block) => {
        $crate::service::work::run($state, |$w| Box::pin(async move $body)).await
    };
}

pub mod audit;
pub mod bid_batch;
pub mod bids;
pub mod budget;
pub mod call_change;
pub mod calls;
pub mod catalogue;
pub mod contracts;
pub mod costing;
pub mod delivery;
pub mod documents;
pub mod evaluation;
pub mod identity;
pub mod login_throttle;
pub mod lots;
pub mod notices;
pub mod notifications;
pub mod ocds;
pub mod query;
pub mod remedies;
pub mod seal;
pub mod work;

use crate::domain::{Invalid, WrongState};
use crate::error::AppError;

impl From<WrongState> for AppError {
    fn from(w: WrongState) -> Self {
        AppError::InvalidState(w.0)
    }
}

impl From<Invalid> for AppError {
    fn from(i: Invalid) -> Self {
        AppError::BadInput {
            field: i.field,
            rule: i.rule,
        }
    }
}

/// A request's context, which every use case takes first: the application (database, clock,
/// configuration) and who is asking. Use cases destructure it in their signature
/// (`Cx { state, caller }: Cx<'_>`); the GraphQL layer makes it once per resolver.
#[derive(Clone, Copy)]
pub struct Cx<'a> {
    pub state: &'a crate::state::AppState,
    pub caller: &'a crate::auth::Caller,
}

/// A new identifier: a UUID (v7, time-ordered, so indexes stay compact). Identifiers carry
/// no count, so a bidder cannot learn how many objects exist from the one it sees.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The page sizes of a list: how many rows it answers when the client does not say, and at
/// most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLimits {
    pub default: u64,
    pub max: u64,
}

impl PageLimits {
    pub const fn new(default: u64, max: u64) -> Self {
        PageLimits { default, max }
    }

    /// The size of a page a client asked for with `first`: the default when it did not say,
    /// at most the maximum, and a negative size is refused.
    pub fn size(self, first: Option<i32>) -> Result<u64, AppError> {
        match first {
            None => Ok(self.default),
            Some(n) if n < 0 => Err(AppError::bad_input("first", "must not be negative")),
            Some(n) => Ok(std::cmp::Ord::min(n as u64, self.max)),
        }
    }
}

/// A page from `first + 1` rows fetched: the first `first`, and whether more follow.
pub fn page_of<T>(mut rows: Vec<T>, first: u64) -> (Vec<T>, bool) {
    let has_next_page = rows.len() as u64 > first;
    rows.truncate(usize::try_from(first).unwrap_or(usize::MAX));
    (rows, has_next_page)
}

/// Parses an id given by a client; anything that is not one of ours is simply not found.
pub fn parse_id(field: &str, id: &str) -> Result<String, AppError> {
    uuid::Uuid::parse_str(id.trim())
        .map(|u| u.to_string())
        .map_err(|_| AppError::not_found(format!("{field}: no such object")))
}
