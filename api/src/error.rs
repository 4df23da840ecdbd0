//! The one error type of the API and its mapping to the contract's `extensions.code`.
//!
//! Services return `AppError`. Resolvers pass it on with `?`; async-graphql keeps the value as
//! the error's source, and [`finish_response`] turns every error of a response into its code
//! here, in one place. Internal errors are logged with an id and never shown to clients.

use async_graphql::{ErrorExtensionValues, Response, ServerError, Value};
use sea_orm::{DbErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Unauthenticated(String),
    /// A wrong password given in an input field (`changePassword`'s `currentPassword`):
    /// UNAUTHENTICATED like a failed login, and naming the field, so that a client can tell
    /// it from an expired or revoked token.
    #[error("{field}: wrong password")]
    WrongPassword { field: String },
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{field}: {rule}")]
    BadInput { field: String, rule: String },
    #[error("{0}")]
    InvalidState(String),
    #[error("{0}")]
    DeadlinePassed(String),
    #[error("{0}")]
    BudgetExceeded(String),
    #[error("{0}")]
    ConflictOfInterest(String),
    /// A duplicate; `field` names the input field holding the taken value, when one does.
    #[error("{message}")]
    Conflict {
        field: Option<String>,
        message: String,
    },
    #[error("{message}")]
    TooManyRequests {
        message: String,
        retry_after_secs: i64,
    },
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    #[error("internal error: {0}")]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn bad_input(field: impl Into<String>, rule: impl Into<String>) -> Self {
        AppError::BadInput {
            field: field.into(),
            rule: rule.into(),
        }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        AppError::NotFound(what.into())
    }

    pub fn forbidden(why: impl Into<String>) -> Self {
        AppError::Forbidden(why.into())
    }

    /// A database write refused by a unique constraint (two writers raced to the same row).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, AppError::Db(e) if is_unique_violation(e))
    }

    /// CONFLICT: the value of input field `field` is already taken.
    pub fn taken(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Conflict {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// The input field the error is about (`extensions.field`), if it names one.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::BadInput { field, .. } | AppError::WrongPassword { field } => Some(field),
            AppError::Conflict { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    /// The contract's error code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated(_) | AppError::WrongPassword { .. } => "UNAUTHENTICATED",
            AppError::Forbidden(_) => "FORBIDDEN",
            AppError::NotFound(_) => "NOT_FOUND",
            AppError::BadInput { .. } => "BAD_USER_INPUT",
            AppError::InvalidState(_) => "INVALID_STATE",
            AppError::DeadlinePassed(_) => "DEADLINE_PASSED",
            AppError::BudgetExceeded(_) => "BUDGET_EXCEEDED",
            AppError::ConflictOfInterest(_) => "CONFLICT_OF_INTEREST",
            AppError::Conflict { .. } => "CONFLICT",
            AppError::TooManyRequests { .. } => "TOO_MANY_REQUESTS",
            AppError::Db(e) if is_unique_violation(e) => "CONFLICT",
            AppError::Db(_) | AppError::Internal(_) => "INTERNAL",
        }
    }
}

fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Maps every error of a finished response to the contract's codes.
/// Errors async-graphql raised itself (syntax, validation, input coercion) are the client's:
/// they become BAD_USER_INPUT.
pub fn finish_response(mut response: Response) -> Response {
    for error in &mut response.errors {
        map_error(error);
    }
    response
}

fn map_error(error: &mut ServerError) {
    let mut ext = error.extensions.take().unwrap_or_default();
    if ext.get("code").is_some() {
        error.extensions = Some(ext);
        return;
    }
    let app = error.source::<AppError>().or_else(|| {
        error
            .source::<std::sync::Arc<AppError>>()
            .map(|a| a.as_ref())
    });
    if let Some(AppError::TooManyRequests {
        retry_after_secs, ..
    }) = app
    {
        ext.set("retryAfter", Value::Number((*retry_after_secs).into()));
    }
    let (code, field, hidden) = match app {
        Some(app) => {
            let code = app.code();
            let field = app.field().map(str::to_owned);
            let hidden = match app {
                AppError::Db(_) | AppError::Internal(_) => Some(app.to_string()),
                _ => None,
            };
            (code, field, hidden)
        }
        // async-graphql's own errors (syntax, validation, input coercion) carry no source.
        None if error.source.is_none() => ("BAD_USER_INPUT", None, None),
        None => ("INTERNAL", None, Some(error.message.clone())),
    };
    if let Some(field) = field {
        ext.set("field", Value::String(field));
    }
    if code == "BAD_USER_INPUT" {
        let rule = match app {
            Some(AppError::BadInput { rule, .. }) => Some(rule.as_str()),
            _ => None,
        };
        set_rule(&mut ext, rule);
    }
    if let Some(detail) = hidden {
        if code == "CONFLICT" {
            tracing::info!(error = %detail, "unique constraint refused a write");
            error.message = "already exists: a unique value is taken".to_owned();
        } else {
            let id = uuid::Uuid::new_v4().to_string();
            tracing::error!(error_id = %id, error = %detail, "internal error");
            error.message = format!("internal error (id {id})");
            ext.set("errorId", Value::String(id));
        }
    }
    ext.set("code", Value::String(code.to_owned()));
    error.extensions = Some(ext);
}

