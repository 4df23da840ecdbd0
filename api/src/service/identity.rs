//! Identity and access: organisations, users, login, self-registration of providers,
//! declared ties, and the bootstrap administrator.

use super::PageLimits;
use super::audit::AuditEntry;
use super::login_throttle;
use super::{new_id, parse_id};
use crate::auth::revocation::UserStatus;
use crate::auth::{Actor, password};
use crate::config::AdminBootstrap;
use crate::domain::business_id::BusinessId;
use crate::domain::validate;
use crate::error::{AppError, AppResult};
use crate::service::Cx;
use crate::state::AppState;
use entity::{Language, OrganizationKind, Role, organization, user, user_tie};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;

/// The role a user of an organisation of this kind holds.
pub fn role_for_kind(kind: OrganizationKind) -> Role {
    match kind {
        OrganizationKind::Administration => Role::Admin,
        OrganizationKind::Orderer => Role::Orderer,
        OrganizationKind::InHouseProducer | OrganizationKind::ExternalProvider => Role::Producer,
    }
}

fn actor_of(u: &user::Model, org: &organization::Model) -> Actor {
    Actor {
        user_id: u.id.clone(),
        role: u.role,
        organization_id: org.id.clone(),
        organization_kind: org.kind,
    }
}

pub async fn find_organization<C: ConnectionTrait>(
    conn: &C,
    field: &str,
    id: &str,
) -> AppResult<organization::Model> {
    super::query::given::<organization::Entity, _>(conn, field, id, "organization").await
}

/// CONFLICT on `field` when a user already has `email`.
async fn ensure_email_free<C: ConnectionTrait>(
    conn: &C,
    field: &str,
    email: &str,
) -> AppResult<()> {
    let taken = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .count(conn)
        .await?
        > 0;
    if taken {
        return Err(AppError::taken(
            field,
            format!("{field}: {email} is already registered"),
        ));
    }
    Ok(())
}

async fn ensure_business_id_free<C: ConnectionTrait>(conn: &C, id: &BusinessId) -> AppResult<()> {
    let taken = organization::Entity::find()
        .filter(organization::Column::BusinessId.eq(id.as_str()))
        .count(conn)
        .await?
        > 0;
    if taken {
        return Err(AppError::taken(
            "businessId",
            format!("businessId: {id} is already registered"),
        ));
    }
    Ok(())
}

/// Checks a password and issues a token. Each attempt is charged to the throttle's counters
/// (per account and client address, and per address; in the database, so all replicas share
/// them) *before* the password is checked; past a limit the answer is TOO_MANY_REQUESTS with
/// the seconds to wait, right or wrong password alike. A disabled user cannot log in.
pub async fn login(
    state: &AppState,
    email: &str,
    pass: &str,
    client: Option<std::net::IpAddr>,
) -> AppResult<(String, user::Model)> {
    let email = email.trim().to_lowercase();
    let now = state.now();
    let attempt = login_throttle::reserve(state, &email, client, now).await?;
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(state.db.conn())
        .await?;
    let ok = password::verify(
        state.config.password_cost,
        pass.to_owned(),
        found.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;
    let u = match (ok, found) {
        (true, Some(u)) => u,
        _ => {
            attempt.failed();
            return Err(AppError::Unauthenticated("wrong email or password".into()));
        }
    };
    if u.disabled {
        attempt.failed();
        return Err(AppError::Unauthenticated(
            "this account is disabled: ask an administrator".into(),
        ));
    }
    attempt.succeeded(state).await?;
    let token = issue_token(state, &u, now).await?;
    Ok((token, u))
}

/// A token for `u` at its current token version.
async fn issue_token(
    state: &AppState,
    u: &user::Model,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<String> {
    let org = organization::Entity::find_by_id(u.organization_id.clone())
        .one(state.db.conn())
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("user {} has no organization", u.id)))?;
    state.keys.issue(&actor_of(u, &org), u.token_version, now)
}

