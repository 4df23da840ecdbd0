//! Identity and access: organisations, users, login, self-registration of providers,
//! declared ties, and the bootstrap administrator.

use super::audit::{self, AuditEntry};
use super::{new_id, parse_id};
use crate::auth::{Actor, Caller, password};
use crate::config::AdminBootstrap;
use crate::domain::business_id::BusinessId;
use crate::domain::validate;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use entity::{OrganizationKind, Role, organization, user, user_tie};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
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
    let id = parse_id(field, id)?;
    organization::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("{field}: no such organization")))
}

async fn ensure_email_free<C: ConnectionTrait>(conn: &C, email: &str) -> AppResult<()> {
    let taken = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .count(conn)
        .await?
        > 0;
    if taken {
        return Err(AppError::Conflict(format!(
            "email {email} is already registered"
        )));
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
        return Err(AppError::Conflict(format!(
            "business ID {id} is already registered"
        )));
    }
    Ok(())
}

/// Checks a password and issues a token. Failed attempts are counted per account and per
/// client address (in the database, so all replicas share them); past the limit the answer
/// is TOO_MANY_REQUESTS with the seconds to wait, right or wrong password alike.
pub async fn login(
    state: &AppState,
    email: &str,
    pass: &str,
    client: Option<std::net::IpAddr>,
) -> AppResult<(String, user::Model)> {
    use crate::domain::throttle;
    use entity::login_failure;
    let refused = || AppError::Unauthenticated("wrong email or password".into());
    let email = email.trim().to_lowercase();
    let account_key = format!("account:{email}");
    let client_key = client.map(|c| format!("client:{c}"));
    let now = state.now();
    let since = now - throttle::ACCOUNT.window.max(throttle::CLIENT.window);
    let mut keys = vec![account_key.clone()];
    keys.extend(client_key.clone());
    let failures = login_failure::Entity::find()
        .filter(login_failure::Column::Key.is_in(keys))
        .filter(login_failure::Column::At.gt(since))
        .all(state.db.conn())
        .await?;
    let times = |key: &str| {
        failures
            .iter()
            .filter(|f| f.key == key)
            .map(|f| f.at)
            .collect::<Vec<_>>()
    };
    let mut wait = throttle::retry_after(throttle::ACCOUNT, &times(&account_key), now);
    if let Some(k) = &client_key {
        wait = wait.max(throttle::retry_after(throttle::CLIENT, &times(k), now));
    }
    if let Some(wait) = wait {
        let secs = wait.num_seconds().max(1);
        return Err(AppError::TooManyRequests {
            message: format!("too many failed logins: try again in {secs} seconds"),
            retry_after_secs: secs,
        });
    }
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(state.db.conn())
        .await?;
    let ok = password::verify(
        pass.to_owned(),
        found.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;
    let u = match (ok, found) {
        (true, Some(u)) => u,
        _ => {
            let txn = state.db.begin().await?;
            let mut keys = vec![account_key.clone()];
            keys.extend(client_key.clone());
            for key in keys {
                login_failure::Entity::delete_many()
                    .filter(login_failure::Column::Key.eq(key.as_str()))
                    .filter(login_failure::Column::At.lte(since))
                    .exec(&*txn)
                    .await?;
                login_failure::ActiveModel {
                    id: Set(new_id()),
                    key: Set(key),
                    at: Set(now),
                }
                .insert(&*txn)
                .await?;
            }
            txn.commit().await?;
            return Err(refused());
        }
    };
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::Key.eq(account_key.as_str()))
        .exec(state.db.conn())
        .await?;
    let org = organization::Entity::find_by_id(u.organization_id.clone())
        .one(state.db.conn())
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("user {} has no organization", u.id)))?;
    let token = state.keys.issue(&actor_of(&u, &org), state.now())?;
    Ok((token, u))
}

