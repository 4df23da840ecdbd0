//! Writing notifications into the outbox with the unit of work that causes them, so a change
//! and the e-mails it causes commit or roll back together.

use crate::error::AppResult;
use chrono::{DateTime, Utc};
use entity::{Language, NotificationStatus, notification, organization, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// One e-mail to write, in every language: each recipient gets the one of their language.
#[derive(Debug, Clone)]
pub struct Mail {
    pub event: &'static str,
    /// (subject, body) in Finnish, Swedish and English (`compose::LANGUAGES`).
    pub texts: [(String, String); 3],
    /// Only the recipient may see the notification (it would reveal a bidder or an asker).
    pub private: bool,
    /// The call whose sealed log records the delivery while its bids are sealed.
    pub sealed_call: Option<String>,
}

impl Mail {
    /// The subject and body in `lang`.
    pub fn text(&self, lang: Language) -> (&str, &str) {
        let [fi, sv, en] = &self.texts;
        let (s, b) = match lang {
            Language::Fi => fi,
            Language::Sv => sv,
            Language::En => en,
        };
        (s, b)
    }
}

/// The outbox rows that queue `mail` for each user (once per address), in the user's
/// language. The unit of work stores them with its batch (`Work::mail`).
pub fn rows(
    now: DateTime<Utc>,
    users: &[user::Model],
    mail: &Mail,
) -> Vec<notification::ActiveModel> {
    let mut seen = std::collections::HashSet::new();
    let mut rows = Vec::new();
    for u in users {
        if !seen.insert(u.email.clone()) {
            continue;
        }
        let id = uuid::Uuid::now_v7();
        let (subject, body) = mail.text(u.language);
        rows.push(notification::ActiveModel {
            id: Set(id.to_string()),
            recipient: Set(u.email.clone()),
            recipient_user_id: Set(Some(u.id.clone())),
            subject: Set(subject.to_owned()),
            body: Set(body.to_owned()),
            event: Set(mail.event.to_owned()),
            status: Set(NotificationStatus::Pending),
            attempts: Set(0),
            next_attempt_at: Set(now),
            last_error: Set(None),
            message_id: Set(format!("{}@kilpailutus", id.simple())),
            created_at: Set(now),
            sent_at: Set(None),
            locked_by: Set(None),
            locked_until: Set(None),
            sealed_until: Set(None),
            private: Set(mail.private || mail.sealed_call.is_some()),
            sealed_call_id: Set(mail.sealed_call.clone()),
        });
    }
    rows
}

/// The users of these organisations.
pub async fn users_of<C: ConnectionTrait>(
    conn: &C,
    organization_ids: Vec<String>,
) -> AppResult<Vec<user::Model>> {
    if organization_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::OrganizationId.is_in(organization_ids))
        .all(conn)
        .await?)
}

/// One user by id, if it exists.
pub async fn user<C: ConnectionTrait>(conn: &C, id: &str) -> AppResult<Option<user::Model>> {
    Ok(user::Entity::find_by_id(id.to_owned()).one(conn).await?)
}

/// Organisation names by id, for texts that name bidders.
pub async fn organization_names<C: ConnectionTrait>(
    conn: &C,
    ids: Vec<String>,
) -> AppResult<std::collections::HashMap<String, String>> {
    Ok(organization::Entity::find()
        .filter(organization::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}
