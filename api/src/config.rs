//! Typed configuration, read once from the environment at start-up.
//! This is the only module that reads environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Everything the server takes from its environment.
#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://file.db` or `postgres://…`.
    pub database_url: String,
    /// `BIND`: the address to listen on.
    pub bind: SocketAddr,
    /// `JWT_SECRET`; `None` means a random per-process secret is generated.
    pub jwt_secret: Option<String>,
    /// `SMTP_URL`: where mail goes; `None` writes `.eml` files into `mail_dir`.
    pub smtp_url: Option<String>,
    /// `MAIL_DIR`: directory for `.eml` files when no SMTP server is configured.
    pub mail_dir: PathBuf,
    /// `ADMIN_EMAIL` and `ADMIN_PASSWORD`: the bootstrap administrator.
    pub admin: Option<AdminBootstrap>,
    /// How long an issued token stays valid.
    pub token_ttl: Duration,
    /// `MAIL_FROM`: the sender of notifications.
    pub mail_from: String,
    /// `OCDS_PREFIX`: the ocid prefix (an OCDS prefix is registered with the Open Contracting
    /// Partnership); a call's ocid is this prefix followed by the call id.
    pub ocds_prefix: String,
    /// `PUBLIC_URL`: where this server is reached, for the `uri` of published packages.
    pub public_url: String,
    /// `METRICS_TOKEN`: the bearer token `/metrics` asks for; `None` turns `/metrics` off (404).
    pub metrics_token: Option<String>,
    /// `HEADER_READ_TIMEOUT_SECS`: how long a client may take to send a request's head; the
    /// connection is closed after it.
    pub header_read_timeout: Duration,
    /// `BODY_READ_TIMEOUT_SECS`: how long a client may take to send a whole request body; the
    /// request is answered 408 after it.
    pub body_read_timeout: Duration,
    /// The largest GraphQL answer sent, in bytes ([`MAX_RESPONSE_BYTES`]; not read from the
    /// environment). A larger one is replaced by a BAD_USER_INPUT error, never sent in part.
    pub max_response_bytes: usize,
    /// The argon2id cost of new password hashes: OWASP's (not read from the environment;
    /// the test harness lowers it, since its fixtures make hundreds of users).
    pub password_cost: crate::auth::password::Cost,
    /// `AUTHORITY_BUSINESS_ID`, `AUTHORITY_STREET`, `AUTHORITY_POSTAL_CODE`, `AUTHORITY_CITY`,
    /// `AUTHORITY_NUTS`, `AUTHORITY_PHONE`, `AUTHORITY_EMAIL`: the contracting authority's (the
    /// municipality's) contact, which eForms notices require of the buyer and the winner; used
    /// for whatever an organisation has not given itself. The defaults place it in Kouvola
    /// (45100, NUTS FI1C7 Kymenlaakso); the business ID, telephone and email defaults are
    /// placeholders a deployment sets.
    pub authority: crate::domain::eforms::Contact,
}

#[derive(Clone, Debug)]
pub struct AdminBootstrap {
    pub email: String,
    pub password: String,
}

/// The default database: a SQLite file in the working directory, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://kilpailutus.db?mode=rwc";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_OCDS_PREFIX: &str = "ocds-kilpailutus-";
/// The largest GraphQL answer sent: 4 MiB.
pub const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;
pub const DEFAULT_MAIL_FROM: &str = "Kilpailutus <noreply@kilpailutus.invalid>";
/// A request head (request line and headers) must arrive within this time.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// A request body must arrive whole within this time.
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("BIND must be an address such as 127.0.0.1:8080, got {0:?}")]
    Bind(String),
    #[error("ADMIN_EMAIL and ADMIN_PASSWORD must be set together")]
    AdminPair,
    #[error("{0} must be a whole number of seconds between 1 and 3600, got {1:?}")]
    Seconds(&'static str, String),
    #[error("{0} is not valid for eForms notices: {1}")]
    Authority(&'static str, String),
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Builds the configuration from any key lookup (the environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let bind_text = get("BIND").unwrap_or_else(|| DEFAULT_BIND.to_owned());
        let bind = bind_text
            .parse()
            .map_err(|_| ConfigError::Bind(bind_text.clone()))?;
        let admin = match (get("ADMIN_EMAIL"), get("ADMIN_PASSWORD")) {
            (Some(email), Some(password)) => Some(AdminBootstrap { email, password }),
            (None, None) => None,
            _ => return Err(ConfigError::AdminPair),
        };
        let seconds = |key: &'static str, default: Duration| match get(key) {
            None => Ok(default),
            Some(text) => match text.trim().parse::<u64>() {
                Ok(n @ 1..=3600) => Ok(Duration::from_secs(n)),
                _ => Err(ConfigError::Seconds(key, text)),
            },
        };
        let authority = crate::domain::eforms::Contact {
            business_id: get("AUTHORITY_BUSINESS_ID").unwrap_or_else(|| "0000000-0".into()),
            street: get("AUTHORITY_STREET"),
            postal_code: get("AUTHORITY_POSTAL_CODE").unwrap_or_else(|| "45100".into()),
            city: get("AUTHORITY_CITY").unwrap_or_else(|| "Kouvola".into()),
            nuts: get("AUTHORITY_NUTS").unwrap_or_else(|| "FI1C7".into()),
            phone: Some(get("AUTHORITY_PHONE").unwrap_or_else(|| "+358 00 000 0000".into())),
            email: Some(
                get("AUTHORITY_EMAIL").unwrap_or_else(|| "kirjaamo@kilpailutus.invalid".into()),
            ),
        };

        // The authority's business ID and region go into every notice: checked at start.
        crate::domain::business_id::BusinessId::parse(
            "AUTHORITY_BUSINESS_ID",
            &authority.business_id,
        )
        .map_err(|e| ConfigError::Authority("AUTHORITY_BUSINESS_ID", e.rule))?;
        if !crate::domain::address::FINNISH_NUTS3.contains(&authority.nuts.as_str()) {
            return Err(ConfigError::Authority(
                "AUTHORITY_NUTS",
                "must be a Finnish NUTS 2024 level-3 region such as FI1C7".into(),
            ));
        }
        Ok(Config {
            database_url: get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            bind,
            jwt_secret: get("JWT_SECRET"),
            smtp_url: get("SMTP_URL"),
            mail_dir: PathBuf::from(get("MAIL_DIR").unwrap_or_else(|| "./mail".to_owned())),
            admin,
            token_ttl: Duration::from_secs(12 * 3600),
            mail_from: get("MAIL_FROM").unwrap_or_else(|| DEFAULT_MAIL_FROM.to_owned()),
            ocds_prefix: get("OCDS_PREFIX").unwrap_or_else(|| DEFAULT_OCDS_PREFIX.to_owned()),
            public_url: get("PUBLIC_URL")
                .unwrap_or_else(|| format!("http://{bind}"))
                .trim_end_matches('/')
                .to_owned(),
            metrics_token: get("METRICS_TOKEN"),
            header_read_timeout: seconds("HEADER_READ_TIMEOUT_SECS", DEFAULT_HEADER_READ_TIMEOUT)?,
            body_read_timeout: seconds("BODY_READ_TIMEOUT_SECS", DEFAULT_BODY_READ_TIMEOUT)?,
            max_response_bytes: MAX_RESPONSE_BYTES,
            password_cost: crate::auth::password::Cost::OWASP,
            authority,
        })
    }
}

