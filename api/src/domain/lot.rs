//! Lots (osa-alueet, DESIGN "Notices, languages, lots"): a call may be divided into lots, each
//! a set of the call's lines; a bid covers whole lots, pricing every line of each lot it
//! covers and no line of the others. Qualification is the bid's (its turnover weighed against
//! the annual value of all the lots it covers); prices are compared lot by lot
//! (`evaluation::evaluate_priced` at each bid's lot total).

use super::Invalid;
use rust_decimal::Decimal;
use std::collections::{BTreeSet, HashMap};

/// The most lots a call may have.
pub const MAX_LOTS: usize = 50;

/// A lot of a call: its number (from 1) and its lines (call line id, quantity) in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotLines {
    pub number: i32,
    pub lines: Vec<(String, Decimal)>,
}

/// Checks a new call's lots, given as (title, number of lines) in order: at least one lot when
/// lots are given, at most [`MAX_LOTS`], each with a title and at least one line. Returns the
/// titles trimmed.
pub fn check_lots(lots: &[(String, usize)]) -> Result<Vec<String>, Invalid> {
    if lots.is_empty() {
        return Err(Invalid::new(
            "lots",
            "a call divided into lots needs at least one lot",
        ));
    }
    super::validate::list_len("lots", lots.len(), MAX_LOTS)?;
    lots.iter()
        .enumerate()
        .map(|(i, (title, lines))| {
            if *lines == 0 {
                return Err(Invalid::new(
                    format!("lots[{i}].lines"),
                    "a lot needs at least one line",
                ));
            }
            super::validate::text(&format!("lots[{i}].title"), title, 300)
        })
        .collect()
}

/// The lots a bid covers, by number in ascending order, from the lines it prices: each lot
/// wholly or not at all, at least one. `priced` are the bid's call line ids (each a line of
/// one of `lots`; [`super::bid::validate_bid`] refuses others).
pub fn covered(lots: &[LotLines], priced: &[&str]) -> Result<Vec<i32>, Invalid> {
    let priced: BTreeSet<&str> = priced.iter().copied().collect();
    let mut out = Vec::new();
    for lot in lots {
        let n = lot
            .lines
            .iter()
            .filter(|(id, _)| priced.contains(id.as_str()))
            .count();
        if n == lot.lines.len() && n > 0 {
            out.push(lot.number);
        } else if n > 0 {
            return Err(Invalid::new(
                "lines",
                format!(
                    "covers lot {} in part: a bid prices every line of each lot it covers ({n} of {})",
                    lot.number,
                    lot.lines.len()
                ),
            ));
        }
    }
    if out.is_empty() {
        return Err(Invalid::new(
            "lines",
            "a bid covers at least one lot: price every line of it",
        ));
    }
    out.sort_unstable();
    Ok(out)
}