fn status_of(u: &user::Model) -> UserStatus {
    UserStatus {
        token_version: u.token_version,
        disabled: u.disabled,
    }
}

/// UNAUTHENTICATED unless a token of `user_id` issued at `version` is still honoured: the
/// user exists, is enabled and has not raised its token version since. Answered from this
/// process's status cache when its entry is younger than `revocation::MAX_AGE`.
pub async fn ensure_token_current(
    state: &AppState,
    user_id: &str,
    version: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    let status = match state.token_status.fresh(user_id, now) {
        Some(status) => Some(status),
        None => {
            let read = user::Entity::find_by_id(user_id.to_owned())
                .one(state.db.conn())
                .await?
                .map(|u| status_of(&u));
            if let Some(status) = read {
                state.token_status.record(user_id, status, now);
            }
            read
        }
    };
    match status {
        Some(s) if s.accepts(version) => Ok(()),
        Some(s) if s.disabled => Err(AppError::Unauthenticated(
            "the token's user is disabled".into(),
        )),
        Some(_) => Err(AppError::Unauthenticated(
            "the token has been revoked: log in again".into(),
        )),
        None => Err(AppError::Unauthenticated(
            "the token's user no longer exists".into(),
        )),
    }
}

/// Raises the token version of `user_id` (revoking every token issued so far) and sets its
/// disabled flag, inside `conn`'s transaction; returns the user as it is now.
async fn revoke_tokens<C: ConnectionTrait>(
    conn: &C,
    user_id: &str,
    disabled: bool,
) -> AppResult<user::Model> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    user::Entity::update_many()
        .col_expr(
            user::Column::TokenVersion,
            Expr::col(user::Column::TokenVersion).add(1),
        )
        .col_expr(user::Column::Disabled, Expr::value(disabled))
        .filter(user::Column::Id.eq(user_id))
        .exec(conn)
        .await?;
    user::Entity::find_by_id(user_id.to_owned())
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("no such user"))
}

/// Ends the caller's sessions: every token of the caller's user issued so far stops working,
/// on this replica at once and on the others within `revocation::MAX_AGE`.
pub async fn logout(Cx { state, caller }: Cx<'_>) -> AppResult<()> {
    let actor = caller.require()?;
    let now = state.now();
    let me = work!(state, |w| {
        let me = user::Entity::find_by_id(actor.user_id.clone())
            .one(w.conn())
            .await?
            .ok_or_else(|| AppError::Unauthenticated("the token's user no longer exists".into()))?;
        let me = revoke_tokens(w.conn(), &me.id, me.disabled).await?;
        w.audit(now, AuditEntry::by(&me.id, "user.logout", "user", &me.id))?;
        Ok(me)
    })?;
    state.token_status.record(&me.id, status_of(&me), now);
    Ok(())
}

/// The caller changes its password: the current one must be given (a wrong one counts as a
/// failed login); every earlier token stops working and a fresh one is returned.
pub async fn change_password(
    Cx { state, caller }: Cx<'_>,
    current: &str,
    new: &str,
    client: Option<std::net::IpAddr>,
) -> AppResult<(String, user::Model)> {
    let actor = caller.require()?;
    validate::password("newPassword", new)?;
    let now = state.now();
    let me = user::Entity::find_by_id(actor.user_id.clone())
        .one(state.db.conn())
        .await?
        .ok_or_else(|| AppError::Unauthenticated("the token's user no longer exists".into()))?;
    let attempt = login_throttle::reserve(state, &me.email, client, now).await?;
    if !password::verify(
        state.config.password_cost,
        current.to_owned(),
        Some(me.password_hash.clone()),
    )
    .await?
    {
        attempt.failed();
        return Err(AppError::WrongPassword {
            field: "currentPassword".into(),
        });
    }
    attempt.succeeded(state).await?;
    let hash = password::hash(state.config.password_cost, new.to_owned()).await?;
    let me = work!(state, |w| {
        user::Entity::update_many()
            .col_expr(
                user::Column::PasswordHash,
                sea_orm::sea_query::Expr::value(hash),
            )
            .filter(user::Column::Id.eq(me.id.as_str()))
            .exec(w.conn())
            .await?;
        let me = revoke_tokens(w.conn(), &me.id, me.disabled).await?;
        w.audit(
            now,
            AuditEntry::by(&me.id, "user.password_change", "user", &me.id),
        )?;
        Ok(me)
    })?;
    state.token_status.record(&me.id, status_of(&me), now);
    let token = issue_token(state, &me, now).await?;
    Ok((token, me))
}

