//! Sealed bids: what a valid bid is, its totals, its receipt, when bidding is open, and the
//! seal — who may see a bid, and when.

use super::Invalid;
use super::call::{CallStatus, CreditRating, Viewer};
use chrono::{DateTime, SecondsFormat, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashSet;

/// What a bid must fit: the call's lines, requirements, criteria and subcontracting cap.
#[derive(Debug, Clone)]
pub struct BidTerms {
    /// (call line id, quantity), in the call's order.
    pub lines: Vec<(String, Decimal)>,
    pub requirement_ids: HashSet<String>,
    pub criterion_ids: HashSet<String>,
    pub max_subcontracting_share: Option<Decimal>,
    /// The call's lots (none for a call without lots): a bid then covers whole lots.
    pub lots: Vec<super::lot::LotLines>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BidInput {
    /// (call line id, unit price)
    pub lines: Vec<(String, Decimal)>,
    pub annual_turnover: Decimal,
    pub equity_ratio: Decimal,
    pub credit_rating: CreditRating,
    /// (requirement id, evidence)
    pub capability_responses: Vec<(String, String)>,
    /// (criterion id, text)
    pub quality_responses: Vec<(String, String)>,
    pub subcontracting_share: Option<Decimal>,
    /// The organisation's uploads to attach (sealed with the bid).
    pub document_ids: Vec<String>,
}

/// A bid that fits its call, with its lines in the call's order and its total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidBid {
    pub lines: Vec<(String, Decimal)>,
    /// The numbers of the lots the bid covers, ascending (none for a call without lots).
    pub lots: Vec<i32>,
    pub total_price: Decimal,
    pub annual_turnover: Decimal,
    pub equity_ratio: Decimal,
    pub credit_rating: CreditRating,
    pub capability_responses: Vec<(String, String)>,
    pub quality_responses: Vec<(String, String)>,
    pub subcontracting_share: Decimal,
    /// At most 20, none twice.
    pub document_ids: Vec<String>,
}

pub const MAX_UNIT_PRICE_DECIMALS: u32 = 4;

fn responses(
    field: &str,
    known: &HashSet<String>,
    given: Vec<(String, String)>,
    what: &str,
) -> Result<Vec<(String, String)>, Invalid> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(given.len());
    for (i, (id, text)) in given.into_iter().enumerate() {
        if !known.contains(&id) {
            return Err(Invalid::new(
                format!("{field}[{i}]"),
                format!("is not a {what} of this call"),
            ));
        }
        if !seen.insert(id.clone()) {
            return Err(Invalid::new(
                format!("{field}[{i}]"),
                format!("answers the same {what} twice"),
            ));
        }
        let text = super::validate::text(&format!("{field}[{i}]"), &text, 20_000)?;
        out.push((id, text));
    }
    out.sort();
    Ok(out)
}

