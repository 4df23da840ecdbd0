//! Evaluation and award through GraphQL: evaluators and conflicts of interest, capability
//! judgements, scoring, the hand-computed MEAT result, disqualification reasons, the award
//! with its standstill and public ranking, unsuccessful calls, the comparison report, and the
//! authorisation matrix (evaluator, other orderer users, producers, anonymous).

use chrono::TimeDelta;
use kilpailutus_tests::{CallFixture, Market, PASSWORD, SUBMIT_BID, TestApp};
use serde_json::{Value, json};

const ASSIGN: &str = "mutation($c:ID!,$u:ID!){ assignEvaluator(callId:$c,userId:$u){ evaluators{ id } results{ rank } } }";
const JUDGE: &str = "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified disqualificationReasons } }";
const SCORE: &str = "mutation($b:ID!,$s:[ScoreInput!]!){ scoreBid(bidId:$b,scores:$s){ qualityScore totalScore rank } }";
const AWARD: &str = "mutation($c:ID!,$b:ID!,$j:String!){ awardCall(callId:$c,bidId:$b,justification:$j){ justification decidedAt standstillEndsAt ranking{ rank bidder{ id } totalPrice totalScore } } }";
const UNSUCCESSFUL: &str = "mutation($c:ID!,$r:String!){ declareUnsuccessful(callId:$c,reason:$r){ status unsuccessfulReason } }";
const EVALUATION: &str = "query($id:ID!){ call(id:$id){ status evaluation{ evaluators{ id } results{ bid{ id bidder{ id } } qualified disqualificationReasons priceScore qualityScore totalScore rank abnormallyLow } } } }";
const PUBLIC_AWARD: &str = "query($id:ID!){ call(id:$id){ status award{ justification decidedAt standstillEndsAt ranking{ rank bidder{ id name } totalPrice totalScore } } } }";

struct Scene {
    app: TestApp,
    m: Market,
    call: CallFixture,
    /// The second evaluator: another ORDERER user of the same organisation.
    e2_user: String,
    e2: String,
    /// An ORDERER user of the same organisation who is not an evaluator.
    bystander: String,
    a_bid: String,
    h_bid: String,
    b_bid: String,
}

/// Three bids: provider A 45 600.00, the in-house producer 41 087.50, provider B 50 112.50.
async fn scene() -> Scene {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let (e2_user, e2) = app
        .create_user(
            &m.admin,
            &m.orderer_org,
            "ORDERER",
            "arvioija2@kunta.example.fi",
        )
        .await;
    let (_, bystander) = app
        .create_user(
            &m.admin,
            &m.orderer_org,
            "ORDERER",
            "sivullinen@kunta.example.fi",
        )
        .await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let mut ids = Vec::new();
    for (token, prices) in [
        (&m.a, ["45.50", "8"]),
        (&m.in_house, ["41", "7"]),
        (&m.b, ["50", "9"]),
    ] {
        let d = app
            .ok(
                Some(token),
                SUBMIT_BID,
                json!({ "i": app.bid_input(&call, &prices) }),
            )
            .await;
        ids.push(d["submitBid"]["id"].as_str().unwrap().to_owned());
    }
    let (a_bid, h_bid, b_bid) = (ids[0].clone(), ids[1].clone(), ids[2].clone());
    Scene {
        app,
        m,
        call,
        e2_user,
        e2,
        bystander,
        a_bid,
        h_bid,
        b_bid,
    }
}

impl Scene {
    fn open_bids(&self) {
        self.app
            .clock
            .set(self.call.submission_deadline + TimeDelta::minutes(1));
    }

    async fn assign_both(&self) {
        for u in [&self.m.orderer_user, &self.e2_user] {
            self.app
                .ok(
                    Some(&self.m.orderer),
                    ASSIGN,
                    json!({ "c": self.call.id, "u": u }),
                )
                .await;
        }
    }

    async fn judge_all(&self, met: bool) {
        for b in [&self.a_bid, &self.h_bid, &self.b_bid] {
            self.judge(b, met).await;
        }
    }

    async fn judge(&self, bid: &str, met: bool) -> Value {
        let j = json!([{ "requirementId": self.call.requirement_ids[0], "met": met }]);
        self.app
            .ok(Some(&self.m.orderer), JUDGE, json!({ "b": bid, "j": j }))
            .await
    }

