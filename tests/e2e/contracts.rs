//! Service contracts through GraphQL: the worked example (value per year, budget binding,
//! realisation after two monthly reports), BUDGET_EXCEEDED with nothing changed, concurrent
//! activations, amendments, the contract from an award after the standstill, direct contracts,
//! reporting rules, deviation alerts, termination, the portfolio, the benchmark and who sees what.

use chrono::{NaiveDate, TimeZone, Utc};
use kilpailutus_tests::{Market, SUBMIT_BID, TestApp};
use serde_json::{Value, json};
use std::sync::Arc;

const DIRECT: &str = "mutation($i:DirectContractInput!){ createDirectContract(input:$i){ id status procedure version totalValue lines{ product{ id } quantity unitPrice lineTotal } } }";
const ACTIVATE: &str = "mutation($id:ID!){ activateContract(id:$id){ id status } }";
const AMEND: &str = "mutation($id:ID!,$l:[ContractLineInput!]!,$r:String!){ amendContract(id:$id,lines:$l,reason:$r){ version totalValue amendments{ version reason valueDelta lines{ quantity unitPrice } } } }";
const TERMINATE: &str =
    "mutation($id:ID!,$r:String!){ terminateContract(id:$id,reason:$r){ status terminatedOn } }";
const REPORT: &str = "mutation($i:PerformanceReportInput!){ reportPerformance(input:$i){ period feedbackCount feedbackAverage lines{ product{ id } quantity cost } qualityMeasurements{ metric value } } }";
const CONTRACT: &str = "query($id:ID!){ contract(id:$id){ id status version totalValue procedure maxSubcontractingShare call{ id status } producer{ id } reports{ period } realization{ contractedValue deliveredValue percent forecastValue status } deviationAlerts{ status previousStatus period } } }";
const APPROPRIATIONS: &str =
    "query($y:Int!){ appropriations(fiscalYear:$y){ orderer{ id } amount committed available } }";
const SET_APPROPRIATION: &str = "mutation($o:ID!,$y:Int!,$a:Decimal!){ setAppropriation(ordererId:$o,fiscalYear:$y,amount:$a){ amount } }";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn appropriate(app: &TestApp, m: &Market, year: i32, amount: &str) {
    app.ok(
        Some(&m.admin),
        SET_APPROPRIATION,
        json!({ "o": m.orderer_org, "y": year, "a": amount }),
    )
    .await;
}

/// 1 000 h x 45.00 + 200 x 30.00 = 51 000.00 over 1 July 2027 – 30 June 2028 (366 days).
fn direct_input(m: &Market, start: &str, end: &str) -> Value {
    json!({ "i": {
        "producerId": m.in_house_org, "pricingModel": "UNIT_PRICE", "startDate": start, "endDate": end,
        "lines": [
            { "productId": m.products[0], "quantity": "1000", "unitPrice": "45.00" },
            { "productId": m.products[1], "quantity": "200", "unitPrice": "30.00" },
        ],
        "maxSubcontractingShare": "0.2",
    } })
}

/// A direct contract both parties have signed (still a DRAFT).
async fn direct(app: &TestApp, m: &Market, start: &str, end: &str) -> String {
    let d = app
        .ok(Some(&m.orderer), DIRECT, direct_input(m, start, end))
        .await;
    let id = d["createDirectContract"]["id"].as_str().unwrap().to_owned();
    app.sign_both(&id, &m.orderer, &m.in_house).await;
    id
}

fn report(contract: &str, period: &str, lines: &[(&str, &str)]) -> Value {
    json!({ "i": {
        "contractId": contract, "period": period,
        "lines": lines.iter().map(|(p, q)| json!({ "productId": p, "quantity": q, "cost": "100" })).collect::<Vec<_>>(),
        "feedbackCount": 12, "feedbackAverage": "4.2",
        "qualityMeasurements": [{ "metric": "on-time visits %", "value": "97.5" }],
    } })
}

