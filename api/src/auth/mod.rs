//! Who is calling: tokens, password hashing and the caller of a request.
//! Deciding what a caller may do is left to the services.

pub mod caller;
pub mod jwt;
pub mod password;
pub mod revocation;

pub use caller::{Actor, Caller};
pub use jwt::Keys;

/// The client's address, when the server knows it (behind a proxy: the proxy's). The HTTP
/// layer puts it beside the `Caller` in each request's context.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<std::net::IpAddr>);