pub struct NewProvider<'a> {
    pub organization_name: &'a str,
    pub business_id: &'a str,
    pub email: &'a str,
    pub password: &'a str,
    pub name: &'a str,
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
    let hash = password::hash(input.password.to_owned()).await?;

    let now = state.now();
    let txn = state.db.begin().await?;
    ensure_business_id_free(&*txn, &business_id).await?;
    ensure_email_free(&*txn, &email).await?;
    let org = organization::ActiveModel {
        id: Set(new_id()),
        name: Set(org_name),
        kind: Set(OrganizationKind::ExternalProvider),
        business_id: Set(Some(business_id.to_string())),
        email: Set(Some(email.clone())),
        created_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    let u = user::ActiveModel {
        id: Set(new_id()),
        email: Set(email),
        password_hash: Set(hash),
        name: Set(name),
        role: Set(Role::Producer),
        organization_id: Set(org.id.clone()),
        created_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    audit::record(&*txn, now, AuditEntry {
        actor: Some(&u.id),
        action: "organization.register",
        entity: "organization",
        entity_id: &org.id,
        orderer: None,
        sealed_until: None,
        summary: json!({ "name": org.name, "kind": "EXTERNAL_PROVIDER", "businessId": org.business_id }),
    })
    .await?;
    audit::record(&*txn, now, AuditEntry {
        actor: Some(&u.id),
        action: "user.create",
        entity: "user",
        entity_id: &u.id,
        orderer: None,
        sealed_until: None,
        summary: json!({ "email": u.email, "name": u.name, "role": "PRODUCER", "organizationId": org.id }),
    })
    .await?;
    txn.commit().await?;
    let token = state.keys.issue(&actor_of(&u, &org), now)?;
    Ok((token, u))
}

pub struct NewOrganization<'a> {
    pub name: &'a str,
    pub kind: OrganizationKind,
    pub business_id: Option<&'a str>,
    pub email: Option<&'a str>,
}

/// ADMIN: any kind of organisation.
pub async fn create_organization(
    state: &AppState,
    caller: &Caller,
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
    let txn = state.db.begin().await?;
    if let Some(b) = &business_id {
        ensure_business_id_free(&*txn, b).await?;
    }
    let org = organization::ActiveModel {
        id: Set(new_id()),
        name: Set(name),
        kind: Set(input.kind),
        business_id: Set(business_id.map(|b| b.to_string())),
        email: Set(email),
        created_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    audit::record(&*txn, now, AuditEntry {
        actor: Some(&admin.user_id),
        action: "organization.create",
        entity: "organization",
        entity_id: &org.id,
        orderer: None,
        sealed_until: None,
        summary: json!({ "name": org.name, "kind": kind_name(org.kind), "businessId": org.business_id, "email": org.email }),
    })
    .await?;
    txn.commit().await?;
    Ok(org)
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub organization_id: &'a str,
}

/// ADMIN: a user whose role fits the organisation's kind.
pub async fn create_user(
    state: &AppState,
    caller: &Caller,
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
                kind_name(org.kind),
                crate::auth::caller::role_name(fitting)
            ),
        ));
    }
    let hash = password::hash(input.password.to_owned()).await?;
    let now = state.now();
    let txn = state.db.begin().await?;
    ensure_email_free(&*txn, &email).await?;
    let u = insert_user(&*txn, &email, hash, &name, input.role, &org.id, now).await?;
    audit::record(&*txn, now, AuditEntry {
        actor: Some(&admin.user_id),
        action: "user.create",
        entity: "user",
        entity_id: &u.id,
        orderer: None,
        sealed_until: None,
        summary: json!({ "email": u.email, "name": u.name, "role": crate::auth::caller::role_name(u.role), "organizationId": org.id }),
    })
    .await?;
    txn.commit().await?;
    Ok(u)
}