fn committed_of(v: &Value, org: &str) -> (String, String) {
    let row = v["appropriations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["orderer"]["id"] == org)
        .unwrap();
    (
        row["committed"].as_str().unwrap().to_owned(),
        row["available"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn worked_example_value_per_year_budget_binding_and_realisation() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    appropriate(&app, &m, 2027, "30000.00").await;
    appropriate(&app, &m, 2028, "30000.00").await;
    let id = direct(&app, &m, "2027-07-01", "2028-06-30").await;
    let c = app
        .ok(Some(&m.orderer), CONTRACT, json!({ "id": id }))
        .await;
    assert_eq!(c["contract"]["status"], "DRAFT");
    assert_eq!(c["contract"]["procedure"], "IN_HOUSE");
    assert_eq!(c["contract"]["totalValue"], "51000.00");
    // Drafts commit nothing.
    assert_eq!(
        committed_of(
            &app.ok(Some(&m.admin), APPROPRIATIONS, json!({ "y": 2027 }))
                .await,
            &m.orderer_org
        )
        .0,
        "0.00"
    );
    app.ok(Some(&m.orderer), ACTIVATE, json!({ "id": id }))
        .await;
    // 51 000 x 184 / 366 = 25 639.34 in 2027; the rest, 25 360.66, in 2028.
    let y2027 = app
        .ok(Some(&m.admin), APPROPRIATIONS, json!({ "y": 2027 }))
        .await;
    assert_eq!(
        committed_of(&y2027, &m.orderer_org),
        ("25639.34".into(), "4360.66".into())
    );
    let y2028 = app
        .ok(Some(&m.orderer), APPROPRIATIONS, json!({ "y": 2028 }))
        .await;
    assert_eq!(
        committed_of(&y2028, &m.orderer_org),
        ("25360.66".into(), "4639.34".into())
    );
    // Two monthly reports, in September 2027.
    app.clock
        .set(Utc.with_ymd_and_hms(2027, 9, 5, 9, 0, 0).unwrap());
    let (p0, p1) = (m.products[0].as_str(), m.products[1].as_str());
    let r = app
        .ok(
            Some(&m.in_house),
            REPORT,
            report(&id, "2027-07", &[(p0, "90"), (p1, "15")]),
        )
        .await;
    assert_eq!(
        r["reportPerformance"]["qualityMeasurements"],
        json!([{ "metric": "on-time visits %", "value": "97.5" }])
    );
    app.ok(
        Some(&m.in_house),
        REPORT,
        report(&id, "2027-08", &[(p0, "80"), (p1, "20")]),
    )
    .await;
    // Delivered 170 x 45 + 35 x 30 = 8 700. Days covered 1 July – 31 August = 62.
    // Expected 51 000 x 62 / 366 = 8 639.34…; percent 100.70; forecast 8 700 x 366 / 62 = 51 358.06.
    let c = app
        .ok(Some(&m.orderer), CONTRACT, json!({ "id": id }))
        .await;
    let real = &c["contract"]["realization"];
    println!(
        "worked example: 2027 committed 25639.34, 2028 committed 25360.66; realisation {real}"
    );
    assert_eq!(real["contractedValue"], "51000.00");
    assert_eq!(real["deliveredValue"], "8700.00");
    assert_eq!(real["percent"], "100.70");
    assert_eq!(real["forecastValue"], "51358.06");
    assert_eq!(real["status"], "ON_TRACK");
    assert_eq!(
        c["contract"]["reports"],
        json!([{ "period": "2027-07" }, { "period": "2027-08" }])
    );
    assert_eq!(c["contract"]["deviationAlerts"], json!([]));
}

#[tokio::test]
async fn an_activation_without_room_is_budget_exceeded_and_changes_nothing() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    appropriate(&app, &m, 2027, "25639.33").await;
    appropriate(&app, &m, 2028, "50000").await;
    let id = direct(&app, &m, "2027-07-01", "2028-06-30").await;
    let chain = app.audit_chain().await.len();
    let err = app
        .error(Some(&m.orderer), ACTIVATE, json!({ "id": id }))
        .await;
    assert_eq!(err["extensions"]["code"], "BUDGET_EXCEEDED");
    assert!(err["message"].as_str().unwrap().contains("2027"), "{err}");
    let c = app
        .ok(Some(&m.orderer), CONTRACT, json!({ "id": id }))
        .await;
    assert_eq!(c["contract"]["status"], "DRAFT");
    for y in [2027, 2028] {
        assert_eq!(
            committed_of(
                &app.ok(Some(&m.admin), APPROPRIATIONS, json!({ "y": y }))
                    .await,
                &m.orderer_org
            )
            .0,
            "0.00"
        );
    }
    assert_eq!(app.audit_chain().await.len(), chain);
    // A year without any appropriation has no room either.
    let three_years = direct(&app, &m, "2027-07-01", "2029-06-30").await;
    appropriate(&app, &m, 2027, "1000000").await;
    let err = app
        .error(Some(&m.orderer), ACTIVATE, json!({ "id": three_years }))
        .await;
    assert_eq!(err["extensions"]["code"], "BUDGET_EXCEEDED");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("no appropriation for 2029"),
        "{err}"
    );
    // With room it activates, and the appropriation cannot then drop below what is committed.
    app.ok(Some(&m.orderer), ACTIVATE, json!({ "id": id }))
        .await;
    assert_eq!(
        app.code(
            Some(&m.admin),
            SET_APPROPRIATION,
            json!({ "o": m.orderer_org, "y": 2028, "a": "100" })
        )
        .await,
        "BUDGET_EXCEEDED"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_activations_never_overcommit_the_appropriation() {
    let app = Arc::new(TestApp::new().await);
    let m = Arc::new(Market::new(&app).await);
    // Each contract is 51 000 in one year; 160 000 has room for three of eight.
    appropriate(&app, &m, 2027, "160000").await;
    let mut ids = Vec::new();
    for _ in 0..8 {
        ids.push(direct(&app, &m, "2027-01-01", "2027-12-31").await);
    }
    let tasks: Vec<_> = ids
        .iter()
        .map(|id| {
            let (app, m, id) = (app.clone(), m.clone(), id.clone());
            tokio::spawn(async move {
                app.gql(Some(&m.orderer), ACTIVATE, json!({ "id": id }))
                    .await
            })
        })
        .collect();
    let (mut ok, mut refused) = (0, 0);
    for t in tasks {
        let r = t.await.unwrap();
        match r.get("errors") {
            None => ok += 1,
            Some(e) => {
                assert_eq!(e[0]["extensions"]["code"], "BUDGET_EXCEEDED", "{r}");
                refused += 1;
            }
        }
    }
    println!("concurrent activations: {ok} activated, {refused} refused (room for 3)");
    assert_eq!((ok, refused), (3, 5));
    let y = app
        .ok(Some(&m.admin), APPROPRIATIONS, json!({ "y": 2027 }))
        .await;
    assert_eq!(
        committed_of(&y, &m.orderer_org),
        ("153000.00".into(), "7000.00".into())
    );
}

#[tokio::test]
async fn an_amendment_makes_a_new_version_checked_against_the_budget() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    appropriate(&app, &m, 2027, "60000").await;
    let id = direct(&app, &m, "2027-01-01", "2027-12-31").await;
    app.ok(Some(&m.orderer), ACTIVATE, json!({ "id": id }))
        .await;
    let lines = |hours: &str| {
        json!([
            { "productId": m.products[0], "quantity": hours, "unitPrice": "45.00" },
            { "productId": m.products[1], "quantity": "200", "unitPrice": "30.00" },
        ])
    };
    // +200 h = +9 000: 60 000 fits exactly.
    let a = app
        .ok(
            Some(&m.orderer),
            AMEND,
            json!({ "id": id, "l": lines("1200"), "r": "More clients in the eastern district" }),
        )
        .await;
    let amended = &a["amendContract"];
    assert_eq!(amended["version"], 2);
    assert_eq!(amended["totalValue"], "60000.00");
    assert_eq!(amended["amendments"][0]["valueDelta"], "9000.00");
    assert_eq!(
        amended["amendments"][0]["reason"],
        "More clients in the eastern district"
    );
    let y = app
        .ok(Some(&m.admin), APPROPRIATIONS, json!({ "y": 2027 }))
        .await;
    assert_eq!(
        committed_of(&y, &m.orderer_org),
        ("60000.00".into(), "0.00".into())
    );
    // One hour more does not fit: refused, and nothing changes.
    let err = app
        .error(
            Some(&m.orderer),
            AMEND,
            json!({ "id": id, "l": lines("1201"), "r": "One more" }),
        )
        .await;
    assert_eq!(err["extensions"]["code"], "BUDGET_EXCEEDED");
    // A decrease always fits, and the original version stays readable.
    let a = app
        .ok(
            Some(&m.orderer),
            AMEND,
            json!({ "id": id, "l": lines("900"), "r": "Fewer clients" }),
        )
        .await;
    assert_eq!(a["amendContract"]["version"], 3);
    assert_eq!(
        a["amendContract"]["amendments"][1]["valueDelta"],
        "-13500.00"
    );
    let v1 = app
        .ok(
            Some(&m.orderer),
            "query($id:ID!){ contract(id:$id){ linesOfVersion(version:1){ quantity } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(v1["contract"]["linesOfVersion"][0]["quantity"], "1000");
    assert_eq!(
        app.error(
            Some(&m.orderer),
            AMEND,
            json!({ "id": id, "l": lines("10"), "r": " " })
        )
        .await["extensions"]["field"],
        "reason"
    );
    assert_eq!(
        app.error(
            Some(&m.orderer),
            AMEND,
            json!({ "id": id, "l": [], "r": "x" })
        )
        .await["extensions"]["field"],
        "lines"
    );
    assert_eq!(
        app.code(
            Some(&m.other_orderer),
            AMEND,
            json!({ "id": id, "l": lines("10"), "r": "x" })
        )
        .await,
        "NOT_FOUND"
    );
    assert_eq!(
        app.code(
            Some(&m.in_house),
            AMEND,
            json!({ "id": id, "l": lines("10"), "r": "x" })
        )
        .await,
        "FORBIDDEN"
    );
}

#[tokio::test]
async fn a_contract_is_made_from_the_award_after_the_standstill() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let bid = app
        .ok(
            Some(&m.a),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &["45.50", "8.1234"]) }),
        )
        .await;
    let bid_id = bid["submitBid"]["id"].as_str().unwrap().to_owned();
    app.clock.set(call.submission_deadline);
    app.ok(Some(&m.orderer), "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }", json!({ "b": bid_id, "j": [{ "requirementId": call.requirement_ids[0], "met": true }] })).await;
    let award = app.ok(Some(&m.orderer), "mutation($c:ID!,$b:ID!){ awardCall(callId:$c,bidId:$b,justification:\"Only bid\"){ standstillEndsAt } }", json!({ "c": call.id, "b": bid_id })).await;
    let q = "mutation($c:ID!){ createContractFromAward(callId:$c){ id procedure status producer{ id } maxSubcontractingShare totalValue lines{ quantity unitPrice lineTotal } call{ id } } }";
    assert_eq!(
        app.code(Some(&m.orderer), q, json!({ "c": call.id })).await,
        "INVALID_STATE",
        "during the standstill"
    );
    let ends: chrono::DateTime<Utc> = award["awardCall"]["standstillEndsAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    app.clock.set(ends);
    assert_eq!(
        app.code(Some(&m.a), q, json!({ "c": call.id })).await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(Some(&m.other_orderer), q, json!({ "c": call.id }))
            .await,
        "FORBIDDEN"
    );
    let made = app.ok(Some(&m.orderer), q, json!({ "c": call.id })).await;
    let c = &made["createContractFromAward"];
    assert_eq!(c["procedure"], "OPEN");
    assert_eq!(c["producer"]["id"], m.a_org.as_str());
    assert_eq!(c["maxSubcontractingShare"], "0.3");
    // 1000 x 45.50 + 12.5 x 8.1234
    assert_eq!(c["totalValue"], "45601.54250");
    assert_eq!(
        c["lines"][1],
        json!({ "quantity": "12.5", "unitPrice": "8.1234", "lineTotal": "101.54250" })
    );
    assert_eq!(
        app.code(Some(&m.orderer), q, json!({ "c": call.id })).await,
        "INVALID_STATE",
        "one contract per call"
    );
    appropriate(&app, &m, 2027, "50000").await;
    let id = c["id"].as_str().unwrap();
    app.sign_both(id, &m.orderer, &m.a).await;
    app.ok(Some(&m.orderer), ACTIVATE, json!({ "id": id }))
        .await;
    let seen = app
        .ok(
            None,
            "query($id:ID!){ call(id:$id){ status } }",
            json!({ "id": call.id }),
        )
        .await;
    assert_eq!(seen["call"]["status"], "CONTRACTED");
    let mine = app.ok(Some(&m.a), CONTRACT, json!({ "id": id })).await;
    assert_eq!(mine["contract"]["call"]["status"], "CONTRACTED");
}