/// Checks a bid against its call: every line priced exactly once with a unit price >= 0 and
/// at most four decimals, responses only to the call's own requirements and criteria, sane
/// financials, and a subcontracting share within the call's cap.
pub fn validate_bid(terms: &BidTerms, input: BidInput) -> Result<ValidBid, Invalid> {
    let mut prices = std::collections::HashMap::new();
    let known_lines: HashSet<&str> = terms.lines.iter().map(|(id, _)| id.as_str()).collect();
    for (i, (line_id, price)) in input.lines.iter().enumerate() {
        if !known_lines.contains(line_id.as_str()) {
            return Err(Invalid::new(
                format!("lines[{i}].callLineId"),
                "is not a line of this call",
            ));
        }
        if *price < Decimal::ZERO {
            return Err(Invalid::new(
                format!("lines[{i}].unitPrice"),
                "must not be negative",
            ));
        }
        if price.normalize().scale() > MAX_UNIT_PRICE_DECIMALS {
            return Err(Invalid::new(
                format!("lines[{i}].unitPrice"),
                "may have at most 4 decimals",
            ));
        }
        if prices.insert(line_id.as_str(), *price).is_some() {
            return Err(Invalid::new(
                format!("lines[{i}].callLineId"),
                "prices the same line twice",
            ));
        }
    }
    // A call in lots: the bid prices the lines of the whole lots it covers; otherwise every
    // line of the call.
    let lots = if terms.lots.is_empty() {
        Vec::new()
    } else {
        let priced: Vec<&str> = prices.keys().copied().collect();
        super::lot::covered(&terms.lots, &priced)?
    };
    let mut lines = Vec::with_capacity(terms.lines.len());
    let mut total = Decimal::ZERO;
    for (line_id, quantity) in &terms.lines {
        let price = match prices.get(line_id.as_str()) {
            Some(price) => *price,
            // A line of a lot the bid does not cover.
            None if !lots.is_empty() => continue,
            None => {
                return Err(Invalid::new(
                    "lines",
                    format!("every line of the call must be priced; line {line_id} is not"),
                ));
            }
        };
        let line_total = quantity
            .checked_mul(price)
            .ok_or_else(|| Invalid::new("lines", "a line total is too large"))?;
        total = total
            .checked_add(line_total)
            .ok_or_else(|| Invalid::new("lines", "the total price is too large"))?;
        lines.push((line_id.clone(), price));
    }
    if input.annual_turnover < Decimal::ZERO {
        return Err(Invalid::new("annualTurnover", "must not be negative"));
    }
    if input.equity_ratio < Decimal::ZERO || input.equity_ratio > Decimal::ONE {
        return Err(Invalid::new(
            "equityRatio",
            "is a ratio between 0 and 1 (0.35 means 35 %)",
        ));
    }
    let share = input.subcontracting_share.unwrap_or(Decimal::ZERO);
    if share < Decimal::ZERO || share > Decimal::ONE {
        return Err(Invalid::new(
            "subcontractingShare",
            "must be between 0 and 1",
        ));
    }
    if let Some(cap) = terms.max_subcontracting_share
        && share > cap
    {
        return Err(Invalid::new(
            "subcontractingShare",
            format!("exceeds the call's cap of {cap}"),
        ));
    }
    let capability_responses = responses(
        "capabilityResponses",
        &terms.requirement_ids,
        input.capability_responses,
        "capability requirement",
    )?;
    let quality_responses = responses(
        "qualityResponses",
        &terms.criterion_ids,
        input.quality_responses,
        "quality criterion",
    )?;
    super::validate::list_len(
        "documentIds",
        input.document_ids.len(),
        super::document::MAX_FILES_PER_OBJECT,
    )?;
    let mut seen = HashSet::new();
    for (i, id) in input.document_ids.iter().enumerate() {
        // Ids are compared as the store reads them (trimmed, any case).
        if !seen.insert(id.trim().to_ascii_lowercase()) {
            return Err(Invalid::new(
                format!("documentIds[{i}]"),
                "names the same document twice",
            ));
        }
    }
    Ok(ValidBid {
        lines,
        lots,
        total_price: total,
        annual_turnover: input.annual_turnover,
        equity_ratio: input.equity_ratio,
        credit_rating: input.credit_rating,
        capability_responses,
        quality_responses,
        subcontracting_share: share,
        document_ids: input.document_ids,
    })
}

/// Why a bid cannot be submitted or withdrawn now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BiddingClosed {
    /// The call is not open for bids (a draft, cancelled, …).
    NotOpen(CallStatus),
    DeadlinePassed,
}

/// Bids may be submitted, replaced or withdrawn while a published call's deadline is ahead.
pub fn check_bidding_open(
    stored: CallStatus,
    submission_deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), BiddingClosed> {
    match stored {
        CallStatus::Published if now < submission_deadline => Ok(()),
        CallStatus::Published
        | CallStatus::Awarded
        | CallStatus::Contracted
        | CallStatus::Unsuccessful => Err(BiddingClosed::DeadlinePassed),
        other => Err(BiddingClosed::NotOpen(other)),
    }
}

/// Questions may be asked while a published call's questions deadline is ahead.
pub fn check_questions_open(
    stored: CallStatus,
    questions_deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), BiddingClosed> {
    match stored {
        CallStatus::Published if now < questions_deadline => Ok(()),
        CallStatus::Published
        | CallStatus::Awarded
        | CallStatus::Contracted
        | CallStatus::Unsuccessful => Err(BiddingClosed::DeadlinePassed),
        other => Err(BiddingClosed::NotOpen(other)),
    }
}

