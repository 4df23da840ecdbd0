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
use kilpailutus_tests::{Market, TestApp};
use rust_decimal::Decimal;
use sea_orm::{EntityTrait, Set};
use serde_json::json;
use std::time::Instant;

const BIDS: usize = 10_000;

#[tokio::test]
#[ignore = "a measurement: run with --release --ignored"]
async fn evaluate_and_rank_ten_thousand_bids() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
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
            let p1 = Decimal::from(40 + (i * 7919) % 20) + Decimal::new((i % 100) as i64, 2);
            let p2 = Decimal::from(8);
            let total = Decimal::from(1000) * p1 + Decimal::new(125, 1) * p2;
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
            for (line, price) in call.line_ids.iter().zip([p1, p2]) {
                lines.push(bid_line::ActiveModel {
                    bid_id: Set(id.clone()),
                    call_line_id: Set(line.clone()),
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
    let c = entity::call::Entity::find_by_id(call.id.clone())
        .one(db)
        .await
        .unwrap()
        .unwrap();

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