#[tokio::test]
async fn a_direct_contract_is_made_with_an_in_house_producer_only() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let mut external = direct_input(&m, "2025-01-01", "2025-12-31");
    external["i"]["producerId"] = json!(m.a_org);
    assert_eq!(
        app.error(Some(&m.orderer), DIRECT, external).await["extensions"]["field"],
        "producerId"
    );
    assert_eq!(
        app.error(
            Some(&m.orderer),
            DIRECT,
            direct_input(&m, "2027-01-01", "2027-01-01")
        )
        .await["extensions"]["field"],
        "endDate"
    );
    let mut bad_line = direct_input(&m, "2027-01-01", "2027-12-31");
    bad_line["i"]["lines"][0]["quantity"] = json!("0");
    assert_eq!(
        app.error(Some(&m.orderer), DIRECT, bad_line).await["extensions"]["field"],
        "lines[0].quantity"
    );
    let mut twice = direct_input(&m, "2027-01-01", "2027-12-31");
    twice["i"]["lines"][1]["productId"] = json!(m.products[0]);
    assert_eq!(
        app.error(Some(&m.orderer), DIRECT, twice).await["extensions"]["field"],
        "lines[1].productId"
    );
    for token in [&m.admin, &m.in_house, &m.a] {
        assert_eq!(
            app.code(
                Some(token),
                DIRECT,
                direct_input(&m, "2027-01-01", "2027-12-31")
            )
            .await,
            "FORBIDDEN"
        );
    }
    assert_eq!(
        app.code(None, DIRECT, direct_input(&m, "2027-01-01", "2027-12-31"))
            .await,
        "UNAUTHENTICATED"
    );
    assert_eq!(app.count("service_contract").await, 0);
    // Dates may lie in the past: contracts are often signed after their period began.
    let past = app
        .ok(
            Some(&m.orderer),
            DIRECT,
            direct_input(&m, "2025-01-01", "2025-12-31"),
        )
        .await;
    assert_eq!(past["createDirectContract"]["status"], "DRAFT");
}