/// A bid's total for each lot it covers, (lot number, total), from its unit prices by call
/// line id: each line's quantity times its price, summed with checked arithmetic.
pub fn lot_totals(
    lots: &[LotLines],
    prices: &HashMap<&str, Decimal>,
) -> Result<Vec<(i32, Decimal)>, Invalid> {
    let mut out = Vec::new();
    for lot in lots {
        if !lot
            .lines
            .iter()
            .all(|(id, _)| prices.contains_key(id.as_str()))
        {
            continue;
        }
        let mut total = Decimal::ZERO;
        for (id, quantity) in &lot.lines {
            let price = prices.get(id.as_str()).copied().unwrap_or(Decimal::ZERO);
            total = quantity
                .checked_mul(price)
                .and_then(|line| total.checked_add(line))
                .ok_or_else(|| Invalid::new("lines", "the total price is too large"))?;
        }
        out.push((lot.number, total));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::call::CreditRating;
    use crate::domain::evaluation::{self, BidFacts, Criterion, Rules};
    use chrono::{NaiveDate, TimeZone, Utc};
    use proptest::prelude::*;
    use rust_decimal::dec;
    use std::collections::HashSet;

    fn lots() -> Vec<LotLines> {
        vec![
            LotLines {
                number: 1,
                lines: vec![("a".into(), dec!(1000)), ("b".into(), dec!(10))],
            },
            LotLines {
                number: 2,
                lines: vec![("c".into(), dec!(500))],
            },
            LotLines {
                number: 3,
                lines: vec![("d".into(), dec!(2)), ("e".into(), dec!(3))],
            },
        ]
    }

    #[test]
    fn a_bid_covers_whole_lots() {
        assert_eq!(covered(&lots(), &["c"]), Ok(vec![2]));
        assert_eq!(covered(&lots(), &["e", "a", "d", "b"]), Ok(vec![1, 3]));
        assert_eq!(
            covered(&lots(), &["a", "b", "c", "d", "e"]),
            Ok(vec![1, 2, 3])
        );
        let part = covered(&lots(), &["a", "c"]).unwrap_err();
        assert_eq!(part.field, "lines");
        assert!(part.rule.contains("covers lot 1 in part"), "{}", part.rule);
        assert!(part.rule.contains("(1 of 2)"), "{}", part.rule);
        let none = covered(&lots(), &[]).unwrap_err();
        assert!(none.rule.contains("at least one lot"), "{}", none.rule);
    }

    #[test]
    fn a_calls_lots_are_checked() {
        assert_eq!(
            check_lots(&[(" Itä ".into(), 2), ("Länsi".into(), 1)]),
            Ok(vec!["Itä".to_owned(), "Länsi".to_owned()])
        );
        assert_eq!(check_lots(&[]).unwrap_err().field, "lots");
        assert_eq!(
            check_lots(&[("Itä".into(), 0)]).unwrap_err().field,
            "lots[0].lines"
        );
        assert_eq!(
            check_lots(&[("Itä".into(), 1), (" ".into(), 1)])
                .unwrap_err()
                .field,
            "lots[1].title"
        );
        let many: Vec<(String, usize)> = (0..=MAX_LOTS).map(|i| (format!("L{i}"), 1)).collect();
        assert_eq!(check_lots(&many).unwrap_err().field, "lots");
    }

    #[test]
    fn lot_totals_by_hand() {
        // Lot 1: 1000 x 45.50 + 10 x 8.1234 = 45 500 + 81.234 = 45 581.234.
        // Lot 3: 2 x 100 + 3 x 0.5 = 201.5. Lot 2 is not covered.
        let prices: HashMap<&str, Decimal> = [
            ("a", dec!(45.50)),
            ("b", dec!(8.1234)),
            ("d", dec!(100)),
            ("e", dec!(0.5)),
        ]
        .into();
        assert_eq!(
            lot_totals(&lots(), &prices),
            Ok(vec![(1, dec!(45581.234)), (3, dec!(201.5))])
        );
        let huge: HashMap<&str, Decimal> = [("c", Decimal::MAX)].into();
        assert!(
            lot_totals(&lots(), &huge).is_err(),
            "checked, never a panic"
        );
    }

    fn rules() -> Rules {
        Rules {
            price_weight: 60,
            criteria: vec![Criterion {
                id: "q".into(),
                weight: 40,
                max_points: 10,
            }],
            min_turnover_ratio: Some(dec!(1.5)),
            min_equity_ratio: None,
            min_credit_rating: None,
            requirements: vec![],
            contract_start: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            contract_end: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
        }
    }

    fn bid(id: &str, whole: Decimal, turnover: Decimal, points: i32, minute: u32) -> BidFacts {
        BidFacts {
            id: id.into(),
            total_price: whole,
            annual_turnover: turnover,
            equity_ratio: dec!(0.5),
            credit_rating: CreditRating::Aa,
            submitted_at: Utc.with_ymd_and_hms(2026, 12, 1, 12, minute, 0).unwrap(),
            judgements: Default::default(),
            scores: [(("q".to_owned(), "e1".to_owned()), points)].into(),
            grant_years: HashSet::new(),
        }
    }

    #[test]
    fn each_lot_compares_its_own_totals_and_qualification_weighs_every_covered_lot() {
        // The contract runs one year, so a bid's annual value is its total.
        // A covers lots 1 and 2: 60 000 + 40 000 = 100 000; turnover 160 000 >= 1.5 x 100 000
        //   = 150 000, qualified.
        // B covers lot 2 only: 50 000; turnover 80 000 >= 75 000, qualified.
        // C covers lots 1 and 2: 55 000 + 45 000 = 100 000; turnover 120 000 < 150 000:
        //   disqualified in both lots, though 120 000 would do for either lot alone.
        // Lot 2: A 40 000 (points 5), B 50 000 (points 10).
        //   A: price 40000/40000 x 60 = 60, quality 5/10 x 40 = 20, total 80.
        //   B: price 40000/50000 x 60 = 48, quality 40, total 88 -> B first.
        // Lot 1: only A qualifies: price 60, quality 20, total 80, rank 1.
        let a = bid("A", dec!(100000), dec!(160000), 5, 0);
        let b = bid("B", dec!(50000), dec!(80000), 10, 1);
        let c = bid("C", dec!(100000), dec!(120000), 10, 2);
        let lot2 = evaluation::evaluate_priced(
            &rules(),
            [(&a, dec!(40000)), (&b, dec!(50000)), (&c, dec!(45000))],
        );
        let order: Vec<(&str, Option<u32>, Option<Decimal>)> = lot2
            .iter()
            .map(|r| (r.bid_id.as_str(), r.rank, r.total_score))
            .collect();
        assert_eq!(
            order,
            [
                ("B", Some(1), Some(dec!(88))),
                ("A", Some(2), Some(dec!(80))),
                ("C", None, None)
            ]
        );
        assert_eq!(lot2[0].price_score, Some(dec!(48)));
        assert!(!lot2[2].qualified);
        assert_eq!(lot2[2].reason_codes[0].code, "TURNOVER_BELOW");
        let lot1 = evaluation::evaluate_priced(&rules(), [(&a, dec!(60000)), (&c, dec!(55000))]);
        assert_eq!(lot1[0].bid_id, "A");
        assert_eq!(lot1[0].total_score, Some(dec!(80)));
        assert!(
            !lot1[1].qualified,
            "C is disqualified in every lot it covers"
        );
    }

    #[test]
    fn the_abnormally_low_flag_compares_lot_totals() {
        // Lot totals 30 000, 50 000, 50 000: 30 000 < 0.8 x 50 000 = 40 000, abnormally low,
        // though the bid's whole total (200 000) is the highest.
        let a = bid("A", dec!(200000), dec!(1000000), 5, 0);
        let b = bid("B", dec!(50000), dec!(1000000), 5, 1);
        let c = bid("C", dec!(50000), dec!(1000000), 5, 2);
        let r = evaluation::evaluate_priced(
            &rules(),
            [(&a, dec!(30000)), (&b, dec!(50000)), (&c, dec!(50000))],
        );
        let low: Vec<(&str, bool)> = r
            .iter()
            .map(|x| (x.bid_id.as_str(), x.abnormally_low))
            .collect();
        assert_eq!(low, [("A", true), ("B", false), ("C", false)]);
    }

    proptest! {
        /// Whatever lines a bid prices, it is accepted exactly when every lot is priced wholly
        /// or not at all and one is priced; then the covered lots are those priced.
        #[test]
        fn coverage_is_whole_lots(mask in proptest::collection::vec(any::<bool>(), 5)) {
            let ids = ["a", "b", "c", "d", "e"];
            let priced: Vec<&str> = ids.iter().zip(&mask).filter(|(_, m)| **m).map(|(id, _)| *id).collect();
            let lot_of = |i: usize| match i { 0 | 1 => 0, 2 => 1, _ => 2 };
            let mut whole = [true; 3];
            let mut any = [false; 3];
            for (i, m) in mask.iter().enumerate() {
                whole[lot_of(i)] &= *m;
                any[lot_of(i)] |= *m;
            }
            let expected_ok = (0..3).all(|l| whole[l] || !any[l]) && any.iter().any(|a| *a);
            match covered(&lots(), &priced) {
                Ok(numbers) => {
                    prop_assert!(expected_ok);
                    let want: Vec<i32> = (0..3).filter(|l| any[*l]).map(|l| l as i32 + 1).collect();
                    prop_assert_eq!(numbers, want);
                }
                Err(e) => {
                    prop_assert!(!expected_ok);
                    prop_assert_eq!(e.field, "lines");
                }
            }
        }

        /// A bid's lot totals add up to the total of the lines it prices.
        #[test]
        fn lot_totals_add_up(prices in proptest::collection::vec(0i64..10_000_000, 5)) {
            let ids = ["a", "b", "c", "d", "e"];
            let by_id: HashMap<&str, Decimal> = ids.iter().zip(&prices).map(|(id, p)| (*id, Decimal::new(*p, 4))).collect();
            let totals = lot_totals(&lots(), &by_id).unwrap();
            let sum: Decimal = totals.iter().map(|(_, t)| *t).sum();
            let direct: Decimal = lots().iter().flat_map(|l| l.lines.clone()).map(|(id, q)| q * by_id[id.as_str()]).sum();
            prop_assert_eq!(sum, direct);
        }
    }
}
