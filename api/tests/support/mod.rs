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
