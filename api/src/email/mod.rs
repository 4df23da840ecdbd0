//! E-mail: the durable outbox (rows written in the transaction of the change that causes
//! them), the transports (SMTP or `.eml` files), and the texts. Delivery is a background job
//! (`crate::jobs`).

pub mod compose;
pub mod outbox;
pub mod transport;
