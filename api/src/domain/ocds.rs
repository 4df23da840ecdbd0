//! Open Contracting Data Standard 1.1: a published call as a list of releases, one per
//! public change (the call published, its bids opened, an award made or withdrawn, the
//! contract made, signed, activated, amended, terminated or ended, a month's transaction),
//! a release package, a record package with its compiled release, and the OCDS merge that
//! compiles it. Plain values in, JSON out. A release is built once, when its change is made,
//! and stored: published releases never change. Sealed bid data never enters: tenderers
//! appear only in the release of the opening, dated the submission deadline.

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
    /// The id of the lot the item belongs to, on a call in lots.
    pub related_lot: Option<String>,
}

/// A lot of a call (the OCDS lots extension): its id and title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lot {
    pub id: String,
    pub number: i32,
    pub title: String,
}

/// The OCDS lots and bids extensions the releases use (fields under `tender.lots`,
/// `relatedLot`, `relatedLots` and `bids.details`), declared in every package.
pub const EXTENSIONS: [&str; 2] = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json",
];

/// The public facts of a call, as OCDS needs them when it is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub id: String,
    pub title: String,
    pub description: String,
    pub buyer: Party,
    pub published_at: DateTime<Utc>,
    pub questions_deadline: DateTime<Utc>,
    pub submission_deadline: DateTime<Utc>,
    pub contract_start: NaiveDate,
    pub contract_end: NaiveDate,
    pub items: Vec<Item>,
    /// The call's lots; none on a call without lots.
    pub lots: Vec<Lot>,
    /// The call's documents, as published.
    pub documents: Vec<DocumentRef>,
}

/// A published document: where it is fetched, its type and its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRef {
    pub id: String,
    pub title: String,
    pub format: String,
    /// None for a document that is not public (a contract's: its parties and admins read
    /// it); the release then says so and gives its SHA-256 only.
    pub url: Option<String>,
    pub sha256: String,
    pub date: DateTime<Utc>,
}

fn documents(docs: &[DocumentRef], kind: &str) -> Value {
    Value::Array(
        docs.iter()
            .map(|d| {
                let mut doc = json!({
                    "id": d.id,
                    "documentType": kind,
                    "title": d.title,
                    "description": format!("SHA-256 {}", d.sha256),
                    "format": d.format.split(';').next().unwrap_or_default().trim(),
                    "datePublished": rfc3339(d.date),
                    "x_sha256": d.sha256,
                });
                match &d.url {
                    Some(url) => doc["url"] = json!(url),
                    None => {
                        doc["description"] = json!(format!(
                            "SHA-256 {}. Read by the contract's parties; anyone else asks the buyer for a copy.",
                            d.sha256
                        ))
                    }
                }
                doc
            })
            .collect(),
    )
}

/// An award decision. Its id names the decision's round: a withdrawn award keeps its id, the
/// next award of the call has a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    pub id: String,
    pub title: String,
    pub date: DateTime<Utc>,
    pub supplier: Party,
    pub value: Decimal,
    pub justification: String,
    pub contract_start: NaiveDate,
    pub contract_end: NaiveDate,
    /// The award decision as a document (`awardNotice`): the page published at the call's
    /// decision url, with the SHA-256 of that page as the decision was made.
    pub decision: DocumentRef,
    /// The lot awarded, on a call in lots.
    pub related_lot: Option<String>,
    /// The ranked bids (the public ranking): each tenderer and its price for what was awarded.
    pub ranked: Vec<(Party, Decimal)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// YYYY-MM
    pub period: String,
    pub date: DateTime<Utc>,
    pub value: Decimal,
}

/// A contract as made from its award.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub id: String,
    pub award_id: String,
    pub title: String,
    pub date: DateTime<Utc>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub value: Decimal,
}

/// An amendment: the contract's new value and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amendment {
    /// The contract version it made (2 for the first amendment).
    pub version: i32,
    pub date: DateTime<Utc>,
    pub effective_from: NaiveDate,
    pub rationale: String,
    pub value: Decimal,
}

/// How a contract's status changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractChange {
    /// Both parties have signed it.
    Signed,
    Activated,
    Terminated,
    /// Its period ended (no write makes this: it is read from the end date).
    Ended,
}

