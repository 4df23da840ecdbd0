//! The award decision's remedies through GraphQL (DESIGN, "The decision and its remedies"):
//! the full path award → correction request → accepted → new award → appeal → contract
//! refused → appeal dismissed → contract made; who sees requests and appeals; every refusal
//! with its code and nothing written.

use chrono::{DateTime, TimeDelta, Utc};
use kilpailutus_tests::{CallFixture, Market, SUBMIT_BID, TestApp};
use serde_json::{Value, json};

const JUDGE: &str = "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }";
const AWARD: &str = "mutation($c:ID!,$b:ID!){ awardCall(callId:$c,bidId:$b,justification:\"Best value\"){ decidedAt standstillEndsAt correctionDeadline appealDeadline ranking{ rank bidder{ id } } } }";
const REQUEST: &str = "mutation($c:ID!,$t:String!){ requestCorrection(callId:$c,text:$t){ id requester{ id } text status decision decidedAt submittedAt } }";
const DECIDE: &str = "mutation($r:ID!,$a:Boolean!,$d:String!){ decideCorrection(requestId:$r,accept:$a,decision:$d){ id status decision decidedAt } }";
const WITHDRAW: &str = "mutation($c:ID!,$r:String!){ withdrawAward(callId:$c,reason:$r){ id status award{ decidedAt } } }";
const RECORD: &str = "mutation($c:ID!,$a:ID!,$n:String!,$f:DateTime!){ recordAppeal(callId:$c,appellantId:$a,caseNumber:$n,filedAt:$f){ id appellant{ id } caseNumber filedAt status outcome resolvedAt } }";
const RESOLVE: &str = "mutation($a:ID!,$s:AppealStatus!,$o:String!){ resolveAppeal(appealId:$a,status:$s,outcome:$o){ id status outcome resolvedAt } }";
const MAKE: &str = "mutation($c:ID!){ createContractFromAward(callId:$c){ id producer{ id } } }";
const CALL: &str = "query($id:ID!){ call(id:$id){ status award{ decidedAt ranking{ rank } } correctionRequests{ id status requester{ id } } appeals{ id status caseNumber } } }";

/// A call with A's and B's qualified bids, judged, after its deadline: (call, A's bid, B's bid).
async fn judged(app: &TestApp, m: &Market) -> (CallFixture, String, String) {
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let mut ids = Vec::new();
    for (token, price) in [(&m.a, "40"), (&m.b, "48")] {
        let b = app
            .ok(
                Some(token),
                SUBMIT_BID,
                json!({ "i": app.bid_input(&call, &[price, "8"]) }),
            )
            .await;
        ids.push(b["submitBid"]["id"].as_str().unwrap().to_owned());
    }
    app.clock.set(call.submission_deadline);
    for id in &ids {
        let j =
            json!({ "b": id, "j": [{ "requirementId": call.requirement_ids[0], "met": true }] });
        app.ok(Some(&m.orderer), JUDGE, j).await;
    }
    let b = ids.pop().unwrap();
    let a = ids.pop().unwrap();
    (call, a, b)
}

async fn award(app: &TestApp, m: &Market, call: &CallFixture, bid: &str) -> Value {
    app.ok(Some(&m.orderer), AWARD, json!({ "c": call.id, "b": bid }))
        .await["awardCall"]
        .clone()
}

fn ts(v: &Value) -> DateTime<Utc> {
    v.as_str().unwrap().parse().unwrap()
}

async fn seen(app: &TestApp, token: Option<&str>, call: &CallFixture) -> Value {
    app.ok(token, CALL, json!({ "id": call.id })).await["call"].clone()
}

