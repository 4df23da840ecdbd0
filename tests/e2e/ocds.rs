//! OCDS 1.1 output for a call at each stage (published, awarded, contracted, with monthly
//! transactions), over GraphQL and `GET /ocds/calls/{id}/…`. Sealed bid data never appears
//! before the deadline. The packages are written to `$OCDS_OUT` (default: a temporary
//! directory) where `.ci/run` validates them against the official OCDS 1.1.5 schemas.

use axum::body::Body;
use axum::http::Request;
use chrono::{TimeDelta, TimeZone, Utc};
use kilpailutus_tests::{Market, SUBMIT_BID, TestApp};
use serde_json::{Value, json};
use std::path::PathBuf;

pub fn out_dir() -> PathBuf {
    let dir = std::env::var("OCDS_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir().join("kilpailutus-ocds"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn get_json(app: &TestApp, path: &str) -> (u16, Value) {
    let (status, body) = app
        .send(Request::get(path).body(Body::empty()).unwrap())
        .await;
    (
        status.as_u16(),
        serde_json::from_str(&body).unwrap_or(Value::Null),
    )
}

/// Writes both packages of this stage and returns the release package and the record's
/// compiled release. `tag` is the newest release's.
pub async fn stage(app: &TestApp, call_id: &str, name: &str, tag: &str) -> (Value, Value) {
    let (status, releases) = get_json(app, &format!("/ocds/calls/{call_id}/releases.json")).await;
    assert_eq!(status, 200);
    let (status, record) = get_json(app, &format!("/ocds/calls/{call_id}/record.json")).await;
    assert_eq!(status, 200);
    let via_graphql = app
        .ok(
            None,
            "query($id:ID!){ ocdsReleasePackage(callId:$id) }",
            json!({ "id": call_id }),
        )
        .await;
    assert_eq!(
        via_graphql["ocdsReleasePackage"], releases,
        "GraphQL and HTTP give the same package"
    );
    let prefix = if kilpailutus_tests::on_postgres() {
        "pg"
    } else {
        "sqlite"
    };
    let dir = out_dir();
    std::fs::write(
        dir.join(format!("{prefix}-{name}-releases.json")),
        serde_json::to_string_pretty(&releases).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.join(format!("{prefix}-{name}-record.json")),
        serde_json::to_string_pretty(&record).unwrap(),
    )
    .unwrap();
    let tags: Vec<&str> = releases["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["tag"][0].as_str().unwrap())
        .collect();
    assert_eq!(tags.last().copied(), Some(tag), "{tags:?}");
    assert_eq!(record["records"][0]["releases"], releases["releases"]);
    let mut ids: Vec<&str> = releases["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), tags.len(), "every release has its own id");
    (releases, record["records"][0]["compiledRelease"].clone())
}

/// Every release published `before` is published again, unchanged, `after`.
fn unchanged(before: &Value, after: &Value) {
    let later = after["releases"].as_array().unwrap();
    for r in before["releases"].as_array().unwrap() {
        assert!(
            later.contains(r),
            "release {} changed or disappeared",
            r["id"]
        );
    }
}

/// The releases tagged `tag`, oldest first.
fn tagged<'a>(package: &'a Value, tag: &str) -> Vec<&'a Value> {
    package["releases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["tag"][0] == tag)
        .collect()
}

#[tokio::test]
async fn a_call_is_published_as_ocds_at_every_stage() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let draft = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), false)
        .await;
    assert_eq!(
        get_json(&app, &format!("/ocds/calls/{}/releases.json", draft.id))
            .await
            .0,
        404,
        "a draft is not public"
    );
    assert_eq!(get_json(&app, "/ocds/calls/nope/record.json").await.0, 404);
    assert_eq!(
        app.code(
            None,
            "query($id:ID!){ ocdsReleasePackage(callId:$id) }",
            json!({ "id": draft.id })
        )
        .await,
        "NOT_FOUND"
    );

    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let a = app
        .ok(
            Some(&m.a),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &["45.50", "8.1234"]) }),
        )
        .await;
    app.ok(
        Some(&m.b),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&call, &["47.77", "9"]) }),
    )
    .await;
    // Published, with sealed bids: nothing of them shows.
    let (published, _) = stage(&app, &call.id, "1-published", "tender").await;
    let text = published.to_string();
    for secret in [
        "45.5",
        "47.77",
        m.a_org.as_str(),
        m.b_org.as_str(),
        "tenderers",
        "numberOfTenderers",
    ] {
        assert!(
            !text.contains(secret),
            "{secret} leaked before the deadline"
        );
    }
    let release = &published["releases"][0];
    assert_eq!(release["ocid"], format!("ocds-kilpailutus-{}", call.id));
    assert_eq!(release["tender"]["items"][1]["quantity"], json!(12.5));
    assert_eq!(
        release["tender"]["items"][0]["classification"]["id"],
        "KH-H"
    );
    assert_eq!(
        release["parties"][0]["roles"],
        json!(["buyer", "procuringEntity"])
    );

    // Awarded.
    app.clock.set(call.submission_deadline);
    let a_bid = a["submitBid"]["id"].as_str().unwrap().to_owned();
    app.ok(Some(&m.orderer), "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }", json!({ "b": a_bid, "j": [{ "requirementId": call.requirement_ids[0], "met": true }] })).await;
    app.ok(Some(&m.orderer), "mutation($c:ID!,$b:ID!){ awardCall(callId:$c,bidId:$b,justification:\"Best value\"){ decidedAt } }", json!({ "c": call.id, "b": a_bid })).await;
    let (awarded, compiled) = stage(&app, &call.id, "2-awarded", "award").await;
    unchanged(&published, &awarded);
    let opened = tagged(&awarded, "tenderUpdate");
    assert_eq!(opened.len(), 1, "the opening is a release of its own");
    assert_eq!(
        opened[0]["date"],
        published["releases"][0]["tender"]["tenderPeriod"]["endDate"]
    );
    assert_eq!(opened[0]["tender"]["numberOfTenderers"], 2);
    let tender = &compiled["tender"];
    assert_eq!(tender["numberOfTenderers"], 2);
    assert_eq!(tender["status"], "complete");
    assert_eq!(tender["title"], published["releases"][0]["tender"]["title"]);
    let award = &tagged(&awarded, "award")[0]["awards"][0];
    assert_eq!(
        award["value"],
        json!({ "amount": 45601.5425, "currency": "EUR" })
    );
    assert_eq!(award["suppliers"][0]["id"], m.a_org.as_str());
    assert_eq!(
        award["status"], "pending",
        "in force once the contract is made"
    );

    // Contracted.
    let kid = app.contract_after_standstill(&m.orderer, &call.id).await;
    m.sign_and_activate(&app, &kid, &m.a, "100000").await;
    let (contracted, compiled) = stage(&app, &call.id, "3-contracted", "contractUpdate").await;
    unchanged(&awarded, &contracted);
    let tags: Vec<&Value> = contracted["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["tag"][0])
        .collect();
    assert_eq!(
        tags,
        [
            "tender",
            "tenderUpdate",
            "award",
            "contract",
            "contractUpdate",
            "contractUpdate"
        ],
        "made, signed by both, activated"
    );
    assert_eq!(compiled["contracts"][0]["status"], "active");
    assert_eq!(compiled["awards"][0]["status"], "active");
    assert!(compiled["contracts"][0]["dateSigned"].is_string());

    // Implementation: two monthly reports become transactions.
    app.clock
        .set(Utc.with_ymd_and_hms(2027, 3, 3, 9, 0, 0).unwrap());
    let report = |period: &'static str, hours: &'static str| {
        let (app, kid, product, token) = (&app, kid.clone(), m.products[0].clone(), &m.a);
        async move {
            app.ok(Some(token), "mutation($i:PerformanceReportInput!){ reportPerformance(input:$i){ period } }", json!({ "i": {
                "contractId": kid, "period": period, "lines": [{ "productId": product, "quantity": hours, "cost": "3000" }],
                "feedbackCount": 3, "feedbackAverage": "4.5", "qualityMeasurements": [] } })).await;
        }
    };
    report("2027-01", "80").await;
    report("2027-02", "76").await;
    let (implemented, compiled) = stage(&app, &call.id, "4-implementation", "implementation").await;
    unchanged(&contracted, &implemented);
    assert_eq!(
        tagged(&implemented, "implementation").len(),
        2,
        "a release per month"
    );

    // A database from before releases were stored: at start the releases are written from
    // what is stored, each dated when its change was made, so they are the same.
    use sea_orm::ConnectionTrait;
    app.state
        .db
        .conn()
        .execute_unprepared("DELETE FROM ocds_release")
        .await
        .unwrap();
    assert_eq!(api::service::ocds::backfill(&app.state).await.unwrap(), 1);
    assert_eq!(
        api::service::ocds::backfill(&app.state).await.unwrap(),
        0,
        "once"
    );
    let (backfilled, _) = stage(&app, &call.id, "4-backfilled", "implementation").await;
    assert_eq!(backfilled["releases"], implemented["releases"]);

    // February reported again at the same value changes nothing public; at another value it
    // is a new release.
    report("2027-02", "76").await;
    let (same, _) = stage(&app, &call.id, "4-same-again", "implementation").await;
    assert_eq!(same["releases"], implemented["releases"]);
    report("2027-02", "70").await;
    let (corrected, _) = stage(&app, &call.id, "4-corrected", "implementation").await;
    unchanged(&implemented, &corrected);
    assert_eq!(tagged(&corrected, "implementation").len(), 3);
    report("2027-02", "76").await;
    let tx = &compiled["contracts"][0]["implementation"]["transactions"];
    assert_eq!(
        tx[0]["value"],
        json!({ "amount": 3640.0, "currency": "EUR" }),
        "80 h x 45.50"
    );
    assert_eq!(tx[1]["date"], "2027-02-28T23:59:59Z");
    assert_eq!(compiled["tag"], json!(["compiled"]));
    assert_eq!(compiled["contracts"][0]["status"], "active");
    assert_eq!(
        compiled["contracts"][0]["implementation"]["transactions"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // The contract ends on 31 December 2027: from the next day its status reads terminated,
    // without any write (a release of its own, dated that day); an anonymous answer cached
    // before must not outlive that.
    let q = "query($id:ID!){ ocdsReleasePackage(callId:$id) }";
    let status = |v: &Value| {
        let last = v["ocdsReleasePackage"]["releases"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        last["contracts"][0]
            .get("status")
            .cloned()
            .unwrap_or(json!(last["tag"][0]))
    };
    assert_eq!(
        status(&app.ok(None, q, json!({ "id": call.id })).await),
        "implementation"
    );
    assert_eq!(
        status(&app.ok(None, q, json!({ "id": call.id })).await),
        "implementation"
    );
    app.clock
        .set(Utc.with_ymd_and_hms(2028, 1, 1, 0, 0, 1).unwrap());
    let ended = app.ok(None, q, json!({ "id": call.id })).await;
    assert_eq!(status(&ended), "terminated");
    let ended = &ended["ocdsReleasePackage"];
    unchanged(&implemented, ended);
    let last = ended["releases"].as_array().unwrap().last().unwrap();
    assert_eq!(last["date"], "2028-01-01T00:00:00Z");
    app.clock.advance(TimeDelta::days(40));
    assert_eq!(
        app.ok(None, q, json!({ "id": call.id })).await["ocdsReleasePackage"]["releases"],
        ended["releases"],
        "the ended contract's release is the same whenever it is read"
    );
}

#[tokio::test]
async fn a_cancelled_call_is_a_tender_cancellation() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ cancelCall(id:$id,reason:\"No budget\"){ id } }",
        json!({ "id": call.id }),
    )
    .await;
    let (cancelled, compiled) = stage(&app, &call.id, "5-cancelled", "tenderCancellation").await;
    assert_eq!(
        cancelled["releases"][0]["tender"]["status"], "active",
        "as published"
    );
    assert_eq!(cancelled["releases"][1]["tender"]["status"], "cancelled");
    assert_eq!(compiled["tender"]["status"], "cancelled");
}

/// LUMP_SUM pays by time: the realisation is the value's share of the days covered (100 %,
/// forecast = value, whatever the quantities), and each reported month's OCDS transaction
/// is the value x that month's contract days / contract days, in cents.
#[tokio::test]
async fn a_lump_sum_contract_is_paid_by_time_in_the_realisation_and_in_ocds() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let mut input = app.call_input(&m.product_refs());
    input["pricingModel"] = json!("LUMP_SUM");
    let call = app.make_call(&m.orderer, input, true).await;
    let a = app
        .ok(
            Some(&m.a),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &["45.50", "8"]) }),
        )
        .await;
    let a_bid = a["submitBid"]["id"].as_str().unwrap().to_owned();
    app.clock.set(call.submission_deadline);
    app.ok(Some(&m.orderer), "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }", json!({ "b": a_bid, "j": [{ "requirementId": call.requirement_ids[0], "met": true }] })).await;
    app.ok(Some(&m.orderer), "mutation($c:ID!,$b:ID!){ awardCall(callId:$c,bidId:$b,justification:\"Only bid\"){ decidedAt } }", json!({ "c": call.id, "b": a_bid })).await;
    app.clock.advance(TimeDelta::days(15));
    let k = app
        .ok(
            Some(&m.orderer),
            "mutation($c:ID!){ createContractFromAward(callId:$c){ id pricingModel totalValue } }",
            json!({ "c": call.id }),
        )
        .await;
    // 1 000 h x 45.50 + 12.5 x 8 = 45 600.00 over 2027 (365 days).
    assert_eq!(k["createContractFromAward"]["pricingModel"], "LUMP_SUM");
    assert_eq!(k["createContractFromAward"]["totalValue"], "45600.00");
    let kid = k["createContractFromAward"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.ok(Some(&m.admin), "mutation($o:ID!){ setAppropriation(ordererId:$o,fiscalYear:2027,amount:\"100000\"){ amount } }", json!({ "o": m.orderer_org })).await;
    app.sign_both(&kid, &m.orderer, &m.a).await;
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ activateContract(id:$id){ id } }",
        json!({ "id": kid }),
    )
    .await;
    app.clock
        .set(Utc.with_ymd_and_hms(2027, 3, 3, 9, 0, 0).unwrap());
    // Far fewer hours than contracted: a UNIT_PRICE contract would read UNDER.
    for (period, hours) in [("2027-01", "10"), ("2027-02", "5")] {
        app.ok(Some(&m.a), "mutation($i:PerformanceReportInput!){ reportPerformance(input:$i){ period } }", json!({ "i": {
            "contractId": kid, "period": period, "lines": [{ "productId": m.products[0], "quantity": hours, "cost": "3000" }],
            "feedbackCount": 3, "feedbackAverage": "4.5", "qualityMeasurements": [] } })).await;
    }
    let c = app
        .ok(
            Some(&m.orderer),
            "query($id:ID!){ contract(id:$id){ realization{ contractedValue deliveredValue percent forecastValue status } reports{ period lines{ quantity } } } }",
            json!({ "id": kid }),
        )
        .await;
    let r = &c["contract"]["realization"];
    // Days covered: 1 January – 28 February, 59 days: 45 600 x 59 / 365 = 7370.9589…
    assert!(
        r["deliveredValue"].as_str().unwrap().starts_with("7370.95"),
        "{r}"
    );
    assert_eq!(r["percent"], "100.00");
    assert_eq!(r["forecastValue"], "45600.00");
    assert_eq!(r["status"], "ON_TRACK");
    assert_eq!(
        c["contract"]["reports"][0]["lines"][0]["quantity"], "10",
        "quantities are still shown"
    );
    let (_, compiled) = stage(&app, &call.id, "lump-sum", "implementation").await;
    let tx = &compiled["contracts"][0]["implementation"]["transactions"];
    // January: 45 600 x 31 / 365 = 3872.876… -> 3872.88; February: x 28 / 365 = 3498.08.
    assert_eq!(
        tx[0]["value"],
        json!({ "amount": 3872.88, "currency": "EUR" })
    );
    assert_eq!(
        tx[1]["value"],
        json!({ "amount": 3498.08, "currency": "EUR" })
    );
}