/// One release before it is published: its tag, its date and the sections it sets (buyer,
/// parties, tender, awards, contracts). Stored as it is; `publish` adds the identifiers.
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    pub tag: &'static str,
    pub date: DateTime<Utc>,
    pub sections: Value,
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

pub fn money(d: Decimal) -> Value {
    json!({ "amount": amount(d), "currency": "EUR" })
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

/// The id of a call's `round`th award (1 for the first).
pub fn award_id(call_id: &str, round: u64) -> String {
    format!("{call_id}-award-{round}")
}

/// The whole tender as the call stands, open for bids.
fn tender(call: &Call) -> Value {
    let mut tender = json!({
        "id": call.id,
        "title": call.title,
        "description": call.description,
        "status": "active",
        "procuringEntity": org_ref(&call.buyer),
        "items": call.items.iter().map(|i| {
            let mut item = json!({
                "id": i.id,
                "description": i.product_name,
                "classification": { "scheme": "x_kilpailutus_product", "id": i.product_code, "description": i.product_name },
                "quantity": amount(i.quantity),
                "unit": { "name": i.unit },
            });
            if let Some(lot) = &i.related_lot {
                item["relatedLot"] = json!(lot);
            }
            item
        }).collect::<Vec<_>>(),
        "procurementMethod": "open",
        "mainProcurementCategory": "services",
        "awardCriteria": "ratedCriteria",
        "submissionMethod": ["electronicSubmission"],
        "tenderPeriod": { "startDate": rfc3339(call.published_at), "endDate": rfc3339(call.submission_deadline) },
        "enquiryPeriod": { "startDate": rfc3339(call.published_at), "endDate": rfc3339(call.questions_deadline) },
        "contractPeriod": { "startDate": day(call.contract_start), "endDate": day_end(call.contract_end) },
    });
    if !call.documents.is_empty() {
        tender["documents"] = documents(&call.documents, "biddingDocuments");
    }
    if !call.lots.is_empty() {
        tender["lots"] = Value::Array(
            call.lots
                .iter()
                .map(|l| {
                    json!({
                        "id": l.id,
                        "title": l.title,
                        "description": format!("Osa-alue {n} / Lot {n}", n = l.number),
                        "status": "active",
                    })
                })
                .collect(),
        );
    }
    tender
}

/// A lot declared unsuccessful (no award).
pub fn lot_unsuccessful(call_id: &str, buyer: &Party, lot_id: &str, at: DateTime<Utc>) -> Release {
    Release {
        tag: "tenderUpdate",
        date: at,
        sections: json!({
            "buyer": org_ref(buyer),
            "tender": { "id": call_id, "lots": [{ "id": lot_id, "status": "unsuccessful" }] },
        }),
    }
}

/// The call published: the whole tender, open for bids.
pub fn published(call: &Call) -> Release {
    Release {
        tag: "tender",
        date: call.published_at,
        sections: json!({
            "buyer": org_ref(&call.buyer),
            "parties": [party(&call.buyer, &["buyer", "procuringEntity"])],
            "tender": tender(call),
        }),
    }
}

/// A published call changed (`changeCall`): the tender as it stands after the change, with
/// the amendment (the version it made, the reason and the fields it changed). Items are
/// numbered by their line's position, so a changed line replaces its item when the releases
/// are compiled; `removed` are the numbers of items the change took away (OCDS merging keeps
/// an item once published), given with quantity 0.
pub fn tender_amended(
    call: &Call,
    version: i32,
    at: DateTime<Utc>,
    reason: &str,
    fields: &[&str],
    removed: &[String],
) -> Release {
    let mut tender = tender(call);
    if let Some(items) = tender["items"].as_array_mut() {
        for id in removed {
            items.push(json!({
                "id": id,
                "description": format!("Removed in version {version}"),
                "quantity": 0,
            }));
        }
    }
    tender["amendments"] = json!([{
        "id": format!("{}-v{version}", call.id),
        "date": rfc3339(at),
        "rationale": reason,
        "description": format!("Version {version}; changed: {}", fields.join(", ")),
    }]);
    Release {
        tag: "tenderAmendment",
        date: at,
        sections: json!({ "buyer": org_ref(&call.buyer), "tender": tender }),
    }
}

/// How a call ended without a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TenderEnd {
    Cancelled,
    Unsuccessful,
    /// Every lot of a call in lots decided, the last one without an award.
    Complete,
}

