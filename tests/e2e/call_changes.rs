//! Changes to a call (`changeCall`): a draft edited freely; a published call changed before
//! its deadline as a new version with its reason and changed fields, under the 6-day rule; a
//! material change makes standing bids not current (not evaluated unless submitted again);
//! bidders are told privately and the orderer learns nothing of who bid.

use chrono::TimeDelta;
use kilpailutus_tests::{CallFixture, Market, SUBMIT_BID, TestApp};
use serde_json::{Value, json};

const CHANGE: &str = "mutation($id:ID!,$c:CallChangeInput!,$r:String!){ changeCall(id:$id,change:$c,reason:$r){ id version title description submissionDeadline bidCount lines{ id quantity product{ id } } criteria{ qualityCriteria{ id name weight } capabilityRequirements{ id text } } changes{ version reason changedAt fields } } }";
const CALL: &str = "query($id:ID!){ call(id:$id){ version title lines{ id quantity } changes{ version reason fields } } }";
const MY_BID: &str = "query($id:ID!){ call(id:$id){ myBid{ id version callVersion current } } }";

async fn bid(app: &TestApp, token: &str, call: &CallFixture, line_ids: &[String]) -> String {
    let mut input = app.bid_input(call, &["45.50", "8"]);
    input["lines"] = json!(
        line_ids
            .iter()
            .zip(["45.50", "8"])
            .map(|(l, p)| json!({ "callLineId": l, "unitPrice": p }))
            .collect::<Vec<_>>()
    );
    app.ok(Some(token), SUBMIT_BID, json!({ "i": input })).await["submitBid"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_draft_is_edited_freely_without_a_version() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), false)
        .await;
    let lines = json!([{ "productId": m.products[1], "quantity": "40" }]);
    let c = app
        .ok(
            Some(&m.orderer),
            CHANGE,
            json!({ "id": call.id, "r": "", "c": { "title": "Kotihoito 2027, luonnos 2", "lines": lines,
                "priceWeight": 70, "qualityCriteria": [{ "name": "Laatu", "weight": 30, "maxPoints": 10 }] } }),
        )
        .await["changeCall"]
        .clone();
    assert_eq!(c["version"], 1);
    assert_eq!(c["title"], "Kotihoito 2027, luonnos 2");
    assert_eq!(c["lines"].as_array().unwrap().len(), 1);
    assert_eq!(c["lines"][0]["quantity"], "40");
    assert_eq!(c["criteria"]["qualityCriteria"][0]["name"], "Laatu");
    assert_eq!(c["changes"], json!([]), "a draft's edits are not changes");
    // The draft publishes as edited.
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ publishCall(id:$id){ version } }",
        json!({ "id": call.id }),
    )
    .await;
    let seen = app.ok(None, CALL, json!({ "id": call.id })).await;
    assert_eq!(seen["call"]["version"], 1);
    assert_eq!(seen["call"]["lines"][0]["quantity"], "40");
}