#[tokio::test]
async fn reports_come_from_the_producer_for_months_inside_the_contract_and_not_ahead() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    appropriate(&app, &m, 2027, "100000").await;
    let id = direct(&app, &m, "2027-01-01", "2027-12-31").await;
    let p0 = m.products[0].as_str();
    app.clock
        .set(Utc.with_ymd_and_hms(2027, 3, 10, 12, 0, 0).unwrap());
    assert_eq!(
        app.code(
            Some(&m.in_house),
            REPORT,
            report(&id, "2027-02", &[(p0, "80")])
        )
        .await,
        "INVALID_STATE",
        "a draft"
    );
    app.ok(Some(&m.orderer), ACTIVATE, json!({ "id": id }))
        .await;
    assert_eq!(
        app.code(
            Some(&m.orderer),
            REPORT,
            report(&id, "2027-02", &[(p0, "80")])
        )
        .await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(Some(&m.a), REPORT, report(&id, "2027-02", &[(p0, "80")]))
            .await,
        "NOT_FOUND"
    );
    assert_eq!(
        app.code(None, REPORT, report(&id, "2027-02", &[(p0, "80")]))
            .await,
        "UNAUTHENTICATED"
    );
    for (period, lines, field) in [
        ("2026-12", vec![(p0, "80")], "period"),
        ("2027-04", vec![(p0, "80")], "period"),
        ("2027-13", vec![(p0, "80")], "period"),
        (
            "2027-02",
            vec![(m.a_org.as_str(), "80")],
            "lines[0].productId",
        ),
        ("2027-02", vec![(p0, "-1")], "lines[0].quantity"),
    ] {
        let err = app
            .error(Some(&m.in_house), REPORT, report(&id, period, &lines))
            .await;
        assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err}");
        assert_eq!(err["extensions"]["field"], field, "{err}");
    }
    let mut bad_average = report(&id, "2027-02", &[(p0, "80")]);
    bad_average["i"]["feedbackAverage"] = json!("5.5");
    assert_eq!(
        app.error(Some(&m.in_house), REPORT, bad_average).await["extensions"]["field"],
        "feedbackAverage"
    );
    app.ok(
        Some(&m.in_house),
        REPORT,
        report(&id, "2027-03", &[(p0, "10")]),
    )
    .await;
    app.ok(
        Some(&m.in_house),
        REPORT,
        report(&id, "2027-03", &[(p0, "70")]),
    )
    .await;
    let c = app
        .ok(Some(&m.in_house), CONTRACT, json!({ "id": id }))
        .await;
    assert_eq!(
        c["contract"]["reports"],
        json!([{ "period": "2027-03" }]),
        "the second report replaced the first"
    );
    assert_eq!(
        c["contract"]["realization"]["deliveredValue"], "3150.00",
        "70 x 45"
    );
    assert_eq!(
        c["contract"]["deviationAlerts"],
        json!([]),
        "alerts are the orderer's"
    );
}