pub fn tender_ended(call_id: &str, buyer: &Party, at: DateTime<Utc>, end: TenderEnd) -> Release {
    let (tag, status) = match end {
        TenderEnd::Cancelled => ("tenderCancellation", "cancelled"),
        TenderEnd::Unsuccessful => ("tenderUpdate", "unsuccessful"),
        TenderEnd::Complete => ("tenderUpdate", "complete"),
    };
    Release {
        tag,
        date: at,
        sections: json!({ "buyer": org_ref(buyer), "tender": { "id": call_id, "status": status } }),
    }
}

/// The submission deadline passed: who bid becomes public, dated the deadline.
pub fn bids_opened(
    call_id: &str,
    buyer: &Party,
    deadline: DateTime<Utc>,
    tenderers: &[Party],
) -> Release {
    Release {
        tag: "tenderUpdate",
        date: deadline,
        sections: json!({
            "buyer": org_ref(buyer),
            "parties": tenderers.iter().map(|t| party(t, &["tenderer"])).collect::<Vec<_>>(),
            "tender": {
                "id": call_id,
                "numberOfTenderers": tenderers.len(),
                "tenderers": tenderers.iter().map(org_ref).collect::<Vec<_>>(),
            },
        }),
    }
}

/// An award decided. It is `pending` while the standstill and the remedies run; the
/// contract's release makes it `active`.
/// A lot's award completes the lot; the tender stays active until every lot is decided
/// (`tender_ended` or the last lot's award says so with `complete`).
pub fn awarded(call_id: &str, buyer: &Party, a: &Award, complete: bool) -> Release {
    let mut award = json!({
        "id": a.id,
        "title": a.title,
        "description": a.justification,
        "status": "pending",
        "date": rfc3339(a.date),
        "value": money(a.value),
        "suppliers": [org_ref(&a.supplier)],
        "contractPeriod": { "startDate": day(a.contract_start), "endDate": day_end(a.contract_end) },
        "documents": documents(std::slice::from_ref(&a.decision), "awardNotice"),
    });
    let mut tender =
        json!({ "id": call_id, "status": if complete { "complete" } else { "active" } });
    let related: Vec<&String> = a.related_lot.iter().collect();
    if let Some(lot) = &a.related_lot {
        award["relatedLots"] = json!([lot]);
        tender["lots"] = json!([{ "id": lot, "status": "complete" }]);
    }
    let details: Vec<Value> = (1..)
        .zip(&a.ranked)
        .map(|(rank, (tenderer, value))| {
            let mut bid = json!({
                "id": format!("{}-bid-{rank}", a.id),
                "status": "valid",
                "tenderers": [org_ref(tenderer)],
                "value": money(*value),
            });
            if !related.is_empty() {
                bid["relatedLots"] = json!(related);
            }
            bid
        })
        .collect();
    Release {
        tag: "award",
        date: a.date,
        sections: json!({
            "buyer": org_ref(buyer),
            "parties": [party(&a.supplier, &["tenderer", "supplier"])],
            "tender": tender,
            "awards": [award],
            "bids": { "details": details },
        }),
    }
}

/// An award withdrawn (after a correction request, or by the orderer): the award is
/// cancelled, its supplier is a tenderer again and the tender is open for a new decision. The
/// reason is not published: it may retell a bidder's correction request, which is not public.
pub fn award_withdrawn(
    call_id: &str,
    buyer: &Party,
    award_id: &str,
    supplier: &Party,
    at: DateTime<Utc>,
    lot: Option<&str>,
) -> Release {
    let mut tender = json!({ "id": call_id, "status": "active" });
    if let Some(lot) = lot {
        tender["lots"] = json!([{ "id": lot, "status": "active" }]);
    }
    Release {
        tag: "awardCancellation",
        date: at,
        sections: json!({
            "buyer": org_ref(buyer),
            "parties": [party(supplier, &["tenderer"])],
            "tender": tender,
            "awards": [{ "id": award_id, "status": "cancelled", "statusDetails": "The award decision was withdrawn." }],
        }),
    }
}