#[tokio::test]
async fn a_published_call_changes_as_a_new_version_and_bidders_are_told_privately() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    bid(&app, &m.a, &call, &call.line_ids).await;
    let chain_before = app.audit_chain().await.len();
    let later = call.submission_deadline + TimeDelta::days(3);
    let c = app
        .ok(
            Some(&m.orderer),
            CHANGE,
            json!({ "id": call.id, "r": "The service description was clarified", "c": {
                "title": "Kotihoito itäinen alue 2027", // the same: not a change
                "description": "Home care for the eastern district, by the hour, weekends included",
                "submissionDeadline": later.to_rfc3339() } }),
        )
        .await["changeCall"]
        .clone();
    assert_eq!(c["version"], 2);
    assert!(
        c["bidCount"].is_null(),
        "nothing of the bids before the deadline"
    );
    assert_eq!(c["changes"].as_array().unwrap().len(), 1);
    assert_eq!(c["changes"][0]["version"], 2);
    assert_eq!(
        c["changes"][0]["reason"],
        "The service description was clarified"
    );
    assert_eq!(
        c["changes"][0]["fields"],
        json!(["description", "submissionDeadline"])
    );
    assert_eq!(
        app.audit_chain().await.len(),
        chain_before + 1,
        "one event for the change"
    );
    // Anyone sees the change; a non-material change leaves the bid current.
    let public = app.ok(None, CALL, json!({ "id": call.id })).await;
    assert_eq!(public["call"]["changes"][0]["fields"][0], "description");
    let mine = app.ok(Some(&m.a), MY_BID, json!({ "id": call.id })).await;
    assert_eq!(mine["call"]["myBid"]["current"], true);
    assert_eq!(mine["call"]["myBid"]["callVersion"], 1);
    // The bidder is told to review its bid; the orderer and the admin see no such notice.
    let told = app.mail(&m.a).await;
    let review = told.iter().find(|(e, _)| e == "bid.review").expect("told");
    assert!(review.1.contains("Version: 2"), "{}", review.1);
    assert!(review.1.contains("does not by itself"), "{}", review.1);
    for token in [&m.orderer, &m.admin, &m.b] {
        assert!(
            !app.mail(token).await.iter().any(|(e, _)| e == "bid.review"),
            "a bidder's notice shown to another"
        );
    }
    // OCDS: the published tender stays; the change is a tenderAmendment.
    let (_, body) = app
        .get(&format!("/ocds/calls/{}/releases.json", call.id))
        .await;
    let package: Value = serde_json::from_str(&body).unwrap();
    let releases = package["releases"].as_array().unwrap();
    assert_eq!(releases[0]["tag"][0], "tender");
    assert_eq!(
        releases[0]["tender"]["description"],
        "Home care for the eastern district, by the hour"
    );
    let amended = &releases[1];
    assert_eq!(amended["tag"][0], "tenderAmendment");
    assert_eq!(
        amended["tender"]["amendments"][0]["rationale"],
        "The service description was clarified"
    );
    assert!(
        !body.contains(m.a_org.as_str()),
        "no bidder in OCDS before the deadline"
    );
}

#[tokio::test]
async fn a_material_change_makes_standing_bids_not_current_until_submitted_again() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    bid(&app, &m.a, &call, &call.line_ids).await;
    let b_bid = bid(&app, &m.b, &call, &call.line_ids).await;
    let lines = json!([
        { "productId": m.products[0], "quantity": "1200" },
        { "productId": m.products[1], "quantity": "12.5" },
    ]);
    let c = app
        .ok(
            Some(&m.orderer),
            CHANGE,
            json!({ "id": call.id, "r": "More hours are needed", "c": { "lines": lines } }),
        )
        .await["changeCall"]
        .clone();
    assert_eq!(c["changes"][0]["fields"], json!(["lines"]));
    let new_lines = ids(&c["lines"]);
    assert_eq!(new_lines.len(), 2);
    assert!(
        new_lines.iter().all(|l| !call.line_ids.contains(l)),
        "new lines"
    );
    assert_eq!(c["lines"][0]["quantity"], "1200");
    for token in [&m.a, &m.b] {
        let mine = app.ok(Some(token), MY_BID, json!({ "id": call.id })).await;
        assert_eq!(mine["call"]["myBid"]["current"], false);
    }
    let told = app.mail(&m.b).await;
    assert!(
        told.iter()
            .any(|(e, body)| e == "bid.review" && body.contains("no longer current")),
        "{told:?}"
    );
    // A bid on the replaced lines is refused; A submits again on the new ones.
    let mut stale = app.bid_input(&call, &["45.50", "8"]);
    stale["callId"] = json!(call.id);
    assert_eq!(
        app.code(Some(&m.a), SUBMIT_BID, json!({ "i": stale }))
            .await,
        "BAD_USER_INPUT"
    );
    bid(&app, &m.a, &call, &new_lines).await;
    let mine = app.ok(Some(&m.a), MY_BID, json!({ "id": call.id })).await;
    assert_eq!(mine["call"]["myBid"]["current"], true);
    assert_eq!(mine["call"]["myBid"]["callVersion"], 2);
    assert_eq!(mine["call"]["myBid"]["version"], 2);
    // After the deadline only A's bid is evaluated; B's is not, and cannot be judged.
    app.clock.set(call.submission_deadline);
    let e = app
        .ok(
            Some(&m.orderer),
            "query($id:ID!){ call(id:$id){ bidCount evaluation{ results{ bid{ id bidder{ id } current } } } } }",
            json!({ "id": call.id }),
        )
        .await;
    assert_eq!(e["call"]["bidCount"], 2, "both bids were received");
    let results = e["call"]["evaluation"]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["bid"]["bidder"]["id"], m.a_org.as_str());
    let requirement = &c["criteria"]["capabilityRequirements"][0]["id"];
    assert_eq!(
        app.code(
            Some(&m.orderer),
            "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }",
            json!({ "b": b_bid, "j": [{ "requirementId": requirement, "met": true }] })
        )
        .await,
        "INVALID_STATE"
    );
    // The award decision reaches B too: its bid was not evaluated.
    app.ok(
        Some(&m.orderer),
        "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }",
        json!({ "b": results[0]["bid"]["id"], "j": [{ "requirementId": requirement, "met": true }] }),
    )
    .await;
    app.ok(
        Some(&m.orderer),
        "mutation($c:ID!,$b:ID!){ awardCall(callId:$c,bidId:$b,justification:\"Only current bid\"){ decidedAt } }",
        json!({ "c": call.id, "b": results[0]["bid"]["id"] }),
    )
    .await;
    let decision = app.mail(&m.b).await;
    assert!(
        decision
            .iter()
            .any(|(e, body)| e == "call.awarded" && body.contains("not submitted again")),
        "{decision:?}"
    );
    // OCDS: the amendment's items are the new lines, numbered by position.
    let (_, body) = app
        .get(&format!("/ocds/calls/{}/record.json", call.id))
        .await;
    let record: Value = serde_json::from_str(&body).unwrap();
    let items = &record["records"][0]["compiledRelease"]["tender"]["items"];
    assert_eq!(items.as_array().unwrap().len(), 2);
    assert_eq!(items[0]["id"], "1");
    assert_eq!(items[0]["quantity"], json!(1200.0));
}

