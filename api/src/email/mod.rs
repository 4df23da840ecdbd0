//! E-mail: the durable outbox (rows written in the transaction of the change that causes
//! them), the transports (SMTP or `.eml` files), and the texts: the templates in Finnish,
//! Swedish and English, the formats of dates and money, and the composers that fill them.
//! Delivery is a background job (`crate::jobs`).

pub mod compose;
pub mod format;
pub mod outbox;
pub mod templates;
pub mod transport;