/// ADMIN: disables a user (it cannot log in and its tokens stop working) or enables it again.
/// An administrator cannot disable itself. Setting the flag it already has changes nothing.
pub async fn set_user_disabled(
    Cx { state, caller }: Cx<'_>,
    user_id: &str,
    disabled: bool,
) -> AppResult<user::Model> {
    let admin = caller.require_role(Role::Admin, "disable or enable users")?;
    let id = parse_id("userId", user_id)?;
    if disabled && id == admin.user_id {
        return Err(AppError::bad_input(
            "userId",
            "an administrator cannot disable their own account",
        ));
    }
    let now = state.now();
    let target = work!(state, |w| {
        let target = user::Entity::find_by_id(id)
            .one(w.conn())
            .await?
            .ok_or_else(|| AppError::not_found("userId: no such user"))?;
        if target.disabled == disabled {
            w.unchanged();
            return Ok(target);
        }
        let target = revoke_tokens(w.conn(), &target.id, disabled).await?;
        w.audit(
            now,
            AuditEntry::by(
                &admin.user_id,
                if disabled {
                    "user.disable"
                } else {
                    "user.enable"
                },
                "user",
                &target.id,
            )
            .summary(json!({ "email": target.email, "disabled": disabled })),
        )?;
        Ok(target)
    })?;
    state
        .token_status
        .record(&target.id, status_of(&target), now);
    Ok(target)
}

pub struct NewProvider<'a> {
    pub organization_name: &'a str,
    pub business_id: &'a str,
    pub email: &'a str,
    pub password: &'a str,
    pub name: &'a str,
    /// FI unless given.
    pub language: Option<Language>,
}

/// Self-registration: an EXTERNAL_PROVIDER organisation and its first user.
pub async fn register_provider(
    state: &AppState,
    input: NewProvider<'_>,
) -> AppResult<(String, user::Model)> {
    let org_name = validate::text("organizationName", input.organization_name, 200)?;
    let business_id = BusinessId::parse("businessId", input.business_id)?;
    let email = validate::email("email", input.email)?;
    validate::password("password", input.password)?;
    let name = validate::text("name", input.name, 200)?;
    let hash = password::hash(state.config.password_cost, input.password.to_owned()).await?;

    let now = state.now();
    work!(state, |w| {
        ensure_business_id_free(w.conn(), &business_id).await?;
        ensure_email_free(w.conn(), "email", &email).await?;
        let org = organization::ActiveModel {
            id: Set(new_id()),
            name: Set(org_name),
            kind: Set(OrganizationKind::ExternalProvider),
            business_id: Set(Some(business_id.to_string())),
            email: Set(Some(email.clone())),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(w.conn())
        .await?;
        let row = UserRow {
            email: &email,
            password_hash: hash,
            name: &name,
            role: Role::Producer,
            organization_id: &org.id,
            language: input.language.unwrap_or(Language::Fi),
        };
        let u = insert_user(w.conn(), row, now).await?;
        w.audit(
            now,
            AuditEntry::by(&u.id, "organization.register", "organization", &org.id).summary(
                json!({
                    "name": org.name,
                    "kind": OrganizationKind::ExternalProvider.as_str(),
                    "businessId": org.business_id,
                }),
            ),
        )?;
        w.audit(
            now,
            AuditEntry::by(&u.id, "user.create", "user", &u.id).summary(json!({
                "email": u.email,
                "name": u.name,
                "role": Role::Producer.as_str(),
                "organizationId": org.id,
            })),
        )?;
        let token = state
            .keys
            .issue(&actor_of(&u, &org), u.token_version, now)?;
        Ok((token, u))
    })
}

pub struct NewOrganization<'a> {
    pub name: &'a str,
    pub kind: OrganizationKind,
    pub business_id: Option<&'a str>,
    pub email: Option<&'a str>,
}

