//! Amendments in time (DESIGN, Service contracts): `effectiveFrom` and its default and
//! bounds, the months before it kept at the earlier prices, the value blended by days, and
//! only the change from `effectiveFrom` on checked against and committed to its years.

use chrono::{TimeZone, Utc};
use kilpailutus_tests::{Market, TestApp};
use serde_json::{Value, json};

const DIRECT: &str = "mutation($i:DirectContractInput!){ createDirectContract(input:$i){ id } }";
const AMEND: &str = "mutation($id:ID!,$l:[ContractLineInput!]!,$r:String!,$f:NaiveDate){ amendContract(id:$id,lines:$l,reason:$r,effectiveFrom:$f){ version totalValue amendments{ version effectiveFrom valueDelta } realization{ deliveredValue } } }";
const REPORT: &str =
    "mutation($i:PerformanceReportInput!){ reportPerformance(input:$i){ period } }";
const APPROPRIATIONS: &str =
    "query($y:Int!){ appropriations(fiscalYear:$y){ orderer{ id } committed available } }";

async fn appropriate(app: &TestApp, m: &Market, year: i32, amount: &str) {
    app.ok(
        Some(&m.admin),
        "mutation($o:ID!,$y:Int!,$a:Decimal!){ setAppropriation(ordererId:$o,fiscalYear:$y,amount:$a){ amount } }",
        json!({ "o": m.orderer_org, "y": year, "a": amount }),
    )
    .await;
}

/// An active direct contract of `days` x 100 a day (one product at 100, one unit a day).
async fn active(app: &TestApp, m: &Market, start: &str, end: &str, units: &str) -> String {
    let i = json!({ "i": {
        "producerId": m.in_house_org, "pricingModel": "UNIT_PRICE", "startDate": start, "endDate": end,
        "lines": [{ "productId": m.products[0], "quantity": units, "unitPrice": "100" }] } });
    let id = app.ok(Some(&m.orderer), DIRECT, i).await["createDirectContract"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.sign_both(&id, &m.orderer, &m.in_house).await;
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ activateContract(id:$id){ status } }",
        json!({ "id": id }),
    )
    .await;
    id
}

fn lines(m: &Market, units: &str, price: &str) -> Value {
    json!([{ "productId": m.products[0], "quantity": units, "unitPrice": price }])
}

async fn committed(app: &TestApp, m: &Market, year: i32) -> String {
    app.ok(Some(&m.admin), APPROPRIATIONS, json!({ "y": year }))
        .await["appropriations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["orderer"]["id"] == m.orderer_org.as_str())
        .unwrap()["committed"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn months_before_the_amendment_keep_their_prices_and_the_value_blends_by_days() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    appropriate(&app, &m, 2027, "100000").await;
    let id = active(&app, &m, "2027-01-01", "2027-12-31", "365").await;
    // January and February reported: 31 + 28 units at 100.
    app.clock
        .set(Utc.with_ymd_and_hms(2027, 3, 10, 9, 0, 0).unwrap());
    for (month, units) in [("2027-01", "31"), ("2027-02", "28")] {
        let r = json!({ "i": { "contractId": id, "period": month, "lines": [{ "productId": m.products[0], "quantity": units, "cost": "1" }], "feedbackCount": 0, "qualityMeasurements": [] } });
        app.ok(Some(&m.in_house), REPORT, r).await;
    }
    let amend = |from: Option<&str>, price: &str| json!({ "id": id, "l": lines(&m, "365", price), "r": "A dearer service from July", "f": from });
    // Not inside a reported month, not outside the contract: BAD_USER_INPUT, nothing written.
    for day in ["2027-02-15", "2026-12-31", "2028-01-01"] {
        let e = app
            .error(Some(&m.orderer), AMEND, amend(Some(day), "200"))
            .await;
        assert_eq!(e["extensions"]["code"], "BAD_USER_INPUT", "{day}");
        assert_eq!(e["extensions"]["field"], "effectiveFrom", "{day}");
    }
    assert_eq!(app.count("contract_amendment").await, 0);
    // From 1 July at 200: 36 500 x 181 / 365 + 73 000 x 184 / 365 = 18 100 + 36 800.
    let a = app
        .ok(Some(&m.orderer), AMEND, amend(Some("2027-07-01"), "200"))
        .await["amendContract"]
        .clone();
    assert_eq!(a["totalValue"], "54900.00");
    assert_eq!(a["amendments"][0]["effectiveFrom"], "2027-07-01");
    assert_eq!(a["amendments"][0]["valueDelta"], "18400.00");
    // January and February stay at 100 a unit.
    assert_eq!(a["realization"]["deliveredValue"], "5900.00");
    assert_eq!(committed(&app, &m, 2027).await, "54900.00");
    // A month from July on is valued at the new price.
    app.clock
        .set(Utc.with_ymd_and_hms(2027, 8, 2, 9, 0, 0).unwrap());
    let r = json!({ "i": { "contractId": id, "period": "2027-07", "lines": [{ "productId": m.products[0], "quantity": "31", "cost": "1" }], "feedbackCount": 0, "qualityMeasurements": [] } });
    app.ok(Some(&m.in_house), REPORT, r).await;
    let c = app
        .ok(
            Some(&m.orderer),
            "query($id:ID!){ contract(id:$id){ realization{ deliveredValue } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(c["contract"]["realization"]["deliveredValue"], "12100.00");
    // The default is today (2 August): after July, the latest reported month.
    let d = app.ok(Some(&m.orderer), AMEND, amend(None, "200")).await["amendContract"].clone();
    assert_eq!(d["amendments"][1]["effectiveFrom"], "2027-08-02");
    assert_eq!(d["totalValue"], "54900.00", "the same prices: no change");
}

#[tokio::test]
async fn only_the_years_from_the_effective_day_are_checked_and_committed() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    // 1 July 2027 – 30 June 2028 (366 days) at 100 a day: 18 400 in 2027, 18 200 in 2028.
    appropriate(&app, &m, 2027, "18400").await;
    appropriate(&app, &m, 2028, "40000").await;
    let id = active(&app, &m, "2027-07-01", "2028-06-30", "366").await;
    assert_eq!(committed(&app, &m, 2027).await, "18400.00");
    // Doubled from 1 January 2028: 2027 has no room left, but the change falls in 2028 only.
    let a = app
        .ok(
            Some(&m.orderer),
            AMEND,
            json!({ "id": id, "l": lines(&m, "366", "200"), "r": "Twice the visits in 2028", "f": "2028-01-01" }),
        )
        .await["amendContract"]
        .clone();
    // 36 600 x 184 / 366 + 73 200 x 182 / 366 = 18 400 + 36 400.
    assert_eq!(a["totalValue"], "54800.00");
    assert_eq!(a["amendments"][0]["valueDelta"], "18200.00");
    assert_eq!(committed(&app, &m, 2027).await, "18400.00");
    assert_eq!(committed(&app, &m, 2028).await, "36400.00");
    // An increase beyond 2028's room is refused, and nothing changes.
    let e = app
        .error(
            Some(&m.orderer),
            AMEND,
            json!({ "id": id, "l": lines(&m, "366", "300"), "r": "Too much", "f": "2028-01-01" }),
        )
        .await;
    assert_eq!(e["extensions"]["code"], "BUDGET_EXCEEDED");
    assert_eq!(committed(&app, &m, 2028).await, "36400.00");
    assert_eq!(app.count("contract_amendment").await, 1);
}