#[tokio::test]
async fn the_full_remedy_path_from_award_to_contract() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let (call, bid_a, bid_b) = judged(&app, &m).await;
    let page = format!("/calls/{}/decision.html", call.id);
    assert_eq!(app.get(&page).await.0, 404, "no decision yet");
    let first = award(&app, &m, &call, &bid_a).await;
    // The decision as a document for the minutes, public like the ranking.
    let (status, html) = app.get(&page).await;
    assert_eq!(status, 200);
    assert!(html.contains("Kotihoito itäinen alue 2027"), "{html}");
    assert!(html.contains("Provider 1 Oy") && html.contains("Best value"));
    assert!(html.contains("Market Court") && html.contains("markkinaoikeuteen"));
    assert_eq!(app.get("/calls/nope/decision.html").await.0, 404);
    let decided = ts(&first["decidedAt"]);
    assert_eq!(
        ts(&first["correctionDeadline"]),
        decided + TimeDelta::days(14)
    );
    assert_eq!(ts(&first["appealDeadline"]), decided + TimeDelta::days(14));
    // Each bidder is served the decision with the remedies, in its users' language (the
    // tests' users read English), the deadline in Finnish time.
    for token in [&m.a, &m.b] {
        let mails = app.mail(token).await;
        let (_, body) = mails.iter().find(|(e, _)| e == "call.awarded").unwrap();
        assert!(
            body.contains("hankintaoikaisu") && body.contains("Market Court"),
            "{body}"
        );
        let deadline =
            api::email::format::date_time(ts(&first["correctionDeadline"]), entity::Language::En);
        assert!(body.contains(&deadline), "{deadline} in {body}");
    }

    // B, ranked second, asks for a correction.
    app.clock.advance(TimeDelta::days(2));
    let r = app
        .ok(
            Some(&m.b),
            REQUEST,
            json!({ "c": call.id, "t": "The quality points of our plan were miscounted." }),
        )
        .await["requestCorrection"]
        .clone();
    assert_eq!(r["status"], "PENDING");
    assert_eq!(r["requester"]["id"], m.b_org.as_str());
    assert!(r["decision"].is_null() && r["decidedAt"].is_null());
    let orderer_mail = app.mail(&m.orderer).await;
    assert!(
        orderer_mail
            .iter()
            .any(|(e, b)| e == "correction.requested" && b.contains("miscounted")),
        "{orderer_mail:?}"
    );
    // Who sees it: the orderer and B; not A, another orderer, the public or an admin.
    assert_eq!(
        seen(&app, Some(&m.orderer), &call).await["correctionRequests"][0]["id"],
        r["id"]
    );
    assert_eq!(
        seen(&app, Some(&m.b), &call).await["correctionRequests"][0]["id"],
        r["id"]
    );
    for token in [
        Some(m.a.as_str()),
        Some(m.other_orderer.as_str()),
        Some(m.admin.as_str()),
        None,
    ] {
        assert_eq!(
            seen(&app, token, &call).await["correctionRequests"],
            json!([])
        );
    }
    // No contract while it is pending, even after the standstill.
    app.clock
        .set(ts(&first["standstillEndsAt"]) + TimeDelta::hours(1));
    assert_eq!(
        app.code(Some(&m.orderer), MAKE, json!({ "c": call.id }))
            .await,
        "INVALID_STATE"
    );

    // Accepted: the award is withdrawn and the call is back in evaluation.
    let decided_r = app
        .ok(
            Some(&m.orderer),
            DECIDE,
            json!({ "r": r["id"], "a": true, "d": "The quality points are recounted." }),
        )
        .await["decideCorrection"]
        .clone();
    assert_eq!(decided_r["status"], "ACCEPTED");
    assert_eq!(decided_r["decision"], "The quality points are recounted.");
    let back = seen(&app, None, &call).await;
    assert_eq!(back["status"], "EVALUATION");
    assert_eq!(
        app.get(&page).await.0,
        404,
        "the withdrawn decision is gone"
    );
    assert!(
        back["award"].is_null(),
        "the ranking leaves the public view"
    );
    // The withdrawn ranking stays in the audit chain.
    let chain = app.audit_chain().await;
    let w = chain
        .iter()
        .find(|e| e.action == "call.withdraw_award")
        .expect("the withdrawal event");
    let summary: Value = serde_json::from_str(&w.summary).unwrap();
    assert_eq!(summary["withdrawn"]["bidId"], bid_a.as_str());
    assert_eq!(summary["withdrawn"]["ranking"].as_array().unwrap().len(), 2);
    for token in [&m.a, &m.b] {
        assert!(
            app.mail(token)
                .await
                .iter()
                .any(|(e, _)| e == "award.withdrawn")
        );
    }
    assert!(
        app.mail(&m.b)
            .await
            .iter()
            .any(|(e, b)| e == "correction.decided" && b.contains("recounted"))
    );

    // The judgements are kept: B can be awarded at once; a new standstill and new deadlines.
    let second = award(&app, &m, &call, &bid_b).await;
    assert!(ts(&second["decidedAt"]) > decided);
    assert!(ts(&second["standstillEndsAt"]) > ts(&first["standstillEndsAt"]));
    assert_eq!(
        ts(&second["correctionDeadline"]),
        ts(&second["decidedAt"]) + TimeDelta::days(14)
    );

    // A appeals to the Market Court; the orderer records it.
    let filed = app.clock_now() - TimeDelta::hours(3);
    let appeal = app
        .ok(
            Some(&m.orderer),
            RECORD,
            json!({ "c": call.id, "a": m.a_org, "n": "MAO:123/2027", "f": filed.to_rfc3339() }),
        )
        .await["recordAppeal"]
        .clone();
    assert_eq!(appeal["status"], "PENDING");
    assert_eq!(appeal["appellant"]["id"], m.a_org.as_str());
    for token in [
        Some(m.orderer.as_str()),
        Some(m.a.as_str()),
        Some(m.b.as_str()),
    ] {
        assert_eq!(
            seen(&app, token, &call).await["appeals"][0]["caseNumber"],
            "MAO:123/2027"
        );
    }
    for token in [
        Some(m.other_orderer.as_str()),
        Some(m.in_house.as_str()),
        None,
    ] {
        assert_eq!(seen(&app, token, &call).await["appeals"], json!([]));
    }
    app.clock
        .set(ts(&second["standstillEndsAt"]) + TimeDelta::hours(1));
    let refused = app
        .error(Some(&m.orderer), MAKE, json!({ "c": call.id }))
        .await;
    assert_eq!(refused["extensions"]["code"], "INVALID_STATE");
    assert!(refused["message"].as_str().unwrap().contains("appeal"));
    let resolved = app
        .ok(
            Some(&m.orderer),
            RESOLVE,
            json!({ "a": appeal["id"], "s": "DISMISSED", "o": "The Market Court dismissed the appeal." }),
        )
        .await["resolveAppeal"]
        .clone();
    assert_eq!(resolved["status"], "DISMISSED");
    assert!(resolved["resolvedAt"].is_string());
    let made = app
        .ok(Some(&m.orderer), MAKE, json!({ "c": call.id }))
        .await;
    assert_eq!(
        made["createContractFromAward"]["producer"]["id"],
        m.b_org.as_str()
    );
    // Once a contract is made, the award can no longer be withdrawn.
    assert_eq!(
        app.code(
            Some(&m.orderer),
            WITHDRAW,
            json!({ "c": call.id, "r": "late" })
        )
        .await,
        "INVALID_STATE"
    );
    // Both sign; then it is activated.
    let id = made["createContractFromAward"]["id"].as_str().unwrap();
    app.ok(
        Some(&m.admin),
        "mutation($o:ID!){ setAppropriation(ordererId:$o,fiscalYear:2027,amount:\"1000000\"){ amount } }",
        json!({ "o": m.orderer_org }),
    )
    .await;
    let activate =
        "mutation($id:ID!){ activateContract(id:$id){ status signatures{ organization{ id } } } }";
    assert_eq!(
        app.code(Some(&m.orderer), activate, json!({ "id": id }))
            .await,
        "INVALID_STATE",
        "not signed"
    );
    app.sign_both(id, &m.orderer, &m.b).await;
    let active = app
        .ok(Some(&m.orderer), activate, json!({ "id": id }))
        .await;
    assert_eq!(active["activateContract"]["status"], "ACTIVE");
    assert_eq!(
        active["activateContract"]["signatures"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn correction_requests_refused_with_their_codes_and_nothing_written() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let (call, bid_a, _) = judged(&app, &m).await;
    let text = json!({ "c": call.id, "t": "Please recount." });
    // Before the decision.
    assert_eq!(
        app.code(Some(&m.b), REQUEST, text.clone()).await,
        "INVALID_STATE"
    );
    let first = award(&app, &m, &call, &bid_a).await;
    assert_eq!(
        app.code(None, REQUEST, text.clone()).await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.code(Some(&m.orderer), REQUEST, text.clone()).await,
        "FORBIDDEN"
    );
    // The in-house producer did not bid.
    assert_eq!(
        app.code(Some(&m.in_house), REQUEST, text.clone()).await,
        "FORBIDDEN"
    );
    let blank = app
        .error(Some(&m.b), REQUEST, json!({ "c": call.id, "t": "  " }))
        .await;
    assert_eq!(blank["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(blank["extensions"]["field"], "text");
    assert_eq!(
        app.code(Some(&m.b), REQUEST, json!({ "c": "not-an-id", "t": "x" }))
            .await,
        "NOT_FOUND"
    );
    assert_eq!(app.count("correction_request").await, 0);
    let one = app.ok(Some(&m.b), REQUEST, text.clone()).await["requestCorrection"]["id"].clone();
    let two = app.ok(Some(&m.a), REQUEST, text.clone()).await["requestCorrection"]["id"].clone();
    // Deciding: only the call's orderer, once, with a reason.
    let reject = json!({ "r": one, "a": false, "d": "The points were right." });
    assert_eq!(
        app.code(Some(&m.b), DECIDE, reject.clone()).await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(Some(&m.other_orderer), DECIDE, reject.clone())
            .await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(
            Some(&m.orderer),
            DECIDE,
            json!({ "r": one, "a": false, "d": "" })
        )
        .await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        app.code(
            Some(&m.orderer),
            DECIDE,
            json!({ "r": "0190d8a4-0000-7000-8000-000000000000", "a": false, "d": "x" })
        )
        .await,
        "NOT_FOUND"
    );
    let r = app.ok(Some(&m.orderer), DECIDE, reject.clone()).await;
    assert_eq!(r["decideCorrection"]["status"], "REJECTED");
    assert_eq!(
        app.code(Some(&m.orderer), DECIDE, reject).await,
        "INVALID_STATE"
    );
    assert!(
        app.mail(&m.b)
            .await
            .iter()
            .any(|(e, b)| e == "correction.decided" && b.contains("rejected"))
    );
    // The orderer's own withdrawal closes A's pending request as ACCEPTED.
    let w = app
        .ok(
            Some(&m.orderer),
            WITHDRAW,
            json!({ "c": call.id, "r": "A scoring error found by the orderer." }),
        )
        .await;
    assert_eq!(w["withdrawAward"]["status"], "EVALUATION");
    assert!(w["withdrawAward"]["award"].is_null());
    let all = seen(&app, Some(&m.orderer), &call).await["correctionRequests"].clone();
    let status_of = |id: &Value| {
        all.as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == *id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status_of(&one), "REJECTED");
    assert_eq!(status_of(&two), "ACCEPTED");
    assert_eq!(
        app.code(
            Some(&m.orderer),
            WITHDRAW,
            json!({ "c": call.id, "r": "again" })
        )
        .await,
        "INVALID_STATE",
        "nothing left to withdraw"
    );
    // After the correction deadline of a new decision: DEADLINE_PASSED.
    let second = award(&app, &m, &call, &bid_a).await;
    assert!(ts(&second["decidedAt"]) > ts(&first["decidedAt"]) - TimeDelta::seconds(1));
    app.clock
        .set(ts(&second["correctionDeadline"]) + TimeDelta::seconds(1));
    let before = app.count("correction_request").await;
    assert_eq!(app.code(Some(&m.b), REQUEST, text).await, "DEADLINE_PASSED");
    assert_eq!(app.count("correction_request").await, before);
}

#[tokio::test]
async fn appeals_refused_with_their_codes_and_nothing_written() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let (call, bid_a, _) = judged(&app, &m).await;
    let now = app.clock_now();
    let rec = |appellant: &str, filed: DateTime<Utc>| json!({ "c": call.id, "a": appellant, "n": "MAO:7/2027", "f": filed.to_rfc3339() });
    assert_eq!(
        app.code(Some(&m.orderer), RECORD, rec(&m.a_org, now)).await,
        "INVALID_STATE",
        "no decision yet"
    );
    award(&app, &m, &call, &bid_a).await;
    let now = app.clock_now();
    assert_eq!(
        app.code(Some(&m.a), RECORD, rec(&m.a_org, now)).await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(Some(&m.other_orderer), RECORD, rec(&m.a_org, now))
            .await,
        "FORBIDDEN"
    );
    let not_bidder = app
        .error(Some(&m.orderer), RECORD, rec(&m.in_house_org, now))
        .await;
    assert_eq!(not_bidder["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(not_bidder["extensions"]["field"], "appellantId");
    let future = app
        .error(
            Some(&m.orderer),
            RECORD,
            rec(&m.a_org, now + TimeDelta::days(1)),
        )
        .await;
    assert_eq!(future["extensions"]["field"], "filedAt");
    let long = json!({ "c": call.id, "a": m.a_org, "n": "x".repeat(101), "f": now.to_rfc3339() });
    assert_eq!(
        app.code(Some(&m.orderer), RECORD, long).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(app.count("appeal").await, 0);
    let a =
        app.ok(Some(&m.orderer), RECORD, rec(&m.a_org, now)).await["recordAppeal"]["id"].clone();
    let res = |s: &str| json!({ "a": a, "s": s, "o": "Withdrawn by the appellant." });
    assert_eq!(
        app.code(Some(&m.orderer), RESOLVE, res("PENDING")).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        app.code(Some(&m.a), RESOLVE, res("WITHDRAWN")).await,
        "FORBIDDEN"
    );
    let r = app.ok(Some(&m.orderer), RESOLVE, res("WITHDRAWN")).await;
    assert_eq!(r["resolveAppeal"]["status"], "WITHDRAWN");
    assert_eq!(
        app.code(Some(&m.orderer), RESOLVE, res("UPHELD")).await,
        "INVALID_STATE"
    );
}
