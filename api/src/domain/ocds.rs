//! Open Contracting Data Standard 1.1: a published call as releases (one per stage reached:
//! tender, award, contract, implementation), a release package, a record package with its
//! compiled release, and the OCDS merge that compiles it. Plain values in, JSON out. Sealed
//! bid data never enters: tenderers appear only once the submission deadline has passed.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Map, Value, json};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub id: String,
    pub name: String,
    pub business_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: String,
    pub product_code: String,
    pub product_name: String,
    pub unit: String,
    pub quantity: Decimal,
}

/// The public facts of a call, as OCDS needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub id: String,
    pub title: String,
    pub description: String,
    /// OCDS tender status: active, cancelled, unsuccessful or complete.
    pub tender_status: &'static str,
    pub buyer: Party,
    pub published_at: DateTime<Utc>,
    pub questions_deadline: DateTime<Utc>,
    pub submission_deadline: DateTime<Utc>,
    pub contract_start: NaiveDate,
    pub contract_end: NaiveDate,
    pub items: Vec<Item>,
    /// Bidders with standing bids: given only after the submission deadline.
    pub tenderers: Option<Vec<Party>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    pub date: DateTime<Utc>,
    pub supplier: Party,
    pub value: Decimal,
    pub justification: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// YYYY-MM
    pub period: String,
    pub date: DateTime<Utc>,
    pub value: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub id: String,
    /// OCDS contract status: pending, active or terminated.
    pub status: &'static str,
    pub date: DateTime<Utc>,
    pub date_signed: Option<DateTime<Utc>>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub value: Decimal,
    pub transactions: Vec<Transaction>,
}

pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn day(d: NaiveDate) -> String {
    format!("{d}T00:00:00Z")
}

fn day_end(d: NaiveDate) -> String {
    format!("{d}T23:59:59Z")
}

