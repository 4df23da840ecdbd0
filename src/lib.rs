//! Test support for the end-to-end tests in `tests/`: a fresh, migrated database per test
//! (a SQLite file in a temporary directory, or a fresh schema on PostgreSQL when
//! `DATABASE_URL` names one; both copies of a template migrated once per test process), the
//! real router driven in-process with the same GraphQL a client sends, a manual clock, and
//! small builders for the usual fixtures.

pub mod smtp;

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
/// How long tokens issued in tests stay valid.
pub const TOKEN_TTL: std::time::Duration = std::time::Duration::from_secs(10 * 365 * 24 * 3600);

/// Where the test's database lives; removed when the test ends (SQLite) or left in the CI
/// database that `.ci/run` drops afterwards (PostgreSQL).
enum TestDb {
    Sqlite(PathBuf),
    Postgres,
    /// A replica's: the database belongs to the app it was made from.
    Shared,
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
    /// How this app's database is reached (its PostgreSQL schema), for a second state on it.
    pub options: DbOptions,
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

/// A SQLite file with every migration applied, made once per test process (the first test
/// to need it makes it; the others wait). Templates of runs over an hour old are removed.
async fn sqlite_template() -> &'static std::path::Path {
    static TEMPLATE: tokio::sync::OnceCell<PathBuf> = tokio::sync::OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let root = std::env::temp_dir();
            sweep_old_templates(&root);
            let dir = root.join(format!(
                "kilpailutus-template-{}",
                uuid::Uuid::new_v4().simple()
            ));
            std::fs::create_dir_all(&dir).expect("template dir");
            let file = dir.join("template.db");
            let url = format!("sqlite://{}?mode=rwc", file.display());
            let db = api::db::Db::connect(&url, DbOptions::default())
                .await
                .expect("open the template");
            api::migrate(&db).await.expect("migrate the template");
            // Everything into the main file, so that a plain copy is the whole database.
            use sea_orm::ConnectionTrait;
            db.conn()
                .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await
                .expect("checkpoint the template");
            db.conn().clone().close().await.ok();
            file
        })
        .await
}

/// The DDL (and the migration table's rows) of a PostgreSQL schema with every migration
/// applied, made once per test process (the first test to need it makes it; the others wait):
/// a schema `kilpailutus_tmpl_<pid>_<id>` in `DATABASE_URL`'s database, migrated, then written
/// out by `pg_dump` with that name as `TEMPLATE_SCHEMA`; a test replays it for its own schema
/// in one round trip (about 0.15 s, where the migrations take 0.7 s). None when `pg_dump` is
/// missing or fails: each test then migrates its schema.
async fn pg_template(url: &str) -> Option<&'static str> {
    static TEMPLATE: tokio::sync::OnceCell<Option<String>> = tokio::sync::OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let schema = format!(
                "kilpailutus_tmpl_{}_{}",
                std::process::id(),
                &uuid::Uuid::new_v4().simple().to_string()[..8]
            );
            let url = url.to_owned();
            // Its own runtime: the pools must not outlive the test that happens to make it.
            std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?
                    .block_on(async {
                        let admin = sea_orm::Database::connect(&url).await.ok()?;
                        use sea_orm::ConnectionTrait;
                        admin
                            .execute_unprepared(&format!("CREATE SCHEMA \"{schema}\""))
                            .await
                            .ok()?;
                        admin.close().await.ok();
                        let options = DbOptions {
                            pg_schema: Some(schema.clone()),
                            max_connections: Some(2),
                        };
                        let db = api::db::Db::connect(&url, options).await.ok()?;
                        api::migrate(&db).await.ok()?;
                        db.conn().clone().close().await.ok();
                        let dump = std::process::Command::new("pg_dump")
                            .args(["--no-owner", "--no-privileges", "--inserts", "--schema"])
                            .arg(&schema)
                            .arg("--dbname")
                            .arg(&url)
                            .output()
                            .ok()
                            .filter(|o| o.status.success())?;
                        let sql = String::from_utf8(dump.stdout).ok()?;
                        // SQL only: no comments, no psql meta-commands (`\restrict`).
                        let ddl: String = sql
                            .lines()
                            .filter(|l| !l.starts_with("--") && !l.starts_with('\\'))
                            .collect::<Vec<_>>()
                            .join("\n");
                        ddl.contains(&format!("CREATE SCHEMA {schema};"))
                            .then(|| ddl.replace(&schema, TEMPLATE_SCHEMA))
                    })
            })
            .join()
            .ok()
            .flatten()
        })
        .await
        .as_deref()
}

