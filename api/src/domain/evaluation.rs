//! Evaluation of bids: qualification (financial standing, capability, the grant rule), the
//! quality and price scores of the most economically advantageous tender, ranking with its
//! tie-breaks, and the abnormally-low flag. Exact `Decimal` arithmetic throughout; rounding
//! to two decimals happens only for display ([`display`]).

use super::Invalid;
use super::call::CreditRating;
use super::contract::days_inclusive;
use super::money::{self, mul_div};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

/// A quality criterion of the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    pub id: String,
    pub weight: i32,
    pub max_points: i32,
}

/// What a call asks of bids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    pub price_weight: i32,
    pub criteria: Vec<Criterion>,
    pub min_turnover_ratio: Option<Decimal>,
    pub min_equity_ratio: Option<Decimal>,
    pub min_credit_rating: Option<CreditRating>,
    /// (requirement id, text), in the call's order.
    pub requirements: Vec<(String, String)>,
    pub contract_start: NaiveDate,
    pub contract_end: NaiveDate,
}

/// One standing bid and everything judged of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BidFacts {
    pub id: String,
    pub total_price: Decimal,
    pub annual_turnover: Decimal,
    pub equity_ratio: Decimal,
    pub credit_rating: CreditRating,
    pub submitted_at: DateTime<Utc>,
    /// requirement id -> met
    pub judgements: HashMap<String, bool>,
    /// (criterion id, evaluator id) -> points
    pub scores: HashMap<(String, String), i32>,
    /// Fiscal years for which the bidder holds a grant from this call's orderer.
    pub grant_years: HashSet<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BidResult {
    pub bid_id: String,
    pub qualified: bool,
    pub reasons: Vec<String>,
    /// The same reasons with their codes and figures.
    pub reason_codes: Vec<Reason>,
    pub price_score: Option<Decimal>,
    pub quality_score: Option<Decimal>,
    pub total_score: Option<Decimal>,
    pub rank: Option<u32>,
    pub abnormally_low: bool,
}

pub const NOT_YET_JUDGED: &str = "capability not yet judged";

/// A bid's annual value: its total price scaled to 365 days of the contract period
/// (multiplied before it is divided; divided first only if the product would not fit).
pub fn annual_value(total_price: Decimal, start: NaiveDate, end: NaiveDate) -> Decimal {
    let days = Decimal::from(days_inclusive(start, end).max(1));
    mul_div(total_price, Decimal::from(365), days)
}

/// One failed qualification rule, machine-readable: a code and its figures (DESIGN,
/// "Qualification"), with the sentence [`disqualification_reasons`] shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// TURNOVER_BELOW, EQUITY_RATIO_BELOW, CREDIT_RATING_BELOW, CAPABILITY_NOT_MET,
    /// CAPABILITY_NOT_JUDGED or GRANT_HOLDER.
    pub code: &'static str,
    /// The bid's figure (turnover, equity ratio, credit rating), as a plain string.
    pub actual: Option<String>,
    /// The figure the call requires.
    pub required: Option<String>,
    /// The capability requirement not met (its id).
    pub requirement_id: Option<String>,
    /// The fiscal year of a grant.
    pub year: Option<i32>,
    pub text: String,
}

impl Reason {
    fn new(code: &'static str, text: String) -> Self {
        Reason {
            code,
            actual: None,
            required: None,
            requirement_id: None,
            year: None,
            text,
        }
    }
}

/// The reasons a bid fails qualification; empty when it qualifies.
pub fn disqualification_reasons(rules: &Rules, bid: &BidFacts) -> Vec<String> {
    disqualifications(rules, bid)
        .into_iter()
        .map(|r| r.text)
        .collect()
}