/// Every change after publication is a release of its own and earlier releases never change:
/// an award withdrawn (awardCancellation) keeps its id and value on record, the next award has
/// a new id, and the contract's signature, amendment (with `contract.amendments`) and
/// termination each add a release.
#[tokio::test]
async fn every_change_is_a_new_release_and_published_releases_never_change() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let mut bids = Vec::new();
    for (who, prices) in [(&m.a, ["45.50", "8"]), (&m.b, ["47.00", "9"])] {
        let b = app
            .ok(
                Some(who),
                SUBMIT_BID,
                json!({ "i": app.bid_input(&call, &prices) }),
            )
            .await;
        bids.push(b["submitBid"]["id"].as_str().unwrap().to_owned());
    }
    app.clock.set(call.submission_deadline);
    for b in &bids {
        app.ok(Some(&m.orderer), "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }", json!({ "b": b, "j": [{ "requirementId": call.requirement_ids[0], "met": true }] })).await;
    }
    let award = "mutation($c:ID!,$b:ID!){ awardCall(callId:$c,bidId:$b,justification:\"Best value\"){ decidedAt } }";
    app.ok(
        Some(&m.orderer),
        award,
        json!({ "c": call.id, "b": bids[0] }),
    )
    .await;
    let (first, _) = stage(&app, &call.id, "6-awarded-first", "award").await;
    // The award decision is the award's document, with the SHA-256 of its published page.
    let decision = &tagged(&first, "award")[0]["awards"][0]["documents"][0];
    assert_eq!(decision["documentType"], "awardNotice");
    assert_eq!(decision["format"], "text/html");
    let (status, page) = app
        .send(
            Request::get(format!("/calls/{}/decision.html", call.id))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status.as_u16(), 200);
    assert_eq!(
        decision["x_sha256"],
        api::domain::audit::sha256_hex(&page),
        "the hash of the decision as made"
    );
    assert!(
        decision["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/calls/{}/decision.html", call.id))
    );

    app.clock.advance(TimeDelta::days(2));
    app.ok(
        Some(&m.orderer),
        "mutation($c:ID!){ withdrawAward(callId:$c,reason:\"Scoring error\"){ status } }",
        json!({ "c": call.id }),
    )
    .await;
    let (withdrawn, compiled) =
        stage(&app, &call.id, "7-award-withdrawn", "awardCancellation").await;
    unchanged(&first, &withdrawn);
    let cancelled = &tagged(&withdrawn, "awardCancellation")[0];
    assert_eq!(
        cancelled["awards"][0]["id"],
        tagged(&first, "award")[0]["awards"][0]["id"]
    );
    assert_eq!(compiled["awards"][0]["status"], "cancelled");
    assert!(
        !withdrawn.to_string().contains("Scoring error"),
        "the reason may retell a correction request, which is not public"
    );
    assert_eq!(
        compiled["tender"]["status"], "active",
        "open for a new decision"
    );
    let roles = |compiled: &Value, org: &str| {
        compiled["parties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == org)
            .unwrap()["roles"]
            .clone()
    };
    assert_eq!(roles(&compiled, &m.a_org), json!(["tenderer"]));

    app.clock.advance(TimeDelta::days(1));
    app.ok(
        Some(&m.orderer),
        award,
        json!({ "c": call.id, "b": bids[1] }),
    )
    .await;
    let (second, compiled) = stage(&app, &call.id, "8-awarded-again", "award").await;
    unchanged(&withdrawn, &second);
    let awards = compiled["awards"].as_array().unwrap();
    assert_eq!(awards.len(), 2, "the withdrawn award stays on record");
    assert_ne!(awards[0]["id"], awards[1]["id"]);
    assert_eq!(awards[1]["suppliers"][0]["id"], m.b_org.as_str());
    assert_eq!(roles(&compiled, &m.b_org), json!(["tenderer", "supplier"]));

    let k = app.contract_after_standstill(&m.orderer, &call.id).await;
    app.ok(Some(&m.admin), "mutation($o:ID!){ setAppropriation(ordererId:$o,fiscalYear:2027,amount:\"200000\"){ amount } }", json!({ "o": m.orderer_org })).await;
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ signContract(id:$id){ id } }",
        json!({ "id": k }),
    )
    .await;
    let (one_signature, _) = stage(&app, &call.id, "9-contract", "contract").await;
    unchanged(&second, &one_signature);
    app.ok(
        Some(&m.b),
        "mutation($id:ID!){ signContract(id:$id){ id } }",
        json!({ "id": k }),
    )
    .await;
    let (signed, compiled) = stage(&app, &call.id, "10-signed", "contractUpdate").await;
    unchanged(&one_signature, &signed);
    assert!(compiled["contracts"][0]["dateSigned"].is_string());
    assert_eq!(compiled["contracts"][0]["awardID"], awards[1]["id"]);
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ activateContract(id:$id){ id } }",
        json!({ "id": k }),
    )
    .await;
    let (activated, _) = stage(&app, &call.id, "11-active", "contractUpdate").await;
    // A document attached to the contract: a release naming it with its SHA-256, no url (the
    // contract's parties read it).
    let annex = b"Liite 2: palvelukuvaus\n";
    let doc = crate::documents::upload(&app, &m.b, "Liite 2.txt", annex).await;
    app.ok(
        Some(&m.b),
        "mutation($k:ID!,$d:ID!){ attachContractDocument(contractId:$k,documentId:$d){ id } }",
        json!({ "k": k, "d": doc["id"] }),
    )
    .await;
    let (active, compiled) = stage(&app, &call.id, "11b-contract-document", "contractUpdate").await;
    unchanged(&activated, &active);
    let published = &compiled["contracts"][0]["documents"][0];
    assert_eq!(
        published["title"], "Sopimusasiakirja 1 / Contract document 1",
        "not the file's name"
    );
    assert!(!active.to_string().contains("Liite 2"));
    assert_eq!(published["documentType"], "contractAnnexe");
    assert_eq!(
        published["x_sha256"],
        api::domain::audit::sha256_hex(std::str::from_utf8(annex).unwrap())
    );
    assert!(
        published.get("url").is_none(),
        "the content is the parties'"
    );

    app.clock
        .set(Utc.with_ymd_and_hms(2027, 2, 10, 9, 0, 0).unwrap());
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!,$l:[ContractLineInput!]!,$f:NaiveDate){ amendContract(id:$id,lines:$l,reason:\"More hours\",effectiveFrom:$f){ totalValue } }",
        json!({ "id": k, "f": "2027-03-01", "l": [
            { "productId": m.products[0], "quantity": "1200", "unitPrice": "47.00" },
            { "productId": m.products[1], "quantity": "12.5", "unitPrice": "9" },
        ] }),
    )
    .await;
    let (amended, compiled) = stage(&app, &call.id, "12-amended", "contractAmendment").await;
    unchanged(&active, &amended);
    let amendment = &compiled["contracts"][0]["amendments"][0];
    assert_eq!(amendment["rationale"], "More hours");
    assert!(
        amendment["description"]
            .as_str()
            .unwrap()
            .contains("2027-03-01")
    );
    assert_ne!(
        compiled["contracts"][0]["value"],
        tagged(&amended, "contract")[0]["contracts"][0]["value"],
        "the new value, the contract release keeps the old"
    );

    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ terminateContract(id:$id,reason:\"Service moved in-house\"){ status } }",
        json!({ "id": k }),
    )
    .await;
    let (terminated, compiled) =
        stage(&app, &call.id, "13-terminated", "contractTermination").await;
    unchanged(&amended, &terminated);
    assert_eq!(compiled["contracts"][0]["status"], "terminated");
    app.clock
        .set(Utc.with_ymd_and_hms(2028, 2, 1, 0, 0, 0).unwrap());
    let (later, _) = stage(&app, &call.id, "14-after-the-end", "contractTermination").await;
    assert_eq!(
        later["releases"], terminated["releases"],
        "a terminated contract does not end again"
    );
}
