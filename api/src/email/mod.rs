//! E-mail: the durable outbox (rows written in the transaction of the change that causes
//! them), the transports (SMTP or `.eml` files), the delivery worker, and the texts.

pub mod compose;
pub mod outbox;
pub mod transport;
pub mod worker;
