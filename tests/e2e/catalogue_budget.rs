//! Catalogue, appropriations, grants and cost calculations through GraphQL, with the
//! authorisation matrix and bad inputs.

use kilpailutus_tests::TestApp;
use serde_json::json;

const CREATE_PRODUCT: &str = "mutation($i:ProductInput!){ createProduct(input:$i){ id code name unit category description } }";
const PRODUCTS: &str = "query($c:String){ products(category:$c){ code category } }";
const SET_APPROPRIATION: &str = "mutation($o:ID!,$y:Int!,$a:Decimal!){ setAppropriation(ordererId:$o,fiscalYear:$y,amount:$a){ orderer{ id name } fiscalYear amount committed available } }";
const APPROPRIATIONS: &str = "query($y:Int!){ appropriations(fiscalYear:$y){ orderer{ id } fiscalYear amount committed available } }";
const RECORD_GRANT: &str = "mutation($o:ID!,$r:ID!,$y:Int!,$a:Decimal!){ recordGrant(ordererId:$o,recipientId:$r,fiscalYear:$y,amount:$a){ id orderer{ id } recipient{ id kind } fiscalYear amount } }";
const SAVE_COST: &str = "mutation($i:CostCalculationInput!){ saveCostCalculation(input:$i){ id product{ code } producer{ id } fiscalYear volume directCosts overheadRate unitCost } }";
const COSTS: &str = "query($p:ID,$y:Int){ costCalculations(producerId:$p,fiscalYear:$y){ producer{ id } fiscalYear unitCost } }";

fn product(code: &str, category: &str) -> serde_json::Value {
    json!({ "i": { "code": code, "name": "Kotihoito, tunti", "unit": "hour", "category": category, "description": "Home care by the hour" } })
}

#[tokio::test]
async fn only_an_admin_maintains_the_catalogue_which_is_public() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (_, _, orderer) = app.member(&admin, "ORDERER", "Tilaaja").await;
    let (_, _, producer) = app.member(&admin, "EXTERNAL_PROVIDER", "Palvelu Oy").await;
    assert_eq!(
        app.code(None, CREATE_PRODUCT, product("KH-1", "home care"))
            .await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.code(Some(&orderer), CREATE_PRODUCT, product("KH-1", "home care"))
            .await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(
            Some(&producer),
            CREATE_PRODUCT,
            product("KH-1", "home care")
        )
        .await,
        "FORBIDDEN"
    );
    let p = app
        .ok(Some(&admin), CREATE_PRODUCT, product("KH-1", "home care"))
        .await;
    assert_eq!(p["createProduct"]["unit"], "hour");
    app.ok(
        Some(&admin),
        CREATE_PRODUCT,
        product("AT-1", "school meals"),
    )
    .await;
    let all = app.ok(None, PRODUCTS, json!({})).await;
    assert_eq!(
        all["products"],
        json!([{ "code": "AT-1", "category": "school meals" }, { "code": "KH-1", "category": "home care" }])
    );
    let some = app.ok(None, PRODUCTS, json!({ "c": "home care" })).await;
    assert_eq!(
        some["products"],
        json!([{ "code": "KH-1", "category": "home care" }])
    );
}

#[tokio::test]
async fn product_codes_are_unique_and_names_required() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    app.ok(Some(&admin), CREATE_PRODUCT, product("KH-1", "home care"))
        .await;
    assert_eq!(
        app.code(Some(&admin), CREATE_PRODUCT, product("KH-1", "other"))
            .await,
        "CONFLICT"
    );
    let blank = json!({ "i": { "code": "X", "name": " ", "unit": "hour", "category": "c" } });
    let err = app.error(Some(&admin), CREATE_PRODUCT, blank).await;
    assert_eq!(err["extensions"]["field"], "name");
    assert_eq!(app.count("product").await, 1);
}

#[tokio::test]
async fn an_appropriation_is_set_replaced_and_shown_with_what_is_available() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (orderer_org, _, _) = app.member(&admin, "ORDERER", "Hyvinvointilautakunta").await;
    let set = app
        .ok(
            Some(&admin),
            SET_APPROPRIATION,
            json!({ "o": orderer_org, "y": 2027, "a": "5000000.00" }),
        )
        .await;
    let a = &set["setAppropriation"];
    assert_eq!(a["amount"], "5000000.00");
    assert_eq!(a["committed"], "0.00");
    assert_eq!(a["available"], "5000000.00");
    let again = app
        .ok(
            Some(&admin),
            SET_APPROPRIATION,
            json!({ "o": orderer_org, "y": 2027, "a": "5250000.50" }),
        )
        .await;
    assert_eq!(again["setAppropriation"]["amount"], "5250000.50");
    assert_eq!(app.count("appropriation").await, 1);
}