/// The contract made from the award (pending until it is signed and activated).
pub fn contracted(buyer: &Party, c: &Contract) -> Release {
    Release {
        tag: "contract",
        date: c.date,
        sections: json!({
            "buyer": org_ref(buyer),
            "awards": [{ "id": c.award_id, "status": "active" }],
            "contracts": [{
                "id": c.id,
                "awardID": c.award_id,
                "title": c.title,
                "status": "pending",
                "period": { "startDate": day(c.start), "endDate": day_end(c.end) },
                "value": money(c.value),
            }],
        }),
    }
}

/// A release about one contract of the call: its id and award, and `fields`.
fn about_contract(
    tag: &'static str,
    date: DateTime<Utc>,
    buyer: &Party,
    contract_id: &str,
    award_id: &str,
    fields: Value,
) -> Release {
    let mut contract = json!({ "id": contract_id, "awardID": award_id });
    if let (Some(c), Value::Object(f)) = (contract.as_object_mut(), fields) {
        c.extend(f);
    }
    Release {
        tag,
        date,
        sections: json!({ "buyer": org_ref(buyer), "contracts": [contract] }),
    }
}

pub fn contract_changed(
    buyer: &Party,
    contract_id: &str,
    award_id: &str,
    at: DateTime<Utc>,
    change: ContractChange,
) -> Release {
    let (tag, fields) = match change {
        ContractChange::Signed => ("contractUpdate", json!({ "dateSigned": rfc3339(at) })),
        ContractChange::Activated => ("contractUpdate", json!({ "status": "active" })),
        ContractChange::Terminated => ("contractTermination", json!({ "status": "terminated" })),
        ContractChange::Ended => ("contractUpdate", json!({ "status": "terminated" })),
    };
    about_contract(tag, at, buyer, contract_id, award_id, fields)
}

/// Documents attached to a contract: the contract's documents as they now are, each with its
/// SHA-256 (and no url: they are its parties' to read).
pub fn contract_documents(
    buyer: &Party,
    contract_id: &str,
    award_id: &str,
    at: DateTime<Utc>,
    docs: &[DocumentRef],
) -> Release {
    let fields = json!({ "documents": documents(docs, "contractAnnexe") });
    about_contract("contractUpdate", at, buyer, contract_id, award_id, fields)
}

/// The day after a contract's last day, when it ends by itself.
pub fn contract_end_date(end: NaiveDate) -> DateTime<Utc> {
    end.succ_opt()
        .unwrap_or(end)
        .and_time(chrono::NaiveTime::MIN)
        .and_utc()
}

pub fn contract_amended(
    buyer: &Party,
    contract_id: &str,
    award_id: &str,
    a: &Amendment,
) -> Release {
    let fields = json!({
        "value": money(a.value),
        "amendments": [{
            "id": format!("{contract_id}-v{}", a.version),
            "date": rfc3339(a.date),
            "rationale": a.rationale,
            "description": format!("In effect from {}; the contract's value is now {} EUR.", a.effective_from, a.value),
        }],
    });
    about_contract(
        "contractAmendment",
        a.date,
        buyer,
        contract_id,
        award_id,
        fields,
    )
}

/// A month reported: its transaction, paid by the buyer to the supplier.
pub fn implementation(
    buyer: &Party,
    contract_id: &str,
    award_id: &str,
    supplier: &Party,
    at: DateTime<Utc>,
    t: &Transaction,
) -> Release {
    let fields = json!({
        "implementation": { "transactions": [{
            "id": format!("{contract_id}-{}", t.period),
            "date": rfc3339(t.date),
            "value": money(t.value),
            "payer": org_ref(buyer),
            "payee": org_ref(supplier),
        }] },
    });
    about_contract("implementation", at, buyer, contract_id, award_id, fields)
}

/// The value an `implementation` release's `sections` give the transaction of `contract_id`
/// for `period`, if they hold it.
pub fn transaction_value<'a>(
    sections: &'a Value,
    contract_id: &str,
    period: &str,
) -> Option<&'a Value> {
    let id = format!("{contract_id}-{period}");
    sections["contracts"]
        .as_array()?
        .iter()
        .filter_map(|c| c["implementation"]["transactions"].as_array())
        .flatten()
        .find(|t| t["id"] == id.as_str())
        .map(|t| &t["value"])
}