/// `LOG_FORMAT=json` asks for JSON log lines (read before the rest, to set up logging).
pub fn json_logs_from_env() -> bool {
    std::env::var("LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn defaults_need_no_environment() {
        let c = Config::from_lookup(lookup(&[])).unwrap();
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.bind.to_string(), DEFAULT_BIND);
        assert!(c.jwt_secret.is_none() && c.admin.is_none() && c.smtp_url.is_none());
        assert_eq!(c.mail_dir, PathBuf::from("./mail"));
        assert!(
            c.metrics_token.is_none(),
            "metrics are off unless a token is set"
        );
        assert_eq!(c.header_read_timeout, DEFAULT_HEADER_READ_TIMEOUT);
        assert_eq!(c.body_read_timeout, DEFAULT_BODY_READ_TIMEOUT);
    }

    #[test]
    fn read_timeouts_are_whole_seconds() {
        let c = Config::from_lookup(lookup(&[
            ("HEADER_READ_TIMEOUT_SECS", "2"),
            ("BODY_READ_TIMEOUT_SECS", "3"),
        ]))
        .unwrap();
        assert_eq!(c.header_read_timeout, Duration::from_secs(2));
        assert_eq!(c.body_read_timeout, Duration::from_secs(3));
        for bad in ["0", "1.5", "soon", "99999"] {
            assert!(matches!(
                Config::from_lookup(lookup(&[("BODY_READ_TIMEOUT_SECS", bad)])),
                Err(ConfigError::Seconds("BODY_READ_TIMEOUT_SECS", _))
            ));
        }
    }

    #[test]
    fn the_authoritys_business_id_and_region_are_checked() {
        let c = Config::from_lookup(lookup(&[])).unwrap();
        assert_eq!(c.authority.nuts, "FI1C7");
        assert!(matches!(
            Config::from_lookup(lookup(&[("AUTHORITY_NUTS", "FI1C4")])),
            Err(ConfigError::Authority("AUTHORITY_NUTS", _))
        ));
        assert!(matches!(
            Config::from_lookup(lookup(&[("AUTHORITY_BUSINESS_ID", "1234567-8")])),
            Err(ConfigError::Authority("AUTHORITY_BUSINESS_ID", _))
        ));
        let set = Config::from_lookup(lookup(&[
            ("AUTHORITY_NUTS", "FI1B1"),
            ("AUTHORITY_BUSINESS_ID", "0112038-9"),
        ]))
        .unwrap();
        assert_eq!(
            (
                set.authority.nuts.as_str(),
                set.authority.business_id.as_str()
            ),
            ("FI1B1", "0112038-9")
        );
    }

    #[test]
    fn a_bad_bind_address_is_refused() {
        assert!(matches!(
            Config::from_lookup(lookup(&[("BIND", "nowhere")])),
            Err(ConfigError::Bind(_))
        ));
    }

    #[test]
    fn admin_email_without_password_is_refused() {
        assert!(matches!(
            Config::from_lookup(lookup(&[("ADMIN_EMAIL", "a@b.fi")])),
            Err(ConfigError::AdminPair)
        ));
    }
}
