//! The caller of one request: anonymous or an authenticated actor.
//! An invalid token never becomes anonymous; the request is refused before it runs.

use crate::error::{AppError, AppResult};
use entity::{OrganizationKind, Role};

/// An authenticated user as the token describes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: String,
    pub role: Role,
    pub organization_id: String,
    pub organization_kind: OrganizationKind,
}

impl Actor {
    /// What an orderer-owned list shows this actor: every orderer's rows for an ADMIN
    /// (`None`), its own organisation's for an ORDERER; FORBIDDEN (saying `why`) for others.
    pub fn orderer_scope(&self, why: &str) -> AppResult<Option<&str>> {
        match self.role {
            Role::Admin => Ok(None),
            Role::Orderer => Ok(Some(self.organization_id.as_str())),
            Role::Producer => Err(AppError::forbidden(why)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
    User(Actor),
}

impl Caller {
    pub fn actor(&self) -> Option<&Actor> {
        match self {
            Caller::Anonymous => None,
            Caller::User(a) => Some(a),
        }
    }

    /// The actor, or UNAUTHENTICATED.
    pub fn require(&self) -> AppResult<&Actor> {
        self.actor()
            .ok_or_else(|| AppError::Unauthenticated("log in first: this needs a token".into()))
    }

    /// The actor if they hold `role`; UNAUTHENTICATED without a token, FORBIDDEN otherwise.
    pub fn require_role(&self, role: Role, doing: &str) -> AppResult<&Actor> {
        let actor = self.require()?;
        if actor.role == role {
            Ok(actor)
        } else {
            Err(AppError::forbidden(format!(
                "only {} users may {doing}",
                role.as_str()
            )))
        }
    }

    pub fn user_id(&self) -> Option<&str> {
        self.actor().map(|a| a.user_id.as_str())
    }
}

impl Caller {
    /// The caller as the domain's visibility rules see them.
    pub fn viewer(&self) -> crate::domain::call::Viewer<'_> {
        use crate::domain::call::Viewer;
        match self.actor() {
            None => Viewer::Anonymous,
            Some(a) => match a.role {
                Role::Admin => Viewer::Admin,
                Role::Orderer => Viewer::Orderer(&a.organization_id),
                Role::Producer => Viewer::Producer(&a.organization_id),
            },
        }
    }
}