/// Sets an organisation's postal address, NUTS region and telephone (what eForms notices name
/// of a buyer and a winner), and gives an organisation made without a business ID one: an
/// ADMIN for any organisation, any other user for its own. A field not given keeps its value; a
/// blank one clears it (a business ID is never changed or cleared). A change that changes
/// nothing writes nothing.
pub async fn update_organization_details(
    Cx { state, caller }: Cx<'_>,
    organization_id: &str,
    input: crate::domain::address::DetailsInput<'_>,
) -> AppResult<organization::Model> {
    let actor = caller.require()?;
    let id = parse_id("organizationId", organization_id)?;
    if actor.role != Role::Admin && actor.organization_id != id {
        return Err(AppError::forbidden(
            "organizationId: a user sets its own organisation's details (an ADMIN any organisation's)",
        ));
    }
    let change = crate::domain::address::check(input)?;
    let now = state.now();
    work!(state, |w| {
        let org = organization::Entity::find_by_id(id.clone())
            .lock_exclusive()
            .one(w.conn())
            .await?
            .ok_or_else(|| AppError::not_found("organizationId: no such organization"))?;
        let mut am: organization::ActiveModel = org.clone().into();
        let mut changed = serde_json::Map::new();
        for (name, given, current, set) in [
            (
                "streetAddress",
                &change.street_address,
                &org.street_address,
                &mut am.street_address,
            ),
            (
                "postalCode",
                &change.postal_code,
                &org.postal_code,
                &mut am.postal_code,
            ),
            ("city", &change.city, &org.city, &mut am.city),
            (
                "nutsCode",
                &change.nuts_code,
                &org.nuts_code,
                &mut am.nuts_code,
            ),
            ("phone", &change.phone, &org.phone, &mut am.phone),
        ] {
            if let Some(value) = given
                && value != current
            {
                *set = Set(value.clone());
                changed.insert(name.to_owned(), json!(value));
            }
        }
        if let Some(b) = &change.business_id {
            match &org.business_id {
                Some(own) if own == b.as_str() => {}
                Some(_) => {
                    return Err(AppError::InvalidState(
                        "businessId: the organisation has a business ID: it is not changed".into(),
                    ));
                }
                None => {
                    ensure_business_id_free(w.conn(), b).await?;
                    am.business_id = Set(Some(b.to_string()));
                    changed.insert("businessId".to_owned(), json!(b.as_str()));
                }
            }
        }
        if changed.is_empty() {
            w.unchanged();
            return Ok(org);
        }
        let org = am.update(w.conn()).await?;
        w.audit(
            now,
            AuditEntry::by(
                &actor.user_id,
                "organization.update_details",
                "organization",
                &org.id,
            )
            .summary(serde_json::Value::Object(changed)),
        )?;
        Ok(org)
    })
}

