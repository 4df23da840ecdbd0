//! Helpers for tests that run the real `api` binary: start it with an environment, talk
//! HTTP/1.1 to it, stop it with a signal.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const ADMIN_EMAIL: &str = "root@kunta.example.fi";
pub const ADMIN_PASSWORD: &str = "bootstrap-password";

pub fn free_addr() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr")
}

pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Server {
    pub fn start(dir: &Path, database_url: Option<&str>) -> Server {
        Self::start_with(dir, database_url, &[])
    }

    pub fn start_with(dir: &Path, database_url: Option<&str>, env: &[(&str, &str)]) -> Server {
        let addr = free_addr();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_api"));
        cmd.current_dir(dir)
            .env_remove("DATABASE_URL")
            .env_remove("SMTP_URL")
            .env_remove("MAIL_DIR")
            .env("BIND", addr.to_string())
            .env("JWT_SECRET", "binary-test-secret")
            .env("ADMIN_EMAIL", ADMIN_EMAIL)
            .env("ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        if let Some(url) = database_url {
            cmd.env("DATABASE_URL", url);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("spawn api");
        let server = Server { child, addr };
        server.wait_healthy();
        server
    }

    pub fn wait_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok((200, _)) = http(self.addr, "GET", "/healthz", None, None) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("api on {} did not become healthy", self.addr);
    }

    pub fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let body = json!({ "query": query, "variables": variables }).to_string();
        let (status, text) =
            http(self.addr, "POST", "/graphql", Some(&body), token).expect("request");
        assert_eq!(status, 200, "{text}");
        serde_json::from_str(&text).expect("json")
    }

    pub fn login(&self) -> String {
        let r = self.gql(
            None,
            "mutation($e:String!,$p:String!){ login(email:$e,password:$p){ token } }",
            json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD }),
        );
        r["data"]["login"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login failed: {r}"))
            .to_owned()
    }

    /// Sends SIGTERM and waits for a clean exit.
    pub fn terminate(mut self) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "api exited with {status} after SIGTERM");
                return;
            }
            assert!(Instant::now() < deadline, "api did not stop after SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.1 client: one request per connection.
pub fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&str>,
    token: Option<&str>,
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let body = body.unwrap_or("");
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut raw = String::new();
    s.read_to_string(&mut raw)?;
    let status = raw
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = raw
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

pub fn temp_dir() -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("kilpailutus-bin-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Kills the process without any chance to clean up.
pub fn kill_hard(mut server: Server) {
    let pid = server.child.id().to_string();
    let status = Command::new("kill")
        .args(["-KILL", &pid])
        .status()
        .expect("kill");
    assert!(status.success());
    let _ = server.child.wait();
}

pub fn psql(url: &str, sql: &str) {
    let status = Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .status()
        .expect("psql runs");
    assert!(status.success(), "psql {sql}");
}

/// A fresh database for one test: a new PostgreSQL database when `DATABASE_URL` names a
/// PostgreSQL server (`url` is then its address), else the SQLite default (`url` is `None`:
/// the file in the server's working directory).
pub struct TestDatabase {
    pub url: Option<String>,
    pg: Option<(String, String)>,
}

impl TestDatabase {
    pub fn fresh(label: &str) -> TestDatabase {
        let Some(base) = std::env::var("DATABASE_URL")
            .ok()
            .filter(|u| u.starts_with("postgres"))
        else {
            return TestDatabase {
                url: None,
                pg: None,
            };
        };
        let name = format!("kt_{label}_{}", uuid::Uuid::new_v4().simple());
        psql(&base, &format!("CREATE DATABASE {name}"));
        let (server, _) = base.rsplit_once('/').unwrap();
        TestDatabase {
            url: Some(format!("{server}/{name}")),
            pg: Some((base, name)),
        }
    }

    pub fn drop(self) {
        if let Some((base, name)) = &self.pg {
            psql(base, &format!("DROP DATABASE {name} WITH (FORCE)"));
        }
    }
}

/// The `data` of a GraphQL answer that must have no errors.
pub fn ok(server: &Server, token: Option<&str>, query: &str, vars: Value) -> Value {
    let r = server.gql(token, query, vars);
    assert!(r.get("errors").is_none(), "{r}");
    r["data"].clone()
}

/// A valid business ID from a number (mod-11 check digit; remainder-1 bodies skipped).
pub fn business_id(n: u32) -> String {
    const W: [u32; 7] = [7, 9, 10, 5, 8, 4, 2];
    let mut body = n;
    loop {
        let digits = format!("{body:07}");
        let sum: u32 = digits
            .bytes()
            .zip(W)
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        match sum % 11 {
            1 => body += 1,
            0 => return format!("{digits}-0"),
            r => return format!("{digits}-{}", 11 - r),
        }
    }
}

/// As the bootstrap admin: an orderer board, its user, a product, and a published call of one
/// line whose deadline is two hours away. Returns the call's and its line's ids.
pub fn open_call(api: &Server) -> (String, String) {
    let admin = api.login();
    let org = ok(
        api,
        Some(&admin),
        "mutation{ createOrganization(input:{name:\"Lautakunta\",kind:ORDERER}){ id } }",
        json!({}),
    )["createOrganization"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(
        api,
        Some(&admin),
        "mutation($o:ID!){ createUser(input:{email:\"tilaaja@kunta.example.fi\",password:\"orderer-password\",name:\"T\",role:ORDERER,organizationId:$o}){ id } }",
        json!({ "o": org }),
    );
    let product = ok(api, Some(&admin), "mutation{ createProduct(input:{code:\"KH\",name:\"Kotihoito\",unit:\"h\",category:\"home care\"}){ id } }", json!({}))["createProduct"]["id"].as_str().unwrap().to_owned();
    let orderer = ok(api, None, "mutation{ login(email:\"tilaaja@kunta.example.fi\",password:\"orderer-password\"){ token } }", json!({}))["login"]["token"].as_str().unwrap().to_owned();
    let now = chrono::Utc::now();
    let call = ok(
        api,
        Some(&orderer),
        "mutation($i:CreateCallInput!){ createCall(input:$i){ id lines{ id } } }",
        json!({ "i": {
        "title": "Kotihoito 2027", "description": "Home care", "pricingModel": "UNIT_PRICE",
        "lines": [{ "productId": product, "quantity": "100" }],
        "contractStart": "2027-01-01", "contractEnd": "2027-12-31",
        "questionsDeadline": (now + chrono::TimeDelta::hours(1)).to_rfc3339(),
        "submissionDeadline": (now + chrono::TimeDelta::hours(2)).to_rfc3339(),
        "priceWeight": 100, "qualityCriteria": [], "capabilityRequirements": [],
    } }),
    )["createCall"]
        .clone();
    let call_id = call["id"].as_str().unwrap().to_owned();
    let line = call["lines"][0]["id"].as_str().unwrap().to_owned();
    ok(
        api,
        Some(&orderer),
        "mutation($id:ID!){ publishCall(id:$id){ status } }",
        json!({ "id": call_id }),
    );
    (call_id, line)
}

/// Registers provider `i`; returns its user's e-mail address and token.
pub fn register_provider(api: &Server, i: u32) -> (String, String) {
    let email = format!("bidder{i}@provider{i}.example.fi");
    let reg = ok(
        api,
        None,
        "mutation($i:RegisterProviderInput!){ registerProvider(input:$i){ token } }",
        json!({ "i": {
        "organizationName": format!("Provider {i} Oy"), "businessId": business_id(1_000_000 + i * 97),
        "email": email, "password": "provider-password", "name": format!("Seller {i}"),
    } }),
    );
    let token = reg["registerProvider"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    (email, token)
}

/// A bid on the one line of `open_call`'s call at `price`.
pub fn bid_input(call_id: &str, line: &str, price: &str) -> Value {
    json!({
        "callId": call_id, "lines": [{ "callLineId": line, "unitPrice": price }],
        "annualTurnover": "1000000", "equityRatio": "0.3", "creditRating": "A",
        "capabilityResponses": [], "qualityResponses": [],
    })
}