/// `extensions.rule` and `extensions.params` of a BAD_USER_INPUT error: the rule's code and
/// its parameters, read from the rule's words in one place (`domain::rule_code`). An error
/// async-graphql raised itself (syntax, validation, a value of the wrong type) is `INVALID`.
pub(crate) fn set_rule(ext: &mut ErrorExtensionValues, rule: Option<&str>) {
    let code = rule.map(crate::domain::rule_code);
    let mut params = async_graphql::indexmap::IndexMap::new();
    if let Some(code) = &code {
        for (name, value) in &code.params {
            let v = match value {
                crate::domain::Param::Int(n) => Value::Number((*n).into()),
                crate::domain::Param::Text(t) => Value::String(t.clone()),
            };
            params.insert(async_graphql::Name::new(name), v);
        }
    }
    let name = code.as_ref().map_or("INVALID", |c| c.code);
    ext.set("rule", Value::String(name.to_owned()));
    ext.set("params", Value::Object(params));
}

/// A response holding one error, for requests refused before execution (or whose
/// execution failed as a whole). An internal error is logged and shown by its id only.
pub fn error_response(err: AppError) -> Response {
    let mut ext = ErrorExtensionValues::default();
    let code = err.code();
    let message = if code == "INTERNAL" {
        let id = uuid::Uuid::new_v4().to_string();
        tracing::error!(error_id = %id, error = %err, "internal error");
        let message = format!("internal error (id {id})");
        ext.set("errorId", Value::String(id));
        message
    } else {
        err.to_string()
    };
    if let Some(field) = err.field() {
        ext.set("field", Value::String(field.to_owned()));
    }
    if let AppError::BadInput { rule, .. } = &err {
        set_rule(&mut ext, Some(rule));
    }
    let mut server_error = ServerError::new(message, None);
    ext.set("code", Value::String(code.to_owned()));
    server_error.extensions = Some(ext);
    Response::from_errors(vec![server_error])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_client_error_has_its_contract_code() {
        let cases = [
            (AppError::Unauthenticated("x".into()), "UNAUTHENTICATED"),
            (AppError::forbidden("x"), "FORBIDDEN"),
            (AppError::not_found("x"), "NOT_FOUND"),
            (AppError::bad_input("f", "r"), "BAD_USER_INPUT"),
            (AppError::InvalidState("x".into()), "INVALID_STATE"),
            (AppError::DeadlinePassed("x".into()), "DEADLINE_PASSED"),
            (AppError::BudgetExceeded("x".into()), "BUDGET_EXCEEDED"),
            (
                AppError::ConflictOfInterest("x".into()),
                "CONFLICT_OF_INTEREST",
            ),
            (AppError::taken("email", "x"), "CONFLICT"),
            (
                AppError::WrongPassword {
                    field: "currentPassword".into(),
                },
                "UNAUTHENTICATED",
            ),
        ];
        for (err, code) in cases {
            assert_eq!(err.code(), code);
        }
    }

    #[test]
    fn internal_errors_are_hidden_behind_an_id() {
        let gql: async_graphql::Error = AppError::Internal(anyhow::anyhow!("secret detail")).into();
        let mut server = gql.into_server_error(async_graphql::Pos::default());
        map_error(&mut server);
        assert!(!server.message.contains("secret"));
        assert!(server.message.starts_with("internal error (id "));
    }

    #[test]
    fn an_internal_error_refused_before_execution_shows_only_its_id() {
        let response = error_response(AppError::Internal(anyhow::anyhow!("secret detail")));
        let error = &response.errors[0];
        assert!(!error.message.contains("secret"), "{}", error.message);
        assert!(error.message.starts_with("internal error (id "));
        let ext = error.extensions.as_ref().unwrap();
        assert_eq!(ext.get("code"), Some(&Value::String("INTERNAL".into())));
        assert!(ext.get("errorId").is_some());
    }

    #[test]
    fn bad_input_names_the_field() {
        let gql: async_graphql::Error = AppError::bad_input("email", "must not be empty").into();
        let mut server = gql.into_server_error(async_graphql::Pos::default());
        map_error(&mut server);
        assert_eq!(server.message, "email: must not be empty");
        let ext = server.extensions.unwrap();
        assert_eq!(
            ext.get("code"),
            Some(&Value::String("BAD_USER_INPUT".into()))
        );
        assert_eq!(ext.get("field"), Some(&Value::String("email".into())));
        assert_eq!(ext.get("rule"), Some(&Value::String("REQUIRED".into())));
    }

    #[test]
    fn a_taken_value_and_a_wrong_password_name_their_field_without_a_rule() {
        for (err, code, field) in [
            (
                AppError::taken("email", "email a@b.fi is already registered"),
                "CONFLICT",
                "email",
            ),
            (
                AppError::WrongPassword {
                    field: "currentPassword".into(),
                },
                "UNAUTHENTICATED",
                "currentPassword",
            ),
        ] {
            let gql: async_graphql::Error = err.into();
            let mut server = gql.into_server_error(async_graphql::Pos::default());
            map_error(&mut server);
            let ext = server.extensions.unwrap();
            assert_eq!(ext.get("code"), Some(&Value::String(code.into())));
            assert_eq!(ext.get("field"), Some(&Value::String(field.into())));
            assert_eq!(ext.get("rule"), None);
        }
    }

    #[test]
    fn bad_input_carries_its_rule_and_parameters() {
        let gql: async_graphql::Error =
            AppError::bad_input("lines[0].unitPrice", "may have at most 4 decimals").into();
        let mut server = gql.into_server_error(async_graphql::Pos::default());
        map_error(&mut server);
        let ext = server.extensions.unwrap();
        assert_eq!(
            ext.get("rule"),
            Some(&Value::String("TOO_MANY_DECIMALS".into()))
        );
        let mut params = async_graphql::indexmap::IndexMap::new();
        params.insert(async_graphql::Name::new("max"), Value::Number(4.into()));
        assert_eq!(ext.get("params"), Some(&Value::Object(params)));
        assert_eq!(
            server.message,
            "lines[0].unitPrice: may have at most 4 decimals"
        );
    }
}