#[tokio::test]
async fn the_six_day_rule_and_the_deadlines() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    // 4 days before the submission deadline.
    app.clock.set(call.submission_deadline - TimeDelta::days(4));
    let now = app.clock_now();
    let e = app
        .error(
            Some(&m.orderer),
            CHANGE,
            json!({ "id": call.id, "r": "Typo", "c": { "title": "Kotihoito itäinen alue 2027 (korjattu)" } }),
        )
        .await;
    assert_eq!(e["extensions"]["code"], "BAD_USER_INPUT", "{e}");
    assert_eq!(e["extensions"]["field"], "submissionDeadline", "{e}");
    assert_eq!(e["extensions"]["rule"], "MIN_DAYS_AFTER_CHANGE", "{e}");
    let seen = app.ok(None, CALL, json!({ "id": call.id })).await;
    assert_eq!(seen["call"]["version"], 1, "nothing written");
    assert_eq!(seen["call"]["title"], "Kotihoito itäinen alue 2027");
    // Moved to 5 days 23 hours after the change: still too early; to 6 days: taken.
    let short = now + TimeDelta::days(6) - TimeDelta::hours(1);
    let e = app
        .error(
            Some(&m.orderer),
            CHANGE,
            json!({ "id": call.id, "r": "Typo", "c": { "title": "Korjattu", "submissionDeadline": short.to_rfc3339() } }),
        )
        .await;
    assert_eq!(e["extensions"]["field"], "submissionDeadline", "{e}");
    let enough = now + TimeDelta::days(6);
    let c = app
        .ok(
            Some(&m.orderer),
            CHANGE,
            json!({ "id": call.id, "r": "Typo", "c": { "title": "Korjattu", "submissionDeadline": enough.to_rfc3339() } }),
        )
        .await;
    assert_eq!(c["changeCall"]["version"], 2);
    // The questions deadline stays before the submission deadline, and ahead.
    let e = app
        .error(
            Some(&m.orderer),
            CHANGE,
            json!({ "id": call.id, "r": "Questions", "c": { "questionsDeadline": (enough + TimeDelta::hours(1)).to_rfc3339() } }),
        )
        .await;
    assert_eq!(e["extensions"]["field"], "questionsDeadline", "{e}");
    let e = app
        .error(
            Some(&m.orderer),
            CHANGE,
            json!({ "id": call.id, "r": "Questions", "c": { "questionsDeadline": (now - TimeDelta::hours(1)).to_rfc3339() } }),
        )
        .await;
    assert_eq!(e["extensions"]["field"], "questionsDeadline", "{e}");
}