#[tokio::test]
async fn appropriation_input_is_checked_and_only_admins_set_it() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (orderer_org, _, orderer) = app.member(&admin, "ORDERER", "Tilaaja").await;
    let (producer_org, _, producer) = app.member(&admin, "IN_HOUSE_PRODUCER", "Kotihoito").await;
    let vars = |o: &str, y: i32, a: &str| json!({ "o": o, "y": y, "a": a });
    assert_eq!(
        app.code(None, SET_APPROPRIATION, vars(&orderer_org, 2027, "1"))
            .await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.code(
            Some(&orderer),
            SET_APPROPRIATION,
            vars(&orderer_org, 2027, "1")
        )
        .await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(
            Some(&producer),
            SET_APPROPRIATION,
            vars(&orderer_org, 2027, "1")
        )
        .await,
        "FORBIDDEN"
    );
    for (v, field) in [
        (vars(&orderer_org, 2027, "-1"), "amount"),
        (vars(&orderer_org, 2027, "1.001"), "amount"),
        (vars(&orderer_org, 1850, "1"), "fiscalYear"),
        (vars(&producer_org, 2027, "1"), "ordererId"),
    ] {
        let err = app.error(Some(&admin), SET_APPROPRIATION, v).await;
        assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err}");
        assert_eq!(err["extensions"]["field"], field, "{err}");
    }
    assert_eq!(
        app.code(
            Some(&admin),
            SET_APPROPRIATION,
            vars(&orderer_org, 2027, "lots")
        )
        .await,
        "BAD_USER_INPUT"
    );
    let missing = "00000000-0000-7000-8000-000000000000";
    assert_eq!(
        app.code(Some(&admin), SET_APPROPRIATION, vars(missing, 2027, "1"))
            .await,
        "NOT_FOUND"
    );
    assert_eq!(app.count("appropriation").await, 0);
}

#[tokio::test]
async fn admins_see_all_appropriations_orderers_their_own_producers_none() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (a_org, _, a_token) = app.member(&admin, "ORDERER", "Tilaaja A").await;
    let (b_org, _, _) = app.member(&admin, "ORDERER", "Tilaaja B").await;
    let (_, _, producer) = app.member(&admin, "EXTERNAL_PROVIDER", "Palvelu Oy").await;
    app.ok(
        Some(&admin),
        SET_APPROPRIATION,
        json!({ "o": a_org, "y": 2027, "a": "100" }),
    )
    .await;
    app.ok(
        Some(&admin),
        SET_APPROPRIATION,
        json!({ "o": b_org, "y": 2027, "a": "200" }),
    )
    .await;
    app.ok(
        Some(&admin),
        SET_APPROPRIATION,
        json!({ "o": b_org, "y": 2028, "a": "300" }),
    )
    .await;
    let all = app
        .ok(Some(&admin), APPROPRIATIONS, json!({ "y": 2027 }))
        .await;
    assert_eq!(all["appropriations"].as_array().unwrap().len(), 2);
    let own = app
        .ok(Some(&a_token), APPROPRIATIONS, json!({ "y": 2027 }))
        .await;
    assert_eq!(
        own["appropriations"],
        json!([{ "orderer": { "id": a_org }, "fiscalYear": 2027, "amount": "100", "committed": "0.00", "available": "100.00" }])
    );
    assert_eq!(
        app.code(Some(&producer), APPROPRIATIONS, json!({ "y": 2027 }))
            .await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(None, APPROPRIATIONS, json!({ "y": 2027 })).await,
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn grants_are_recorded_by_admins_from_orderers_to_producers() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (orderer_org, _, orderer) = app.member(&admin, "ORDERER", "Tilaaja").await;
    let (ngo, _, ngo_token) = app.member(&admin, "EXTERNAL_PROVIDER", "Yhdistys ry").await;
    let vars = |o: &str, r: &str, a: &str| json!({ "o": o, "r": r, "y": 2027, "a": a });
    assert_eq!(
        app.code(None, RECORD_GRANT, vars(&orderer_org, &ngo, "1000"))
            .await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.code(
            Some(&orderer),
            RECORD_GRANT,
            vars(&orderer_org, &ngo, "1000")
        )
        .await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(
            Some(&ngo_token),
            RECORD_GRANT,
            vars(&orderer_org, &ngo, "1000")
        )
        .await,
        "FORBIDDEN"
    );
    let g = app
        .ok(
            Some(&admin),
            RECORD_GRANT,
            vars(&orderer_org, &ngo, "15000.00"),
        )
        .await;
    assert_eq!(g["recordGrant"]["amount"], "15000.00");
    assert_eq!(g["recordGrant"]["recipient"]["kind"], "EXTERNAL_PROVIDER");
    assert_eq!(
        app.error(Some(&admin), RECORD_GRANT, vars(&orderer_org, &ngo, "0"))
            .await["extensions"]["field"],
        "amount"
    );
    assert_eq!(
        app.error(Some(&admin), RECORD_GRANT, vars(&orderer_org, &ngo, "-5"))
            .await["extensions"]["field"],
        "amount"
    );
    assert_eq!(
        app.error(
            Some(&admin),
            RECORD_GRANT,
            vars(&orderer_org, &orderer_org, "5")
        )
        .await["extensions"]["field"],
        "recipientId"
    );
    assert_eq!(
        app.error(Some(&admin), RECORD_GRANT, vars(&ngo, &ngo, "5"))
            .await["extensions"]["field"],
        "ordererId"
    );
    assert_eq!(app.count("municipal_grant").await, 1);
}

