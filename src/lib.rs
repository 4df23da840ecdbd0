//! Test support for the end-to-end tests in `tests/`: a fresh, migrated database per test
//! (a SQLite file in a temporary directory, or a fresh schema on PostgreSQL when
//! `DATABASE_URL` names one), the real router driven in-process with the same GraphQL a
//! client sends, a manual clock, and small builders for the usual fixtures.

use api::clock::ManualClock;
use api::config::Config;
use api::db::DbOptions;
use api::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{DateTime, TimeZone, Utc};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;
use tower::ServiceExt;

pub const ADMIN_EMAIL: &str = "admin@kunta.example.fi";
pub const ADMIN_PASSWORD: &str = "admin-password-1";
pub const PASSWORD: &str = "test-password-1";

/// Where the test's database lives; removed when the test ends (SQLite) or left in the CI
/// database that `.ci/run` drops afterwards (PostgreSQL).
enum TestDb {
    Sqlite(PathBuf),
    Postgres,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Sqlite(dir) = self {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub clock: ManualClock,
    _db: TestDb,
}

/// The moment every test starts at, unless it moves the clock.
pub fn start_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0)
        .single()
        .expect("valid date")
}

fn postgres_url() -> Option<String> {
    std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
}

/// True when this run goes against PostgreSQL.
pub fn on_postgres() -> bool {
    postgres_url().is_some()
}

impl TestApp {
    pub async fn new() -> Self {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let (url, db, options) = match postgres_url() {
            Some(url) => {
                let schema = format!("t_{id}");
                let admin = sea_orm::Database::connect(&url)
                    .await
                    .expect("connect to PostgreSQL");
                use sea_orm::ConnectionTrait;
                admin
                    .execute_unprepared(&format!("CREATE SCHEMA \"{schema}\""))
                    .await
                    .expect("create test schema");
                admin.close().await.ok();
                let options = DbOptions {
                    pg_schema: Some(schema),
                    max_connections: Some(8),
                };
                (url, TestDb::Postgres, options)
            }
            None => {
                let dir = std::env::temp_dir().join(format!("kilpailutus-test-{id}"));
                std::fs::create_dir_all(&dir).expect("temp dir");
                let url = format!("sqlite://{}?mode=rwc", dir.join("test.db").display());
                (url, TestDb::Sqlite(dir), DbOptions::default())
            }
        };
        let mut config = Config::from_lookup(|_| None).expect("default config");
        config.database_url = url;
        config.jwt_secret = Some(format!("test-secret-{id}"));
        config.admin = Some(api::config::AdminBootstrap {
            email: ADMIN_EMAIL.into(),
            password: ADMIN_PASSWORD.into(),
        });
        let clock = ManualClock::new(start_time());
        let state = api::prepare(config, Arc::new(clock.clone()), options)
            .await
            .expect("prepare app");
        let router = api::build_app(state.clone());
        TestApp {
            router,
            state,
            clock,
            _db: db,
        }
    }

