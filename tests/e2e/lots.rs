//! Lots (osa-alueet) through GraphQL: a call in lots, the coverage rule, the lots in a bid and
//! its receipt, the seal per lot, per-lot evaluation against figures computed by hand, per-lot
//! award with its own standstill, ranking and remedies, declaring a lot unsuccessful, the
//! lots' contracts and the call's status, and changes to a call's lots.

use chrono::TimeDelta;
use kilpailutus_tests::{CallFixture, Market, TestApp};
use serde_json::{Value, json};

const CREATE: &str = "mutation($i:CreateCallInput!){ createCall(input:$i){ id status lines{ id quantity lot{ number } } lots{ id number title lines{ id quantity product{ id } } } criteria{ qualityCriteria{ id } capabilityRequirements{ id } } } }";
const SUBMIT: &str = "mutation($i:SubmitBidInput!){ submitBid(input:$i){ id totalPrice receipt lots{ number title } } }";
const ASSIGN: &str =
    "mutation($c:ID!,$u:ID!){ assignEvaluator(callId:$c,userId:$u){ evaluators{ id } } }";
const JUDGE: &str = "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }";
const SCORE: &str = "mutation($b:ID!,$s:[ScoreInput!]!){ scoreBid(bidId:$b,scores:$s){ qualified qualityScore priceScore totalScore rank } }";
const AWARD_LOT: &str = "mutation($l:ID!,$b:ID!,$j:String!){ awardLot(lotId:$l,bidId:$b,justification:$j){ justification standstillEndsAt ranking{ rank bidder{ id } totalPrice totalScore } } }";
const LOT_CONTRACT: &str = "mutation($l:ID!){ createContractFromLotAward(lotId:$l){ id totalValue producer{ id } lot{ number } call{ id } lines{ quantity unitPrice } } }";
const LOTS: &str = "query($id:ID!){ call(id:$id){ status evaluation{ results{ rank } } award{ justification } lots{ id number evaluation{ results{ bid{ id } qualified priceScore qualityScore totalScore rank abnormallyLow } } award{ standstillEndsAt ranking{ rank bidder{ id } totalPrice totalScore } } unsuccessfulReason } } }";

/// A call in two lots: lot 1 (east) is 1 000 hours of the first product; lot 2 (west) is 500
/// hours of the first and 10 visits of the second.
fn lots_input(app: &TestApp, m: &Market) -> Value {
    let mut input = app.call_input(&m.product_refs());
    input["lines"] = json!([]);
    input["lots"] = json!([
        { "title": "Itäinen alue", "lines": [ { "productId": m.products[0], "quantity": "1000" } ] },
        { "title": "Läntinen alue", "lines": [
            { "productId": m.products[0], "quantity": "500" },
            { "productId": m.products[1], "quantity": "10" } ] }
    ]);
    input
}

struct Scene {
    app: TestApp,
    m: Market,
    call: CallFixture,
    /// Lot ids, lot 1 first.
    lots: Vec<String>,
    /// Call line ids: lot 1's, then lot 2's two.
    lines: Vec<String>,
}

