//! Contract signatures (DESIGN, "The decision and its remedies"): both parties sign a DRAFT
//! once, activation needs both, the other party is mailed; who may sign; the producer hears of
//! amendments and termination.

use kilpailutus_tests::{Market, SIGN_CONTRACT, TestApp};
use serde_json::{Value, json};

const DIRECT: &str = "mutation($i:DirectContractInput!){ createDirectContract(input:$i){ id } }";
const ACTIVATE: &str = "mutation($id:ID!){ activateContract(id:$id){ id status } }";
const SIGNATURES: &str = "query($id:ID!){ contract(id:$id){ signatures{ organization{ id } signedBy{ id email } signedAt } } }";

async fn direct(app: &TestApp, m: &Market) -> String {
    let i = json!({ "i": {
        "producerId": m.in_house_org, "pricingModel": "UNIT_PRICE", "startDate": "2027-01-01", "endDate": "2027-12-31",
        "lines": [{ "productId": m.products[0], "quantity": "100", "unitPrice": "10" }] } });
    app.ok(Some(&m.orderer), DIRECT, i).await["createDirectContract"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn has(events: &[(String, String)], event: &str) -> bool {
    events.iter().any(|(e, _)| e == event)
}

#[tokio::test]
async fn both_parties_sign_once_and_activation_needs_both() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    app.ok(
        Some(&m.admin),
        "mutation($o:ID!){ setAppropriation(ordererId:$o,fiscalYear:2027,amount:\"100000\"){ amount } }",
        json!({ "o": m.orderer_org }),
    )
    .await;
    let id = direct(&app, &m).await;
    let arg = json!({ "id": id });
    // Who may sign: only users of the two parties.
    assert_eq!(
        app.code(None, SIGN_CONTRACT, arg.clone()).await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.code(Some(&m.a), SIGN_CONTRACT, arg.clone()).await,
        "NOT_FOUND"
    );
    assert_eq!(
        app.code(Some(&m.other_orderer), SIGN_CONTRACT, arg.clone())
            .await,
        "NOT_FOUND"
    );
    assert_eq!(
        app.code(Some(&m.admin), SIGN_CONTRACT, arg.clone()).await,
        "FORBIDDEN"
    );
    assert_eq!(app.count("contract_signature").await, 0);
    // Unsigned: not activated, nothing written.
    let chain = app.audit_chain().await.len();
    let refused = app.error(Some(&m.orderer), ACTIVATE, arg.clone()).await;
    assert_eq!(refused["extensions"]["code"], "INVALID_STATE");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("not yet signed by the orderer and the producer")
    );
    assert_eq!(app.audit_chain().await.len(), chain);
    // The orderer signs; the producer is told; a second signature is refused.
    app.ok(Some(&m.orderer), SIGN_CONTRACT, arg.clone()).await;
    assert!(has(&app.mail(&m.in_house).await, "contract.signed"));
    assert!(!has(&app.mail(&m.orderer).await, "contract.signed"));
    assert_eq!(
        app.code(Some(&m.orderer), SIGN_CONTRACT, arg.clone()).await,
        "INVALID_STATE"
    );
    let half = app.error(Some(&m.orderer), ACTIVATE, arg.clone()).await;
    assert!(
        half["message"]
            .as_str()
            .unwrap()
            .ends_with("not yet signed by the producer"),
        "{half}"
    );
    // The producer signs; the orderer is told that both have signed.
    app.ok(Some(&m.in_house), SIGN_CONTRACT, arg.clone()).await;
    let told = app.mail(&m.orderer).await;
    assert!(
        told.iter()
            .any(|(e, b)| e == "contract.signed" && b.contains("Both parties have now signed")),
        "{told:?}"
    );
    let s = app.ok(Some(&m.in_house), SIGNATURES, arg.clone()).await;
    let sigs: &Vec<Value> = s["contract"]["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 2);
    assert_eq!(sigs[0]["organization"]["id"], m.orderer_org.as_str());
    assert_eq!(sigs[0]["signedBy"]["id"], m.orderer_user.as_str());
    assert_eq!(sigs[1]["organization"]["id"], m.in_house_org.as_str());
    assert!(sigs[1]["signedAt"].is_string());
    let active = app.ok(Some(&m.orderer), ACTIVATE, arg.clone()).await;
    assert_eq!(active["activateContract"]["status"], "ACTIVE");
    // An active contract is not signed again.
    assert_eq!(
        app.code(Some(&m.in_house), SIGN_CONTRACT, arg.clone())
            .await,
        "INVALID_STATE"
    );
    // The producer hears of an amendment and of the termination; amendments need no new
    // signatures.
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!,$l:[ContractLineInput!]!){ amendContract(id:$id,lines:$l,reason:\"More visits\"){ version } }",
        json!({ "id": id, "l": [{ "productId": m.products[0], "quantity": "110", "unitPrice": "10" }] }),
    )
    .await;
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ terminateContract(id:$id,reason:\"The service moves to a new unit\"){ status } }",
        json!({ "id": id }),
    )
    .await;
    let producer = app.mail(&m.in_house).await;
    assert!(
        producer.iter().any(|(e, b)| e == "contract.amended"
            && b.contains("version 2")
            && b.contains("More visits")),
        "{producer:?}"
    );
    assert!(
        producer
            .iter()
            .any(|(e, b)| e == "contract.terminated" && b.contains("new unit")),
        "{producer:?}"
    );
    assert_eq!(
        app.ok(Some(&m.orderer), SIGNATURES, arg).await["contract"]["signatures"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}