    /// Sends one GraphQL request; returns the whole response body as JSON.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let body = json!({ "query": query, "variables": variables }).to_string();
        let mut req = Request::post("/graphql").header("content-type", "application/json");
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = req.body(Body::from(body)).expect("request");
        let (status, text) = self.send(req).await;
        assert_eq!(status, StatusCode::OK, "GraphQL answered {status}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    }

    /// Sends a request and returns the status and body text.
    pub async fn send(&self, req: Request<Body>) -> (StatusCode, String) {
        let resp = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("router answers");
        let status = resp.status();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        self.send(Request::get(path).body(Body::empty()).expect("request"))
            .await
    }

    /// Runs an operation that must succeed; returns `data`.
    pub async fn ok(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let resp = self.gql(token, query, variables).await;
        assert!(resp.get("errors").is_none(), "unexpected errors: {resp:#}");
        resp["data"].clone()
    }

    /// Runs an operation that must fail; returns the first error's `extensions.code`.
    pub async fn code(&self, token: Option<&str>, query: &str, variables: Value) -> String {
        self.error(token, query, variables).await["extensions"]["code"]
            .as_str()
            .unwrap_or("<no code>")
            .to_owned()
    }

    /// Runs an operation that must fail; returns the first error.
    pub async fn error(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let resp = self.gql(token, query, variables).await;
        let errors = resp["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("expected an error: {resp:#}"));
        errors[0].clone()
    }

    pub async fn login(&self, email: &str, password: &str) -> String {
        let data = self
            .ok(
                None,
                "mutation($e:String!,$p:String!){ login(email:$e,password:$p){ token } }",
                json!({ "e": email, "p": password }),
            )
            .await;
        data["login"]["token"].as_str().expect("token").to_owned()
    }

    pub async fn admin(&self) -> String {
        self.login(ADMIN_EMAIL, ADMIN_PASSWORD).await
    }

    /// Creates an organisation as the admin; returns its id.
    pub async fn create_org(&self, admin: &str, name: &str, kind: &str) -> String {
        let data = self
            .ok(
                Some(admin),
                "mutation($i:CreateOrganizationInput!){ createOrganization(input:$i){ id } }",
                json!({ "i": { "name": name, "kind": kind } }),
            )
            .await;
        data["createOrganization"]["id"]
            .as_str()
            .expect("id")
            .to_owned()
    }

    /// Creates a user as the admin and logs them in; returns (user id, token).
    pub async fn create_user(
        &self,
        admin: &str,
        org: &str,
        role: &str,
        email: &str,
    ) -> (String, String) {
        let data = self
            .ok(
                Some(admin),
                "mutation($i:CreateUserInput!){ createUser(input:$i){ id } }",
                json!({ "i": { "email": email, "password": PASSWORD, "name": email, "role": role, "organizationId": org } }),
            )
            .await;
        let id = data["createUser"]["id"].as_str().expect("id").to_owned();
        (id, self.login(email, PASSWORD).await)
    }

    /// An organisation of `kind` with one user of the fitting role: (org id, user id, token).
    pub async fn member(&self, admin: &str, kind: &str, name: &str) -> (String, String, String) {
        let role = match kind {
            "ADMINISTRATION" => "ADMIN",
            "ORDERER" => "ORDERER",
            _ => "PRODUCER",
        };
        let org = self.create_org(admin, name, kind).await;
        let email = format!(
            "{}@{}.example.fi",
            name.to_lowercase().replace(' ', "."),
            &org[..8]
        );
        let (user, token) = self.create_user(admin, &org, role, &email).await;
        (org, user, token)
    }

    /// Creates a product as the admin; returns its id.
    pub async fn product(&self, admin: &str, code: &str, category: &str) -> String {
        let data = self
            .ok(
                Some(admin),
                "mutation($i:ProductInput!){ createProduct(input:$i){ id } }",
                json!({ "i": { "code": code, "name": format!("Product {code}"), "unit": "hour", "category": category } }),
            )
            .await;
        data["createProduct"]["id"].as_str().expect("id").to_owned()
    }

    /// The whole audit chain, in sequence order, as the domain verifies it.
    pub async fn audit_chain(&self) -> Vec<api::domain::audit::ChainEvent> {
        use sea_orm::{EntityTrait, QueryOrder};
        entity::audit_event::Entity::find()
            .order_by_asc(entity::audit_event::Column::Seq)
            .all(self.state.db.conn())
            .await
            .expect("audit events")
            .into_iter()
            .map(|e| api::domain::audit::ChainEvent {
                seq: e.seq,
                at: e.at,
                actor: e.actor_user_id,
                action: e.action,
                entity: e.entity,
                entity_id: e.entity_id,
                summary: e.summary,
                prev_hash: e.prev_hash,
                hash: e.hash,
            })
            .collect()
    }

    /// How many rows a table holds.
    pub async fn count(&self, table: &str) -> i64 {
        use sea_orm::{ConnectionTrait, Statement};
        let db = self.state.db.conn();
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("n")
    }
}
