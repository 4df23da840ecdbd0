//! The real `api` binary, configured only by its environment: a fresh SQLite file in the
//! working directory, the bootstrap admin, GraphiQL, graceful stop on SIGTERM, and (when the
//! suite runs on PostgreSQL) two processes sharing one database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ADMIN_EMAIL: &str = "root@kunta.example.fi";
const ADMIN_PASSWORD: &str = "bootstrap-password";

fn free_addr() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr")
}

struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(dir: &Path, database_url: Option<&str>) -> Server {
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
        let child = cmd.spawn().expect("spawn api");
        let server = Server { child, addr };
        server.wait_healthy();
        server
    }

    fn wait_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok((200, _)) = http(self.addr, "GET", "/healthz", None, None) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("api on {} did not become healthy", self.addr);
    }

    fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let body = json!({ "query": query, "variables": variables }).to_string();
        let (status, text) =
            http(self.addr, "POST", "/graphql", Some(&body), token).expect("request");
        assert_eq!(status, 200, "{text}");
        serde_json::from_str(&text).expect("json")
    }

    fn login(&self) -> String {
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
    fn terminate(mut self) {
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
fn http(
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

fn temp_dir() -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("kilpailutus-bin-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn a_fresh_start_needs_no_setup_and_stops_cleanly_on_sigterm() {
    let dir = temp_dir();
    let server = Server::start(&dir, None);
    assert!(
        dir.join("kilpailutus.db").exists(),
        "the default SQLite file is created in the working directory"
    );
    let (status, page) = http(server.addr, "GET", "/graphql", None, None).expect("graphiql");
    assert_eq!(status, 200);
    assert!(page.to_lowercase().contains("graphiql"));
    let token = server.login();
    let me = server.gql(
        Some(&token),
        "{ me { role organization { kind } } }",
        json!({}),
    );
    assert_eq!(me["data"]["me"]["role"], "ADMIN");
    assert_eq!(me["data"]["me"]["organization"]["kind"], "ADMINISTRATION");
    server.terminate();

    // A second start on the same file keeps the data and creates no second admin.
    let again = Server::start(&dir, None);
    let token = again.login();
    let admins = again.gql(
        Some(&token),
        "{ organizations(kind: ADMINISTRATION) { id } }",
        json!({}),
    );
    assert_eq!(
        admins["data"]["organizations"].as_array().map(Vec::len),
        Some(1)
    );
    again.terminate();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Several api processes on one PostgreSQL: both migrate and bootstrap at once without
/// conflict, and a token issued by one is accepted by the other.
#[test]
fn two_processes_share_one_postgresql_database() {
    let Some(base) = std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
    else {
        eprintln!(
            "DATABASE_URL is not PostgreSQL: skipped here, run by the PostgreSQL pass of .ci/run"
        );
        return;
    };
    let name = format!("kt_bin_{}", uuid::Uuid::new_v4().simple());
    let (server_url, _) = base.rsplit_once('/').expect("database url has a path");
    let url = format!("{server_url}/{name}");
    psql(&base, &format!("CREATE DATABASE {name}"));
    let dir = temp_dir();
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| Server::start(&dir, Some(&url)));
        let b = s.spawn(|| Server::start(&dir, Some(&url)));
        (a.join().expect("a"), b.join().expect("b"))
    });
    let token = a.login();
    let me = b.gql(Some(&token), "{ me { email } }", json!({}));
    assert_eq!(me["data"]["me"]["email"], ADMIN_EMAIL);
    let admins = b.gql(
        Some(&token),
        "{ organizations(kind: ADMINISTRATION) { id } }",
        json!({}),
    );
    assert_eq!(
        admins["data"]["organizations"].as_array().map(Vec::len),
        Some(1)
    );
    // Writes through both processes extend one chain.
    for (i, server) in [&a, &b, &a, &b].into_iter().enumerate() {
        let r = server.gql(
            Some(&token),
            "mutation($c:String!){ createProduct(input:{code:$c,name:\"n\",unit:\"u\",category:\"c\"}){ id } }",
            json!({ "c": format!("P{i}") }),
        );
        assert!(r.get("errors").is_none(), "{r}");
    }
    let products = a.gql(None, "{ products { code } }", json!({}));
    assert_eq!(
        products["data"]["products"].as_array().map(Vec::len),
        Some(4)
    );
    a.terminate();
    b.terminate();
    psql(&base, &format!("DROP DATABASE {name} WITH (FORCE)"));
    let _ = std::fs::remove_dir_all(&dir);
}

fn psql(url: &str, sql: &str) {
    let status = Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .status()
        .expect("psql runs");
    assert!(status.success(), "psql {sql}");
}