const GRANTS: &str = "query($y:Int!,$n:Int){ grants(fiscalYear:$y,first:$n){ id fiscalYear amount orderer{ id } recipient{ id name } } }";

/// `grants(fiscalYear)`: every grant of the year for an admin, newest first; an orderer the
/// grants it gave; a producer FORBIDDEN and anonymous UNAUTHENTICATED.
#[tokio::test]
async fn grants_are_listed_to_admins_and_to_the_orderer_that_gave_them() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (orderer_org, _, orderer) = app.member(&admin, "ORDERER", "Tilaaja").await;
    let (other_org, _, other) = app.member(&admin, "ORDERER", "Toinen").await;
    let (ngo, _, ngo_token) = app.member(&admin, "EXTERNAL_PROVIDER", "Yhdistys ry").await;
    for (o, y, a) in [
        (&orderer_org, 2027, "1000.00"),
        (&other_org, 2027, "2500.50"),
        (&orderer_org, 2028, "7"),
    ] {
        app.ok(
            Some(&admin),
            RECORD_GRANT,
            json!({ "o": o, "r": ngo, "y": y, "a": a }),
        )
        .await;
    }
    let all = app.ok(Some(&admin), GRANTS, json!({ "y": 2027 })).await;
    let amounts: Vec<&str> = all["grants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["amount"].as_str().unwrap())
        .collect();
    assert_eq!(
        amounts,
        ["2500.50", "1000.00"],
        "newest first, the year's only"
    );
    assert_eq!(all["grants"][0]["recipient"]["name"], "Yhdistys ry");
    let one = app
        .ok(Some(&admin), GRANTS, json!({ "y": 2027, "n": 1 }))
        .await;
    assert_eq!(one["grants"].as_array().unwrap().len(), 1);
    let own = app.ok(Some(&orderer), GRANTS, json!({ "y": 2027 })).await;
    assert_eq!(own["grants"].as_array().unwrap().len(), 1);
    assert_eq!(own["grants"][0]["orderer"]["id"], orderer_org.as_str());
    let theirs = app.ok(Some(&other), GRANTS, json!({ "y": 2028 })).await;
    assert_eq!(theirs["grants"], json!([]));
    assert_eq!(
        app.code(Some(&ngo_token), GRANTS, json!({ "y": 2027 }))
            .await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(None, GRANTS, json!({ "y": 2027 })).await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.code(Some(&admin), GRANTS, json!({ "y": 2027, "n": -1 }))
            .await,
        "BAD_USER_INPUT"
    );
}

fn cost(product: &str, year: i32, volume: &str, direct: &str, overhead: &str) -> serde_json::Value {
    json!({ "i": { "productId": product, "fiscalYear": year, "volume": volume, "directCosts": direct, "overheadRate": overhead } })
}