/// The reasons a bid fails qualification, with their codes and figures.
pub fn disqualifications(rules: &Rules, bid: &BidFacts) -> Vec<Reason> {
    let mut reasons = Vec::new();
    if let Some(ratio) = rules.min_turnover_ratio {
        let value = annual_value(bid.total_price, rules.contract_start, rules.contract_end);
        let required = ratio.saturating_mul(value);
        if bid.annual_turnover < required {
            reasons.push(Reason {
                actual: Some(money::format(bid.annual_turnover)),
                required: Some(money::format(required)),
                ..Reason::new(
                    "TURNOVER_BELOW",
                    format!(
                        "annual turnover {} is below the required {} ({} x the bid's annual value {})",
                        money::format(bid.annual_turnover),
                        money::format(required),
                        ratio.normalize(),
                        money::format(value)
                    ),
                )
            });
        }
    }
    if let Some(min) = rules.min_equity_ratio
        && bid.equity_ratio < min
    {
        reasons.push(Reason {
            actual: Some(bid.equity_ratio.normalize().to_string()),
            required: Some(min.normalize().to_string()),
            ..Reason::new(
                "EQUITY_RATIO_BELOW",
                format!(
                    "equity ratio {} is below the required {}",
                    bid.equity_ratio.normalize(),
                    min.normalize()
                ),
            )
        });
    }
    if let Some(min) = rules.min_credit_rating
        && bid.credit_rating < min
    {
        reasons.push(Reason {
            actual: Some(bid.credit_rating.as_str().to_owned()),
            required: Some(min.as_str().to_owned()),
            ..Reason::new(
                "CREDIT_RATING_BELOW",
                format!(
                    "credit rating {} is below the required {}",
                    bid.credit_rating.as_str(),
                    min.as_str()
                ),
            )
        });
    }
    let mut unjudged = false;
    for (id, text) in &rules.requirements {
        match bid.judgements.get(id) {
            None => unjudged = true,
            Some(false) => reasons.push(Reason {
                requirement_id: Some(id.clone()),
                required: Some(text.clone()),
                ..Reason::new(
                    "CAPABILITY_NOT_MET",
                    format!("capability requirement not met: {text}"),
                )
            }),
            Some(true) => {}
        }
    }
    if unjudged {
        reasons.push(Reason::new(
            "CAPABILITY_NOT_JUDGED",
            NOT_YET_JUDGED.to_owned(),
        ));
    }
    for year in rules.contract_start.year()..=rules.contract_end.year() {
        if bid.grant_years.contains(&year) {
            reasons.push(Reason {
                year: Some(year),
                ..Reason::new(
                    "GRANT_HOLDER",
                    format!("holds a grant from this orderer for {year}"),
                )
            });
        }
    }
    reasons
}

/// Mean points per criterion over the evaluators who scored it; `None` when nobody has.
pub fn criterion_mean(bid: &BidFacts, criterion_id: &str) -> Option<Decimal> {
    let (sum, n) = criterion_points(bid, criterion_id);
    (n > 0).then(|| Decimal::from(sum) / Decimal::from(n))
}

/// The points a criterion got: (sum, number of evaluators who scored it).
fn criterion_points(bid: &BidFacts, criterion_id: &str) -> (i64, i64) {
    bid.scores
        .iter()
        .filter(|((c, _), _)| c == criterion_id)
        .fold((0, 0), |(s, n), (_, p)| (s + i64::from(*p), n + 1))
}

/// quality = sum over criteria of (mean points / maxPoints) x weight; an unscored criterion
/// counts 0. Each term is computed as sum x weight / (n x maxPoints), multiplying before
/// dividing, so that terminating results are exact.
pub fn quality_score(rules: &Rules, bid: &BidFacts) -> Decimal {
    rules
        .criteria
        .iter()
        .filter(|c| c.max_points > 0)
        .map(|c| match criterion_points(bid, &c.id) {
            (_, 0) => Decimal::ZERO,
            (sum, n) => {
                Decimal::from(sum) * Decimal::from(c.weight)
                    / (Decimal::from(n) * Decimal::from(c.max_points))
            }
        })
        .sum()
}

/// price = lowest qualified total / this total x priceWeight, computed as
/// lowest x priceWeight / total. A total of zero is the lowest possible: the full weight.
pub fn price_score(lowest: Decimal, total: Decimal, price_weight: i32) -> Decimal {
    let weight = Decimal::from(price_weight);
    if total.is_zero() {
        return weight;
    }
    match lowest.checked_mul(weight) {
        Some(p) => p / total,
        // lowest <= total, so the quotient is at most 1 and the weight multiplies safely.
        None => (lowest / total).saturating_mul(weight),
    }
}