    async fn score(&self, token: &str, bid: &str, staff: Option<i32>, plan: Option<i32>) -> Value {
        let mut s = Vec::new();
        if let Some(p) = staff {
            s.push(json!({ "criterionId": self.call.criterion_ids[0], "points": p }));
        }
        if let Some(p) = plan {
            s.push(json!({ "criterionId": self.call.criterion_ids[1], "points": p }));
        }
        self.app
            .ok(Some(token), SCORE, json!({ "b": bid, "s": s }))
            .await
    }

    /// The scores of the hand-computed example (see `a_hand_computed_evaluation_ranks_the_bids`).
    async fn score_all(&self) {
        let (e1, e2) = (&self.m.orderer, &self.e2);
        self.score(e1, &self.a_bid, Some(8), Some(4)).await;
        self.score(e2, &self.a_bid, Some(6), Some(5)).await;
        self.score(e1, &self.h_bid, Some(10), Some(5)).await;
        self.score(e2, &self.h_bid, Some(10), Some(5)).await;
        self.score(e1, &self.b_bid, Some(9), None).await;
    }
}

#[tokio::test]
async fn a_hand_computed_evaluation_ranks_the_bids() {
    let s = scene().await;
    s.open_bids();
    s.assign_both().await;
    s.judge_all(true).await;
    s.score_all().await;
    // Lowest qualified total 41 087.50 (in-house).
    // In-house: price 60; quality 10/10 x 30 + 5/5 x 10 = 40; total 100.
    // A: price 41087.50 x 60 / 45600 = 54.0625; quality mean(8,6)=7 -> 21, mean(4,5)=4.5 -> 9; total 84.0625.
    // B: price 41087.50 x 60 / 50112.50 = 49.1943...; quality 9/10 x 30 = 27, plan unscored = 0; total 76.1943...
    let e = s
        .app
        .ok(Some(&s.m.orderer), EVALUATION, json!({ "id": s.call.id }))
        .await;
    let r = &e["call"]["evaluation"]["results"];
    assert_eq!(e["call"]["status"], "EVALUATION");
    assert_eq!(r[0]["bid"]["id"], s.h_bid.as_str());
    assert_eq!(r[0]["priceScore"], "60.00");
    assert_eq!(r[0]["qualityScore"], "40.00");
    assert_eq!(r[0]["totalScore"], "100.00");
    assert_eq!(r[1]["bid"]["id"], s.a_bid.as_str());
    assert_eq!(r[1]["priceScore"], "54.06");
    assert_eq!(r[1]["qualityScore"], "30.00");
    assert_eq!(r[1]["totalScore"], "84.06");
    assert_eq!(r[2]["bid"]["id"], s.b_bid.as_str());
    assert_eq!(r[2]["priceScore"], "49.19");
    assert_eq!(r[2]["qualityScore"], "27.00");
    assert_eq!(r[2]["totalScore"], "76.19");
    assert_eq!(
        r.as_array()
            .unwrap()
            .iter()
            .map(|x| x["rank"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert!(
        r.as_array()
            .unwrap()
            .iter()
            .all(|x| x["qualified"] == true && x["abnormallyLow"] == false)
    );
    assert_eq!(
        e["call"]["evaluation"]["evaluators"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn the_evaluation_is_the_orderers_and_only_after_the_deadline() {
    let s = scene().await;
    let (app, m) = (&s.app, &s.m);
    s.assign_both().await;
    let q = json!({ "id": s.call.id });
    for token in [&m.orderer, &s.e2, &s.bystander] {
        assert!(
            app.ok(Some(token), EVALUATION, q.clone()).await["call"]["evaluation"].is_null(),
            "before the deadline"
        );
    }
    s.open_bids();
    for token in [&m.orderer, &s.e2, &s.bystander] {
        let e = app.ok(Some(token), EVALUATION, q.clone()).await;
        assert_eq!(
            e["call"]["evaluation"]["results"].as_array().unwrap().len(),
            3
        );
    }
    for token in [
        Some(m.other_orderer.as_str()),
        Some(m.admin.as_str()),
        Some(m.a.as_str()),
        Some(m.in_house.as_str()),
        None,
    ] {
        assert!(app.ok(token, EVALUATION, q.clone()).await["call"]["evaluation"].is_null());
    }
}

#[tokio::test]
async fn before_the_deadline_judging_and_scoring_cannot_reach_a_sealed_bid() {
    let s = scene().await;
    s.assign_both().await;
    let j =
        json!({ "b": s.a_bid, "j": [{ "requirementId": s.call.requirement_ids[0], "met": true }] });
    assert_eq!(s.app.code(Some(&s.m.orderer), JUDGE, j).await, "NOT_FOUND");
    let sc =
        json!({ "b": s.a_bid, "s": [{ "criterionId": s.call.criterion_ids[0], "points": 5 }] });
    assert_eq!(s.app.code(Some(&s.m.orderer), SCORE, sc).await, "NOT_FOUND");
    let assigned = s
        .app
        .ok(
            Some(&s.m.orderer),
            ASSIGN,
            json!({ "c": s.call.id, "u": s.e2_user }),
        )
        .await;
    assert_eq!(
        assigned["assignEvaluator"]["results"],
        json!([]),
        "no results before the deadline"
    );
}

#[tokio::test]
async fn evaluators_are_orderer_users_of_the_call_organization() {
    let s = scene().await;
    let (app, m) = (&s.app, &s.m);
    let (other_org_user, _) = app
        .create_user(
            &m.admin,
            &app.create_org(&m.admin, "Toinen lautakunta", "ORDERER")
                .await,
            "ORDERER",
            "toinen@kunta.example.fi",
        )
        .await;
    let v = |u: &str| json!({ "c": s.call.id, "u": u });
    assert_eq!(
        app.code(None, ASSIGN, v(&s.e2_user)).await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.code(Some(&m.a), ASSIGN, v(&s.e2_user)).await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(Some(&m.other_orderer), ASSIGN, v(&s.e2_user))
            .await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(Some(&m.admin), ASSIGN, v(&s.e2_user)).await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.error(Some(&m.orderer), ASSIGN, v(&other_org_user))
            .await["extensions"]["field"],
        "userId"
    );
    let me = app.ok(Some(&m.a), "{ me { id } }", json!({})).await["me"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.error(Some(&m.orderer), ASSIGN, v(&me)).await["extensions"]["field"],
        "userId"
    );
    let ok = app.ok(Some(&s.bystander), ASSIGN, v(&s.e2_user)).await;
    assert_eq!(
        ok["assignEvaluator"]["evaluators"][0]["id"],
        s.e2_user.as_str(),
        "any orderer user of the organisation assigns"
    );
    app.ok(Some(&m.orderer), ASSIGN, v(&s.e2_user)).await;
    assert_eq!(
        app.count("call_evaluator").await,
        1,
        "assigning twice keeps one"
    );
}

#[tokio::test]
async fn an_evaluator_tied_to_a_bidder_is_a_conflict_of_interest() {
    let s = scene().await;
    let (app, m) = (&s.app, &s.m);
    // e2 sits on the in-house producer's board.
    app.ok(
        Some(&s.e2),
        "mutation($o:ID!){ declareTie(organizationId:$o){ id } }",
        json!({ "o": m.in_house_org }),
    )
    .await;
    // Before the deadline the bidders are sealed: the assignment is taken, revealing nothing...
    app.ok(
        Some(&m.orderer),
        ASSIGN,
        json!({ "c": s.call.id, "u": s.e2_user }),
    )
    .await;
    s.open_bids();
    // ...and the conflict stops the scoring once the bids are opened.
    let sc =
        json!({ "b": s.a_bid, "s": [{ "criterionId": s.call.criterion_ids[0], "points": 5 }] });
    assert_eq!(
        app.code(Some(&s.e2), SCORE, sc).await,
        "CONFLICT_OF_INTEREST"
    );
    // After the deadline the assignment itself is refused.
    let (tied_user, _) = app
        .create_user(
            &m.admin,
            &m.orderer_org,
            "ORDERER",
            "jasen@kunta.example.fi",
        )
        .await;
    let tied = app.login("jasen@kunta.example.fi", PASSWORD).await;
    app.ok(
        Some(&tied),
        "mutation($o:ID!){ declareTie(organizationId:$o){ id } }",
        json!({ "o": m.a_org }),
    )
    .await;
    assert_eq!(
        app.code(
            Some(&m.orderer),
            ASSIGN,
            json!({ "c": s.call.id, "u": tied_user })
        )
        .await,
        "CONFLICT_OF_INTEREST"
    );
    // A tie to an organisation that did not bid is no conflict.
    let (free_user, free) = app
        .create_user(
            &m.admin,
            &m.orderer_org,
            "ORDERER",
            "vapaa@kunta.example.fi",
        )
        .await;
    app.ok(
        Some(&free),
        "mutation($o:ID!){ declareTie(organizationId:$o){ id } }",
        json!({ "o": m.orderer_org }),
    )
    .await;
    app.ok(
        Some(&m.orderer),
        ASSIGN,
        json!({ "c": s.call.id, "u": free_user }),
    )
    .await;
}

#[tokio::test]
async fn only_assigned_evaluators_score_within_the_scale() {
    let s = scene().await;
    let (app, m) = (&s.app, &s.m);
    app.ok(
        Some(&m.orderer),
        ASSIGN,
        json!({ "c": s.call.id, "u": m.orderer_user }),
    )
    .await;
    s.open_bids();
    let v = |points: i32, criterion: &str| json!({ "b": s.a_bid, "s": [{ "criterionId": criterion, "points": points }] });
    let staff = &s.call.criterion_ids[0];
    assert_eq!(app.code(None, SCORE, v(5, staff)).await, "UNAUTHENTICATED");
    assert_eq!(
        app.code(Some(&s.bystander), SCORE, v(5, staff)).await,
        "FORBIDDEN",
        "an orderer user who is not an evaluator"
    );
    assert_eq!(
        app.code(Some(&m.other_orderer), SCORE, v(5, staff)).await,
        "NOT_FOUND",
        "another board never sees the bid"
    );
    assert_eq!(app.code(Some(&m.a), SCORE, v(5, staff)).await, "FORBIDDEN");
    assert_eq!(
        app.code(Some(&m.admin), SCORE, v(5, staff)).await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.error(Some(&m.orderer), SCORE, v(11, staff)).await["extensions"]["field"],
        "scores[0].points"
    );
    assert_eq!(
        app.error(Some(&m.orderer), SCORE, v(-1, staff)).await["extensions"]["field"],
        "scores[0].points"
    );
    let other = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), false)
        .await;
    assert_eq!(
        app.error(Some(&m.orderer), SCORE, v(1, &other.criterion_ids[0]))
            .await["extensions"]["field"],
        "scores[0].criterionId"
    );
    assert_eq!(app.count("bid_score").await, 0);
    // Scoring again replaces the evaluator's earlier scores of the bid.
    s.judge(&s.a_bid, true).await;
    s.score(&m.orderer, &s.a_bid, Some(10), Some(5)).await;
    let again = s.score(&m.orderer, &s.a_bid, Some(5), None).await;
    assert_eq!(
        again["scoreBid"]["qualityScore"], "15.00",
        "5/10 x 30; plan no longer scored"
    );
    assert_eq!(app.count("bid_score").await, 1);
}

#[tokio::test]
async fn disqualified_bids_carry_readable_reasons() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    // A has a grant from this orderer for 2027; B has a weak credit rating and small turnover.
    app.ok(Some(&m.admin), "mutation($o:ID!,$r:ID!){ recordGrant(ordererId:$o,recipientId:$r,fiscalYear:2027,amount:\"5000\"){ id } }", json!({ "o": m.orderer_org, "r": m.a_org })).await;
    app.ok(
        Some(&m.a),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&call, &["45.50", "8"]) }),
    )
    .await;
    let mut weak = app.bid_input(&call, &["45.50", "8"]);
    weak["creditRating"] = json!("B");
    weak["annualTurnover"] = json!("50000");
    weak["equityRatio"] = json!("0.1");
    app.ok(Some(&m.b), SUBMIT_BID, json!({ "i": weak })).await;
    app.clock.set(call.submission_deadline);
    let e = app
        .ok(Some(&m.orderer), EVALUATION, json!({ "id": call.id }))
        .await;
    let results = e["call"]["evaluation"]["results"]
        .as_array()
        .unwrap()
        .clone();
    let reasons_of = |org: &str| -> Vec<String> {
        results
            .iter()
            .find(|r| r["bid"]["bidder"]["id"] == org)
            .unwrap()["disqualificationReasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        reasons_of(&m.a_org),
        [
            "capability not yet judged",
            "holds a grant from this orderer for 2027"
        ]
    );
    // B: annual value 45 600 (the whole of 2027), 1.5 x = 68 400 > 50 000.
    assert_eq!(
        reasons_of(&m.b_org),
        [
            "annual turnover 50000.00 is below the required 68400.00 (1.5 x the bid's annual value 45600.00)",
            "equity ratio 0.1 is below the required 0.2",
            "credit rating B is below the required A",
            "capability not yet judged",
        ]
    );
    assert!(
        results
            .iter()
            .all(|r| r["qualified"] == false && r["rank"].is_null() && r["totalScore"].is_null())
    );
}

#[tokio::test]
async fn judging_capability_is_the_orderers_and_replaces_earlier_judgements() {
    let s = scene().await;
    let (app, m) = (&s.app, &s.m);
    s.open_bids();
    let j = |met: bool| json!({ "b": s.a_bid, "j": [{ "requirementId": s.call.requirement_ids[0], "met": met }] });
    assert_eq!(app.code(None, JUDGE, j(true)).await, "UNAUTHENTICATED");
    assert_eq!(app.code(Some(&m.a), JUDGE, j(true)).await, "FORBIDDEN");
    assert_eq!(
        app.code(Some(&m.other_orderer), JUDGE, j(true)).await,
        "NOT_FOUND",
        "another board never sees the bid"
    );
    let not_met = s.judge(&s.a_bid, false).await;
    assert_eq!(not_met["judgeCapability"]["qualified"], false);
    assert_eq!(
        not_met["judgeCapability"]["disqualificationReasons"],
        json!(["capability requirement not met: Licensed practical nurses on every shift"])
    );
    let met = s.judge(&s.a_bid, true).await;
    assert_eq!(met["judgeCapability"]["qualified"], true);
    let other = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), false)
        .await;
    let foreign =
        json!({ "b": s.a_bid, "j": [{ "requirementId": other.requirement_ids[0], "met": true }] });
    assert_eq!(
        app.error(Some(&m.orderer), JUDGE, foreign).await["extensions"]["field"],
        "judgements[0].requirementId"
    );
    assert_eq!(app.count("capability_judgement").await, 1);
}

