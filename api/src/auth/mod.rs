//! Who is calling: tokens, password hashing and the caller of a request.
//! Deciding what a caller may do is left to the services.

pub mod caller;
pub mod jwt;
pub mod password;
pub mod revocation;

pub use caller::{Actor, Caller};
pub use jwt::Keys;
