//! Nothing is lost when SMTP or the process dies: with the mail server down, 20 bids are
//! acknowledged; the api process is killed with SIGKILL; the mail server comes up; the
//! restarted api delivers all 20 receipts, none twice.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

#[path = "../../src/smtp.rs"]
#[allow(dead_code)]
mod smtp;

use serde_json::{Value, json};
use std::collections::HashSet;
use std::time::Duration;
use support::{Server, free_addr, kill_hard, psql, temp_dir};

const PASSWORD: &str = "provider-password";

fn ok(server: &Server, token: Option<&str>, query: &str, vars: Value) -> Value {
    let r = server.gql(token, query, vars);
    assert!(r.get("errors").is_none(), "{r}");
    r["data"].clone()
}

/// A valid business ID from a number (mod-11 check digit; remainder-1 bodies skipped).
fn business_id(n: u32) -> String {
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
    let pg = std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"));
    let (db_url, db_name) = match &pg {
        Some(base) => {
            let name = format!("kt_mail_{}", uuid::Uuid::new_v4().simple());
            psql(base, &format!("CREATE DATABASE {name}"));
            let (server, _) = base.rsplit_once('/').unwrap();
            (Some(format!("{server}/{name}")), Some(name))
        }
        None => (None, None),
    };
    let env = [("SMTP_URL", smtp_url.as_str())];
    let api = Server::start_with(&dir, db_url.as_deref(), &env);
    let admin = api.login();
    let org = ok(
        &api,
        Some(&admin),
        "mutation{ createOrganization(input:{name:\"Lautakunta\",kind:ORDERER}){ id } }",
        json!({}),
    )["createOrganization"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(
        &api,
        Some(&admin),
        "mutation($o:ID!){ createUser(input:{email:\"tilaaja@kunta.example.fi\",password:\"orderer-password\",name:\"T\",role:ORDERER,organizationId:$o}){ id } }",
        json!({ "o": org }),
    );
    let product = ok(&api, Some(&admin), "mutation{ createProduct(input:{code:\"KH\",name:\"Kotihoito\",unit:\"h\",category:\"home care\"}){ id } }", json!({}))["createProduct"]["id"].as_str().unwrap().to_owned();
    let orderer = ok(&api, None, "mutation{ login(email:\"tilaaja@kunta.example.fi\",password:\"orderer-password\"){ token } }", json!({}))["login"]["token"].as_str().unwrap().to_owned();
    let now = chrono::Utc::now();
    let call = ok(
        &api,
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
        &api,
        Some(&orderer),
        "mutation($id:ID!){ publishCall(id:$id){ status } }",
        json!({ "id": call_id }),
    );
    // 20 providers bid while no mail server answers: every bid is acknowledged.
    let mut acknowledged = Vec::new();
    for i in 0..20u32 {
        let email = format!("bidder{i}@provider{i}.example.fi");
        let reg = ok(
            &api,
            None,
            "mutation($i:RegisterProviderInput!){ registerProvider(input:$i){ token } }",
            json!({ "i": {
            "organizationName": format!("Provider {i} Oy"), "businessId": business_id(1_000_000 + i * 97),
            "email": email, "password": PASSWORD, "name": format!("Seller {i}"),
        } }),
        );
        let token = reg["registerProvider"]["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let bid = ok(
            &api,
            Some(&token),
            "mutation($i:SubmitBidInput!){ submitBid(input:$i){ receipt } }",
            json!({ "i": {
            "callId": call_id, "lines": [{ "callLineId": line, "unitPrice": format!("{}.50", 40 + i) }],
            "annualTurnover": "1000000", "equityRatio": "0.3", "creditRating": "A",
            "capabilityResponses": [], "qualityResponses": [],
        } }),
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
    if let (Some(base), Some(name)) = (&pg, &db_name) {
        psql(base, &format!("DROP DATABASE {name} WITH (FORCE)"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
