//! The real `api` binary, configured only by its environment: a fresh SQLite file in the
//! working directory, the bootstrap admin, GraphiQL, graceful stop on SIGTERM, and (when the
//! suite runs on PostgreSQL) two processes sharing one database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::json;
use support::{ADMIN_EMAIL, Server, http, psql, temp_dir};

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

/// Failed logins from one client address are throttled across accounts, and the real
/// server answers an oversized body with 413.
#[test]
fn one_client_address_is_throttled_and_big_bodies_are_refused() {
    let dir = temp_dir();
    let server = Server::start(&dir, None);
    let q = "mutation($e:String!){ login(email:$e,password:\"wrong-password\"){ token } }";
    let mut last = serde_json::Value::Null;
    for i in 0..101 {
        last = server.gql(None, q, json!({ "e": format!("nobody{i}@example.fi") }));
    }
    assert_eq!(
        last["errors"][0]["extensions"]["code"], "TOO_MANY_REQUESTS",
        "{last}"
    );
    assert!(
        last["errors"][0]["extensions"]["retryAfter"]
            .as_i64()
            .unwrap()
            > 0
    );
    // A 3 MiB body is refused on its Content-Length, before it is read: send only the head,
    // so the answer cannot race a half-written body.
    assert_eq!(
        status_for_declared_length(server.addr, 3 * 1024 * 1024),
        413
    );
    server.terminate();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Sends a request head declaring a body of `length` bytes (and none of it); returns the status.
fn status_for_declared_length(addr: std::net::SocketAddr, length: usize) -> u16 {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        s,
        "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut head = [0u8; 64];
    let n = s.read(&mut head).unwrap_or(0);
    String::from_utf8_lossy(&head[..n])
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

/// Two processes on one PostgreSQL share the login counts (30 concurrent wrong logins for one
/// account from one address, split between them, get at most 10 password checks), and a
/// logout on one is honoured by the other within the status cache's 2 seconds.
#[test]
fn two_processes_share_login_counts_and_revocations() {
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
    let a = Server::start(&dir, Some(&url));
    let b = Server::start(&dir, Some(&url));

    let token = a.login();
    assert_eq!(
        b.gql(Some(&token), "{ me { email } }", json!({}))["data"]["me"]["email"],
        ADMIN_EMAIL
    );
    let out = a.gql(Some(&token), "mutation { logout }", json!({}));
    assert_eq!(out["data"]["logout"], true, "{out}");
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let refused = b.gql(Some(&token), "{ me { email } }", json!({}));
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{refused}"
    );

    let q = "mutation($e:String!,$p:String!){ login(email:$e,password:$p){ token } }";
    let codes: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..30)
            .map(|i| {
                let server = if i % 2 == 0 { &a } else { &b };
                s.spawn(move || {
                    let r = server.gql(
                        None,
                        q,
                        json!({ "e": ADMIN_EMAIL, "p": format!("wrong-{i}") }),
                    );
                    r["errors"][0]["extensions"]["code"]
                        .as_str()
                        .unwrap_or("<none>")
                        .to_owned()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let checked = codes.iter().filter(|c| *c == "UNAUTHENTICATED").count();
    assert!(checked <= 10, "{checked} checked: {codes:?}");
    assert_eq!(
        codes.iter().filter(|c| *c == "TOO_MANY_REQUESTS").count(),
        30 - checked,
        "{codes:?}"
    );
    a.terminate();
    b.terminate();
    psql(&base, &format!("DROP DATABASE {name} WITH (FORCE)"));
    let _ = std::fs::remove_dir_all(&dir);
}