#[tokio::test]
async fn an_in_house_producer_saves_one_cost_calculation_per_product_and_year() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (house, _, in_house) = app.member(&admin, "IN_HOUSE_PRODUCER", "Kotihoito").await;
    let p = app.product(&admin, "KH-1", "home care").await;
    // 100 000 EUR direct costs, 25 % overhead, 2 500 hours: 125 000 / 2 500 = 50 EUR an hour.
    let c = app
        .ok(
            Some(&in_house),
            SAVE_COST,
            cost(&p, 2027, "2500", "100000.00", "0.25"),
        )
        .await;
    let c = &c["saveCostCalculation"];
    assert_eq!(c["unitCost"], "50");
    assert_eq!(c["producer"]["id"], house.as_str());
    assert_eq!(c["overheadRate"], "0.25");
    // Saving again replaces: 90 000 x 1.2 / 3 000 = 36.
    let again = app
        .ok(
            Some(&in_house),
            SAVE_COST,
            cost(&p, 2027, "3000", "90000", "0.2"),
        )
        .await;
    assert_eq!(again["saveCostCalculation"]["id"], c["id"]);
    assert_eq!(again["saveCostCalculation"]["unitCost"], "36");
    // Another year is another calculation; 1 000 x 1.1 / 3 = 366.666…
    let third = app
        .ok(
            Some(&in_house),
            SAVE_COST,
            cost(&p, 2028, "3", "1000", "0.10"),
        )
        .await;
    assert!(
        third["saveCostCalculation"]["unitCost"]
            .as_str()
            .unwrap()
            .starts_with("366.6666666")
    );
    assert_eq!(app.count("cost_calculation").await, 2);
}

#[tokio::test]
async fn only_in_house_producers_save_cost_calculations_and_inputs_are_checked() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (_, _, orderer) = app.member(&admin, "ORDERER", "Tilaaja").await;
    let (_, _, external) = app.member(&admin, "EXTERNAL_PROVIDER", "Palvelu Oy").await;
    let (_, _, in_house) = app.member(&admin, "IN_HOUSE_PRODUCER", "Kotihoito").await;
    let p = app.product(&admin, "KH-1", "home care").await;
    let good = cost(&p, 2027, "2500", "100000", "0.25");
    assert_eq!(
        app.code(None, SAVE_COST, good.clone()).await,
        "UNAUTHENTICATED"
    );
    for token in [&admin, &orderer, &external] {
        assert_eq!(
            app.code(Some(token), SAVE_COST, good.clone()).await,
            "FORBIDDEN"
        );
    }
    for (vars, field) in [
        (cost(&p, 2027, "0", "100", "0.1"), "volume"),
        (cost(&p, 2027, "-3", "100", "0.1"), "volume"),
        (cost(&p, 2027, "10", "-100", "0.1"), "directCosts"),
        (cost(&p, 2027, "10", "100", "-0.1"), "overheadRate"),
        (cost(&p, 1800, "10", "100", "0.1"), "fiscalYear"),
    ] {
        let err = app.error(Some(&in_house), SAVE_COST, vars).await;
        assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err}");
        assert_eq!(err["extensions"]["field"], field, "{err}");
    }
    let missing = "00000000-0000-7000-8000-000000000000";
    assert_eq!(
        app.code(
            Some(&in_house),
            SAVE_COST,
            cost(missing, 2027, "1", "1", "0")
        )
        .await,
        "NOT_FOUND"
    );
    assert_eq!(app.count("cost_calculation").await, 0);
}

#[tokio::test]
async fn cost_calculations_are_shown_to_admins_orderers_and_their_own_producer() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (_, _, orderer) = app.member(&admin, "ORDERER", "Tilaaja").await;
    let (_, _, external) = app.member(&admin, "EXTERNAL_PROVIDER", "Palvelu Oy").await;
    let (a_org, _, a) = app.member(&admin, "IN_HOUSE_PRODUCER", "Kotihoito").await;
    let (b_org, _, b) = app
        .member(&admin, "IN_HOUSE_PRODUCER", "Ruokapalvelut")
        .await;
    let p = app.product(&admin, "KH-1", "home care").await;
    app.ok(Some(&a), SAVE_COST, cost(&p, 2027, "10", "100", "0"))
        .await;
    app.ok(Some(&b), SAVE_COST, cost(&p, 2027, "10", "200", "0"))
        .await;
    app.ok(Some(&b), SAVE_COST, cost(&p, 2028, "10", "300", "0"))
        .await;
    let n = |v: serde_json::Value| v["costCalculations"].as_array().unwrap().len();
    assert_eq!(n(app.ok(Some(&admin), COSTS, json!({})).await), 3);
    assert_eq!(
        n(app.ok(Some(&orderer), COSTS, json!({ "y": 2027 })).await),
        2
    );
    assert_eq!(
        n(app.ok(Some(&orderer), COSTS, json!({ "p": b_org })).await),
        2
    );
    let own = app.ok(Some(&a), COSTS, json!({})).await;
    assert_eq!(
        own["costCalculations"],
        json!([{ "producer": { "id": a_org }, "fiscalYear": 2027, "unitCost": "10" }])
    );
    assert_eq!(
        app.code(Some(&a), COSTS, json!({ "p": b_org })).await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(Some(&external), COSTS, json!({})).await,
        "FORBIDDEN"
    );
    assert_eq!(app.code(None, COSTS, json!({})).await, "UNAUTHENTICATED");
}