/// ADMIN: any kind of organisation.
pub async fn create_organization(
    Cx { state, caller }: Cx<'_>,
    input: NewOrganization<'_>,
) -> AppResult<organization::Model> {
    let admin = caller.require_role(Role::Admin, "create organizations")?;
    let name = validate::text("name", input.name, 200)?;
    let business_id = match input.business_id.map(str::trim).filter(|s| !s.is_empty()) {
        Some(b) => Some(BusinessId::parse("businessId", b)?),
        None => None,
    };
    let email = match input.email.map(str::trim).filter(|s| !s.is_empty()) {
        Some(e) => Some(validate::email("email", e)?),
        None => None,
    };
    let now = state.now();
    work!(state, |w| {
        if let Some(b) = &business_id {
            ensure_business_id_free(w.conn(), b).await?;
        }
        let org = organization::ActiveModel {
            id: Set(new_id()),
            name: Set(name),
            kind: Set(input.kind),
            business_id: Set(business_id.map(|b| b.to_string())),
            email: Set(email),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(w.conn())
        .await?;
        w.audit(
            now,
            AuditEntry::by(
                &admin.user_id,
                "organization.create",
                "organization",
                &org.id,
            )
            .summary(json!({
                "name": org.name,
                "kind": org.kind.as_str(),
                "businessId": org.business_id,
                "email": org.email,
            })),
        )?;
        Ok(org)
    })
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub organization_id: &'a str,
    /// FI unless given.
    pub language: Option<Language>,
}

/// ADMIN: a user whose role fits the organisation's kind.
pub async fn create_user(
    Cx { state, caller }: Cx<'_>,
    input: NewUser<'_>,
) -> AppResult<user::Model> {
    let admin = caller.require_role(Role::Admin, "create users")?;
    let email = validate::email("email", input.email)?;
    validate::password("password", input.password)?;
    let name = validate::text("name", input.name, 200)?;
    let org = find_organization(state.db.conn(), "organizationId", input.organization_id).await?;
    let fitting = role_for_kind(org.kind);
    if input.role != fitting {
        return Err(AppError::bad_input(
            "role",
            format!(
                "a user of a {} organization must have role {}",
                org.kind.as_str(),
                fitting.as_str()
            ),
        ));
    }
    let hash = password::hash(state.config.password_cost, input.password.to_owned()).await?;
    let now = state.now();
    work!(state, |w| {
        ensure_email_free(w.conn(), "email", &email).await?;
        let row = UserRow {
            email: &email,
            password_hash: hash,
            name: &name,
            role: input.role,
            organization_id: &org.id,
            language: input.language.unwrap_or(Language::Fi),
        };
        let u = insert_user(w.conn(), row, now).await?;
        w.audit(
            now,
            AuditEntry::by(&admin.user_id, "user.create", "user", &u.id).summary(json!({
                "email": u.email,
                "name": u.name,
                "role": u.role.as_str(),
                "organizationId": org.id,
            })),
        )?;
        Ok(u)
    })
}

/// A new user's row, its checks done.
struct UserRow<'a> {
    email: &'a str,
    password_hash: String,
    name: &'a str,
    role: Role,
    organization_id: &'a str,
    language: Language,
}

async fn insert_user<C: ConnectionTrait>(
    conn: &C,
    row: UserRow<'_>,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<user::Model> {
    Ok(user::ActiveModel {
        id: Set(new_id()),
        email: Set(row.email.to_owned()),
        password_hash: Set(row.password_hash),
        name: Set(row.name.to_owned()),
        role: Set(row.role),
        organization_id: Set(row.organization_id.to_owned()),
        created_at: Set(now),
        token_version: Set(0),
        disabled: Set(false),
        language: Set(row.language),
    }
    .insert(conn)
    .await?)
}

/// The signed-in user: the language notifications are written in and the portal speaks.
pub async fn set_my_language(
    Cx { state, caller }: Cx<'_>,
    language: Language,
) -> AppResult<user::Model> {
    let actor = caller.require()?.clone();
    work!(state, |w| {
        let u = user::Entity::find_by_id(actor.user_id.clone())
            .one(w.conn())
            .await?
            .ok_or_else(|| AppError::Unauthenticated("the token's user no longer exists".into()))?;
        if u.language == language {
            w.unchanged();
            return Ok(u);
        }
        let before = u.language;
        let mut am: user::ActiveModel = u.into();
        am.language = Set(language);
        let u = am.update(w.conn()).await?;
        w.audit(
            w.now(),
            AuditEntry::by(&u.id, "user.set_language", "user", &u.id).summary(json!({
                "before": before.as_str(),
                "language": language.as_str(),
            })),
        )?;
        Ok(u)
    })
}