async fn scene() -> Scene {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let input = lots_input(&app, &m);
    let c = app
        .ok(Some(&m.orderer), CREATE, json!({ "i": input }))
        .await["createCall"]
        .clone();
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let call = CallFixture {
        id: c["id"].as_str().unwrap().to_owned(),
        line_ids: ids(&c["lines"]),
        criterion_ids: ids(&c["criteria"]["qualityCriteria"]),
        requirement_ids: ids(&c["criteria"]["capabilityRequirements"]),
        submission_deadline: input["submissionDeadline"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap(),
        questions_deadline: input["questionsDeadline"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap(),
    };
    app.ok(
        Some(&m.orderer),
        kilpailutus_tests::PUBLISH_CALL,
        json!({ "id": call.id }),
    )
    .await;
    let lots = ids(&c["lots"]);
    let lines = call.line_ids.clone();
    Scene {
        app,
        m,
        call,
        lots,
        lines,
    }
}

impl Scene {
    /// A sound bid pricing the given (call line, unit price) pairs.
    fn bid(&self, prices: &[(usize, &str)]) -> Value {
        let mut input = self.app.bid_input(&self.call, &[]);
        input["lines"] = json!(
            prices
                .iter()
                .map(|(i, p)| json!({ "callLineId": self.lines[*i], "unitPrice": p }))
                .collect::<Vec<_>>()
        );
        input
    }

    async fn submit(&self, token: &str, prices: &[(usize, &str)]) -> Value {
        self.app
            .ok(Some(token), SUBMIT, json!({ "i": self.bid(prices) }))
            .await["submitBid"]
            .clone()
    }

    async fn lots(&self, token: Option<&str>) -> Value {
        self.app
            .ok(token, LOTS, json!({ "id": self.call.id }))
            .await["call"]
            .clone()
    }

    /// The three bids: A covers both lots (40 000.00 + 23 000.00), B lot 1 (42 000.00), the
    /// in-house producer lot 2 (21 500.00). Returns their ids (A, B, in-house).
    async fn bids(&self) -> (String, String, String) {
        let a = self
            .submit(&self.m.a, &[(0, "40"), (1, "44"), (2, "100")])
            .await;
        let b = self.submit(&self.m.b, &[(0, "42")]).await;
        let h = self
            .submit(&self.m.in_house, &[(1, "40"), (2, "150")])
            .await;
        let id = |v: &Value| v["id"].as_str().unwrap().to_owned();
        (id(&a), id(&b), id(&h))
    }

    /// Opens the bids; the orderer's own user judges every bid capable and scores it:
    /// A staff 8 plan 4 (quality 24 + 8 = 32), B 6 and 5 (18 + 10 = 28), in-house 10 and 5 (40).
    async fn evaluate(&self, bids: &(String, String, String)) {
        let app = &self.app;
        app.clock
            .set(self.call.submission_deadline + TimeDelta::minutes(1));
        app.ok(
            Some(&self.m.orderer),
            ASSIGN,
            json!({ "c": self.call.id, "u": self.m.orderer_user }),
        )
        .await;
        for (bid, staff, plan) in [(&bids.0, 8, 4), (&bids.1, 6, 5), (&bids.2, 10, 5)] {
            let j = json!([{ "requirementId": self.call.requirement_ids[0], "met": true }]);
            app.ok(Some(&self.m.orderer), JUDGE, json!({ "b": bid, "j": j }))
                .await;
            let s = json!([
                { "criterionId": self.call.criterion_ids[0], "points": staff },
                { "criterionId": self.call.criterion_ids[1], "points": plan }
            ]);
            let scored = app
                .ok(Some(&self.m.orderer), SCORE, json!({ "b": bid, "s": s }))
                .await["scoreBid"]
                .clone();
            // Prices are compared lot by lot: the bid's own evaluation has no price score.
            assert_eq!(scored["qualified"], true);
            assert!(scored["priceScore"].is_null() && scored["rank"].is_null());
        }
    }

    async fn award(&self, lot: usize, bid: &str) -> Value {
        self.app
            .ok(
                Some(&self.m.orderer),
                AWARD_LOT,
                json!({ "l": self.lots[lot], "b": bid, "j": "Best value for money in the lot" }),
            )
            .await["awardLot"]
            .clone()
    }
}

#[tokio::test]
async fn a_call_in_lots_takes_bids_on_whole_lots() {
    let s = scene().await;
    let (app, m) = (&s.app, &s.m);
    let call = s.lots(None).await;
    assert_eq!(call["lots"].as_array().unwrap().len(), 2);
    let c = app
        .ok(
            None,
            "query($id:ID!){ call(id:$id){ lines{ quantity lot{ number title } } lots{ number title lines{ quantity } } } }",
            json!({ "id": s.call.id }),
        )
        .await["call"]
        .clone();
    assert_eq!(
        c["lots"],
        json!([
            { "number": 1, "title": "Itäinen alue", "lines": [{ "quantity": "1000" }] },
            { "number": 2, "title": "Läntinen alue", "lines": [{ "quantity": "500" }, { "quantity": "10" }] }
        ])
    );
    assert_eq!(c["lines"][2]["lot"]["number"], 2);

    // The coverage rule: a lot in part is refused, naming it; so is a bid pricing nothing.
    let partial = app
        .error(
            Some(&m.a),
            SUBMIT,
            json!({ "i": s.bid(&[(0, "40"), (1, "44")]) }),
        )
        .await;
    assert_eq!(partial["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(partial["extensions"]["field"], "lines");
    let message = partial["message"].as_str().unwrap();
    assert!(
        message.contains("lot 2") && message.contains("1 of 2"),
        "{message}"
    );
    assert_eq!(
        app.code(Some(&m.a), SUBMIT, json!({ "i": s.bid(&[]) }))
            .await,
        "BAD_USER_INPUT"
    );
    assert_eq!(app.count("bid").await, 0, "nothing was written");

    // A covers both lots, B lot 1: the bid's lots, its total over them, its receipt.
    let a = s.submit(&m.a, &[(0, "40"), (1, "44"), (2, "100")]).await;
    assert_eq!(a["totalPrice"], "63000.00");
    assert_eq!(
        a["lots"],
        json!([{ "number": 1, "title": "Itäinen alue" }, { "number": 2, "title": "Läntinen alue" }])
    );
    // The provider recomputes the receipt from the API's answer, the lots included.
    let full = app
        .ok(Some(&m.a), crate::bids::FULL_BID, json!({ "id": a["id"] }))
        .await["bid"]
        .clone();
    assert_eq!(
        crate::bids::recompute_receipt(&full),
        a["receipt"].as_str().unwrap()
    );
    let b = s.submit(&m.b, &[(0, "42")]).await;
    assert_eq!(b["totalPrice"], "42000.00");
    assert_eq!(b["lots"], json!([{ "number": 1, "title": "Itäinen alue" }]));
    // Replacing the bid may change the lots it covers.
    let b2 = s.submit(&m.b, &[(1, "41"), (2, "120")]).await;
    assert_eq!(
        b2["lots"],
        json!([{ "number": 2, "title": "Läntinen alue" }])
    );
    assert_eq!(b2["totalPrice"], "21700.00");
}

#[tokio::test]
async fn the_lots_are_sealed_until_the_deadline() {
    let s = scene().await;
    let (app, m) = (&s.app, &s.m);
    let bids = s.bids().await;
    // Before the deadline nobody sees a lot's evaluation or award, the orderer included,
    // and a lot cannot be awarded: the answer is the same whoever bid.
    for token in [Some(m.orderer.as_str()), Some(&m.a), Some(&m.admin), None] {
        let call = s.lots(token).await;
        for lot in call["lots"].as_array().unwrap() {
            assert!(
                lot["evaluation"].is_null() && lot["award"].is_null(),
                "{lot}"
            );
        }
        assert!(call["evaluation"].is_null());
    }
    let early = app
        .error(
            Some(&m.orderer),
            AWARD_LOT,
            json!({ "l": s.lots[0], "b": bids.0, "j": "too early" }),
        )
        .await;
    assert_eq!(early["extensions"]["code"], "INVALID_STATE");
    let unknown = app
        .error(
            Some(&m.orderer),
            AWARD_LOT,
            json!({ "l": s.lots[0], "b": "00000000-0000-7000-8000-000000000000", "j": "too early" }),
        )
        .await;
    assert_eq!(
        unknown["message"], early["message"],
        "no bid is told from none"
    );
    // A bidder sees its own bid's lots and nobody else's bid.
    let q = "query($id:ID!){ bid(id:$id){ lots{ number } } }";
    let own = app.ok(Some(&m.a), q, json!({ "id": bids.0 })).await;
    assert_eq!(
        own["bid"]["lots"],
        json!([{ "number": 1 }, { "number": 2 }])
    );
    assert!(
        app.ok(Some(&m.b), q, json!({ "id": bids.0 })).await["bid"].is_null(),
        "another's bid is not there"
    );
    // After the deadline: the orderer alone sees each lot's evaluation.
    app.clock
        .set(s.call.submission_deadline + TimeDelta::minutes(1));
    let call = s.lots(Some(&m.orderer)).await;
    assert!(
        call["evaluation"].is_null(),
        "a call in lots has no evaluation of its own"
    );
    assert_eq!(
        call["lots"][0]["evaluation"]["results"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    for token in [
        Some(m.other_orderer.as_str()),
        Some(&m.a),
        Some(&m.admin),
        None,
    ] {
        let call = s.lots(token).await;
        assert!(call["lots"][0]["evaluation"].is_null());
    }
}

/// Per lot, from the bids' lot totals (price weight 60) and their quality scores:
/// lot 1: A 40 000 → 60 + 32 = 92; B 42 000 → 60 x 40 000 / 42 000 = 57.142857… + 28 = 85.14.
/// lot 2: in-house 21 500 → 60 + 40 = 100; A 23 000 → 60 x 21 500 / 23 000 = 56.086956… + 32
/// = 88.09.
#[tokio::test]
async fn each_lot_is_evaluated_awarded_and_contracted_on_its_own() {
    let s = scene().await;
    let (app, m) = (&s.app, &s.m);
    let bids = s.bids().await;
    s.evaluate(&bids).await;
    let call = s.lots(Some(&m.orderer)).await;
    let lot1 = &call["lots"][0]["evaluation"]["results"];
    assert_eq!(lot1[0]["bid"]["id"], bids.0.as_str());
    assert_eq!(
        (
            &lot1[0]["priceScore"],
            &lot1[0]["qualityScore"],
            &lot1[0]["totalScore"],
            &lot1[0]["rank"]
        ),
        (&json!("60.00"), &json!("32.00"), &json!("92.00"), &json!(1))
    );
    assert_eq!(lot1[1]["bid"]["id"], bids.1.as_str());
    assert_eq!(
        (
            &lot1[1]["priceScore"],
            &lot1[1]["totalScore"],
            &lot1[1]["rank"]
        ),
        (&json!("57.14"), &json!("85.14"), &json!(2))
    );
    let lot2 = &call["lots"][1]["evaluation"]["results"];
    assert_eq!(lot2.as_array().unwrap().len(), 2, "B does not cover lot 2");
    assert_eq!(lot2[0]["bid"]["id"], bids.2.as_str());
    assert_eq!(
        (&lot2[0]["priceScore"], &lot2[0]["totalScore"]),
        (&json!("60.00"), &json!("100.00"))
    );
    assert_eq!(lot2[1]["bid"]["id"], bids.0.as_str());
    assert_eq!(
        (
            &lot2[1]["priceScore"],
            &lot2[1]["qualityScore"],
            &lot2[1]["totalScore"],
            &lot2[1]["rank"]
        ),
        (&json!("56.09"), &json!("32.00"), &json!("88.09"), &json!(2))
    );

    // Lot 1 is awarded: its ranking is public at the lot totals; the call is still in
    // evaluation, and a call in lots is never awarded whole.
    let a1 = s.award(0, &bids.0).await;
    assert_eq!(
        a1["ranking"],
        json!([
            { "rank": 1, "bidder": { "id": m.a_org }, "totalPrice": "40000.00", "totalScore": "92.00" },
            { "rank": 2, "bidder": { "id": m.b_org }, "totalPrice": "42000.00", "totalScore": "85.14" }
        ])
    );
    let public = s.lots(None).await;
    assert_eq!(public["status"], "EVALUATION");
    assert_eq!(public["lots"][0]["award"]["ranking"], a1["ranking"]);
    assert!(public["lots"][1]["award"].is_null() && public["award"].is_null());
    let cancel = app
        .code(
            Some(&m.orderer),
            "mutation($id:ID!){ cancelCall(id:$id,reason:\"Budjetti\"){ status } }",
            json!({ "id": s.call.id }),
        )
        .await;
    assert_eq!(
        cancel, "INVALID_STATE",
        "a call decided in part is not cancelled"
    );
    let again = app
        .error(
            Some(&m.orderer),
            AWARD_LOT,
            json!({ "l": s.lots[0], "b": bids.1, "j": "again" }),
        )
        .await;
    assert_eq!(again["extensions"]["code"], "INVALID_STATE");
    let not_in_lot = app
        .error(
            Some(&m.orderer),
            AWARD_LOT,
            json!({ "l": s.lots[1], "b": bids.1, "j": "B did not bid for lot 2" }),
        )
        .await;
    assert_eq!(not_in_lot["extensions"]["code"], "NOT_FOUND");
    for (token, code) in [
        (m.other_orderer.as_str(), "FORBIDDEN"),
        (m.a.as_str(), "FORBIDDEN"),
        (m.admin.as_str(), "FORBIDDEN"),
    ] {
        let got = app
            .code(
                Some(token),
                AWARD_LOT,
                json!({ "l": s.lots[1], "b": bids.2, "j": "not mine" }),
            )
            .await;
        assert!(got == code || got == "NOT_FOUND", "{token}: {got}");
    }
    let whole = app
        .code(
            Some(&m.orderer),
            "mutation($c:ID!,$b:ID!){ awardCall(callId:$c,bidId:$b,justification:\"whole\"){ decidedAt } }",
            json!({ "c": s.call.id, "b": bids.0 }),
        )
        .await;
    assert_eq!(whole, "INVALID_STATE");

    // Each lot's bidders are told of its decision, and only they: the in-house producer
    // did not bid for lot 1.
    let b_mail = app.mail(&m.b).await;
    let (_, body) = b_mail.iter().find(|(e, _)| e == "call.awarded").unwrap();
    assert!(body.contains("lot 1: Itäinen alue"), "{body}");
    assert!(
        !app.mail(&m.in_house)
            .await
            .iter()
            .any(|(e, _)| e == "call.awarded")
    );

    // Lot 2: awarded two days later; the call is AWARDED once every lot is.
    app.clock.advance(TimeDelta::days(2));
    s.award(1, &bids.2).await;
    let call = s.lots(None).await;
    assert_eq!(call["status"], "AWARDED");
    assert!(call["award"].is_null() && call["evaluation"].is_null());

    // Each lot's own standstill: lot 1's ends two days before lot 2's.
    app.clock.advance(TimeDelta::days(13));
    let k1 = app
        .ok(Some(&m.orderer), LOT_CONTRACT, json!({ "l": s.lots[0] }))
        .await["createContractFromLotAward"]
        .clone();
    assert_eq!(k1["totalValue"], "40000.00");
    assert_eq!(k1["producer"]["id"], m.a_org.as_str());
    assert_eq!(k1["lot"]["number"], 1);
    assert_eq!(k1["call"]["id"], s.call.id.as_str());
    assert_eq!(
        k1["lines"],
        json!([{ "quantity": "1000", "unitPrice": "40" }])
    );
    assert_eq!(
        app.code(Some(&m.orderer), LOT_CONTRACT, json!({ "l": s.lots[1] }))
            .await,
        "INVALID_STATE",
        "lot 2's standstill runs on"
    );
    assert_eq!(
        app.code(Some(&m.orderer), LOT_CONTRACT, json!({ "l": s.lots[0] }))
            .await,
        "INVALID_STATE",
        "one contract per lot"
    );
    app.clock.advance(TimeDelta::days(2));
    let k2 = app
        .ok(Some(&m.orderer), LOT_CONTRACT, json!({ "l": s.lots[1] }))
        .await["createContractFromLotAward"]
        .clone();
    assert_eq!(k2["totalValue"], "21500.00");
    assert_eq!(k2["producer"]["id"], m.in_house_org.as_str());
    assert_eq!(
        app.code(
            Some(&m.orderer),
            "mutation($c:ID!){ createContractFromAward(callId:$c){ id } }",
            json!({ "c": s.call.id })
        )
        .await,
        "INVALID_STATE"
    );
    // The call is CONTRACTED once every awarded lot's contract is activated.
    let k1 = k1["id"].as_str().unwrap();
    let k2 = k2["id"].as_str().unwrap();
    m.sign_and_activate(app, k1, &m.a, "100000").await;
    assert_eq!(s.lots(None).await["status"], "AWARDED");
    // The contract's mail names its call and lot.
    let signed = app.mail(&m.a).await;
    assert!(
        signed
            .iter()
            .any(|(e, b)| e == "contract.signed" && b.contains("osa-alue 1: Itäinen alue")),
        "{signed:?}"
    );
    m.sign_and_activate(app, k2, &m.in_house, "100000").await;
    assert_eq!(s.lots(None).await["status"], "CONTRACTED");
    // OCDS: the tender's lots, each item's lot, each award's lot and its ranked bids (written
    // for `.ci/run` to validate).
    let (_, compiled) = crate::ocds::stage(app, &s.call.id, "lots", "contractUpdate").await;
    let tender = &compiled["tender"];
    assert_eq!(tender["status"], "complete");
    assert_eq!(tender["lots"][0]["id"], s.lots[0].as_str());
    assert_eq!(tender["lots"][0]["status"], "complete");
    assert_eq!(tender["items"][2]["relatedLot"], s.lots[1].as_str());
    let awards = compiled["awards"].as_array().unwrap();
    assert_eq!(awards.len(), 2);
    assert_eq!(awards[0]["relatedLots"], json!([s.lots[0]]));
    assert_eq!(awards[0]["value"]["amount"], json!(40000.0));
    assert_eq!(awards[1]["relatedLots"], json!([s.lots[1]]));
    assert_eq!(awards[1]["status"], "active");
    let bids = compiled["bids"]["details"].as_array().unwrap();
    assert_eq!(bids.len(), 4, "two ranked bids in each lot");
    assert!(
        bids.iter()
            .any(|b| b["relatedLots"] == json!([s.lots[1]])
                && b["value"]["amount"] == json!(23000.0))
    );
    let contracts = compiled["contracts"].as_array().unwrap();
    assert_eq!(contracts.len(), 2);
    assert_eq!(contracts[1]["awardID"], awards[1]["id"]);
    let (status, page) = app.get(&format!("/lots/{}/decision.html", s.lots[1])).await;
    assert_eq!(status, 200);
    assert!(page.contains("osa-alue 2: Läntinen alue"), "{page}");
    // A lot's contract is a contract: the portfolio counts both.
    let p = app
        .ok(
            Some(&m.orderer),
            "query($o:ID!){ portfolio(ordererId:$o,fiscalYear:2027){ contracts{ id } } }",
            json!({ "o": m.orderer_org }),
        )
        .await;
    assert_eq!(p["portfolio"]["contracts"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_lot_has_its_own_remedies() {
    let s = scene().await;
    let (app, m) = (&s.app, &s.m);
    let bids = s.bids().await;
    s.evaluate(&bids).await;
    s.award(0, &bids.0).await;
    s.award(1, &bids.2).await;
    const REQUEST: &str = "mutation($c:ID!,$l:ID,$t:String!){ requestCorrection(callId:$c,lotId:$l,text:$t){ id status lot{ number } } }";
    // On a call in lots a request names its lot; only the lot's bidders may ask.
    let no_lot = app
        .error(
            Some(&m.b),
            REQUEST,
            json!({ "c": s.call.id, "l": null, "t": "Recount" }),
        )
        .await;
    assert_eq!(no_lot["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(no_lot["extensions"]["field"], "lotId");
    assert_eq!(
        app.code(
            Some(&m.b),
            REQUEST,
            json!({ "c": s.call.id, "l": s.lots[1], "t": "Recount" })
        )
        .await,
        "FORBIDDEN",
        "B did not bid for lot 2"
    );
    let r = app
        .ok(
            Some(&m.b),
            REQUEST,
            json!({ "c": s.call.id, "l": s.lots[0], "t": "Our staff points were miscounted" }),
        )
        .await["requestCorrection"]
        .clone();
    assert_eq!(r["lot"]["number"], 1);
    // Lot 1's request holds lot 1's contract only.
    app.clock.advance(TimeDelta::days(15));
    assert_eq!(
        app.code(Some(&m.orderer), LOT_CONTRACT, json!({ "l": s.lots[0] }))
            .await,
        "INVALID_STATE"
    );
    app.ok(Some(&m.orderer), LOT_CONTRACT, json!({ "l": s.lots[1] }))
        .await;
    // Accepting it withdraws lot 1's award: the lot and the call are in evaluation again,
    // lot 2 keeps its award.
    app.ok(
        Some(&m.orderer),
        "mutation($r:ID!){ decideCorrection(requestId:$r,accept:true,decision:\"Recounted\"){ status } }",
        json!({ "r": r["id"] }),
    )
    .await;
    let call = s.lots(None).await;
    assert_eq!(call["status"], "EVALUATION");
    assert!(call["lots"][0]["award"].is_null());
    assert!(!call["lots"][1]["award"].is_null());
    let withdrawn = app.mail(&m.b).await;
    assert!(
        withdrawn
            .iter()
            .any(|(e, b)| e == "award.withdrawn" && b.contains("lot 1")),
        "{withdrawn:?}"
    );
    // Lot 1 is awarded again with a new standstill; its appeal is recorded against it.
    let again = s.award(0, &bids.1).await;
    assert_eq!(again["ranking"][0]["rank"], 1);
    let appeal = app
        .ok(
            Some(&m.orderer),
            "mutation($c:ID!,$l:ID,$a:ID!,$f:DateTime!){ recordAppeal(callId:$c,lotId:$l,appellantId:$a,caseNumber:\"MAO 1/2027\",filedAt:$f){ lot{ number } status } }",
            json!({ "c": s.call.id, "l": s.lots[0], "a": m.a_org, "f": app.clock_now().to_rfc3339() }),
        )
        .await;
    assert_eq!(appeal["recordAppeal"]["lot"]["number"], 1);
    assert_eq!(s.lots(None).await["status"], "AWARDED");
}

#[tokio::test]
async fn lots_declared_unsuccessful_decide_the_call() {
    let s = scene().await;
    let (app, m) = (&s.app, &s.m);
    let bids = s.bids().await;
    s.evaluate(&bids).await;
    const UNSUCCESSFUL: &str = "mutation($l:ID!,$r:String!){ declareLotUnsuccessful(lotId:$l,reason:$r){ number unsuccessfulReason } }";
    let l1 = app
        .ok(
            Some(&m.orderer),
            UNSUCCESSFUL,
            json!({ "l": s.lots[0], "r": "Every price exceeded the budget" }),
        )
        .await;
    assert_eq!(
        l1["declareLotUnsuccessful"]["unsuccessfulReason"],
        "Every price exceeded the budget"
    );
    assert_eq!(
        app.code(
            Some(&m.orderer),
            AWARD_LOT,
            json!({ "l": s.lots[0], "b": bids.0, "j": "after all" })
        )
        .await,
        "INVALID_STATE"
    );
    assert_eq!(s.lots(None).await["status"], "EVALUATION");
    s.award(1, &bids.2).await;
    let call = s.lots(None).await;
    assert_eq!(
        call["status"], "AWARDED",
        "one lot awarded, the other unsuccessful"
    );
    assert_eq!(
        call["lots"][0]["unsuccessfulReason"],
        "Every price exceeded the budget"
    );
    // The bidders of the lot were told; the in-house producer, lot 2's only, was not.
    assert!(
        app.mail(&m.b)
            .await
            .iter()
            .any(|(e, b)| e == "call.unsuccessful" && b.contains("lot 1"))
    );
    assert!(
        !app.mail(&m.in_house)
            .await
            .iter()
            .any(|(e, _)| e == "call.unsuccessful")
    );

    // Every lot unsuccessful: the call is UNSUCCESSFUL.
    let t = scene().await;
    let bids = t.bids().await;
    t.evaluate(&bids).await;
    for lot in &t.lots {
        t.app
            .ok(
                Some(&t.m.orderer),
                UNSUCCESSFUL,
                json!({ "l": lot, "r": "No budget" }),
            )
            .await;
    }
    assert_eq!(t.lots(None).await["status"], "UNSUCCESSFUL");
}

/// A lot's contract activated while another lot is still in evaluation: declaring that lot
/// unsuccessful leaves nothing more to contract, so the call is CONTRACTED at once. A lot's
/// winner judged again as not capable after the award (the call is still in evaluation for
/// its other lot) gets no contract.
#[tokio::test]
async fn the_last_lot_decided_and_a_winner_judged_again() {
    const UNSUCCESSFUL: &str =
        "mutation($l:ID!){ declareLotUnsuccessful(lotId:$l,reason:\"Ei rahaa\"){ number } }";
    let s = scene().await;
    let (app, m) = (&s.app, &s.m);
    let bids = s.bids().await;
    s.evaluate(&bids).await;
    s.award(1, &bids.2).await;
    app.clock.advance(TimeDelta::days(15));
    let k = app
        .ok(Some(&m.orderer), LOT_CONTRACT, json!({ "l": s.lots[1] }))
        .await["createContractFromLotAward"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    m.sign_and_activate(app, &k, &m.in_house, "100000").await;
    assert_eq!(s.lots(None).await["status"], "EVALUATION");
    app.ok(Some(&m.orderer), UNSUCCESSFUL, json!({ "l": s.lots[0] }))
        .await;
    assert_eq!(s.lots(None).await["status"], "CONTRACTED");

    let t = scene().await;
    let bids = t.bids().await;
    t.evaluate(&bids).await;
    t.award(1, &bids.2).await;
    let j = json!([{ "requirementId": t.call.requirement_ids[0], "met": false }]);
    t.app
        .ok(Some(&t.m.orderer), JUDGE, json!({ "b": bids.2, "j": j }))
        .await;
    t.app.clock.advance(TimeDelta::days(15));
    let refused = t
        .app
        .error(Some(&t.m.orderer), LOT_CONTRACT, json!({ "l": t.lots[1] }))
        .await;
    assert_eq!(refused["extensions"]["code"], "INVALID_STATE");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("no longer qualifies"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_call_is_given_lines_or_lots_and_keeps_its_lots() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let mut both = lots_input(&app, &m);
    both["lines"] = json!([{ "productId": m.products[0], "quantity": "1" }]);
    let e = app
        .error(Some(&m.orderer), CREATE, json!({ "i": both }))
        .await;
    assert_eq!(
        (&e["extensions"]["code"], &e["extensions"]["field"]),
        (&json!("BAD_USER_INPUT"), &json!("lines"))
    );
    let mut none = lots_input(&app, &m);
    none["lots"] = json!([]);
    let e = app
        .error(Some(&m.orderer), CREATE, json!({ "i": none }))
        .await;
    assert_eq!(e["extensions"]["field"], "lots");
    let mut empty_lot = lots_input(&app, &m);
    empty_lot["lots"][1]["lines"] = json!([]);
    let e = app
        .error(Some(&m.orderer), CREATE, json!({ "i": empty_lot }))
        .await;
    assert_eq!(e["extensions"]["field"], "lots[1].lines");
    let mut bad_quantity = lots_input(&app, &m);
    bad_quantity["lots"][1]["lines"][1]["quantity"] = json!("0");
    let e = app
        .error(Some(&m.orderer), CREATE, json!({ "i": bad_quantity }))
        .await;
    assert_eq!(e["extensions"]["field"], "lots[1].lines[1].quantity");
    let mut unknown = lots_input(&app, &m);
    unknown["lots"][0]["lines"][0]["productId"] = json!("00000000-0000-7000-8000-000000000000");
    let e = app
        .error(Some(&m.orderer), CREATE, json!({ "i": unknown }))
        .await;
    assert_eq!(e["extensions"]["code"], "NOT_FOUND");
    let message = e["message"].as_str().unwrap();
    assert!(
        message.starts_with("lots[0].lines[0].productId"),
        "{message}"
    );
    let too_many: Vec<Value> = (0..51)
        .map(|i| json!({ "title": format!("Lot {i}"), "lines": [{ "productId": m.products[0], "quantity": "1" }] }))
        .collect();
    let mut many = lots_input(&app, &m);
    many["lots"] = json!(too_many);
    assert_eq!(
        app.code(Some(&m.orderer), CREATE, json!({ "i": many }))
            .await,
        "BAD_USER_INPUT"
    );
    assert_eq!(app.count("lot").await, 0);
    assert_eq!(app.count("call_for_tenders").await, 0);

    // A published call in lots changes a lot's lines: a material change, a new version.
    let s = scene().await;
    let (app, m) = (&s.app, &s.m);
    let a = s.submit(&m.a, &[(0, "40")]).await;
    const CHANGE: &str = "mutation($id:ID!,$c:CallChangeInput!){ changeCall(id:$id,change:$c,reason:\"More hours in the west\"){ version lots{ id number title lines{ quantity } } } }";
    let changed = app
        .ok(
            Some(&m.orderer),
            CHANGE,
            json!({ "id": s.call.id, "c": { "lots": [
                { "title": "Itäinen alue", "lines": [ { "productId": m.products[0], "quantity": "1000" } ] },
                { "title": "Läntinen alue ja keskusta", "lines": [
                    { "productId": m.products[0], "quantity": "700" },
                    { "productId": m.products[1], "quantity": "10" } ] } ] } }),
        )
        .await["changeCall"]
        .clone();
    assert_eq!(changed["version"], 2);
    assert_eq!(
        changed["lots"][0]["id"],
        s.lots[0].as_str(),
        "a lot keeps its id"
    );
    assert_eq!(changed["lots"][1]["title"], "Läntinen alue ja keskusta");
    assert_eq!(changed["lots"][1]["lines"][0]["quantity"], "700");
    // A's bid, submitted before the material change, is not current.
    let q = "query($id:ID!){ bid(id:$id){ current } }";
    let current = app.ok(Some(&m.a), q, json!({ "id": a["id"] })).await;
    assert_eq!(current["bid"]["current"], false);
    // The lots stay as many as they were; lines alone do not fit a call in lots.
    let fewer = app
        .error(
            Some(&m.orderer),
            CHANGE,
            json!({ "id": s.call.id, "c": { "lots": [
                { "title": "Kaikki", "lines": [ { "productId": m.products[0], "quantity": "1" } ] } ] } }),
        )
        .await;
    assert_eq!(fewer["extensions"]["field"], "lots");
    let lines = app
        .error(
            Some(&m.orderer),
            CHANGE,
            json!({ "id": s.call.id, "c": { "lines": [ { "productId": m.products[0], "quantity": "1" } ] } }),
        )
        .await;
    assert_eq!(lines["extensions"]["code"], "BAD_USER_INPUT");
}

/// Migration 000021 moves the awards made before lots into `award_decision` (keyed by the
/// call) with their rankings, and names the call a contract came from. SQLite, with the
/// foreign keys off so the rows need no call or bid around them (the PostgreSQL pass runs
/// the same statements on its empty databases).
#[tokio::test]
async fn awards_made_before_lots_keep_their_decision_and_ranking() {
    use migration::MigratorTrait;
    use sea_orm::{ConnectOptions, ConnectionTrait, Database, Statement};
    if kilpailutus_tests::on_postgres() {
        return;
    }
    let dir = std::env::temp_dir().join(format!(
        "kilpailutus-upgrade-{}",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let mut options = ConnectOptions::new(format!(
        "sqlite://{}?mode=rwc",
        dir.join("old.db").display()
    ));
    options.max_connections(1).min_connections(1);
    let db = Database::connect(options).await.unwrap();
    migration::Migrator::up(&db, Some(20)).await.unwrap();
    db.execute_unprepared("PRAGMA foreign_keys = OFF")
        .await
        .unwrap();
    db.execute_unprepared(
        "INSERT INTO award (call_id, bid_id, justification, decided_by, decided_at, standstill_ends_at) \
         VALUES ('call-1', 'bid-1', 'Paras', 'user-1', '2027-01-25 09:00:00+00:00', '2027-02-08 09:00:00+00:00')",
    )
    .await
    .unwrap();
    db.execute_unprepared(
        "INSERT INTO award_ranking (call_id, rank, bid_id, bidder_id, total_price, total_score) VALUES \
         ('call-1', 1, 'bid-1', 'org-1', '45500.00', '92'), ('call-1', 2, 'bid-2', 'org-2', '47000.00', '80.5')",
    )
    .await
    .unwrap();
    db.execute_unprepared(
        "INSERT INTO service_contract (id, orderer_id, producer_id, call_id, procedure, pricing_model, status, \
         start_date, end_date, version, total_value, max_subcontracting_share, realization_status, created_at) \
         VALUES ('k-1', 'o-1', 'org-1', 'call-1', 'OPEN', 'UNIT_PRICE', 'DRAFT', '2027-01-01', '2027-12-31', 1, \
         '45500.00', NULL, 'ON_TRACK', '2027-02-09 09:00:00+00:00')",
    )
    .await
    .unwrap();
    migration::Migrator::up(&db, None).await.unwrap();
    let rows = |sql: &str| {
        let db = db.clone();
        let sql = sql.to_owned();
        async move {
            db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
                .await
                .unwrap()
        }
    };
    let awards =
        rows("SELECT id, call_id, lot_id, bid_id, justification FROM award_decision").await;
    assert_eq!(awards.len(), 1);
    let a = &awards[0];
    let text = |r: &sea_orm::QueryResult, c: &str| r.try_get::<Option<String>>("", c).unwrap();
    assert_eq!(
        (
            text(a, "id"),
            text(a, "call_id"),
            text(a, "lot_id"),
            text(a, "bid_id"),
            text(a, "justification")
        ),
        (
            Some("call-1".into()),
            Some("call-1".into()),
            None,
            Some("bid-1".into()),
            Some("Paras".into())
        )
    );
    let ranking = rows("SELECT award_id, bid_id, total_score FROM award_rank ORDER BY rank").await;
    assert_eq!(ranking.len(), 2);
    assert_eq!(text(&ranking[1], "award_id"), Some("call-1".into()));
    assert_eq!(text(&ranking[1], "total_score"), Some("80.5".into()));
    let contract = rows("SELECT source_call_id, lot_id FROM service_contract").await;
    assert_eq!(text(&contract[0], "source_call_id"), Some("call-1".into()));
    assert_eq!(text(&contract[0], "lot_id"), None);
    let old = rows("SELECT name FROM sqlite_master WHERE name IN ('award', 'award_ranking')").await;
    assert!(old.is_empty(), "the old tables are gone");
    db.close().await.ok();
    let _ = std::fs::remove_dir_all(&dir);
}