async fn insert_user<C: ConnectionTrait>(
    conn: &C,
    email: &str,
    password_hash: String,
    name: &str,
    role: Role,
    organization_id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<user::Model> {
    Ok(user::ActiveModel {
        id: Set(new_id()),
        email: Set(email.to_owned()),
        password_hash: Set(password_hash),
        name: Set(name.to_owned()),
        role: Set(role),
        organization_id: Set(organization_id.to_owned()),
        created_at: Set(now),
    }
    .insert(conn)
    .await?)
}

/// The caller declares a tie to an organisation (e.g. a seat on its board). Declaring the
/// same tie twice keeps one.
pub async fn declare_tie(
    state: &AppState,
    caller: &Caller,
    organization_id: &str,
) -> AppResult<user::Model> {
    let actor = caller.require()?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let org = find_organization(&*txn, "organizationId", organization_id).await?;
    let me = user::Entity::find_by_id(actor.user_id.clone())
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::Unauthenticated("the token's user no longer exists".into()))?;
    let existing = user_tie::Entity::find_by_id((me.id.clone(), org.id.clone()))
        .one(&*txn)
        .await?;
    if existing.is_none() {
        user_tie::ActiveModel {
            user_id: Set(me.id.clone()),
            organization_id: Set(org.id.clone()),
            declared_at: Set(now),
        }
        .insert(&*txn)
        .await?;
        audit::record(
            &*txn,
            now,
            AuditEntry {
                actor: Some(&me.id),
                action: "user.declare_tie",
                entity: "user",
                entity_id: &me.id,
                orderer: None,
                sealed_until: None,
                summary: json!({ "organizationId": org.id, "organizationName": org.name }),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(me)
}

/// The caller's own user, or nothing when anonymous.
pub async fn me(state: &AppState, caller: &Caller) -> AppResult<Option<user::Model>> {
    match caller.actor() {
        None => Ok(None),
        Some(a) => Ok(user::Entity::find_by_id(a.user_id.clone())
            .one(state.db.conn())
            .await?),
    }
}

/// The users of the caller's own organisation (e.g. an orderer choosing evaluators), by name.
pub async fn colleagues(state: &AppState, caller: &Caller) -> AppResult<Vec<user::Model>> {
    let actor = caller.require()?;
    Ok(user::Entity::find()
        .filter(user::Column::OrganizationId.eq(actor.organization_id.as_str()))
        .order_by_asc(user::Column::Name)
        .all(state.db.conn())
        .await?)
}

/// Any logged-in user may list organisations (names and kinds are public record).
pub async fn organizations(
    state: &AppState,
    caller: &Caller,
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
    let hash = password::hash(admin.password.clone()).await?;
    let now = state.now();
    let txn = state.db.begin().await?;
    // Checked again inside the transaction: another process may have just created it.
    if user::Entity::find()
        .filter(user::Column::Role.eq(Role::Admin))
        .count(&*txn)
        .await?
        > 0
    {
        return Ok(false);
    }
    ensure_email_free(&*txn, &email).await?;
    let org = match organization::Entity::find()
        .filter(organization::Column::Kind.eq(OrganizationKind::Administration))
        .order_by_asc(organization::Column::CreatedAt)
        .one(&*txn)
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
            }
            .insert(&*txn)
            .await?;
            audit::record(&*txn, now, AuditEntry {
                actor: None,
                action: "organization.create",
                entity: "organization",
                entity_id: &org.id,
                orderer: None,
                sealed_until: None,
                summary: json!({ "name": org.name, "kind": "ADMINISTRATION", "bootstrap": true }),
            })
            .await?;
            org
        }
    };
    let u = insert_user(
        &*txn,
        &email,
        hash,
        "Administrator",
        Role::Admin,
        &org.id,
        now,
    )
    .await?;
    audit::record(&*txn, now, AuditEntry {
        actor: None,
        action: "user.create",
        entity: "user",
        entity_id: &u.id,
        orderer: None,
        sealed_until: None,
        summary: json!({ "email": u.email, "role": "ADMIN", "organizationId": org.id, "bootstrap": true }),
    })
    .await?;
    txn.commit().await?;
    tracing::info!(email = %u.email, "bootstrap administrator created");
    Ok(true)
}

pub fn kind_name(kind: OrganizationKind) -> &'static str {
    match kind {
        OrganizationKind::Administration => "ADMINISTRATION",
        OrganizationKind::Orderer => "ORDERER",
        OrganizationKind::InHouseProducer => "IN_HOUSE_PRODUCER",
        OrganizationKind::ExternalProvider => "EXTERNAL_PROVIDER",
    }
}
