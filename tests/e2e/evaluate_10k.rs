//! Measures evaluating and ranking a call with 10 000 bids, through the same service the
//! GraphQL `call.evaluation` field uses, and through GraphQL itself. Ignored by default (it
//! seeds 10 000 bidders); run it in a release build:
//!
//! ```sh
//! cargo test --release --test e2e evaluate_10k:: -- --ignored --nocapture
//! ```

use entity::{
    BidStatus, CreditRating, Money, OrganizationKind, bid, bid_line, bid_score,
    capability_judgement, organization,
};
use kilpailutus_tests::{CallFixture, Market, TestApp};
use rust_decimal::Decimal;
use sea_orm::{EntityTrait, Set};
use serde_json::json;
use std::time::Instant;

const BIDS: usize = 10_000;

/// Seeds `BIDS` bids on `call` straight into the database, bid `i` pricing the lines
/// `prices(i)` (line index, unit price) of the call's lines of `quantities`; every tenth bid
/// fails the credit rating, the others are judged capable and scored. Moves the clock to the
/// submission deadline and returns the call as stored.
async fn seed(
    app: &TestApp,
    m: &Market,
    call: &CallFixture,
    quantities: &[Decimal],
    prices: impl Fn(usize) -> Vec<(usize, Decimal)>,
) -> entity::call::Model {
    let db = app.state.db.conn();
    let now = app.clock_now();
    let seeded = Instant::now();
    for chunk in (0..BIDS).collect::<Vec<_>>().chunks(500) {
        let orgs: Vec<organization::ActiveModel> = chunk
            .iter()
            .map(|i| organization::ActiveModel {
                id: Set(format!("00000000-0000-7000-8000-{i:012}")),
                name: Set(format!("Bidder {i}")),
                kind: Set(OrganizationKind::ExternalProvider),
                business_id: Set(None),
                email: Set(None),
                created_at: Set(now),
                street_address: Set(None),
                postal_code: Set(None),
                city: Set(None),
                nuts_code: Set(None),
                phone: Set(None),
            })
            .collect();
        organization::Entity::insert_many(orgs)
            .exec(db)
            .await
            .unwrap();
        let mut bids = Vec::new();
        let mut lines = Vec::new();
        let mut judgements = Vec::new();
        let mut scores = Vec::new();
        for &i in chunk {
            let id = format!("00000000-0000-7000-9000-{i:012}");
            let priced = prices(i);
            let total = priced
                .iter()
                .map(|(line, price)| quantities[*line] * price)
                .sum::<Decimal>();
            bids.push(bid::ActiveModel {
                id: Set(id.clone()),
                call_id: Set(call.id.clone()),
                bidder_id: Set(format!("00000000-0000-7000-8000-{i:012}")),
                submitted_by: Set("seed".into()),
                in_house: Set(false),
                status: Set(BidStatus::Submitted),
                version: Set(1),
                total_price: Set(Money(total)),
                annual_turnover: Set(Money(Decimal::from(2_000_000))),
                equity_ratio: Set(Money(Decimal::new(35, 2))),
                credit_rating: Set(if i % 10 == 0 {
                    CreditRating::B
                } else {
                    CreditRating::Aa
                }),
                subcontracting_share: Set(Money(Decimal::ZERO)),
                submitted_at: Set(now + chrono::TimeDelta::milliseconds(i as i64)),
                receipt: Set(format!("{i:064}")),
                withdrawn_at: Set(None),
                call_version: Set(1),
            });
            for (line, price) in priced {
                lines.push(bid_line::ActiveModel {
                    bid_id: Set(id.clone()),
                    call_line_id: Set(call.line_ids[line].clone()),
                    unit_price: Set(Money(price)),
                });
            }
            judgements.push(capability_judgement::ActiveModel {
                bid_id: Set(id.clone()),
                requirement_id: Set(call.requirement_ids[0].clone()),
                met: Set(true),
                judged_by: Set(m.orderer_user.clone()),
                judged_at: Set(now),
            });
            for (k, criterion) in call.criterion_ids.iter().enumerate() {
                scores.push(bid_score::ActiveModel {
                    bid_id: Set(id.clone()),
                    criterion_id: Set(criterion.clone()),
                    evaluator_id: Set(m.orderer_user.clone()),
                    points: Set(((i + k) % 6) as i32),
                    scored_at: Set(now),
                });
            }
        }
        bid::Entity::insert_many(bids).exec(db).await.unwrap();
        bid_line::Entity::insert_many(lines).exec(db).await.unwrap();
        capability_judgement::Entity::insert_many(judgements)
            .exec(db)
            .await
            .unwrap();
        bid_score::Entity::insert_many(scores)
            .exec(db)
            .await
            .unwrap();
    }
    println!("seeded {BIDS} bids in {:?}", seeded.elapsed());
    app.clock.set(call.submission_deadline);
    entity::call::Entity::find_by_id(call.id.clone())
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
#[ignore = "a measurement: run with --release --ignored"]
async fn evaluate_and_rank_ten_thousand_bids() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let c = seed(
        &app,
        &m,
        &call,
        &[Decimal::from(1000), Decimal::new(125, 1)],
        |i| {
            let p1 = Decimal::from(40 + (i * 7919) % 20) + Decimal::new((i % 100) as i64, 2);
            vec![(0, p1), (1, Decimal::from(8))]
        },
    )
    .await;
    let db = app.state.db.conn();

    let mut service_runs = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let data = api::service::evaluation::compute(db, &c).await.unwrap();
        service_runs.push(t.elapsed());
        assert_eq!(data.results.len(), BIDS);
        assert_eq!(
            data.results.iter().filter(|r| r.qualified).count(),
            BIDS - BIDS / 10
        );
    }
    let q =
        "query($id:ID!){ call(id:$id){ evaluation{ results{ rank totalScore abnormallyLow } } } }";
    let mut graphql_runs = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let r = app.ok(Some(&m.orderer), q, json!({ "id": call.id })).await;
        graphql_runs.push(t.elapsed());
        assert_eq!(
            r["call"]["evaluation"]["results"].as_array().unwrap().len(),
            BIDS
        );
    }
    println!("evaluate {BIDS} bids (load + qualify + score + rank), service: {service_runs:?}");
    println!("evaluate {BIDS} bids through GraphQL (call.evaluation.results): {graphql_runs:?}");
}