#[tokio::test]
async fn a_turn_to_over_or_under_records_a_deviation_alert_for_the_orderer() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    appropriate(&app, &m, 2027, "100000").await;
    // 36 500 over 2027: 100 a day. January (31 days): expected 3 100.
    let input = json!({ "i": {
        "producerId": m.in_house_org, "pricingModel": "UNIT_PRICE", "startDate": "2027-01-01", "endDate": "2027-12-31",
        "lines": [{ "productId": m.products[0], "quantity": "365", "unitPrice": "100" }],
    } });
    let id = app.ok(Some(&m.orderer), DIRECT, input).await["createDirectContract"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.sign_both(&id, &m.orderer, &m.in_house).await;
    app.ok(Some(&m.orderer), ACTIVATE, json!({ "id": id }))
        .await;
    app.clock
        .set(Utc.with_ymd_and_hms(2027, 4, 2, 8, 0, 0).unwrap());
    let p0 = m.products[0].as_str();
    let status = |v: &Value| {
        v["contract"]["realization"]["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // January: 27 units = 2 700, forecast 2 700 x 365 / 31 = 31 790.32: 12.9 % under.
    app.ok(
        Some(&m.in_house),
        REPORT,
        report(&id, "2027-01", &[(p0, "27")]),
    )
    .await;
    let c = app
        .ok(Some(&m.orderer), CONTRACT, json!({ "id": id }))
        .await;
    assert_eq!(status(&c), "UNDER");
    assert_eq!(
        c["contract"]["deviationAlerts"],
        json!([{ "status": "UNDER", "previousStatus": "ON_TRACK", "period": "2027-01" }])
    );
    // February: 31 more (58 in 59 days): back on track, no alert.
    app.ok(
        Some(&m.in_house),
        REPORT,
        report(&id, "2027-02", &[(p0, "31")]),
    )
    .await;
    let c = app
        .ok(Some(&m.orderer), CONTRACT, json!({ "id": id }))
        .await;
    assert_eq!(status(&c), "ON_TRACK");
    assert_eq!(
        c["contract"]["deviationAlerts"].as_array().unwrap().len(),
        1
    );
    // March: 60 more (118 in 90 days): forecast 47 855.56, 31 % over.
    app.ok(
        Some(&m.in_house),
        REPORT,
        report(&id, "2027-03", &[(p0, "60")]),
    )
    .await;
    let c = app
        .ok(Some(&m.orderer), CONTRACT, json!({ "id": id }))
        .await;
    assert_eq!(status(&c), "OVER");
    assert_eq!(c["contract"]["realization"]["forecastValue"], "47855.56");
    assert_eq!(
        c["contract"]["deviationAlerts"][1],
        json!({ "status": "OVER", "previousStatus": "ON_TRACK", "period": "2027-03" })
    );
}

#[tokio::test]
async fn termination_releases_the_days_not_run() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    appropriate(&app, &m, 2027, "100000").await;
    let input = json!({ "i": {
        "producerId": m.in_house_org, "pricingModel": "LUMP_SUM", "startDate": "2027-01-01", "endDate": "2027-12-31",
        "lines": [{ "productId": m.products[0], "quantity": "365", "unitPrice": "100" }],
    } });
    let id = app.ok(Some(&m.orderer), DIRECT, input).await["createDirectContract"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.sign_both(&id, &m.orderer, &m.in_house).await;
    app.ok(Some(&m.orderer), ACTIVATE, json!({ "id": id }))
        .await;
    app.clock
        .set(Utc.with_ymd_and_hms(2027, 1, 31, 16, 0, 0).unwrap());
    assert_eq!(
        app.code(Some(&m.in_house), TERMINATE, json!({ "id": id, "r": "x" }))
            .await,
        "FORBIDDEN"
    );
    let t = app
        .ok(
            Some(&m.orderer),
            TERMINATE,
            json!({ "id": id, "r": "The producer ceased operations" }),
        )
        .await;
    assert_eq!(
        t["terminateContract"],
        json!({ "status": "TERMINATED", "terminatedOn": "2027-01-31" })
    );
    // 31 days of 36 500 over 365 days = 3 100 stays committed.
    let y = app
        .ok(Some(&m.admin), APPROPRIATIONS, json!({ "y": 2027 }))
        .await;
    assert_eq!(
        committed_of(&y, &m.orderer_org),
        ("3100.00".into(), "96900.00".into())
    );
    assert_eq!(
        app.code(
            Some(&m.orderer),
            TERMINATE,
            json!({ "id": id, "r": "again" })
        )
        .await,
        "INVALID_STATE"
    );
    assert_eq!(
        app.code(Some(&m.orderer), ACTIVATE, json!({ "id": id }))
            .await,
        "INVALID_STATE"
    );
}

#[tokio::test]
async fn the_portfolio_splits_the_years_value_between_in_house_and_external() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    appropriate(&app, &m, 2027, "200000").await;
    appropriate(&app, &m, 2028, "200000").await;
    // In-house: 51 000 over July 2027 – June 2028: 25 639.34 in 2027.
    let in_house = direct(&app, &m, "2027-07-01", "2028-06-30").await;
    app.ok(Some(&m.orderer), ACTIVATE, json!({ "id": in_house }))
        .await;
    // External, from an award: 45 601.5425 over 2027.
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let bid = app
        .ok(
            Some(&m.a),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &["45.50", "8.1234"]) }),
        )
        .await;
    let bid_id = bid["submitBid"]["id"].as_str().unwrap().to_owned();
    app.clock.set(call.submission_deadline);
    app.ok(Some(&m.orderer), "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }", json!({ "b": bid_id, "j": [{ "requirementId": call.requirement_ids[0], "met": true }] })).await;
    app.ok(Some(&m.orderer), "mutation($c:ID!,$b:ID!){ awardCall(callId:$c,bidId:$b,justification:\"Only bid\"){ decidedAt } }", json!({ "c": call.id, "b": bid_id })).await;
    let ext_id = &app.contract_after_standstill(&m.orderer, &call.id).await;
    app.sign_both(ext_id, &m.orderer, &m.a).await;
    app.ok(Some(&m.orderer), ACTIVATE, json!({ "id": ext_id }))
        .await;
    // A draft does not count.
    direct(&app, &m, "2027-01-01", "2027-12-31").await;
    let q = "query($o:ID!,$y:Int!){ portfolio(ordererId:$o,fiscalYear:$y){ fiscalYear contracts{ id } totalValue inHouseValue externalValue inHouseShare appropriation{ amount committed available } } }";
    let p = app
        .ok(
            Some(&m.orderer),
            q,
            json!({ "o": m.orderer_org, "y": 2027 }),
        )
        .await;
    let p = &p["portfolio"];
    assert_eq!(p["contracts"].as_array().unwrap().len(), 2);
    assert_eq!(p["inHouseValue"], "25639.34");
    assert_eq!(p["externalValue"], "45601.54250");
    assert_eq!(p["totalValue"], "71240.88250");
    // 25 639.34 / 71 240.8825 x 100 = 35.99…
    assert_eq!(p["inHouseShare"], "35.99");
    assert_eq!(
        p["appropriation"],
        json!({ "amount": "200000", "committed": "71240.88250", "available": "128759.11750" })
    );
    let p28 = app
        .ok(Some(&m.admin), q, json!({ "o": m.orderer_org, "y": 2028 }))
        .await;
    assert_eq!(p28["portfolio"]["inHouseShare"], "100.00");
    assert_eq!(p28["portfolio"]["totalValue"], "25360.66");
    for token in [&m.other_orderer, &m.in_house, &m.a] {
        assert_eq!(
            app.code(Some(token), q, json!({ "o": m.orderer_org, "y": 2027 }))
                .await,
            "FORBIDDEN"
        );
    }
}