/// The release as published: the stored sections with the call's ocid and the release's
/// own id, unique in the call (`{ocid}-{seq}-{tag}`).
pub fn publish(ocid: &str, seq: i32, tag: &str, date: DateTime<Utc>, sections: &Value) -> Value {
    let mut r = json!({
        "ocid": ocid,
        "id": format!("{ocid}-{seq}-{tag}"),
        "date": rfc3339(date),
        "tag": [tag],
        "initiationType": "tender",
        "language": "en",
    });
    if let (Value::Object(out), Value::Object(more)) = (&mut r, sections) {
        for (k, v) in more {
            out.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    r
}

fn publisher() -> Value {
    json!({ "name": "Kilpailutus" })
}

/// A package made on demand is published when its contents last changed: the date of its
/// newest release (all dates are RFC 3339 in UTC to the second, so they order as text).
fn last_change(releases: &[Value]) -> Value {
    releases
        .iter()
        .filter_map(|r| r["date"].as_str())
        .max()
        .map_or(Value::Null, |d| json!(d))
}

pub fn release_package(uri: &str, releases: Vec<Value>) -> Value {
    json!({
        "uri": uri,
        "version": "1.1",
        "extensions": EXTENSIONS,
        "publishedDate": last_change(&releases),
        "publisher": publisher(),
        "releases": releases,
    })
}

pub fn record_package(
    uri: &str,
    release_package_uri: &str,
    ocid: &str,
    releases: Vec<Value>,
) -> Value {
    let compiled = compile(ocid, &releases);
    json!({
        "uri": uri,
        "version": "1.1",
        "extensions": EXTENSIONS,
        "publishedDate": last_change(&releases),
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

    fn org(id: &str, name: &str) -> Party {
        Party {
            id: id.into(),
            name: name.into(),
            business_id: Some("0112038-9".into()),
        }
    }

    fn call() -> Call {
        Call {
            id: "c1".into(),
            title: "Kotihoito".into(),
            description: "Home care".into(),
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
                related_lot: None,
            }],
            lots: Vec::new(),
            documents: vec![DocumentRef {
                id: "d1".into(),
                title: "Tarjouspyyntö.pdf".into(),
                format: "application/pdf".into(),
                url: Some("https://kilpailutus.example/documents/d1".into()),
                sha256: "ab".repeat(32),
                date: t(1),
            }],
        }
    }

    fn award(round: u64, supplier: &Party, day: u32) -> Award {
        let c = call();
        Award {
            id: award_id("c1", round),
            title: c.title,
            date: t(day),
            supplier: supplier.clone(),
            value: dec!(45601.5425),
            justification: "best".into(),
            contract_start: c.contract_start,
            contract_end: c.contract_end,
            decision: DocumentRef {
                id: format!("{}-decision", award_id("c1", round)),
                title: "Hankintapäätös".into(),
                format: "text/html".into(),
                url: Some("https://kilpailutus.example/calls/c1/decision.html".into()),
                sha256: "cd".repeat(32),
                date: t(day),
            },
            related_lot: None,
            ranked: vec![(supplier.clone(), dec!(45601.5425))],
        }
    }

    #[test]
    fn a_published_call_is_one_tender_release_without_tenderers() {
        let r = published(&call());
        let p = publish("ocds-x-c1", 1, r.tag, r.date, &r.sections);
        assert_eq!(p["ocid"], "ocds-x-c1");
        assert_eq!(p["id"], "ocds-x-c1-1-tender");
        assert_eq!(p["tag"], json!(["tender"]));
        assert_eq!(p["buyer"]["id"], "o1");
        assert!(p["tender"].get("tenderers").is_none());
        assert!(p["tender"].get("numberOfTenderers").is_none());
        assert_eq!(p["tender"]["items"][0]["quantity"], json!(1000.0));
        let d = &p["tender"]["documents"][0];
        assert_eq!(d["documentType"], "biddingDocuments");
        assert_eq!(d["format"], "application/pdf");
        assert_eq!(d["x_sha256"], "ab".repeat(32));
    }

    #[test]
    fn every_change_is_a_release_of_its_own_and_the_record_compiles_them() {
        let c = call();
        let a = org("p1", "Hoiva Oy");
        let b = org("p2", "Apu Oy");
        let contract = Contract {
            id: "k1".into(),
            award_id: award_id("c1", 2),
            title: c.title.clone(),
            date: t(28),
            start: c.contract_start,
            end: c.contract_end,
            value: dec!(45601.5425),
        };
        let changes = [
            published(&c),
            bids_opened("c1", &c.buyer, t(10), &[a.clone(), b.clone()]),
            awarded("c1", &c.buyer, &award(1, &a, 12), true),
            award_withdrawn("c1", &c.buyer, &award_id("c1", 1), &a, t(14), None),
            awarded("c1", &c.buyer, &award(2, &b, 15), true),
            contracted(&c.buyer, &contract),
            contract_changed(
                &c.buyer,
                "k1",
                &contract.award_id,
                t(29),
                ContractChange::Signed,
            ),
            contract_changed(
                &c.buyer,
                "k1",
                &contract.award_id,
                t(30),
                ContractChange::Activated,
            ),
            contract_amended(
                &c.buyer,
                "k1",
                &contract.award_id,
                &Amendment {
                    version: 2,
                    date: Utc.with_ymd_and_hms(2027, 2, 3, 9, 0, 0).unwrap(),
                    effective_from: NaiveDate::from_ymd_opt(2027, 2, 1).unwrap(),
                    rationale: "More hours".into(),
                    value: dec!(50000),
                },
            ),
            implementation(
                &c.buyer,
                "k1",
                &contract.award_id,
                &b,
                Utc.with_ymd_and_hms(2027, 2, 4, 9, 0, 0).unwrap(),
                &Transaction {
                    period: "2027-01".into(),
                    date: Utc.with_ymd_and_hms(2027, 1, 31, 23, 59, 59).unwrap(),
                    value: dec!(3640),
                },
            ),
            contract_changed(
                &c.buyer,
                "k1",
                &contract.award_id,
                contract_end_date(c.contract_end),
                ContractChange::Ended,
            ),
        ];
        let published: Vec<Value> = changes
            .iter()
            .zip(1..)
            .map(|(r, seq)| publish("ocds-x-c1", seq, r.tag, r.date, &r.sections))
            .collect();
        let tags: Vec<_> = published
            .iter()
            .map(|x| x["tag"][0].as_str().unwrap())
            .collect();
        assert_eq!(
            tags,
            [
                "tender",
                "tenderUpdate",
                "award",
                "awardCancellation",
                "award",
                "contract",
                "contractUpdate",
                "contractUpdate",
                "contractAmendment",
                "implementation",
                "contractUpdate"
            ]
        );
        let mut ids: Vec<_> = published
            .iter()
            .map(|x| x["id"].as_str().unwrap())
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), changes.len(), "every release has its own id");
        assert_eq!(
            contract_end_date(c.contract_end),
            Utc.with_ymd_and_hms(2028, 1, 1, 0, 0, 0).unwrap()
        );

        let compiled = compile("ocds-x-c1", &published);
        assert_eq!(compiled["tag"], json!(["compiled"]));
        assert_eq!(
            compiled["tender"]["title"], "Kotihoito",
            "fields survive later partial tenders"
        );
        assert_eq!(compiled["tender"]["status"], "complete");
        assert_eq!(compiled["tender"]["numberOfTenderers"], 2);
        let awards = compiled["awards"].as_array().unwrap();
        assert_eq!(awards.len(), 2);
        assert_eq!(awards[0]["status"], "cancelled");
        assert_eq!(
            awards[0]["value"]["amount"],
            json!(45601.5425),
            "the withdrawn award stays on record"
        );
        assert_eq!(awards[1]["status"], "active");
        assert_eq!(awards[1]["suppliers"][0]["id"], "p2");
        let roles = |id: &str| {
            compiled["parties"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["id"] == id)
                .unwrap()["roles"]
                .clone()
        };
        assert_eq!(roles("p1"), json!(["tenderer"]), "no longer the supplier");
        assert_eq!(roles("p2"), json!(["tenderer", "supplier"]));
        let k = &compiled["contracts"][0];
        assert_eq!(k["status"], "terminated", "ended by its period");
        assert_eq!(k["dateSigned"], "2026-12-29T12:00:00Z");
        assert_eq!(k["value"]["amount"], json!(50000.0));
        assert_eq!(k["amendments"][0]["id"], "k1-v2");
        assert_eq!(k["implementation"]["transactions"][0]["id"], "k1-2027-01");
        assert_eq!(k["implementation"]["transactions"][0]["payee"]["id"], "p2");
    }

    #[test]
    fn a_cancelled_or_unsuccessful_tender() {
        let c = call();
        let r = tender_ended("c1", &c.buyer, t(3), TenderEnd::Cancelled);
        assert_eq!(
            (r.tag, &r.sections["tender"]["status"]),
            ("tenderCancellation", &json!("cancelled"))
        );
        let r = tender_ended("c1", &c.buyer, t(20), TenderEnd::Unsuccessful);
        assert_eq!(
            (r.tag, &r.sections["tender"]["status"]),
            ("tenderUpdate", &json!("unsuccessful"))
        );
    }

    #[test]
    fn a_call_in_lots_has_its_lots_and_each_award_names_its_lot() {
        let mut c = call();
        c.lots = vec![
            Lot {
                id: "lot-1".into(),
                number: 1,
                title: "East".into(),
            },
            Lot {
                id: "lot-2".into(),
                number: 2,
                title: "West".into(),
            },
        ];
        c.items[0].related_lot = Some("lot-2".into());
        let tender = &published(&c).sections["tender"];
        assert_eq!(tender["lots"][1]["id"], "lot-2");
        assert_eq!(tender["lots"][1]["status"], "active");
        assert_eq!(tender["items"][0]["relatedLot"], "lot-2");
        let (a, b) = (
            Party {
                id: "p1".into(),
                name: "A".into(),
                business_id: None,
            },
            Party {
                id: "p2".into(),
                name: "B".into(),
                business_id: None,
            },
        );
        let mut lot_award = award(1, &a, 12);
        lot_award.related_lot = Some("lot-2".into());
        lot_award.ranked = vec![(a.clone(), dec!(40000)), (b.clone(), dec!(42000))];
        let r = awarded("c1", &c.buyer, &lot_award, false);
        assert_eq!(
            r.sections["tender"]["status"], "active",
            "lot 1 is undecided"
        );
        assert_eq!(
            r.sections["tender"]["lots"],
            json!([{ "id": "lot-2", "status": "complete" }])
        );
        assert_eq!(r.sections["awards"][0]["relatedLots"], json!(["lot-2"]));
        let bids = &r.sections["bids"]["details"];
        assert_eq!(bids[1]["tenderers"][0]["id"], "p2");
        assert_eq!(bids[1]["value"]["amount"], json!(42000.0));
        assert_eq!(bids[1]["relatedLots"], json!(["lot-2"]));
        let w = award_withdrawn("c1", &c.buyer, &lot_award.id, &a, t(14), Some("lot-2"));
        assert_eq!(w.sections["tender"]["lots"][0]["status"], "active");
        let u = lot_unsuccessful("c1", &c.buyer, "lot-1", t(15));
        assert_eq!(u.sections["tender"]["lots"][0]["status"], "unsuccessful");
        // A call awarded whole: no lots anywhere, its bids without relatedLots.
        let whole = awarded("c1", &c.buyer, &award(1, &a, 12), true);
        assert_eq!(whole.sections["tender"]["status"], "complete");
        assert!(whole.sections["awards"][0].get("relatedLots").is_none());
        assert!(
            whole.sections["bids"]["details"][0]
                .get("relatedLots")
                .is_none()
        );
    }

    #[test]
    fn merge_replaces_plain_arrays_and_removes_nulls() {
        let mut a = json!({ "x": [1, 2], "y": 1, "z": { "k": 1 } });
        merge(&mut a, &json!({ "x": [3], "y": null, "z": { "j": 2 } }));
        assert_eq!(a, json!({ "x": [3], "z": { "k": 1, "j": 2 } }));
    }
}
