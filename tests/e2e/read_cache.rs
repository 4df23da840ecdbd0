//! Signed-in reads are built from rows kept between read-only requests (`public_cache` parts:
//! call rows, list pages and counts, lines, criteria, requirements, products, organisations),
//! under the public cache's rule. Every write and every deadline shows at once; what one
//! viewer's scope holds (an orderer's drafts) never reaches another's.

use kilpailutus_tests::{Market, PUBLISH_CALL, SUBMIT_BID, TestApp};
use serde_json::{Value, json};

const LIST: &str = "query($f:CallFilter){ calls(first: 20, filter: $f){ totalCount edges{ node{ id title status orderer{ name city } lines{ quantity product{ name } } } } } }";
const DETAIL: &str = "query($id:ID!){ call(id:$id){ id version title lines{ quantity product{ name } } criteria{ qualityCriteria{ name } capabilityRequirements{ text } } orderer{ city } } }";
const CHANGE: &str = "mutation($id:ID!,$c:CallChangeInput!,$r:String!){ changeCall(id:$id,change:$c,reason:$r){ version } }";
const DETAILS: &str = "mutation($o:ID!,$i:OrganizationDetailsInput!){ updateOrganizationDetails(organizationId:$o,input:$i){ city } }";

fn ids(list: &Value) -> Vec<String> {
    list["calls"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn kept_rows_follow_every_write_and_deadline_and_stay_in_their_scope() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let a = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let list = |token: &str, filter: Value| {
        let token = token.to_owned();
        let app = &app;
        async move { app.ok(Some(&token), LIST, json!({ "f": filter })).await }
    };
    // Each viewer reads twice: the second answer is built from kept rows.
    for _ in 0..2 {
        let seen = list(&m.a, json!(null)).await;
        assert_eq!(seen["calls"]["totalCount"], 1);
        assert_eq!(ids(&seen), vec![a.id.clone()]);
        assert_eq!(
            list(&m.orderer, json!(null)).await["calls"]["totalCount"],
            1
        );
    }

    // A draft: the orderer's list counts and shows it, a provider's does not, also when
    // asked for by id.
    let draft = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), false)
        .await;
    let own = list(&m.orderer, json!(null)).await;
    assert_eq!(own["calls"]["totalCount"], 2);
    assert!(ids(&own).contains(&draft.id));
    for _ in 0..2 {
        let seen = list(&m.a, json!(null)).await;
        assert_eq!(seen["calls"]["totalCount"], 1, "{seen}");
        assert!(!ids(&seen).contains(&draft.id));
        let by_id = app.ok(Some(&m.a), DETAIL, json!({ "id": draft.id })).await;
        assert_eq!(by_id["call"], Value::Null);
        assert_ne!(
            app.ok(Some(&m.orderer), DETAIL, json!({ "id": draft.id }))
                .await["call"],
            Value::Null
        );
    }

    // Published: everyone's list has it at once.
    app.ok(Some(&m.orderer), PUBLISH_CALL, json!({ "id": draft.id }))
        .await;
    let seen = list(&m.b, json!(null)).await;
    assert_eq!(seen["calls"]["totalCount"], 2);
    assert!(ids(&seen).contains(&draft.id));
    let seen = list(&m.a, json!(null)).await;
    assert_eq!(seen["calls"]["totalCount"], 2);

    // A published call's lines, criteria and requirements change with a new version.
    let before = app.ok(Some(&m.a), DETAIL, json!({ "id": a.id })).await;
    assert_eq!(before["call"]["lines"].as_array().unwrap().len(), 2);
    app.ok(
        Some(&m.orderer),
        CHANGE,
        json!({ "id": a.id, "r": "Tarve tarkentui", "c": {
            "lines": [{ "productId": m.products[1], "quantity": "77" }],
            "priceWeight": 70,
            "qualityCriteria": [{ "name": "Henkilöstön osaaminen", "weight": 30, "maxPoints": 10 }],
            "capabilityRequirements": ["Sairaanhoitaja joka vuorossa"],
        } }),
    )
    .await;
    let after = app.ok(Some(&m.a), DETAIL, json!({ "id": a.id })).await["call"].clone();
    assert_eq!(after["version"], 2);
    assert_eq!(after["lines"].as_array().unwrap().len(), 1);
    assert_eq!(after["lines"][0]["quantity"], "77");
    assert_eq!(
        after["criteria"]["qualityCriteria"],
        json!([{ "name": "Henkilöstön osaaminen" }])
    );
    assert_eq!(
        after["criteria"]["capabilityRequirements"],
        json!([{ "text": "Sairaanhoitaja joka vuorossa" }])
    );
    let in_list = list(&m.a, json!(null)).await["calls"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["id"] == a.id.as_str())
        .unwrap()["node"]["lines"]
        .clone();
    assert_eq!(
        in_list,
        json!([{ "quantity": "77", "product": after["lines"][0]["product"] }])
    );

    // The orderer's details change: every answer naming it shows the new ones.
    app.ok(
        Some(&m.admin),
        DETAILS,
        json!({ "o": m.orderer_org, "i": { "city": "Kouvola" } }),
    )
    .await;
    let seen = list(&m.a, json!(null)).await;
    assert!(
        seen["calls"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["node"]["orderer"]["city"] == "Kouvola"),
        "{seen}"
    );
    assert_eq!(
        app.ok(Some(&m.b), DETAIL, json!({ "id": a.id })).await["call"]["orderer"]["city"],
        "Kouvola"
    );

    // A submission changes nothing anyone else reads (it moves no chain head): the other
    // provider's answers are the same bytes.
    let other_before = list(&m.b, json!({ "status": "PUBLISHED" })).await;
    app.ok(
        Some(&m.a),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&draft, &["45.50", "8"]) }),
    )
    .await;
    assert_eq!(
        list(&m.b, json!({ "status": "PUBLISHED" })).await,
        other_before
    );

    // A deadline passes without a write: the status filter's count and page follow.
    assert_eq!(other_before["calls"]["totalCount"], 2);
    app.clock.set(a.submission_deadline);
    let open = list(&m.b, json!({ "status": "PUBLISHED" })).await;
    let closed = list(&m.b, json!({ "status": "EVALUATION" })).await;
    let open_ids = ids(&open);
    assert_eq!(open["calls"]["totalCount"], open_ids.len());
    assert!(!open_ids.contains(&a.id), "{open}");
    assert!(ids(&closed).contains(&a.id), "{closed}");
    assert_eq!(
        open["calls"]["totalCount"].as_i64().unwrap()
            + closed["calls"]["totalCount"].as_i64().unwrap(),
        2
    );
}