#[tokio::test]
async fn the_award_goes_to_a_qualified_bid_starts_the_standstill_and_publishes_the_ranking() {
    let s = scene().await;
    let (app, m) = (&s.app, &s.m);
    let v = |bid: &str| json!({ "c": s.call.id, "b": bid, "j": "Best price-quality ratio" });
    assert_eq!(
        app.code(Some(&m.orderer), AWARD, v(&s.h_bid)).await,
        "INVALID_STATE",
        "not before the deadline"
    );
    s.open_bids();
    s.assign_both().await;
    s.judge_all(true).await;
    s.judge(&s.b_bid, false).await;
    s.score_all().await;
    assert_eq!(
        app.code(Some(&m.orderer), AWARD, v(&s.b_bid)).await,
        "INVALID_STATE",
        "B is not qualified"
    );
    assert_eq!(
        app.code(Some(&m.other_orderer), AWARD, v(&s.h_bid)).await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(Some(&m.in_house), AWARD, v(&s.h_bid)).await,
        "FORBIDDEN"
    );
    assert_eq!(app.code(None, AWARD, v(&s.h_bid)).await, "UNAUTHENTICATED");
    assert_eq!(
        app.error(
            Some(&m.orderer),
            AWARD,
            json!({ "c": s.call.id, "b": s.h_bid, "j": " " })
        )
        .await["extensions"]["field"],
        "justification"
    );
    let decided = app.clock_now();
    let a = app.ok(Some(&m.orderer), AWARD, v(&s.h_bid)).await;
    let award = &a["awardCall"];
    assert_eq!(
        award["decidedAt"],
        decided.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    );
    assert_eq!(
        award["standstillEndsAt"],
        (decided + TimeDelta::days(14)).to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    );
    // Public, also without a token: the qualified bids by rank.
    let public = app.ok(None, PUBLIC_AWARD, json!({ "id": s.call.id })).await;
    assert_eq!(public["call"]["status"], "AWARDED");
    let ranking = public["call"]["award"]["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), 2, "the disqualified bid is not ranked");
    assert_eq!(
        ranking[0],
        json!({ "rank": 1, "bidder": { "id": m.in_house_org, "name": "Kotihoidon liikelaitos" }, "totalPrice": "41087.50", "totalScore": "100.00" })
    );
    assert_eq!(ranking[1]["bidder"]["id"], m.a_org.as_str());
    assert_eq!(ranking[1]["totalScore"], "84.06");
    // The decision is final.
    assert_eq!(
        app.code(Some(&m.orderer), AWARD, v(&s.a_bid)).await,
        "INVALID_STATE"
    );
    let sc =
        json!({ "b": s.a_bid, "s": [{ "criterionId": s.call.criterion_ids[0], "points": 1 }] });
    assert_eq!(app.code(Some(&m.orderer), SCORE, sc).await, "INVALID_STATE");
    assert_eq!(
        app.code(
            Some(&m.orderer),
            UNSUCCESSFUL,
            json!({ "c": s.call.id, "r": "x" })
        )
        .await,
        "INVALID_STATE"
    );
}

#[tokio::test]
async fn the_awarded_bid_is_shown_to_the_orderer_and_the_winner_only() {
    let s = scene().await;
    let (app, m) = (&s.app, &s.m);
    s.open_bids();
    s.judge_all(true).await;
    app.ok(
        Some(&m.orderer),
        AWARD,
        json!({ "c": s.call.id, "b": s.a_bid, "j": "Lowest risk" }),
    )
    .await;
    let q = "query($id:ID!){ call(id:$id){ award{ bid{ id totalPrice lines{ unitPrice } } } } }";
    for token in [&m.orderer, &m.a] {
        let seen = app.ok(Some(token), q, json!({ "id": s.call.id })).await;
        assert_eq!(seen["call"]["award"]["bid"]["id"], s.a_bid.as_str());
    }
    for token in [
        Some(m.b.as_str()),
        Some(m.in_house.as_str()),
        Some(m.admin.as_str()),
        Some(m.other_orderer.as_str()),
        None,
    ] {
        let resp = app.gql(token, q, json!({ "id": s.call.id })).await;
        assert!(resp["data"]["call"]["award"].is_null(), "{resp}");
        assert_eq!(resp["errors"][0]["extensions"]["code"], "NOT_FOUND");
        assert!(
            !resp.to_string().contains("45.50"),
            "no price of the winner leaks: {resp}"
        );
    }
}

#[tokio::test]
async fn a_call_without_an_acceptable_bid_is_declared_unsuccessful() {
    let s = scene().await;
    let (app, m) = (&s.app, &s.m);
    let v = json!({ "c": s.call.id, "r": "All bids exceed the appropriation" });
    assert_eq!(
        app.code(Some(&m.orderer), UNSUCCESSFUL, v.clone()).await,
        "INVALID_STATE",
        "not before the deadline"
    );
    s.open_bids();
    assert_eq!(
        app.code(Some(&m.a), UNSUCCESSFUL, v.clone()).await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(Some(&m.other_orderer), UNSUCCESSFUL, v.clone())
            .await,
        "FORBIDDEN"
    );
    let done = app.ok(Some(&m.orderer), UNSUCCESSFUL, v).await;
    assert_eq!(done["declareUnsuccessful"]["status"], "UNSUCCESSFUL");
    assert_eq!(
        done["declareUnsuccessful"]["unsuccessfulReason"],
        "All bids exceed the appropriation"
    );
    assert!(
        app.ok(None, PUBLIC_AWARD, json!({ "id": s.call.id })).await["call"]["award"].is_null()
    );
}

#[tokio::test]
async fn the_comparison_report_shows_every_evaluators_points() {
    let s = scene().await;
    s.open_bids();
    s.assign_both().await;
    s.judge_all(true).await;
    s.score_all().await;
    let q = "query($id:ID!){ call(id:$id){ evaluation{ report{ criteria{ name } evaluators{ id } rows{ evaluation{ rank } bidder{ id } totalPrice capability{ met } criteria{ criterion{ name } mean weightedScore scores{ evaluator{ id } points } } } } } } }";
    let r = s
        .app
        .ok(Some(&s.m.orderer), q, json!({ "id": s.call.id }))
        .await;
    let report = &r["call"]["evaluation"]["report"];
    assert_eq!(report["evaluators"].as_array().unwrap().len(), 2);
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let b = &rows[2];
    assert_eq!(b["bidder"]["id"], s.m.b_org.as_str());
    assert_eq!(b["totalPrice"], "50112.50");
    assert_eq!(b["capability"], json!([{ "met": true }]));
    assert_eq!(
        b["criteria"][0]["scores"],
        json!([
            { "evaluator": { "id": s.m.orderer_user }, "points": 9 },
            { "evaluator": { "id": s.e2_user }, "points": null },
        ])
    );
    assert_eq!(b["criteria"][0]["mean"], "9.00");
    assert_eq!(b["criteria"][0]["weightedScore"], "27.00");
    assert!(b["criteria"][1]["mean"].is_null());
    assert_eq!(b["criteria"][1]["weightedScore"], "0.00");
    assert_eq!(rows[1]["criteria"][1]["mean"], "4.50");
    let _ = s.bystander;
}