#[tokio::test]
async fn the_benchmark_compares_the_in_house_cost_with_external_bids_on_decided_calls_only() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let (c_org, c) = app.provider(3).await;
    let _ = c_org;
    app.ok(Some(&m.in_house), "mutation($p:ID!){ saveCostCalculation(input:{productId:$p,fiscalYear:2027,volume:\"2500\",directCosts:\"100000\",overheadRate:\"0.1\"}){ unitCost } }", json!({ "p": m.products[0] })).await;
    // An opened call: external unit prices 40, 44, 50 and 46 for the product; the in-house bids 43.
    let opened = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    for (token, price) in [(&m.a, "40"), (&m.b, "44"), (&c, "50"), (&m.in_house, "43")] {
        app.ok(
            Some(token),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&opened, &[price, "8"]) }),
        )
        .await;
    }
    let (_, d) = app.provider(4).await;
    app.ok(
        Some(&d),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&opened, &["46", "8"]) }),
    )
    .await;
    // A withdrawn external bid does not count.
    let (_, e) = app.provider(5).await;
    app.ok(
        Some(&e),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&opened, &["1", "8"]) }),
    )
    .await;
    app.ok(
        Some(&e),
        "mutation($c:ID!){ withdrawBid(callId:$c){ id } }",
        json!({ "c": opened.id }),
    )
    .await;
    app.clock.set(opened.submission_deadline);
    let q = "query($p:ID!,$y:Int!){ benchmark(productId:$p,fiscalYear:$y){ fiscalYear inHouseUnitCost inHouseBidPrices marketCount marketMin marketMedian marketMax inHouseIndex } }";
    let v = json!({ "p": m.products[0], "y": 2027 });
    // Opened but not decided: its prices do not count yet.
    assert_eq!(
        app.ok(Some(&m.in_house), q, v.clone()).await["benchmark"]["marketCount"],
        0
    );
    app.ok(
        Some(&m.orderer),
        "mutation($c:ID!){ declareUnsuccessful(callId:$c,reason:\"over budget\"){ status } }",
        json!({ "c": opened.id }),
    )
    .await;
    // A call still open (sealed) holding an extreme price.
    let mut later = app.call_input(&m.product_refs());
    later["questionsDeadline"] = json!((app.clock_now() + chrono::TimeDelta::days(3)).to_rfc3339());
    later["submissionDeadline"] =
        json!((app.clock_now() + chrono::TimeDelta::days(5)).to_rfc3339());
    let sealed = app.make_call(&m.orderer, later, true).await;
    app.ok(
        Some(&m.a),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&sealed, &["0.01", "8"]) }),
    )
    .await;
    app.ok(
        Some(&m.b),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&sealed, &["9999", "8"]) }),
    )
    .await;
    let b = app.ok(Some(&m.in_house), q, v.clone()).await;
    // Unit cost 100 000 x 1.1 / 2 500 = 44; market 40, 44, 46, 50: median (44 + 46) / 2 = 45; index 44 / 45 x 100.
    assert_eq!(
        b["benchmark"],
        json!({
            "fiscalYear": 2027, "inHouseUnitCost": "44", "inHouseBidPrices": ["43"], "marketCount": 4,
            "marketMin": "40", "marketMedian": "45", "marketMax": "50", "inHouseIndex": "97.78",
        })
    );
    let orderer_view = app.ok(Some(&m.orderer), q, v.clone()).await;
    assert_eq!(
        orderer_view["benchmark"]["marketCount"], 4,
        "the sealed call's prices never count"
    );
    assert_eq!(
        app.ok(Some(&m.admin), q, json!({ "p": m.products[0], "y": 2028 }))
            .await["benchmark"]["marketCount"],
        0
    );
    assert_eq!(app.code(Some(&m.a), q, v.clone()).await, "FORBIDDEN");
    assert_eq!(app.code(None, q, v.clone()).await, "UNAUTHENTICATED");
    // Once that call is opened its prices still wait for the decision; then they count.
    app.clock.set(app.clock_now() + chrono::TimeDelta::days(6));
    assert_eq!(
        app.ok(Some(&m.in_house), q, v.clone()).await["benchmark"]["marketCount"],
        4
    );
    app.ok(
        Some(&m.orderer),
        "mutation($c:ID!){ declareUnsuccessful(callId:$c,reason:\"over budget\"){ status } }",
        json!({ "c": sealed.id }),
    )
    .await;
    let b = app.ok(Some(&m.in_house), q, v).await;
    assert_eq!(b["benchmark"]["marketCount"], 6);
    assert_eq!(b["benchmark"]["marketMin"], "0.01");
}

