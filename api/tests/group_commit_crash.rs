//! Group commit loses nothing acknowledged when the process dies mid-batch: providers submit
//! bids again and again as fast as they can, the api process is killed with SIGKILL while
//! batches are in flight, and after a restart on the same database every provider's stored
//! bid is at least the last version it was told was accepted, with that version's receipt
//! when it is that version; the audit chain and the sealed log are intact.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use support::{
    Server, TestDatabase, bid_input, http, kill_hard, ok, open_call, register_provider, temp_dir,
};

const PROVIDERS: u32 = 16;
const SUBMIT: &str = "mutation($i:SubmitBidInput!){ submitBid(input:$i){ version receipt } }";

/// What one provider saw: the last version acknowledged with its receipt, how many
/// submissions were acknowledged, and whether one was cut off by the kill.
struct Seen {
    version: i64,
    receipt: String,
    acknowledged: u32,
    cut_off: bool,
}

#[test]
fn a_process_killed_mid_batch_loses_no_acknowledged_submission() {
    let dir = temp_dir();
    let db = TestDatabase::fresh("crash");
    let api = Server::start(&dir, db.url.as_deref());
    let (call_id, line) = open_call(&api);
    let tokens: Vec<String> = (0..PROVIDERS)
        .map(|i| register_provider(&api, 300 + i).1)
        .collect();
    let stop = Arc::new(AtomicBool::new(false));
    let addr = api.addr;
    let threads: Vec<_> = tokens
        .iter()
        .enumerate()
        .map(|(p, token)| {
            let (stop, token, call_id, line) =
                (stop.clone(), token.clone(), call_id.clone(), line.clone());
            std::thread::spawn(move || {
                let mut seen = Seen {
                    version: 0,
                    receipt: String::new(),
                    acknowledged: 0,
                    cut_off: false,
                };
                let mut n = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let price = format!("{}.{:02}", 40 + p, n % 100);
                    let body = json!({ "query": SUBMIT, "variables": { "i": bid_input(&call_id, &line, &price) } })
                        .to_string();
                    match http(addr, "POST", "/graphql", Some(&body), Some(&token)) {
                        Ok((200, text)) if !text.is_empty() => {
                            let r: Value = serde_json::from_str(&text).expect("json");
                            assert!(r.get("errors").is_none(), "a submission failed: {r}");
                            seen.version = r["data"]["submitBid"]["version"].as_i64().unwrap();
                            seen.receipt = r["data"]["submitBid"]["receipt"]
                                .as_str()
                                .unwrap()
                                .to_owned();
                            seen.acknowledged += 1;
                        }
                        // The process died with this submission in flight: not acknowledged.
                        _ => {
                            seen.cut_off = true;
                            break;
                        }
                    }
                }
                seen
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    kill_hard(api);
    stop.store(true, Ordering::Relaxed);
    let seen: Vec<Seen> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let acknowledged: u32 = seen.iter().map(|s| s.acknowledged).sum();
    let cut_off = seen.iter().filter(|s| s.cut_off).count();
    assert!(
        seen.iter().all(|s| s.acknowledged > 0),
        "every provider got a submission through before the kill"
    );

    let api = Server::start(&dir, db.url.as_deref());
    let mut stored_versions = 0i64;
    for (token, seen) in tokens.iter().zip(&seen) {
        let mine = ok(
            &api,
            Some(token),
            "{ myBids { version receipt } }",
            json!({}),
        );
        let bid = &mine["myBids"][0];
        let version = bid["version"].as_i64().unwrap();
        stored_versions += version;
        assert!(
            version >= seen.version,
            "acknowledged version {} was lost: {version} is stored",
            seen.version
        );
        if version == seen.version {
            assert_eq!(bid["receipt"], seen.receipt.as_str());
        }
    }
    let admin = api.login();
    let verified = ok(
        &api,
        Some(&admin),
        "{ verifyAuditChain { valid } }",
        json!({}),
    );
    assert_eq!(verified["verifyAuditChain"]["valid"], true);
    println!(
        "killed mid-rush: {acknowledged} submissions acknowledged, {stored_versions} stored, {cut_off} cut off in flight"
    );
    assert!(stored_versions >= i64::from(acknowledged));
    // Stored but never acknowledged: at most one in flight per provider.
    assert!(stored_versions - i64::from(acknowledged) <= i64::from(PROVIDERS));
    api.terminate();
    db.drop();
    let _ = std::fs::remove_dir_all(&dir);
}