/// The seal. A bid is seen by its own organisation always; by the call's orderer
/// organisation only after the deadline, and only while it stands (not withdrawn); by
/// nobody else, ever — not by an admin, not by another bidder.
pub fn can_see_bid(
    viewer: Viewer<'_>,
    bidder_id: &str,
    call_orderer_id: &str,
    withdrawn: bool,
    deadline_passed: bool,
) -> bool {
    match viewer {
        Viewer::Producer(org) => org == bidder_id,
        Viewer::Orderer(org) => org == call_orderer_id && deadline_passed && !withdrawn,
        Viewer::Admin | Viewer::Anonymous => false,
    }
}

/// The number of bids is nobody's business before the deadline.
pub fn bid_count_visible(deadline_passed: bool) -> bool {
    deadline_passed
}

/// The content a receipt covers. Fields are declared in alphabetical order, so the JSON
/// serialisation has sorted keys; see the README for how to recompute a receipt.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReceiptContent<'a> {
    pub annual_turnover: String,
    pub bidder_id: &'a str,
    pub call_id: &'a str,
    pub capability_responses: Vec<CapabilityItem<'a>>,
    pub credit_rating: &'static str,
    /// The SHA-256 of each attached document, sorted; left out when the bid has none, so
    /// the receipt of a bid without documents is what it was before bids had documents.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<&'a str>,
    pub equity_ratio: String,
    pub lines: Vec<LineItem<'a>>,
    /// The numbers of the lots the bid covers, ascending; left out on a call without lots.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lots: Vec<i32>,
    pub quality_responses: Vec<QualityItem<'a>>,
    pub subcontracting_share: String,
    pub submitted_at: String,
    pub version: i32,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CapabilityItem<'a> {
    pub evidence: &'a str,
    pub requirement_id: &'a str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LineItem<'a> {
    pub call_line_id: &'a str,
    pub unit_price: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QualityItem<'a> {
    pub criterion_id: &'a str,
    pub text: &'a str,
}

/// The canonical text of a bid: compact JSON, keys sorted, arrays sorted by id, decimals as
/// the strings the API returns, `submittedAt` in RFC 3339 UTC with six fractional digits, and
/// the SHA-256 of its `documents` (sorted; the key only when there are some).
pub fn canonical_bid<'a>(
    call_id: &'a str,
    bidder_id: &'a str,
    version: i32,
    bid: &'a ValidBid,
    documents: &[&'a str],
    submitted_at: DateTime<Utc>,
) -> String {
    let mut documents = documents.to_vec();
    documents.sort_unstable();
    let mut lines: Vec<LineItem> = bid
        .lines
        .iter()
        .map(|(id, p)| LineItem {
            call_line_id: id,
            unit_price: p.to_string(),
        })
        .collect();
    lines.sort_by(|a, b| a.call_line_id.cmp(b.call_line_id));
    let content = ReceiptContent {
        annual_turnover: bid.annual_turnover.to_string(),
        bidder_id,
        call_id,
        capability_responses: bid
            .capability_responses
            .iter()
            .map(|(id, e)| CapabilityItem {
                evidence: e,
                requirement_id: id,
            })
            .collect(),
        credit_rating: bid.credit_rating.as_str(),
        documents,
        equity_ratio: bid.equity_ratio.to_string(),
        lines,
        lots: bid.lots.clone(),
        quality_responses: bid
            .quality_responses
            .iter()
            .map(|(id, t)| QualityItem {
                criterion_id: id,
                text: t,
            })
            .collect(),
        subcontracting_share: bid.subcontracting_share.to_string(),
        submitted_at: submitted_at.to_rfc3339_opts(SecondsFormat::Micros, true),
        version,
    };
    // Serialising plain strings and integers cannot fail.
    serde_json::to_string(&content).unwrap_or_default()
}