#[tokio::test]
async fn the_benchmark_never_shows_one_or_two_bidders_prices() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let q = "query($p:ID!,$y:Int!){ benchmark(productId:$p,fiscalYear:$y){ marketCount marketMin marketMedian marketMax inHouseIndex } }";
    let v = json!({ "p": m.products[0], "y": 2027 });
    app.ok(Some(&m.in_house), "mutation($p:ID!){ saveCostCalculation(input:{productId:$p,fiscalYear:2027,volume:\"2500\",directCosts:\"100000\",overheadRate:\"0.1\"}){ unitCost } }", json!({ "p": m.products[0] })).await;
    let mut decided = Vec::new();
    for bidders in [vec![(&m.a, "52.706")], vec![(&m.a, "41"), (&m.b, "47")]] {
        let call = app
            .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
            .await;
        for (token, price) in &bidders {
            app.ok(
                Some(token),
                SUBMIT_BID,
                json!({ "i": app.bid_input(&call, &[price, "8"]) }),
            )
            .await;
        }
        app.clock.set(call.submission_deadline);
        app.ok(
            Some(&m.orderer),
            "mutation($c:ID!){ declareUnsuccessful(callId:$c,reason:\"none fits\"){ status } }",
            json!({ "c": call.id }),
        )
        .await;
        decided.push(call);
        // One external bidder, then two (on another call): the count only, to every viewer.
        for token in [&m.in_house, &m.orderer, &m.admin] {
            let b = app.ok(Some(token), q, v.clone()).await;
            let n = decided.len();
            assert_eq!(
                b["benchmark"],
                json!({ "marketCount": n * (n + 1) / 2, "marketMin": null, "marketMedian": null, "marketMax": null, "inHouseIndex": null }),
                "{n} calls"
            );
        }
    }
    // A third distinct bidder (across the decided calls) shows the figures.
    let (_, c) = app.provider(3).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    app.ok(
        Some(&c),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&call, &["50", "8"]) }),
    )
    .await;
    app.clock.set(call.submission_deadline);
    app.ok(
        Some(&m.orderer),
        "mutation($c:ID!){ declareUnsuccessful(callId:$c,reason:\"none fits\"){ status } }",
        json!({ "c": call.id }),
    )
    .await;
    let b = app.ok(Some(&m.in_house), q, v).await;
    assert_eq!(
        b["benchmark"],
        json!({ "marketCount": 4, "marketMin": "41", "marketMedian": "48.50", "marketMax": "52.706", "inHouseIndex": "90.72" })
    );
}