/// Amounts are JSON numbers in OCDS.
fn amount(d: Decimal) -> Value {
    d.to_f64()
        .and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

fn org_ref(p: &Party) -> Value {
    json!({ "id": p.id, "name": p.name })
}

fn party(p: &Party, roles: &[&str]) -> Value {
    let mut v = json!({ "id": p.id, "name": p.name, "roles": roles });
    if let Some(b) = &p.business_id {
        v["identifier"] = json!({ "scheme": "FI-PRO", "id": b, "legalName": p.name });
    }
    v
}

pub fn ocid(prefix: &str, call_id: &str) -> String {
    format!("{prefix}{call_id}")
}

/// The releases of a call, oldest first: tender, then award, contract and implementation
/// as far as the call has come.
pub fn releases(
    prefix: &str,
    call: &Call,
    award: Option<&Award>,
    contract: Option<&Contract>,
) -> Vec<Value> {
    let ocid = ocid(prefix, &call.id);
    let mut parties = vec![party(&call.buyer, &["buyer", "procuringEntity"])];
    let mut tender = json!({
        "id": call.id,
        "title": call.title,
        "description": call.description,
        "status": call.tender_status,
        "procuringEntity": org_ref(&call.buyer),
        "items": call.items.iter().map(|i| json!({
            "id": i.id,
            "description": i.product_name,
            "classification": { "scheme": "x_kilpailutus_product", "id": i.product_code, "description": i.product_name },
            "quantity": amount(i.quantity),
            "unit": { "name": i.unit },
        })).collect::<Vec<_>>(),
        "procurementMethod": "open",
        "mainProcurementCategory": "services",
        "awardCriteria": "ratedCriteria",
        "submissionMethod": ["electronicSubmission"],
        "tenderPeriod": { "startDate": rfc3339(call.published_at), "endDate": rfc3339(call.submission_deadline) },
        "enquiryPeriod": { "startDate": rfc3339(call.published_at), "endDate": rfc3339(call.questions_deadline) },
        "contractPeriod": { "startDate": day(call.contract_start), "endDate": day_end(call.contract_end) },
    });
    if let Some(tenderers) = &call.tenderers {
        tender["numberOfTenderers"] = json!(tenderers.len());
        tender["tenderers"] = Value::Array(tenderers.iter().map(org_ref).collect());
        for t in tenderers {
            let is_supplier = award.is_some_and(|a| a.supplier.id == t.id);
            parties.push(party(
                t,
                if is_supplier {
                    &["tenderer", "supplier"]
                } else {
                    &["tenderer"]
                },
            ));
        }
    }
    let base = |tag: &str, date: DateTime<Utc>, parties: &Vec<Value>| {
        json!({
            "ocid": ocid,
            "id": format!("{ocid}-{tag}"),
            "date": rfc3339(date),
            "tag": [tag],
            "initiationType": "tender",
            "language": "en",
            "buyer": org_ref(&call.buyer),
            "parties": parties,
        })
    };
    let tag = if call.tender_status == "cancelled" {
        "tenderCancellation"
    } else {
        "tender"
    };
    let mut first = base(tag, call.published_at, &parties);
    first["tender"] = tender.clone();
    let mut out = vec![first];
    let award_id = format!("{}-award", call.id);
    if let Some(a) = award {
        let mut r = base("award", a.date, &parties);
        r["tender"] = json!({ "id": call.id, "status": call.tender_status });
        r["awards"] = json!([{
            "id": award_id,
            "title": call.title,
            "description": a.justification,
            "status": "active",
            "date": rfc3339(a.date),
            "value": { "amount": amount(a.value), "currency": "EUR" },
            "suppliers": [org_ref(&a.supplier)],
            "contractPeriod": { "startDate": day(call.contract_start), "endDate": day_end(call.contract_end) },
        }]);
        out.push(r);
    }
    if let (Some(c), Some(a)) = (contract, award) {
        let mut r = base("contract", c.date, &parties);
        let mut contract = json!({
            "id": c.id,
            "awardID": award_id,
            "title": call.title,
            "status": c.status,
            "period": { "startDate": day(c.start), "endDate": day_end(c.end) },
            "value": { "amount": amount(c.value), "currency": "EUR" },
        });
        if let Some(signed) = c.date_signed {
            contract["dateSigned"] = json!(rfc3339(signed));
        }
        r["contracts"] = json!([contract]);
        out.push(r);
        if let Some(last) = c.transactions.iter().map(|t| t.date).max() {
            let mut r = base("implementation", last, &parties);
            r["contracts"] = json!([{
                "id": c.id,
                "awardID": award_id,
                "implementation": { "transactions": c.transactions.iter().map(|t| json!({
                    "id": format!("{}-{}", c.id, t.period),
                    "date": rfc3339(t.date),
                    "value": { "amount": amount(t.value), "currency": "EUR" },
                    "payer": org_ref(&call.buyer),
                    "payee": org_ref(&a.supplier),
                })).collect::<Vec<_>>() },
            }]);
            out.push(r);
        }
    }
    out
}

fn publisher() -> Value {
    json!({ "name": "Kilpailutus" })
}

pub fn release_package(uri: &str, published: DateTime<Utc>, releases: Vec<Value>) -> Value {
    json!({
        "uri": uri,
        "version": "1.1",
        "publishedDate": rfc3339(published),
        "publisher": publisher(),
        "releases": releases,
    })
}

pub fn record_package(
    uri: &str,
    release_package_uri: &str,
    published: DateTime<Utc>,
    ocid: &str,
    releases: Vec<Value>,
) -> Value {
    let compiled = compile(ocid, &releases);
    json!({
        "uri": uri,
        "version": "1.1",
        "publishedDate": rfc3339(published),
        "publisher": publisher(),
        "packages": [release_package_uri],
        "records": [{ "ocid": ocid, "releases": releases, "compiledRelease": compiled }],
    })
}

/// OCDS merge: objects merge field by field, later releases winning; arrays of objects that
/// all have an `id` merge item by item on that id; any other array, or value, is replaced; a
/// null removes the field. The compiled release is tagged `compiled`, with id `{ocid}-{date}`
/// of its latest release.
pub fn compile(ocid: &str, releases: &[Value]) -> Value {
    let mut sorted: Vec<&Value> = releases.iter().collect();
    sorted.sort_by(|a, b| a["date"].as_str().cmp(&b["date"].as_str()));
    let mut compiled = Value::Object(Map::new());
    for r in &sorted {
        merge(&mut compiled, r);
    }
    let date = sorted
        .last()
        .and_then(|r| r["date"].as_str())
        .unwrap_or_default()
        .to_owned();
    compiled["id"] = json!(format!("{ocid}-{date}"));
    compiled["tag"] = json!(["compiled"]);
    compiled
}

fn identified(items: &[Value]) -> bool {
    !items.is_empty()
        && items
            .iter()
            .all(|i| i.get("id").is_some_and(|id| !id.is_null()))
}

fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(t), Value::Object(u)) => {
            for (k, v) in u {
                if v.is_null() {
                    t.remove(k);
                } else if let Some(existing) = t.get_mut(k) {
                    merge(existing, v);
                } else {
                    let mut fresh = if v.is_object() {
                        Value::Object(Map::new())
                    } else {
                        Value::Null
                    };
                    if v.is_object() {
                        merge(&mut fresh, v);
                    } else {
                        fresh = v.clone();
                    }
                    t.insert(k.clone(), fresh);
                }
            }
        }
        (Value::Array(t), Value::Array(u)) if identified(u) && (t.is_empty() || identified(t)) => {
            for item in u {
                match t.iter_mut().find(|x| x.get("id") == item.get("id")) {
                    Some(existing) => merge(existing, item),
                    None => t.push(item.clone()),
                }
            }
        }
        (t, u) => *t = u.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rust_decimal::dec;

    fn t(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, d, 12, 0, 0).unwrap()
    }

    fn call(tenderers: Option<Vec<Party>>) -> Call {
        Call {
            id: "c1".into(),
            title: "Kotihoito".into(),
            description: "Home care".into(),
            tender_status: "active",
            buyer: Party {
                id: "o1".into(),
                name: "Lautakunta".into(),
                business_id: None,
            },
            published_at: t(1),
            questions_deadline: t(5),
            submission_deadline: t(10),
            contract_start: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            contract_end: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
            items: vec![Item {
                id: "l1".into(),
                product_code: "KH".into(),
                product_name: "Home care".into(),
                unit: "hour".into(),
                quantity: dec!(1000),
            }],
            tenderers,
        }
    }

    #[test]
    fn a_published_call_is_one_tender_release_without_tenderers() {
        let r = releases("ocds-x-", &call(None), None, None);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0]["ocid"], "ocds-x-c1");
        assert_eq!(r[0]["tag"], json!(["tender"]));
        assert!(r[0]["tender"].get("tenderers").is_none());
        assert!(r[0]["tender"].get("numberOfTenderers").is_none());
        assert_eq!(r[0]["tender"]["items"][0]["quantity"], json!(1000.0));
    }

    #[test]
    fn every_stage_adds_a_release_with_a_unique_id() {
        let supplier = Party {
            id: "p1".into(),
            name: "Hoiva Oy".into(),
            business_id: Some("0112038-9".into()),
        };
        let award = Award {
            date: t(12),
            supplier: supplier.clone(),
            value: dec!(45601.5425),
            justification: "best".into(),
        };
        let contract = Contract {
            id: "k1".into(),
            status: "active",
            date: t(28),
            date_signed: Some(t(28)),
            start: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
            value: dec!(45601.5425),
            transactions: vec![Transaction {
                period: "2027-01".into(),
                date: Utc.with_ymd_and_hms(2027, 1, 31, 0, 0, 0).unwrap(),
                value: dec!(3800),
            }],
        };
        let r = releases(
            "ocds-x-",
            &call(Some(vec![supplier])),
            Some(&award),
            Some(&contract),
        );
        let tags: Vec<_> = r.iter().map(|x| x["tag"][0].as_str().unwrap()).collect();
        assert_eq!(tags, ["tender", "award", "contract", "implementation"]);
        let mut ids: Vec<_> = r.iter().map(|x| x["id"].as_str().unwrap()).collect();
        ids.dedup();
        assert_eq!(ids.len(), 4);
        assert_eq!(r[1]["awards"][0]["value"]["amount"], json!(45601.5425));
        assert_eq!(r[0]["parties"][1]["roles"], json!(["tenderer", "supplier"]));
        assert_eq!(r[0]["parties"][1]["identifier"]["id"], "0112038-9");
        let compiled = compile("ocds-x-c1", &r);
        assert_eq!(compiled["tag"], json!(["compiled"]));
        assert_eq!(compiled["contracts"][0]["status"], "active", "merged by id");
        assert_eq!(
            compiled["contracts"][0]["implementation"]["transactions"][0]["id"],
            "k1-2027-01"
        );
        assert_eq!(
            compiled["tender"]["title"], "Kotihoito",
            "fields survive a later partial tender"
        );
    }

    #[test]
    fn merge_replaces_plain_arrays_and_removes_nulls() {
        let mut a = json!({ "x": [1, 2], "y": 1, "z": { "k": 1 } });
        merge(&mut a, &json!({ "x": [3], "y": null, "z": { "j": 2 } }));
        assert_eq!(a, json!({ "x": [3], "z": { "k": 1, "j": 2 } }));
    }
}