/// The same 10 000 bids on a call in 5 lots of one line each (1 000 units): bid `i` covers
/// lot `i % 5`, and every third bid lot `(i + 2) % 5` too, so each lot has about 2 700 bids.
/// Measures one lot's evaluation through the service, and every lot's through GraphQL
/// (`call.lots.evaluation.results`, the orderer's comparison of all five).
#[tokio::test]
#[ignore = "a measurement: run with --release --ignored"]
async fn evaluate_and_rank_ten_thousand_bids_over_five_lots() {
    const LOTS: usize = 5;
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let mut input = app.call_input(&m.product_refs());
    input["lines"] = json!([]);
    input["lots"] = json!(
        (1..=LOTS)
            .map(|n| json!({ "title": format!("Alue {n}"), "lines": [{ "productId": m.products[0], "quantity": "1000" }] }))
            .collect::<Vec<_>>()
    );
    let call = app.make_call(&m.orderer, input, true).await;
    let covers = |i: usize| -> Vec<usize> {
        let mut lots = vec![i % LOTS];
        if i.is_multiple_of(3) {
            lots.push((i + 2) % LOTS);
        }
        lots
    };
    let c = seed(&app, &m, &call, &[Decimal::from(1000); LOTS], |i| {
        covers(i)
            .into_iter()
            .map(|lot| {
                let price =
                    Decimal::from(40 + (i * 7919 + lot) % 20) + Decimal::new((i % 100) as i64, 2);
                (lot, price)
            })
            .collect()
    })
    .await;
    let db = app.state.db.conn();
    let lots = api::service::lots::lots_of(db, &c.id).await.unwrap();
    let expected: Vec<usize> = (0..LOTS)
        .map(|lot| (0..BIDS).filter(|i| covers(*i).contains(&lot)).count())
        .collect();

    let mut service_runs = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let unit = api::service::lots::Unit {
            call: c.clone(),
            lot: Some(lots[0].clone()),
        };
        let data = api::service::evaluation::compute_unit(db, &unit)
            .await
            .unwrap();
        service_runs.push(t.elapsed());
        assert_eq!(data.results.len(), expected[0]);
    }
    let q = "query($id:ID!){ call(id:$id){ lots{ number evaluation{ results{ rank totalScore abnormallyLow } } } } }";
    let mut graphql_runs = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let r = app.ok(Some(&m.orderer), q, json!({ "id": call.id })).await;
        graphql_runs.push(t.elapsed());
        for (lot, n) in r["call"]["lots"].as_array().unwrap().iter().zip(&expected) {
            assert_eq!(lot["evaluation"]["results"].as_array().unwrap().len(), *n);
        }
    }
    println!("bids per lot: {expected:?}");
    println!(
        "evaluate lot 1 of 5 ({} bids), service: {service_runs:?}",
        expected[0]
    );
    println!(
        "evaluate all 5 lots of {BIDS} bids through GraphQL (call.lots.evaluation.results): {graphql_runs:?}"
    );
}