/// The caller declares a tie to an organisation (e.g. a seat on its board). Declaring the
/// same tie twice keeps one.
pub async fn declare_tie(
    Cx { state, caller }: Cx<'_>,
    organization_id: &str,
) -> AppResult<user::Model> {
    let actor = caller.require()?;
    let now = state.now();
    work!(state, |w| {
        let org = find_organization(w.conn(), "organizationId", organization_id).await?;
        let me = user::Entity::find_by_id(actor.user_id.clone())
            .one(w.conn())
            .await?
            .ok_or_else(|| AppError::Unauthenticated("the token's user no longer exists".into()))?;
        let existing = user_tie::Entity::find_by_id((me.id.clone(), org.id.clone()))
            .one(w.conn())
            .await?;
        if existing.is_some() {
            w.unchanged();
        } else {
            user_tie::ActiveModel {
                user_id: Set(me.id.clone()),
                organization_id: Set(org.id.clone()),
                declared_at: Set(now),
            }
            .insert(w.conn())
            .await?;
            w.audit(
                now,
                AuditEntry::by(&me.id, "user.declare_tie", "user", &me.id)
                    .summary(json!({ "organizationId": org.id, "organizationName": org.name })),
            )?;
        }
        Ok(me)
    })
}

/// The caller's own user, or nothing when anonymous.
pub async fn me(Cx { state, caller }: Cx<'_>) -> AppResult<Option<user::Model>> {
    match caller.actor() {
        None => Ok(None),
        Some(a) => Ok(user::Entity::find_by_id(a.user_id.clone())
            .one(state.db.conn())
            .await?),
    }
}

/// The users of the caller's own organisation (e.g. an orderer choosing evaluators), by name.
pub async fn colleagues(Cx { state, caller }: Cx<'_>) -> AppResult<Vec<user::Model>> {
    let actor = caller.require()?;
    Ok(user::Entity::find()
        .filter(user::Column::OrganizationId.eq(actor.organization_id.as_str()))
        .order_by_asc(user::Column::Name)
        .all(state.db.conn())
        .await?)
}

/// How many users a page of `users` holds unless asked, and at most.
pub const USERS_PAGE: PageLimits = PageLimits::new(50, 200);

/// One page of an organisation's users.
pub struct UserPage {
    pub users: Vec<user::Model>,
    pub has_next_page: bool,
    pub total_count: u64,
}

/// ADMIN: the users of one organisation, by name (then id), a page of `first` after the user
/// whose id is `after` (the cursor is the last user's id; the page goes on from its name).
pub async fn users_of(
    Cx { state, caller }: Cx<'_>,
    organization_id: &str,
    first: Option<i32>,
    after: Option<&str>,
) -> AppResult<UserPage> {
    use sea_orm::{Condition, QuerySelect};
    caller.require_role(Role::Admin, "list an organisation's users")?;
    let first = USERS_PAGE.size(first)?;
    let conn = state.db.conn();
    let org = find_organization(conn, "organizationId", organization_id).await?;
    let base = user::Entity::find().filter(user::Column::OrganizationId.eq(org.id.as_str()));
    let total_count = base.clone().count(conn).await?;
    let mut page = base
        .order_by_asc(user::Column::Name)
        .order_by_asc(user::Column::Id);
    if let Some(cursor) = after {
        let not_ours = || AppError::bad_input("after", "is not a cursor this API gave out");
        let id = uuid::Uuid::parse_str(cursor.trim()).map_err(|_| not_ours())?;
        let last = user::Entity::find_by_id(id.to_string())
            .one(conn)
            .await?
            .filter(|u| u.organization_id == org.id)
            .ok_or_else(not_ours)?;
        page = page.filter(
            Condition::any()
                .add(user::Column::Name.gt(last.name.as_str()))
                .add(
                    Condition::all()
                        .add(user::Column::Name.eq(last.name.as_str()))
                        .add(user::Column::Id.gt(last.id.as_str())),
                ),
        );
    }
    let (users, has_next_page) = super::page_of(page.limit(first + 1).all(conn).await?, first);
    Ok(UserPage {
        users,
        has_next_page,
        total_count,
    })
}

