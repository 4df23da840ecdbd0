//! Nothing is lost when SMTP or the process dies: with the mail server down, 20 bids are
//! acknowledged; the api process is killed with SIGKILL; the mail server comes up; the
//! restarted api delivers all 20 receipts, none twice.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

#[path = "../../src/smtp.rs"]
#[allow(dead_code)]
mod smtp;

use serde_json::json;
use std::collections::HashSet;
use std::time::Duration;
use support::{
    Server, TestDatabase, bid_input, free_addr, kill_hard, ok, open_call, register_provider,
    temp_dir,
};

#[test]
fn receipts_survive_a_dead_mail_server_and_a_killed_process() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let smtp_addr = free_addr();
    let smtp_url = format!("smtp://{smtp_addr}");
    let dir = temp_dir();
    let db = TestDatabase::fresh("mail");
    let db_url = db.url.clone();
    let env = [("SMTP_URL", smtp_url.as_str())];
    let api = Server::start_with(&dir, db_url.as_deref(), &env);
    let (call_id, line) = open_call(&api);
    // 20 providers bid while no mail server answers: every bid is acknowledged.
    let mut acknowledged = Vec::new();
    for i in 0..20u32 {
        let (email, token) = register_provider(&api, i);
        let bid = ok(
            &api,
            Some(&token),
            "mutation($i:SubmitBidInput!){ submitBid(input:$i){ receipt } }",
            json!({ "i": bid_input(&call_id, &line, &format!("{}.50", 40 + i)) }),
        );
        acknowledged.push((
            email,
            bid["submitBid"]["receipt"].as_str().unwrap().to_owned(),
        ));
    }
    assert_eq!(acknowledged.len(), 20);
    // Let the worker try (and fail) at least once, then kill the process outright.
    std::thread::sleep(Duration::from_millis(800));
    kill_hard(api);
    // The mail server comes up; the api restarts on the same database.
    let server = rt.block_on(smtp::SmtpServer::start_on(smtp_addr));
    let api = Server::start_with(&dir, db_url.as_deref(), &env);
    let got = rt.block_on(server.wait_for(20, Duration::from_secs(90)));
    // Give a would-be duplicate time to show up.
    std::thread::sleep(Duration::from_secs(2));
    let got = if server.messages().len() > got.len() {
        server.messages()
    } else {
        got
    };
    let ids: HashSet<String> = got
        .iter()
        .map(|m| m.header("Message-ID").unwrap())
        .collect();
    let recipients: HashSet<String> = got.iter().flat_map(|m| m.to.clone()).collect();
    println!(
        "receipts delivered after SIGKILL and restart: {} messages, {} distinct Message-IDs",
        got.len(),
        ids.len()
    );
    assert_eq!(got.len(), 20, "every receipt, none twice");
    assert_eq!(ids.len(), 20);
    for (email, receipt) in &acknowledged {
        assert!(recipients.contains(email), "{email} got no receipt");
        let mail = got.iter().find(|m| m.to.contains(email)).unwrap();
        // The body may be quoted-printable: undo its soft line breaks.
        let body = mail.data.replace("=\n", "");
        assert!(
            body.contains(receipt),
            "the mail to {email} carries its receipt: {body}"
        );
    }
    api.terminate();
    server.stop();
    db.drop();
    let _ = std::fs::remove_dir_all(&dir);
}