/// What stands for the schema's name in `pg_template`'s DDL.
const TEMPLATE_SCHEMA: &str = "kilpailutus_template_schema";

fn sweep_old_templates(root: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let hour = std::time::Duration::from_secs(3600);
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > hour);
        if old
            && e.file_name()
                .to_string_lossy()
                .starts_with("kilpailutus-template-")
        {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_config(|_| {}).await
    }

    /// A test app whose configuration is adjusted first (e.g. `SMTP_URL`, `MAIL_DIR`).
    pub async fn with_config(adjust: impl FnOnce(&mut Config)) -> Self {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let (url, db, options) = match postgres_url() {
            Some(url) => {
                let schema = format!("t_{id}");
                let admin = sea_orm::Database::connect(&url)
                    .await
                    .expect("connect to PostgreSQL");
                use sea_orm::ConnectionTrait;
                // The migrated schema is made once per test process and replayed (the schema
                // with its tables, indexes, keys and migration rows, in one round trip):
                // `prepare` then finds every migration applied.
                let create = match pg_template(&url).await {
                    Some(ddl) => ddl.replace(TEMPLATE_SCHEMA, &schema),
                    None => format!("CREATE SCHEMA \"{schema}\""),
                };
                admin
                    .execute_unprepared(&create)
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
                // The migrated schema is made once per test process and copied: `prepare`
                // then finds every migration applied.
                std::fs::copy(sqlite_template().await, dir.join("test.db"))
                    .expect("copy the migrated template");
                let url = format!("sqlite://{}?mode=rwc", dir.join("test.db").display());
                (url, TestDb::Sqlite(dir), DbOptions::default())
            }
        };
        let mut config = Config::from_lookup(|_| None).expect("default config");
        config.database_url = url;
        config.jwt_secret = Some(format!("test-secret-{id}"));
        // Tests move the clock by months; tokens outlive that unless a test says otherwise.
        config.token_ttl = TOKEN_TTL;
        // Fixtures make hundreds of users: hashes at the cheapest argon2 cost (the server's
        // is OWASP's; a test that needs it sets it back).
        config.password_cost = api::auth::password::Cost::TESTS_ONLY;
        config.admin = Some(api::config::AdminBootstrap {
            email: ADMIN_EMAIL.into(),
            password: ADMIN_PASSWORD.into(),
        });
        config.mail_dir = std::env::temp_dir().join(format!("kilpailutus-mail-{id}"));
        adjust(&mut config);
        let clock = ManualClock::new(start_time());
        let state = api::prepare(config, Arc::new(clock.clone()), options.clone())
            .await
            .expect("prepare app");
        let router = api::build_app(state.clone());
        TestApp {
            router,
            state,
            clock,
            options,
            _db: db,
        }
    }

    /// A mail worker for this app, with the transport its configuration names (SMTP when
    /// `smtp_url` is set, `.eml` files in `mail_dir` otherwise), to drive delivery by hand.
    pub fn mail_worker(&self) -> api::jobs::Worker {
        let transport = api::email::transport::Transport::from_config(
            self.state.config.smtp_url.as_deref(),
            &self.state.config.mail_dir,
        )
        .expect("mail transport");
        api::jobs::Worker::new(self.state.clone(), transport)
    }

    /// A second replica of this app: its own connection pool, router, caches and mail
    /// directory on the same database (it migrates and bootstraps again, as a second process
    /// would), sharing the clock and the token secret. Keep the original alive while it runs.
    pub async fn replica(&self) -> TestApp {
        let mut config = (*self.state.config).clone();
        config.mail_dir = std::env::temp_dir().join(format!(
            "kilpailutus-mail-{}",
            uuid::Uuid::new_v4().simple()
        ));
        let state = api::prepare(config, Arc::new(self.clock.clone()), self.options.clone())
            .await
            .expect("prepare replica");
        TestApp {
            router: api::build_app(state.clone()),
            state,
            clock: self.clock.clone(),
            options: self.options.clone(),
            _db: TestDb::Shared,
        }
    }

    /// Sends one GraphQL request; returns the whole response body as JSON.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        self.gql_from(None, token, query, variables).await
    }

    /// Sends one GraphQL request as if from the client address `from` (what the server learns
    /// from the connection); `None` is a request whose address is unknown.
    pub async fn gql_from(
        &self,
        from: Option<std::net::IpAddr>,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Value {
        let body = json!({ "query": query, "variables": variables }).to_string();
        let mut req = Request::post("/graphql").header("content-type", "application/json");
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let mut req = req.body(Body::from(body)).expect("request");
        if let Some(ip) = from {
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(std::net::SocketAddr::new(
                    ip, 40000,
                )));
        }
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

    /// Creates a user as the admin and logs them in; returns (user id, token). The tests' users
    /// read English (the language a test asserts mails in), unless a test says otherwise.
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
                json!({ "i": { "email": email, "password": PASSWORD, "name": email, "role": role, "organizationId": org, "language": "EN" } }),
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
        api::service::audit::load_chain(self.state.db.conn())
            .await
            .expect("audit events")
            .into_iter()
            .map(|(event, _sealed_until)| event)
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

/// A valid Finnish business ID built from `n` (mod-11 check digit; bodies whose remainder is 1
/// are never issued, so they are skipped).
pub fn business_id(n: u32) -> String {
    const W: [u32; 7] = [7, 9, 10, 5, 8, 4, 2];
    let mut body = n % 10_000_000;
    loop {
        let digits = format!("{body:07}");
        let sum: u32 = digits
            .bytes()
            .zip(W)
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        match sum % 11 {
            1 => body = (body + 1) % 10_000_000,
            0 => return format!("{digits}-0"),
            r => return format!("{digits}-{}", 11 - r),
        }
    }
}

pub const CREATE_CALL: &str = "mutation($i:CreateCallInput!){ createCall(input:$i){ id status lines{ id quantity product{ id } } criteria{ qualityCriteria{ id name } capabilityRequirements{ id text } } } }";
pub const PUBLISH_CALL: &str = "mutation($id:ID!){ publishCall(id:$id){ id status publishedAt } }";
pub const SUBMIT_BID: &str = "mutation($i:SubmitBidInput!){ submitBid(input:$i){ id status version totalPrice receipt submittedAt inHouse subcontractingShare bidder{ id } lines{ callLine{ id quantity } unitPrice lineTotal } } }";

/// Signs a contract for the caller's organisation.
pub const SIGN_CONTRACT: &str = "mutation($id:ID!){ signContract(id:$id){ id } }";

impl TestApp {
    /// The caller's notifications, newest first, as (event, body).
    pub async fn mail(&self, token: &str) -> Vec<(String, String)> {
        let q = "{ notifications(first: 100) { event body } }";
        self.ok(Some(token), q, json!({})).await["notifications"]
            .as_array()
            .expect("notifications")
            .iter()
            .map(|n| {
                (
                    n["event"].as_str().expect("event").to_owned(),
                    n["body"].as_str().expect("body").to_owned(),
                )
            })
            .collect()
    }

    /// Serves the router on a free local port for a browser; returns its base URL.
    pub async fn serve(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let server = axum::serve(
            listener,
            self.router
                .clone()
                .into_make_service_with_connect_info::<std::net::SocketAddr>(),
        );
        tokio::spawn(async move { server.await });
        base
    }

    /// Moves the clock past a 14-day standstill (15 days on) and makes the contract from the
    /// call's award as its orderer; the contract's id.
    pub async fn contract_after_standstill(&self, orderer: &str, call_id: &str) -> String {
        self.clock.advance(chrono::TimeDelta::days(15));
        self.ok(
            Some(orderer),
            "mutation($c:ID!){ createContractFromAward(callId:$c){ id } }",
            json!({ "c": call_id }),
        )
        .await["createContractFromAward"]["id"]
            .as_str()
            .expect("contract id")
            .to_owned()
    }

    /// The orderer and the producer sign the contract (activation needs both signatures).
    pub async fn sign_both(&self, contract: &str, orderer: &str, producer: &str) {
        for token in [orderer, producer] {
            self.ok(Some(token), SIGN_CONTRACT, json!({ "id": contract }))
                .await;
        }
    }
}

/// A published call with its ids, made by an orderer.
#[derive(Debug, Clone)]
pub struct CallFixture {
    pub id: String,
    pub line_ids: Vec<String>,
    pub criterion_ids: Vec<String>,
    pub requirement_ids: Vec<String>,
    pub submission_deadline: DateTime<Utc>,
    pub questions_deadline: DateTime<Utc>,
}

impl TestApp {
    /// The input of a sound call: two lines (1000 and 12.5 units), price weight 60, two quality
    /// criteria (30 + 10), one capability requirement, questions in 7 days, bids in 14 days.
    pub fn call_input(&self, products: &[&str]) -> Value {
        let now = self.clock_now();
        json!({
            "title": "Kotihoito itäinen alue 2027",
            "description": "Home care for the eastern district, by the hour",
            "pricingModel": "UNIT_PRICE",
            "lines": products.iter().enumerate().map(|(i, p)| json!({ "productId": p, "quantity": if i == 0 { "1000" } else { "12.5" } })).collect::<Vec<_>>(),
            "contractStart": "2027-01-01",
            "contractEnd": "2027-12-31",
            "questionsDeadline": (now + chrono::TimeDelta::days(7)).to_rfc3339(),
            "submissionDeadline": (now + chrono::TimeDelta::days(14)).to_rfc3339(),
            "priceWeight": 60,
            "qualityCriteria": [ { "name": "Staff competence", "weight": 30, "maxPoints": 10 }, { "name": "Quality plan", "weight": 10, "maxPoints": 5 } ],
            "minTurnoverRatio": "1.5",
            "minEquityRatio": "0.2",
            "minCreditRating": "A",
            "capabilityRequirements": ["Licensed practical nurses on every shift"],
            "maxSubcontractingShare": "0.3"
        })
    }

    pub fn clock_now(&self) -> DateTime<Utc> {
        use api::clock::Clock;
        self.clock.now()
    }

    /// Creates (and optionally publishes) a call from `input`.
    pub async fn make_call(&self, orderer: &str, input: Value, publish: bool) -> CallFixture {
        let data = self
            .ok(Some(orderer), CREATE_CALL, json!({ "i": input.clone() }))
            .await;
        let c = &data["createCall"];
        let ids = |v: &Value| -> Vec<String> {
            v.as_array()
                .expect("array")
                .iter()
                .map(|x| x["id"].as_str().expect("id").to_owned())
                .collect()
        };
        let fixture = CallFixture {
            id: c["id"].as_str().expect("id").to_owned(),
            line_ids: ids(&c["lines"]),
            criterion_ids: ids(&c["criteria"]["qualityCriteria"]),
            requirement_ids: ids(&c["criteria"]["capabilityRequirements"]),
            submission_deadline: input["submissionDeadline"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .expect("deadline"),
            questions_deadline: input["questionsDeadline"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .expect("deadline"),
        };
        if publish {
            self.ok(Some(orderer), PUBLISH_CALL, json!({ "id": fixture.id }))
                .await;
        }
        fixture
    }

    /// A sound bid on `call` with the given unit prices (one per line).
    pub fn bid_input(&self, call: &CallFixture, prices: &[&str]) -> Value {
        json!({
            "callId": call.id,
            "lines": call.line_ids.iter().zip(prices).map(|(l, p)| json!({ "callLineId": l, "unitPrice": p })).collect::<Vec<_>>(),
            "annualTurnover": "2000000.00",
            "equityRatio": "0.35",
            "creditRating": "AA",
            "capabilityResponses": call.requirement_ids.iter().map(|r| json!({ "requirementId": r, "evidence": "40 licensed nurses" })).collect::<Vec<_>>(),
            "qualityResponses": call.criterion_ids.iter().map(|c| json!({ "criterionId": c, "text": "Our plan" })).collect::<Vec<_>>(),
            "subcontractingShare": "0.1"
        })
    }

    /// Submits a sound bid (`bid_input`) with these unit prices as the provider `token`;
    /// returns `submitBid { id status version totalPrice receipt … }`.
    pub async fn submit_bid(&self, token: &str, call: &CallFixture, prices: &[&str]) -> Value {
        self.ok(
            Some(token),
            SUBMIT_BID,
            json!({ "i": self.bid_input(call, prices) }),
        )
        .await["submitBid"]
            .clone()
    }

    /// Registers an external provider through the API, reading English; returns (organisation
    /// id, token).
    pub async fn provider(&self, n: u32) -> (String, String) {
        let data = self
            .ok(
                None,
                "mutation($i:RegisterProviderInput!){ registerProvider(input:$i){ token user{ organization{ id } } } }",
                json!({ "i": { "organizationName": format!("Provider {n} Oy"), "businessId": business_id(n * 7919 + 13), "email": format!("bids{n}@provider{n}.example.fi"), "password": PASSWORD, "name": format!("Seller {n}"), "language": "EN" } }),
            )
            .await;
        let r = &data["registerProvider"];
        (
            r["user"]["organization"]["id"]
                .as_str()
                .expect("org")
                .to_owned(),
            r["token"].as_str().expect("token").to_owned(),
        )
    }
}

/// Everyone a call-and-bid scenario needs.
pub struct Market {
    pub admin: String,
    pub orderer_org: String,
    pub orderer_user: String,
    pub orderer: String,
    pub other_orderer: String,
    pub in_house_org: String,
    pub in_house: String,
    pub a_org: String,
    pub a: String,
    pub b_org: String,
    pub b: String,
    pub products: Vec<String>,
}

impl Market {
    pub async fn new(app: &TestApp) -> Market {
        let admin = app.admin().await;
        let (orderer_org, orderer_user, orderer) =
            app.member(&admin, "ORDERER", "Hyvinvointilautakunta").await;
        let (_, _, other_orderer) = app.member(&admin, "ORDERER", "Sivistyslautakunta").await;
        let (in_house_org, _, in_house) = app
            .member(&admin, "IN_HOUSE_PRODUCER", "Kotihoidon liikelaitos")
            .await;
        let (a_org, a) = app.provider(1).await;
        let (b_org, b) = app.provider(2).await;
        let products = vec![
            app.product(&admin, "KH-H", "home care").await,
            app.product(&admin, "KH-V", "home care").await,
        ];
        Market {
            admin,
            orderer_org,
            orderer_user,
            orderer,
            other_orderer,
            in_house_org,
            in_house,
            a_org,
            a,
            b_org,
            b,
            products,
        }
    }

    pub fn product_refs(&self) -> Vec<&str> {
        self.products.iter().map(String::as_str).collect()
    }

    /// Gives the orderer an appropriation of `amount` for 2027, has the orderer and the
    /// `producer` sign the contract and activates it.
    pub async fn sign_and_activate(
        &self,
        app: &TestApp,
        contract: &str,
        producer: &str,
        amount: &str,
    ) {
        app.ok(
            Some(&self.admin),
            "mutation($o:ID!,$a:Decimal!){ setAppropriation(ordererId:$o,fiscalYear:2027,amount:$a){ amount } }",
            json!({ "o": self.orderer_org, "a": amount }),
        )
        .await;
        app.sign_both(contract, &self.orderer, producer).await;
        app.ok(
            Some(&self.orderer),
            "mutation($id:ID!){ activateContract(id:$id){ id } }",
            json!({ "id": contract }),
        )
        .await;
    }

    /// A direct contract of the orderer with the in-house producer for 2027 (100 units of the
    /// first product at 100); its id.
    pub async fn direct_contract(&self, app: &TestApp) -> String {
        let input = json!({ "i": {
            "producerId": self.in_house_org, "pricingModel": "UNIT_PRICE", "startDate": "2027-01-01", "endDate": "2027-12-31",
            "lines": [{ "productId": self.products[0], "quantity": "100", "unitPrice": "100" }] } });
        app.ok(
            Some(&self.orderer),
            "mutation($i:DirectContractInput!){ createDirectContract(input:$i){ id } }",
            input,
        )
        .await["createDirectContract"]["id"]
            .as_str()
            .expect("contract id")
            .to_owned()
    }
}

impl TestApp {
    /// The id of the caller organisation's bid on a call.
    pub async fn my_bid_id(&self, token: &str, call_id: &str) -> Value {
        self.ok(
            Some(token),
            "query($id:ID!){ call(id:$id){ myBid{ id } } }",
            json!({ "id": call_id }),
        )
        .await["call"]["myBid"]["id"]
            .clone()
    }
}

/// The test process's Chromium (`portal-tests/browser-server.mjs`), started by the first
/// journey: its endpoint, which the journeys connect to instead of launching a browser each
/// (about a second each on 2 busy cores); None when it could not start (each journey then
/// launches its own). The server's standard input is a pipe held here until the process ends:
/// when it closes, the server closes the browser and exits.
fn shared_browser(root: &std::path::Path) -> Option<&'static str> {
    use std::io::BufRead;
    type Out = std::io::BufReader<std::process::ChildStdout>;
    type Server = (String, std::sync::Mutex<(std::process::Child, Out)>);
    static BROWSER: std::sync::OnceLock<Option<Server>> = std::sync::OnceLock::new();
    BROWSER
        .get_or_init(|| {
            let mut child = std::process::Command::new("node")
                .arg(root.join("portal-tests/browser-server.mjs"))
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .ok()?;
            let mut out = std::io::BufReader::new(child.stdout.take()?);
            let mut line = String::new();
            out.read_line(&mut line).ok()?;
            let ws = line.trim().strip_prefix("WS ")?.to_owned();
            Some((ws, std::sync::Mutex::new((child, out))))
        })
        .as_ref()
        .map(|(ws, _)| ws.as_str())
}

/// Runs one browser journey: `node portal-tests/<script> <name> <base> <screenshot dir>
/// <params JSON>` (the portal tests' scripts, driving Chromium with playwright-core), fails
/// the test when it fails, and returns the JSON of its `RESULT` line.
pub async fn run_node_journey(
    root: &std::path::Path,
    script: &str,
    name: &str,
    base: &str,
    params: &Value,
) -> Value {
    let out = root.join("target/portal-screenshots");
    std::fs::create_dir_all(&out).expect("screenshot dir");
    let script = root.join("portal-tests").join(script);
    let args = [
        name.to_owned(),
        base.to_owned(),
        out.to_str().expect("utf-8 path").to_owned(),
        params.to_string(),
    ];
    let root = root.to_owned();
    let output = tokio::task::spawn_blocking(move || {
        let mut node = std::process::Command::new("node");
        node.arg(script).args(args);
        if let Some(ws) = shared_browser(&root) {
            node.env("KILPAILUTUS_BROWSER", ws);
        }
        node.output().expect("run node")
    })
    .await
    .expect("journey task");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "journey failed:\n{stdout}\n{stderr}"
    );
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .unwrap_or_else(|| panic!("no RESULT line:\n{stdout}\n{stderr}"));
    serde_json::from_str(line).expect("RESULT json")
}