#[tokio::test]
async fn who_may_change_what_and_when() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let draft = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), false)
        .await;
    let title = json!({ "title": "Uusi nimi" });
    let change = |id: &str, reason: &str, c: Value| json!({ "id": id, "r": reason, "c": c });
    assert_eq!(
        app.code(None, CHANGE, change(&call.id, "x", title.clone()))
            .await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.code(Some(&m.a), CHANGE, change(&call.id, "x", title.clone()))
            .await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(
            Some(&m.other_orderer),
            CHANGE,
            change(&call.id, "x", title.clone())
        )
        .await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(
            Some(&m.other_orderer),
            CHANGE,
            change(&draft.id, "x", title.clone())
        )
        .await,
        "NOT_FOUND",
        "another organisation's draft does not exist for it"
    );
    let e = app
        .error(
            Some(&m.orderer),
            CHANGE,
            change(&call.id, "  ", title.clone()),
        )
        .await;
    assert_eq!(
        e["extensions"]["field"], "reason",
        "a published call's change needs a reason"
    );
    let e = app
        .error(
            Some(&m.orderer),
            CHANGE,
            change(
                &call.id,
                "x",
                json!({ "title": "Kotihoito itäinen alue 2027" }),
            ),
        )
        .await;
    assert_eq!(e["extensions"]["field"], "change", "{e}");
    assert_eq!(e["extensions"]["rule"], "NO_CHANGE", "{e}");
    let e = app
        .error(
            Some(&m.orderer),
            CHANGE,
            change(&call.id, "x", json!({ "priceWeight": 70 })),
        )
        .await;
    assert_eq!(
        e["extensions"]["field"], "priceWeight",
        "weights must still add up: {e}"
    );
    assert_eq!(
        app.code(
            Some(&m.orderer),
            CHANGE,
            change(&call.id, "x", json!({ "documentIds": ["nope"] }))
        )
        .await,
        "NOT_FOUND"
    );
    // After the deadline, and once cancelled, nothing changes.
    app.clock.set(call.submission_deadline);
    assert_eq!(
        app.code(
            Some(&m.orderer),
            CHANGE,
            change(&call.id, "x", title.clone())
        )
        .await,
        "INVALID_STATE"
    );
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ cancelCall(id:$id,reason:\"No budget\"){ id } }",
        json!({ "id": draft.id }),
    )
    .await;
    assert_eq!(
        app.code(Some(&m.orderer), CHANGE, change(&draft.id, "x", title))
            .await,
        "INVALID_STATE"
    );
    let seen = app
        .ok(Some(&m.orderer), CALL, json!({ "id": call.id }))
        .await;
    assert_eq!(seen["call"]["version"], 1);
}

/// A call is changed at most 99 times after publication.
#[tokio::test]
async fn a_call_changes_at_most_99_times() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    for n in 0..99 {
        app.ok(
            Some(&m.orderer),
            CHANGE,
            json!({ "id": call.id, "r": "Wording", "c": { "title": format!("Kotihoito {n}") } }),
        )
        .await;
    }
    let e = app
        .error(
            Some(&m.orderer),
            CHANGE,
            json!({ "id": call.id, "r": "Wording", "c": { "title": "Kotihoito 100" } }),
        )
        .await;
    assert_eq!(e["extensions"]["code"], "INVALID_STATE", "{e}");
    let seen = app.ok(None, CALL, json!({ "id": call.id })).await;
    assert_eq!(seen["call"]["version"], 100);
    assert_eq!(seen["call"]["changes"].as_array().unwrap().len(), 99);
}