/// The means of "every value but this one", for each value: the exact sum less the value,
/// divided once, when the sum fits; otherwise from each value divided first (no input can
/// overflow it).
fn means_of_others(values: &[Decimal]) -> Vec<Decimal> {
    let n = Decimal::from(values.len().saturating_sub(1).max(1));
    match values
        .iter()
        .try_fold(Decimal::ZERO, |s, v| s.checked_add(*v))
    {
        Some(sum) => values.iter().map(|v| (sum - *v) / n).collect(),
        None => {
            let shares: Decimal = values
                .iter()
                .fold(Decimal::ZERO, |s, v| s.saturating_add(*v / n));
            values
                .iter()
                .map(|v| shares.saturating_sub(*v / n))
                .collect()
        }
    }
}

/// Evaluates every standing bid of a call. The result lists qualified bids by rank, then the
/// disqualified ones in submission order.
pub fn evaluate<'a>(rules: &Rules, bids: impl IntoIterator<Item = &'a BidFacts>) -> Vec<BidResult> {
    evaluate_priced(rules, bids.into_iter().map(|b| (b, b.total_price)))
}

/// Evaluates bids whose prices are compared at `compared` rather than their whole total: one
/// lot of a call divided into lots, each bid at its total for that lot. Qualification stays
/// the bid's own (the turnover rule weighs the annual value of everything the bid covers,
/// `BidFacts::total_price`); the price score, total, rank and the abnormally-low flag compare
/// the `compared` prices.
pub fn evaluate_priced<'a>(
    rules: &Rules,
    bids: impl IntoIterator<Item = (&'a BidFacts, Decimal)>,
) -> Vec<BidResult> {
    struct Scored<'a> {
        bid: &'a BidFacts,
        compared: Decimal,
        price: Decimal,
        quality: Decimal,
        total: Decimal,
    }
    let mut qualified = Vec::new();
    let mut disqualified = Vec::new();
    for (b, compared) in bids {
        let reasons = disqualifications(rules, b);
        if reasons.is_empty() {
            qualified.push((b, compared));
        } else {
            disqualified.push((b, reasons));
        }
    }
    let lowest = qualified
        .iter()
        .map(|(_, compared)| *compared)
        .min()
        .unwrap_or(Decimal::ZERO);
    let mut scored: Vec<Scored> = qualified
        .iter()
        .map(|&(b, compared)| {
            let price = price_score(lowest, compared, rules.price_weight);
            let quality = quality_score(rules, b);
            Scored {
                bid: b,
                compared,
                price,
                quality,
                total: price + quality,
            }
        })
        .collect();
    scored.sort_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then_with(|| b.quality.cmp(&a.quality))
            .then_with(|| a.bid.submitted_at.cmp(&b.bid.submitted_at))
            .then_with(|| a.bid.id.cmp(&b.bid.id))
    });
    let n = scored.len();
    let totals: Vec<Decimal> = scored.iter().map(|s| s.compared).collect();
    let others_means = means_of_others(&totals);
    let threshold = Decimal::new(8, 1);
    let mut out: Vec<BidResult> = scored
        .iter()
        .enumerate()
        .map(|(i, s)| {
            // Below 80 % of the mean of the *other* qualified bids.
            let abnormally_low = n > 1 && {
                let others_mean = others_means[i];
                s.compared < threshold.saturating_mul(others_mean)
            };
            BidResult {
                bid_id: s.bid.id.clone(),
                qualified: true,
                reasons: Vec::new(),
                reason_codes: Vec::new(),
                price_score: Some(s.price),
                quality_score: Some(s.quality),
                total_score: Some(s.total),
                rank: Some(i as u32 + 1),
                abnormally_low,
            }
        })
        .collect();
    disqualified.sort_by(|(a, _), (b, _)| {
        a.submitted_at
            .cmp(&b.submitted_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    // A disqualified bid keeps its quality score (the evaluators' points stand on their own);
    // it has no price score, total or rank, since those compare qualified bids only.
    out.extend(disqualified.into_iter().map(|(b, reasons)| BidResult {
        bid_id: b.id.clone(),
        qualified: false,
        reasons: reasons.iter().map(|r| r.text.clone()).collect(),
        reason_codes: reasons,
        price_score: None,
        quality_score: Some(quality_score(rules, b)),
        total_score: None,
        rank: None,
        abnormally_low: false,
    }));
    out
}

/// An orderer's judgements of a bid, (requirement id, met): at least one, each naming a
/// capability requirement of the call (`known`; `None` checks only the count, before the
/// requirements are loaded) once.
pub fn check_judgements(
    known: Option<&HashSet<String>>,
    judgements: &[(String, bool)],
) -> Result<(), Invalid> {
    if judgements.is_empty() {
        return Err(Invalid::new(
            "judgements",
            "must judge at least one requirement",
        ));
    }
    let Some(known) = known else {
        return Ok(());
    };
    let mut seen = HashSet::new();
    for (i, (requirement, _)) in judgements.iter().enumerate() {
        if !known.contains(requirement) {
            return Err(Invalid::new(
                format!("judgements[{i}].requirementId"),
                "is not a capability requirement of this call",
            ));
        }
        if !seen.insert(requirement) {
            return Err(Invalid::new(
                format!("judgements[{i}].requirementId"),
                "is judged twice",
            ));
        }
    }
    Ok(())
}

/// An evaluator's scores of a bid, (criterion id, points): each naming a quality criterion of
/// the call (`max_points` by criterion id) once, with points within 0..maxPoints.
pub fn check_scores(
    max_points: &HashMap<String, i32>,
    scores: &[(String, i32)],
) -> Result<(), Invalid> {
    let mut seen = HashSet::new();
    for (i, (criterion, points)) in scores.iter().enumerate() {
        let Some(max) = max_points.get(criterion) else {
            return Err(Invalid::new(
                format!("scores[{i}].criterionId"),
                "is not a quality criterion of this call",
            ));
        };
        if !(0..=*max).contains(points) {
            return Err(Invalid::new(
                format!("scores[{i}].points"),
                format!("must be between 0 and {max}"),
            ));
        }
        if !seen.insert(criterion) {
            return Err(Invalid::new(
                format!("scores[{i}].criterionId"),
                "is scored twice",
            ));
        }
    }
    Ok(())
}

/// Orders two results as the ranking does (used by tests and callers that merge lists).
pub fn rank_order(a: &BidResult, b: &BidResult) -> Ordering {
    match (a.rank, b.rank) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::display;
    use chrono::{TimeDelta, TimeZone};
    use rust_decimal::dec;

    fn rules() -> Rules {
        Rules {
            price_weight: 60,
            criteria: vec![
                Criterion {
                    id: "staff".into(),
                    weight: 30,
                    max_points: 10,
                },
                Criterion {
                    id: "plan".into(),
                    weight: 10,
                    max_points: 5,
                },
            ],
            min_turnover_ratio: Some(dec!(1.5)),
            min_equity_ratio: Some(dec!(0.2)),
            min_credit_rating: Some(CreditRating::A),
            requirements: vec![("nurses".into(), "Licensed nurses on every shift".into())],
            contract_start: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            contract_end: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
        }
    }

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap()
    }

    fn bid(id: &str, total: Decimal, minute: i64) -> BidFacts {
        BidFacts {
            id: id.into(),
            total_price: total,
            annual_turnover: dec!(10000000),
            equity_ratio: dec!(0.4),
            credit_rating: CreditRating::Aa,
            submitted_at: t0() + TimeDelta::minutes(minute),
            judgements: [("nurses".to_owned(), true)].into(),
            scores: HashMap::new(),
            grant_years: HashSet::new(),
        }
    }

    fn score(b: &mut BidFacts, criterion: &str, evaluator: &str, points: i32) {
        b.scores
            .insert((criterion.into(), evaluator.into()), points);
    }

    #[test]
    fn extreme_totals_are_ranked_without_overflow() {
        // Bids stored before the input bounds (or any arithmetic corner) must never panic.
        let mut r = rules();
        r.min_turnover_ratio = Some(dec!(1.5));
        let huge = Decimal::MAX - dec!(1);
        let mut bids = vec![
            bid("A", huge, 0),
            bid("B", huge, 1),
            bid("C", dec!(70000000000000000000000000000), 2),
        ];
        for b in &mut bids {
            b.annual_turnover = Decimal::MAX;
        }
        let out = evaluate(&r, &bids);
        assert_eq!(out.len(), 3);
        assert!(annual_value(huge, r.contract_start, r.contract_end) > Decimal::ZERO);
        assert!(price_score(dec!(1), huge, 60) < dec!(0.0001));
        assert_eq!(price_score(huge, huge, 60), dec!(60));
        assert_eq!(means_of_others(&[huge, huge, dec!(3)]).len(), 3);
    }

    #[test]
    fn a_hand_computed_evaluation() {
        // A: 100 000, staff 8 and 6 (mean 7), plan 4 and 5 (mean 4.5).
        //    price 100000/100000 x 60 = 60; quality 7/10 x 30 + 4.5/5 x 10 = 21 + 9 = 30; total 90.
        // B: 120 000, staff 10 and 10, plan 5 and 5.
        //    price 100000/120000 x 60 = 50; quality 30 + 10 = 40; total 90 -> tie with A on total,
        //    B has the higher quality score, so B ranks first.
        // C: 150 000, staff 9 (one evaluator), plan unscored.
        //    price 100000/150000 x 60 = 40; quality 9/10 x 30 = 27; total 67.
        let mut a = bid("A", dec!(100000), 0);
        score(&mut a, "staff", "e1", 8);
        score(&mut a, "staff", "e2", 6);
        score(&mut a, "plan", "e1", 4);
        score(&mut a, "plan", "e2", 5);
        let mut b = bid("B", dec!(120000), 1);
        for e in ["e1", "e2"] {
            score(&mut b, "staff", e, 10);
            score(&mut b, "plan", e, 5);
        }
        let mut c = bid("C", dec!(150000), 2);
        score(&mut c, "staff", "e1", 9);
        let r = evaluate(&rules(), &[a, b, c]);
        let ids: Vec<_> = r.iter().map(|x| x.bid_id.as_str()).collect();
        assert_eq!(ids, ["B", "A", "C"]);
        assert_eq!(r[0].price_score, Some(dec!(50)));
        assert_eq!(r[0].quality_score, Some(dec!(40)));
        assert_eq!(r[1].total_score, Some(dec!(90)));
        assert_eq!(r[1].quality_score, Some(dec!(30)));
        assert_eq!(r[2].price_score.map(display), Some(dec!(40.00)));
        assert_eq!(r[2].quality_score, Some(dec!(27)));
        assert_eq!(
            r.iter().map(|x| x.rank).collect::<Vec<_>>(),
            [Some(1), Some(2), Some(3)]
        );
    }

    #[test]
    fn exact_decimals_rank_even_when_display_would_tie() {
        // 100000/300000 x 60 = 20 exactly vs 100000/299999 x 60 = 20.00006...: both show 20.00.
        let mut r = rules();
        r.criteria.clear();
        r.price_weight = 100;
        let low = bid("low", dec!(100000), 0);
        let a = bid("a", dec!(300000), 1);
        let b = bid("b", dec!(299999), 2);
        let res = evaluate(&r, &[a, b, low]);
        assert_eq!(res[1].bid_id, "b");
        assert_eq!(res[2].bid_id, "a");
        assert_eq!(
            display(res[1].total_score.unwrap()),
            display(res[2].total_score.unwrap())
        );
        assert!(res[1].total_score > res[2].total_score);
    }

    #[test]
    fn full_ties_go_to_the_earlier_submission() {
        let mut r = rules();
        r.criteria.clear();
        r.price_weight = 100;
        let late = bid("late", dec!(1000), 5);
        let early = bid("early", dec!(1000), 1);
        let res = evaluate(&r, &[late, early]);
        assert_eq!(res[0].bid_id, "early");
        assert_eq!(res[1].bid_id, "late");
    }

    #[test]
    fn a_single_bidder_gets_the_full_price_weight() {
        let res = evaluate(&rules(), &[bid("only", dec!(5000), 0)]);
        assert_eq!(res[0].price_score, Some(dec!(60)));
        assert_eq!(
            res[0].quality_score,
            Some(dec!(0)),
            "nobody scored: criteria count 0"
        );
        assert_eq!(res[0].rank, Some(1));
        assert!(!res[0].abnormally_low, "no others to compare with");
    }

    #[test]
    fn when_all_are_disqualified_nobody_is_ranked() {
        let mut a = bid("a", dec!(100), 0);
        a.credit_rating = CreditRating::B;
        let mut b = bid("b", dec!(100), 1);
        b.judgements.clear();
        let res = evaluate(&rules(), &[a, b]);
        assert!(
            res.iter()
                .all(|r| !r.qualified && r.rank.is_none() && r.total_score.is_none())
        );
        assert_eq!(res[0].reasons, ["credit rating B is below the required A"]);
        assert_eq!(res[1].reasons, [NOT_YET_JUDGED]);
    }

    #[test]
    fn a_zero_price_weight_ranks_on_quality_alone() {
        let mut r = rules();
        r.price_weight = 0;
        r.criteria = vec![Criterion {
            id: "staff".into(),
            weight: 100,
            max_points: 10,
        }];
        let mut cheap = bid("cheap", dec!(1), 0);
        score(&mut cheap, "staff", "e", 5);
        let mut good = bid("good", dec!(1000000), 1);
        score(&mut good, "staff", "e", 9);
        let res = evaluate(&r, &[cheap, good]);
        assert_eq!(res[0].bid_id, "good");
        assert_eq!(res[0].price_score, Some(dec!(0)));
        assert_eq!(res[0].total_score, Some(dec!(90)));
    }

    #[test]
    fn financial_standing_is_checked_against_the_annual_value() {
        // 730 000 over 2027 (365 days) is 730 000 a year; 1.5 x that = 1 095 000.
        let mut b = bid("b", dec!(730000), 0);
        b.annual_turnover = dec!(1094999.99);
        b.equity_ratio = dec!(0.15);
        let reasons = disqualification_reasons(&rules(), &b);
        assert_eq!(
            reasons[0],
            "annual turnover 1094999.99 is below the required 1095000.00 (1.5 x the bid's annual value 730000.00)"
        );
        assert_eq!(reasons[1], "equity ratio 0.15 is below the required 0.2");
        b.annual_turnover = dec!(1095000);
        b.equity_ratio = dec!(0.2);
        assert!(disqualification_reasons(&rules(), &b).is_empty());
        // Two years (730 days) halve the annual value.
        let mut two = rules();
        two.contract_end = NaiveDate::from_ymd_opt(2028, 12, 30).unwrap();
        assert_eq!(days_inclusive(two.contract_start, two.contract_end), 730);
        assert_eq!(
            annual_value(dec!(730000), two.contract_start, two.contract_end),
            dec!(365000)
        );
    }

    #[test]
    fn credit_ratings_compare_in_order() {
        let mut r = rules();
        r.min_credit_rating = Some(CreditRating::Aa);
        let mut b = bid("b", dec!(1), 0);
        for (rating, ok) in [
            (CreditRating::Aaa, true),
            (CreditRating::Aa, true),
            (CreditRating::A, false),
            (CreditRating::C, false),
        ] {
            b.credit_rating = rating;
            assert_eq!(
                disqualification_reasons(&r, &b).is_empty(),
                ok,
                "{rating:?}"
            );
        }
    }

    #[test]
    fn capability_not_met_and_not_judged_are_reasons() {
        let mut b = bid("b", dec!(1), 0);
        b.judgements.insert("nurses".into(), false);
        assert_eq!(
            disqualification_reasons(&rules(), &b),
            ["capability requirement not met: Licensed nurses on every shift"]
        );
    }

    #[test]
    fn a_grant_for_any_year_the_contract_touches_disqualifies() {
        let mut r = rules();
        r.contract_start = NaiveDate::from_ymd_opt(2027, 7, 1).unwrap();
        r.contract_end = NaiveDate::from_ymd_opt(2028, 6, 30).unwrap();
        let mut b = bid("b", dec!(1), 0);
        b.grant_years = [2026, 2029].into();
        assert!(disqualification_reasons(&r, &b).is_empty());
        b.grant_years.insert(2028);
        assert_eq!(
            disqualification_reasons(&r, &b),
            ["holds a grant from this orderer for 2028"]
        );
    }

    #[test]
    fn abnormally_low_is_below_80_percent_of_the_mean_of_the_others() {
        let mut r = rules();
        r.criteria.clear();
        r.price_weight = 100;
        // Others: 100 and 100, mean 100; 79.99 is below 80, 80 is not.
        let res = evaluate(
            &r,
            &[
                bid("x", dec!(100), 0),
                bid("y", dec!(100), 1),
                bid("low", dec!(79.99), 2),
            ],
        );
        assert!(
            res.iter()
                .find(|b| b.bid_id == "low")
                .unwrap()
                .abnormally_low
        );
        let res = evaluate(
            &r,
            &[
                bid("x", dec!(100), 0),
                bid("y", dec!(100), 1),
                bid("edge", dec!(80), 2),
            ],
        );
        assert!(!res.iter().any(|b| b.abnormally_low));
        // A disqualified bid is neither flagged nor part of the mean.
        let mut cheap = bid("dq", dec!(1), 3);
        cheap.credit_rating = CreditRating::C;
        let res = evaluate(&r, &[bid("x", dec!(100), 0), bid("y", dec!(100), 1), cheap]);
        assert!(!res.iter().any(|b| b.abnormally_low));
    }

    #[test]
    fn a_zero_total_earns_the_full_price_weight() {
        assert_eq!(price_score(dec!(0), dec!(0), 60), dec!(60));
        assert_eq!(price_score(dec!(0), dec!(10), 60), dec!(0));
    }

    #[test]
    fn display_rounds_half_up() {
        assert_eq!(display(dec!(66.665)), dec!(66.67));
        assert_eq!(display(dec!(66.664999)), dec!(66.66));
        assert_eq!(display(dec!(100)).to_string(), "100.00");
    }

    #[test]
    fn ten_thousand_bids_are_ranked_quickly_and_consistently() {
        let bids: Vec<BidFacts> = (0..10_000)
            .map(|i| {
                let mut b = bid(
                    &format!("b{i:05}"),
                    Decimal::from(100_000 + (i * 7919) % 50_000),
                    i,
                );
                for e in ["e1", "e2", "e3"] {
                    score(&mut b, "staff", e, (i % 11) as i32);
                    score(&mut b, "plan", e, (i % 6) as i32);
                }
                if i % 10 == 0 {
                    b.credit_rating = CreditRating::B;
                }
                b
            })
            .collect();
        let started = std::time::Instant::now();
        let res = evaluate(&rules(), &bids);
        let took = started.elapsed();
        assert_eq!(res.len(), 10_000);
        assert_eq!(res.iter().filter(|r| r.qualified).count(), 9_000);
        let ranked: Vec<_> = res.iter().take_while(|r| r.qualified).collect();
        for w in ranked.windows(2) {
            assert!(w[0].total_score >= w[1].total_score);
            assert_eq!(w[0].rank.unwrap() + 1, w[1].rank.unwrap());
        }
        assert!(took.as_secs() < 5, "evaluating 10 000 bids took {took:?}");
    }

    /// A call's weights (price + criteria = 100) and bids with any prices and points within
    /// the criteria's maxima, some of them failing a requirement.
    fn call_and_bids() -> impl proptest::strategy::Strategy<Value = (Rules, Vec<BidFacts>)> {
        use proptest::prelude::*;
        let one_bid = (
            1i64..10_000_000_000,
            0u32..=2,
            0i64..600,
            any::<bool>(),
            proptest::collection::vec(0i32..=10, 3),
        );
        (
            0i32..=100,
            1i32..=10,
            proptest::collection::vec(one_bid, 0..12),
        )
            .prop_map(|(price_weight, max_points, bids)| {
                let quality = 100 - price_weight;
                let mut r = rules();
                r.price_weight = price_weight;
                r.min_turnover_ratio = None;
                r.criteria = vec![
                    Criterion {
                        id: "staff".into(),
                        weight: quality / 2,
                        max_points,
                    },
                    Criterion {
                        id: "plan".into(),
                        weight: quality - quality / 2,
                        max_points,
                    },
                ];
                let bids = bids
                    .into_iter()
                    .enumerate()
                    .map(|(i, (units, scale, minute, meets, points))| {
                        let mut b = bid(&format!("B{i:02}"), Decimal::new(units, scale), minute);
                        b.judgements.insert("nurses".into(), meets);
                        for (e, p) in points.iter().enumerate() {
                            let criterion = if e % 2 == 0 { "staff" } else { "plan" };
                            score(&mut b, criterion, &format!("e{e}"), (*p).min(max_points));
                        }
                        b
                    })
                    .collect();
                (r, bids)
            })
    }

    proptest::proptest! {
        /// DESIGN, Evaluation: every score is within 0..100, and the qualified bids are ranked
        /// 1..n by total, then quality, then submission time, then id: a total order, so the
        /// ranking does not depend on the order the bids come in.
        #[test]
        fn scores_are_within_0_and_100_and_the_ranking_is_a_total_order(
            (r, bids) in call_and_bids(),
            rotate in 0usize..12,
        ) {
            use proptest::prelude::*;
            let results = evaluate(&r, &bids);
            prop_assert_eq!(results.len(), bids.len());
            let hundred = Decimal::ONE_HUNDRED;
            for res in &results {
                for s in [res.price_score, res.quality_score, res.total_score].into_iter().flatten() {
                    prop_assert!(s >= Decimal::ZERO && s <= hundred, "score {} out of 0..100", s);
                }
            }
            let ranked: Vec<&BidResult> = results.iter().filter(|x| x.qualified).collect();
            for (i, res) in ranked.iter().enumerate() {
                prop_assert_eq!(res.rank, Some(i as u32 + 1));
            }
            let facts: HashMap<&str, &BidFacts> = bids.iter().map(|b| (b.id.as_str(), b)).collect();
            for pair in ranked.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                let key = |x: &BidResult| {
                    let f = facts[x.bid_id.as_str()];
                    (std::cmp::Reverse(x.total_score), std::cmp::Reverse(x.quality_score), f.submitted_at, f.id.clone())
                };
                prop_assert!(key(a) < key(b), "{} ranks before {} without a reason", a.bid_id, b.bid_id);
                prop_assert_eq!(rank_order(a, b), Ordering::Less);
            }
            let mut shuffled = bids.clone();
            if !shuffled.is_empty() {
                let k = rotate % shuffled.len();
                shuffled.rotate_left(k);
                shuffled.reverse();
            }
            prop_assert_eq!(evaluate(&r, &shuffled), results);
        }
    }

    #[test]
    fn judgements_name_the_calls_requirements_once() {
        let known: HashSet<String> = ["r1".to_owned(), "r2".to_owned()].into();
        let j = |pairs: &[(&str, bool)]| -> Vec<(String, bool)> {
            pairs.iter().map(|(r, m)| (r.to_string(), *m)).collect()
        };
        assert_eq!(check_judgements(None, &[]).unwrap_err().field, "judgements");
        assert!(check_judgements(Some(&known), &j(&[("r1", true), ("r2", false)])).is_ok());
        assert_eq!(
            check_judgements(Some(&known), &j(&[("r3", true)]))
                .unwrap_err()
                .field,
            "judgements[0].requirementId"
        );
        assert_eq!(
            check_judgements(Some(&known), &j(&[("r1", true), ("r1", false)]))
                .unwrap_err()
                .rule,
            "is judged twice"
        );
    }

    #[test]
    fn scores_name_the_calls_criteria_once_within_their_maximum() {
        let max: HashMap<String, i32> = [("staff".to_owned(), 10)].into();
        let s = |pairs: &[(&str, i32)]| -> Vec<(String, i32)> {
            pairs.iter().map(|(c, p)| (c.to_string(), *p)).collect()
        };
        assert!(check_scores(&max, &[]).is_ok());
        assert!(check_scores(&max, &s(&[("staff", 10)])).is_ok());
        assert_eq!(
            check_scores(&max, &s(&[("staff", 11)])).unwrap_err(),
            Invalid::new("scores[0].points", "must be between 0 and 10")
        );
        assert_eq!(
            check_scores(&max, &s(&[("plan", 1)])).unwrap_err().field,
            "scores[0].criterionId"
        );
        assert_eq!(
            check_scores(&max, &s(&[("staff", 1), ("staff", 2)]))
                .unwrap_err()
                .rule,
            "is scored twice"
        );
    }
}