/// Any logged-in user may list organisations (names and kinds are public record).
pub async fn organizations(
    Cx { state, caller }: Cx<'_>,
    kind: Option<OrganizationKind>,
) -> AppResult<Vec<organization::Model>> {
    caller.require()?;
    let mut q = organization::Entity::find().order_by_asc(organization::Column::Name);
    if let Some(k) = kind {
        q = q.filter(organization::Column::Kind.eq(k));
    }
    Ok(q.all(state.db.conn()).await?)
}

/// Creates the bootstrap ADMIN (and an ADMINISTRATION organisation) when no admin exists.
/// Returns whether one was created.
pub async fn bootstrap_admin(state: &AppState, admin: &AdminBootstrap) -> AppResult<bool> {
    let email = validate::email("ADMIN_EMAIL", &admin.email)?;
    if admin.password.is_empty() {
        return Err(AppError::bad_input("ADMIN_PASSWORD", "must not be empty"));
    }
    if validate::password("ADMIN_PASSWORD", &admin.password).is_err() {
        tracing::warn!(
            "ADMIN_PASSWORD is shorter than {} characters",
            validate::MIN_PASSWORD_CHARS
        );
    }
    let exists = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Admin))
        .count(state.db.conn())
        .await?
        > 0;
    if exists {
        return Ok(false);
    }
    let hash = password::hash(state.config.password_cost, admin.password.clone()).await?;
    let now = state.now();
    work!(state, |w| {
        // Checked again inside the transaction: another process may have just created it.
        if user::Entity::find()
            .filter(user::Column::Role.eq(Role::Admin))
            .count(w.conn())
            .await?
            > 0
        {
            w.unchanged();
            return Ok(false);
        }
        ensure_email_free(w.conn(), "ADMIN_EMAIL", &email).await?;
        let org = match organization::Entity::find()
            .filter(organization::Column::Kind.eq(OrganizationKind::Administration))
            .order_by_asc(organization::Column::CreatedAt)
            .one(w.conn())
            .await?
        {
            Some(org) => org,
            None => {
                let org = organization::ActiveModel {
                    id: Set(new_id()),
                    name: Set("Administration".to_owned()),
                    kind: Set(OrganizationKind::Administration),
                    business_id: Set(None),
                    email: Set(None),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(w.conn())
                .await?;
                w.audit(
                    now,
                    AuditEntry::system("organization.create", "organization", &org.id).summary(
                        json!({
                            "name": org.name,
                            "kind": OrganizationKind::Administration.as_str(),
                            "bootstrap": true,
                        }),
                    ),
                )?;
                org
            }
        };
        let row = UserRow {
            email: &email,
            password_hash: hash,
            name: "Administrator",
            role: Role::Admin,
            organization_id: &org.id,
            language: Language::Fi,
        };
        let u = insert_user(w.conn(), row, now).await?;
        w.audit(
            now,
            AuditEntry::system("user.create", "user", &u.id).summary(json!({
                "email": u.email,
                "role": Role::Admin.as_str(),
                "organizationId": org.id,
                "bootstrap": true,
            })),
        )?;
        tracing::info!(email = %u.email, "bootstrap administrator created");
        Ok(true)
    })
}
