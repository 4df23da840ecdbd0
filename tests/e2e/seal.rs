//! The seal. Before the submission deadline nobody but the bidder's organisation sees a bid,
//! its prices or the number of bids, along any path; after it the orderer sees the standing
//! bids and each bidder only its own. Each path is tried by each role.

use chrono::TimeDelta;
use kilpailutus_tests::{CallFixture, Market, SUBMIT_BID, TestApp};
use serde_json::{Value, json};

const BID: &str = "query($id:ID!){ bid(id:$id){ id totalPrice bidder{ id } } }";
const CALL_BIDS: &str =
    "query($id:ID!){ call(id:$id){ bidCount bids{ id totalPrice } myBid{ id } } }";
const NESTED: &str = "query($id:ID!){ bid(id:$id){ call{ bidCount bids{ id } myBid{ id } } } }";
const LIST_BIDS: &str = "{ calls(first: 50){ edges{ node{ id bidCount bids{ id } } } } }";

struct Scene {
    app: TestApp,
    m: Market,
    call: CallFixture,
    a_bid: String,
    b_bid: String,
    withdrawn_bid: String,
}

/// Provider A and the in-house producer bid; provider B bids and withdraws.
async fn scene() -> Scene {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let submit = |token: &str, prices: [&'static str; 2]| {
        let (app, call, token) = (&app, &call, token.to_owned());
        async move {
            let d = app
                .ok(
                    Some(&token),
                    SUBMIT_BID,
                    json!({ "i": app.bid_input(call, &prices) }),
                )
                .await;
            d["submitBid"]["id"].as_str().unwrap().to_owned()
        }
    };
    let a_bid = submit(&m.a, ["45.50", "8"]).await;
    let b_bid = submit(&m.in_house, ["0.01", "0.01"]).await;
    let withdrawn_bid = submit(&m.b, ["50", "9"]).await;
    app.ok(
        Some(&m.b),
        "mutation($c:ID!){ withdrawBid(callId:$c){ id } }",
        json!({ "c": call.id }),
    )
    .await;
    Scene {
        app,
        m,
        call,
        a_bid,
        b_bid,
        withdrawn_bid,
    }
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn before_the_deadline_only_the_bidder_sees_its_bid_along_every_path() {
    let s = scene().await;
    let (app, m) = (&s.app, &s.m);
    app.clock
        .set(s.call.submission_deadline - TimeDelta::seconds(1));
    let outsiders = [
        ("orderer", Some(m.orderer.as_str())),
        ("other orderer", Some(m.other_orderer.as_str())),
        ("admin", Some(m.admin.as_str())),
        ("rival provider", Some(m.b.as_str())),
        ("anonymous", None),
    ];
    for (who, token) in outsiders {
        for bid in [&s.a_bid, &s.b_bid] {
            assert!(
                app.ok(token, BID, json!({ "id": bid })).await["bid"].is_null(),
                "{who} reached bid(id)"
            );
            assert!(
                app.ok(token, NESTED, json!({ "id": bid })).await["bid"].is_null(),
                "{who} reached bid.call"
            );
        }
        let c = app.ok(token, CALL_BIDS, json!({ "id": s.call.id })).await;
        assert!(c["call"]["bidCount"].is_null(), "{who} saw bidCount");
        let own = if who == "rival provider" {
            vec![s.withdrawn_bid.clone()]
        } else {
            vec![]
        };
        assert_eq!(ids(&c["call"]["bids"]), own, "{who} saw call.bids");
        let list = app.ok(token, LIST_BIDS, json!({})).await;
        for e in list["calls"]["edges"].as_array().unwrap() {
            assert!(
                e["node"]["bidCount"].is_null(),
                "{who} saw bidCount in calls"
            );
            assert_eq!(ids(&e["node"]["bids"]), own, "{who} saw bids in calls");
        }
    }
    // The bidder sees its own bid, through every path, and nothing else.
    let own = app.ok(Some(&m.a), BID, json!({ "id": s.a_bid })).await;
    assert_eq!(
        own["bid"]["totalPrice"], "45600.00",
        "1000 x 45.50 + 12.5 x 8"
    );
    assert!(app.ok(Some(&m.a), BID, json!({ "id": s.b_bid })).await["bid"].is_null());
    let c = app
        .ok(Some(&m.a), CALL_BIDS, json!({ "id": s.call.id }))
        .await;
    assert_eq!(ids(&c["call"]["bids"]), std::slice::from_ref(&s.a_bid));
    assert_eq!(c["call"]["myBid"]["id"], s.a_bid.as_str());
    assert!(
        c["call"]["bidCount"].is_null(),
        "not even the bidder learns the count"
    );
    let nested = app.ok(Some(&m.a), NESTED, json!({ "id": s.a_bid })).await;
    assert_eq!(
        ids(&nested["bid"]["call"]["bids"]),
        std::slice::from_ref(&s.a_bid)
    );
}

#[tokio::test]
async fn after_the_deadline_the_orderer_sees_standing_bids_and_bidders_only_their_own() {
    let s = scene().await;
    let (app, m) = (&s.app, &s.m);
    app.clock.set(s.call.submission_deadline);
    let c = app
        .ok(Some(&m.orderer), CALL_BIDS, json!({ "id": s.call.id }))
        .await;
    let mut seen = ids(&c["call"]["bids"]);
    seen.sort();
    let mut standing = vec![s.a_bid.clone(), s.b_bid.clone()];
    standing.sort();
    assert_eq!(seen, standing, "the withdrawn bid is not a bid");
    assert_eq!(c["call"]["bidCount"], 2);
    assert!(c["call"]["myBid"].is_null());
    assert_eq!(
        app.ok(Some(&m.orderer), BID, json!({ "id": s.a_bid }))
            .await["bid"]["bidder"]["id"],
        m.a_org.as_str()
    );
    assert!(
        app.ok(Some(&m.orderer), BID, json!({ "id": s.withdrawn_bid }))
            .await["bid"]
            .is_null()
    );
    // The count is public after the deadline; the bids are not.
    for (who, token) in [
        ("other orderer", Some(m.other_orderer.as_str())),
        ("admin", Some(m.admin.as_str())),
        ("anonymous", None),
    ] {
        let c = app.ok(token, CALL_BIDS, json!({ "id": s.call.id })).await;
        assert_eq!(c["call"]["bidCount"], 2, "{who}");
        assert!(ids(&c["call"]["bids"]).is_empty(), "{who} saw bids");
        assert!(
            app.ok(token, BID, json!({ "id": s.a_bid })).await["bid"].is_null(),
            "{who} reached bid(id)"
        );
    }
    // A bidder sees only its own, also through the call its bid belongs to.
    let nested = app.ok(Some(&m.a), NESTED, json!({ "id": s.a_bid })).await;
    assert_eq!(
        ids(&nested["bid"]["call"]["bids"]),
        std::slice::from_ref(&s.a_bid)
    );
    assert!(app.ok(Some(&m.a), BID, json!({ "id": s.b_bid })).await["bid"].is_null());
    assert!(
        app.ok(Some(&m.in_house), BID, json!({ "id": s.a_bid }))
            .await["bid"]
            .is_null()
    );
    let withdrawn = app
        .ok(Some(&m.b), BID, json!({ "id": s.withdrawn_bid }))
        .await;
    assert_eq!(
        withdrawn["bid"]["id"],
        s.withdrawn_bid.as_str(),
        "the bidder still sees its withdrawn bid"
    );
}

#[tokio::test]
async fn bids_leave_no_trace_in_the_public_list_before_the_deadline() {
    let s = scene().await;
    let (app, m) = (&s.app, &s.m);
    // The same public read, with and without bids on the call, is identical before the deadline.
    let q = "query($id:ID!){ call(id:$id){ id status bidCount bids{ id } questions{ id } } }";
    let with_bids = app.ok(None, q, json!({ "id": s.call.id })).await;
    let empty = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let without = app.ok(None, q, json!({ "id": empty.id })).await;
    assert_eq!(with_bids["call"]["bidCount"], without["call"]["bidCount"]);
    assert_eq!(with_bids["call"]["bids"], without["call"]["bids"]);
    assert_eq!(with_bids["call"]["status"], without["call"]["status"]);
}