#[tokio::test]
async fn contracts_are_seen_by_their_parties_and_admins_only() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let id = direct(&app, &m, "2027-01-01", "2027-12-31").await;
    for token in [&m.orderer, &m.in_house, &m.admin] {
        assert_eq!(
            app.ok(Some(token), CONTRACT, json!({ "id": id })).await["contract"]["id"],
            id.as_str()
        );
    }
    for token in [Some(m.other_orderer.as_str()), Some(m.a.as_str()), None] {
        assert!(app.ok(token, CONTRACT, json!({ "id": id })).await["contract"].is_null());
    }
    let list = "query($s:ContractStatus){ contracts(status:$s){ id } }";
    assert_eq!(
        app.ok(Some(&m.orderer), list, json!({})).await["contracts"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        app.ok(Some(&m.in_house), list, json!({ "s": "DRAFT" }))
            .await["contracts"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        app.ok(Some(&m.in_house), list, json!({ "s": "ACTIVE" }))
            .await["contracts"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert!(
        app.ok(Some(&m.other_orderer), list, json!({})).await["contracts"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(
        app.ok(Some(&m.a), list, json!({})).await["contracts"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(app.code(None, list, json!({})).await, "UNAUTHENTICATED");
    // An active contract past its end reads COMPLETED.
    appropriate(&app, &m, 2027, "100000").await;
    app.ok(Some(&m.orderer), ACTIVATE, json!({ "id": id }))
        .await;
    app.clock
        .set(Utc.with_ymd_and_hms(2028, 1, 1, 0, 0, 0).unwrap());
    assert_eq!(
        app.ok(Some(&m.orderer), CONTRACT, json!({ "id": id }))
            .await["contract"]["status"],
        "COMPLETED"
    );
    assert_eq!(
        app.ok(Some(&m.orderer), list, json!({ "s": "COMPLETED" }))
            .await["contracts"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let _ = date(2027, 1, 1);
}