/// The receipt: lowercase hex SHA-256 of the canonical text.
pub fn receipt(canonical: &str) -> String {
    super::audit::sha256_hex(canonical)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone};
    use rust_decimal::dec;

    fn terms() -> BidTerms {
        BidTerms {
            lines: vec![("l1".into(), dec!(1000)), ("l2".into(), dec!(12.5))],
            requirement_ids: ["r1".to_owned()].into(),
            criterion_ids: ["c1".to_owned(), "c2".to_owned()].into(),
            max_subcontracting_share: Some(dec!(0.3)),
            lots: vec![],
        }
    }

    /// The same call in two lots: lot 1 is line l1, lot 2 line l2 and a third line l3.
    fn lot_terms() -> BidTerms {
        use crate::domain::lot::LotLines;
        let mut t = terms();
        t.lines.push(("l3".into(), dec!(4)));
        t.lots = vec![
            LotLines {
                number: 1,
                lines: vec![("l1".into(), dec!(1000))],
            },
            LotLines {
                number: 2,
                lines: vec![("l2".into(), dec!(12.5)), ("l3".into(), dec!(4))],
            },
        ];
        t
    }

    #[test]
    fn in_a_call_in_lots_a_bid_prices_the_whole_lots_it_covers() {
        // Lot 2 only: 12.5 x 8 + 4 x 2.25 = 100 + 9 = 109.
        let mut i = input();
        i.lines = vec![("l3".into(), dec!(2.25)), ("l2".into(), dec!(8))];
        let b = validate_bid(&lot_terms(), i).unwrap();
        assert_eq!(b.lots, vec![2]);
        assert_eq!(b.total_price, dec!(109));
        assert_eq!(
            b.lines,
            vec![("l2".to_owned(), dec!(8)), ("l3".to_owned(), dec!(2.25))],
            "in the call's order"
        );
        // Both lots: 45 500 + 109.
        let mut both = input();
        both.lines = vec![
            ("l1".into(), dec!(45.50)),
            ("l2".into(), dec!(8)),
            ("l3".into(), dec!(2.25)),
        ];
        let b = validate_bid(&lot_terms(), both).unwrap();
        assert_eq!((b.lots.clone(), b.total_price), (vec![1, 2], dec!(45609)));
        // Part of lot 2: refused, naming the lot.
        let mut part = input();
        part.lines = vec![("l1".into(), dec!(45.50)), ("l2".into(), dec!(8))];
        let e = validate_bid(&lot_terms(), part).unwrap_err();
        assert_eq!(e.field, "lines");
        assert!(e.rule.contains("covers lot 2 in part"), "{}", e.rule);
        // The receipt covers the lots; a call without lots has none in it.
        let text = canonical_bid("c", "o", 1, &b, &[], Utc::now());
        assert!(text.contains(r#""lots":[1,2],"quality"#), "{text}");
        let plain = validate_bid(&terms(), input()).unwrap();
        assert!(!canonical_bid("c", "o", 1, &plain, &[], Utc::now()).contains("lots"));
        // A call without lots still needs every line.
        let mut one = input();
        one.lines = vec![("l1".into(), dec!(45.50))];
        assert!(validate_bid(&terms(), one).is_err());
        assert_eq!(
            validate_bid(&terms(), input()).unwrap().lots,
            Vec::<i32>::new()
        );
    }

    fn input() -> BidInput {
        BidInput {
            lines: vec![("l2".into(), dec!(8.1234)), ("l1".into(), dec!(45.50))],
            annual_turnover: dec!(2000000),
            equity_ratio: dec!(0.35),
            credit_rating: CreditRating::Aa,
            capability_responses: vec![("r1".into(), "We employ 40 nurses".into())],
            quality_responses: vec![
                ("c2".to_owned(), "Plan".to_owned()),
                ("c1".to_owned(), "Staff".to_owned()),
            ],
            subcontracting_share: Some(dec!(0.1)),
            document_ids: vec![],
        }
    }

    #[test]
    fn the_total_is_the_sum_of_quantity_times_unit_price() {
        // 1000 x 45.50 + 12.5 x 8.1234 = 45 500 + 101.5425 = 45 601.5425
        let b = validate_bid(&terms(), input()).unwrap();
        assert_eq!(b.total_price, dec!(45601.5425));
        assert_eq!(
            b.lines,
            vec![
                ("l1".to_owned(), dec!(45.50)),
                ("l2".to_owned(), dec!(8.1234))
            ]
        );
        assert_eq!(
            b.quality_responses[0].0, "c1",
            "responses are kept sorted by id"
        );
    }

    #[test]
    fn every_line_must_be_priced_once_with_a_sound_price() {
        let mut i = input();
        i.lines.pop();
        assert_eq!(validate_bid(&terms(), i).unwrap_err().field, "lines");
        let mut i = input();
        i.lines.push(("l1".into(), dec!(1)));
        assert_eq!(
            validate_bid(&terms(), i).unwrap_err().field,
            "lines[2].callLineId"
        );
        let mut i = input();
        i.lines[0].0 = "other".into();
        assert_eq!(
            validate_bid(&terms(), i).unwrap_err().field,
            "lines[0].callLineId"
        );
        let mut i = input();
        i.lines[0].1 = dec!(-0.01);
        assert_eq!(
            validate_bid(&terms(), i).unwrap_err().field,
            "lines[0].unitPrice"
        );
        let mut i = input();
        i.lines[0].1 = dec!(1.00001);
        assert_eq!(
            validate_bid(&terms(), i).unwrap_err().field,
            "lines[0].unitPrice"
        );
        let mut i = input();
        i.lines[0].1 = dec!(1.00010);
        assert!(
            validate_bid(&terms(), i).is_ok(),
            "trailing zeros do not count as decimals"
        );
        let mut i = input();
        i.lines[0].1 = dec!(0);
        assert!(validate_bid(&terms(), i).is_ok(), "a zero price is allowed");
    }

    #[test]
    fn responses_must_answer_this_calls_own_requirements_and_criteria() {
        let mut i = input();
        i.capability_responses.push(("c1".into(), "x".into()));
        assert_eq!(
            validate_bid(&terms(), i).unwrap_err().field,
            "capabilityResponses[1]"
        );
        let mut i = input();
        i.quality_responses.push(("c1".into(), "again".into()));
        assert_eq!(
            validate_bid(&terms(), i).unwrap_err().field,
            "qualityResponses[2]"
        );
        let mut i = input();
        i.capability_responses[0].1 = " ".into();
        assert_eq!(
            validate_bid(&terms(), i).unwrap_err().field,
            "capabilityResponses[0]"
        );
    }

    #[test]
    fn financials_and_subcontracting_are_checked() {
        let mut i = input();
        i.annual_turnover = dec!(-1);
        assert_eq!(
            validate_bid(&terms(), i).unwrap_err().field,
            "annualTurnover"
        );
        let mut i = input();
        i.equity_ratio = dec!(1.2);
        assert_eq!(validate_bid(&terms(), i).unwrap_err().field, "equityRatio");
        let mut i = input();
        i.subcontracting_share = Some(dec!(0.31));
        let e = validate_bid(&terms(), i).unwrap_err();
        assert_eq!(e.field, "subcontractingShare");
        assert!(e.rule.contains("0.3"));
        let mut i = input();
        i.subcontracting_share = None;
        assert_eq!(
            validate_bid(&terms(), i).unwrap().subcontracting_share,
            dec!(0)
        );
    }

    #[test]
    fn bidding_is_open_only_on_a_published_call_before_its_deadline() {
        let d = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        let before = d - TimeDelta::microseconds(1);
        assert_eq!(check_bidding_open(CallStatus::Published, d, before), Ok(()));
        assert_eq!(
            check_bidding_open(CallStatus::Published, d, d),
            Err(BiddingClosed::DeadlinePassed)
        );
        assert_eq!(
            check_bidding_open(CallStatus::Draft, d, before),
            Err(BiddingClosed::NotOpen(CallStatus::Draft))
        );
        assert_eq!(
            check_bidding_open(CallStatus::Cancelled, d, before),
            Err(BiddingClosed::NotOpen(CallStatus::Cancelled))
        );
        assert_eq!(
            check_questions_open(CallStatus::Published, d, d),
            Err(BiddingClosed::DeadlinePassed)
        );
    }

    #[test]
    fn the_seal_holds_until_the_deadline_for_everyone_but_the_bidder() {
        let bidder = Viewer::Producer("b");
        let rival = Viewer::Producer("r");
        let orderer = Viewer::Orderer("o");
        let other_orderer = Viewer::Orderer("x");
        for passed in [false, true] {
            assert!(can_see_bid(bidder, "b", "o", false, passed));
            assert!(
                can_see_bid(bidder, "b", "o", true, passed),
                "a bidder sees its withdrawn bid"
            );
            assert!(!can_see_bid(rival, "b", "o", false, passed));
            assert!(!can_see_bid(Viewer::Admin, "b", "o", false, passed));
            assert!(!can_see_bid(Viewer::Anonymous, "b", "o", false, passed));
            assert!(!can_see_bid(other_orderer, "b", "o", false, passed));
        }
        assert!(!can_see_bid(orderer, "b", "o", false, false));
        assert!(can_see_bid(orderer, "b", "o", false, true));
        assert!(
            !can_see_bid(orderer, "b", "o", true, true),
            "a withdrawn bid is not a bid"
        );
        assert!(!bid_count_visible(false) && bid_count_visible(true));
    }

    #[test]
    fn the_receipt_covers_the_canonical_content() {
        let b = validate_bid(&terms(), input()).unwrap();
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap();
        let text = canonical_bid("call-1", "org-1", 2, &b, &[], at);
        assert_eq!(
            text,
            "{\"annualTurnover\":\"2000000\",\"bidderId\":\"org-1\",\"callId\":\"call-1\",\
             \"capabilityResponses\":[{\"evidence\":\"We employ 40 nurses\",\"requirementId\":\"r1\"}],\
             \"creditRating\":\"AA\",\"equityRatio\":\"0.35\",\
             \"lines\":[{\"callLineId\":\"l1\",\"unitPrice\":\"45.50\"},{\"callLineId\":\"l2\",\"unitPrice\":\"8.1234\"}],\
             \"qualityResponses\":[{\"criterionId\":\"c1\",\"text\":\"Staff\"},{\"criterionId\":\"c2\",\"text\":\"Plan\"}],\
             \"subcontractingShare\":\"0.1\",\"submittedAt\":\"2026-11-24T12:00:00.000000Z\",\"version\":2}"
        );
        let r = receipt(&text);
        assert_eq!(r.len(), 64);
        assert!(
            r.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        let later = canonical_bid(
            "call-1",
            "org-1",
            2,
            &b,
            &[],
            at + TimeDelta::microseconds(1),
        );
        assert_ne!(receipt(&later), r, "the time is part of the receipt");
    }

    #[test]
    fn at_most_twenty_documents_none_twice() {
        let with = |ids: Vec<String>| {
            let mut i = input();
            i.document_ids = ids;
            validate_bid(&terms(), i)
        };
        let twenty: Vec<String> = (0..20).map(|i| format!("d{i}")).collect();
        assert_eq!(with(twenty.clone()).unwrap().document_ids, twenty);
        let mut many = twenty.clone();
        many.push("d20".into());
        assert_eq!(with(many).unwrap_err().field, "documentIds");
        let twice = vec!["d1".to_owned(), "d2".to_owned(), " D1".to_owned()];
        assert_eq!(with(twice).unwrap_err().field, "documentIds[2]");
    }

    #[test]
    fn documents_enter_the_receipt_as_sorted_hashes_and_only_when_there_are_some() {
        let b = validate_bid(&terms(), input()).unwrap();
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap();
        let none = canonical_bid("call-1", "org-1", 2, &b, &[], at);
        assert!(!none.contains("documents"), "unchanged without documents");
        let (x, y) = ("b".repeat(64), "a".repeat(64));
        let two = canonical_bid("call-1", "org-1", 2, &b, &[&x, &y], at);
        assert!(two.contains(&format!(
            "\"creditRating\":\"AA\",\"documents\":[\"{y}\",\"{x}\"],\"equityRatio\""
        )));
        let swapped = canonical_bid("call-1", "org-1", 2, &b, &[&y, &x], at);
        assert_eq!(two, swapped, "the order of attachment does not matter");
        assert_ne!(receipt(&two), receipt(&none));
        let one = canonical_bid("call-1", "org-1", 2, &b, &[&x], at);
        assert_ne!(receipt(&one), receipt(&two), "every document counts");
    }
}
