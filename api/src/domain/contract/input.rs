//! What a client gives for a contract, checked before anything is saved: the lines of a
//! direct contract or an amendment, a direct contract's terms, and a month's report.

use super::super::call::MAX_LINES;
use super::super::{Invalid, validate};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashSet;

/// A checked contract line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub product_id: String,
    pub quantity: Decimal,
    pub unit_price: Decimal,
}

/// A contract's lines, checked one by one as their products are found in the catalogue: at
/// least one and at most [`MAX_LINES`], each product once, quantity > 0 (and within
/// [`validate::MAX_QUANTITY`]), unit price >= 0 with at most four decimals, and every line
/// total and the contract's total within a decimal.
#[derive(Debug, Default)]
pub struct Lines {
    seen: HashSet<String>,
    lines: Vec<Line>,
    total: Decimal,
}

impl Lines {
    /// Room for `count` lines, refusing none or too many.
    pub fn new(count: usize) -> Result<Lines, Invalid> {
        if count == 0 {
            return Err(Invalid::new("lines", "a contract needs at least one line"));
        }
        validate::list_len("lines", count, MAX_LINES)?;
        Ok(Lines {
            lines: Vec::with_capacity(count),
            ..Lines::default()
        })
    }

    /// Line `i`, whose product the catalogue knows as `product_id`.
    pub fn add(
        &mut self,
        i: usize,
        product_id: String,
        quantity: Decimal,
        unit_price: Decimal,
    ) -> Result<(), Invalid> {
        if !self.seen.insert(product_id.clone()) {
            return Err(Invalid::new(
                format!("lines[{i}].productId"),
                "each product may appear on one line only",
            ));
        }
        if quantity <= Decimal::ZERO {
            return Err(Invalid::new(
                format!("lines[{i}].quantity"),
                "must be greater than 0",
            ));
        }
        validate::quantity(&format!("lines[{i}].quantity"), quantity)?;
        if unit_price < Decimal::ZERO || unit_price.normalize().scale() > 4 {
            return Err(Invalid::new(
                format!("lines[{i}].unitPrice"),
                "must be >= 0 with at most 4 decimals",
            ));
        }
        let line_total = quantity
            .checked_mul(unit_price)
            .ok_or_else(|| Invalid::new(format!("lines[{i}]"), "the line total is too large"))?;
        self.total = self
            .total
            .checked_add(line_total)
            .ok_or_else(|| Invalid::new("lines", "the contract's total is too large"))?;
        self.lines.push(Line {
            product_id,
            quantity,
            unit_price,
        });
        Ok(())
    }

    /// The lines in their order, and the contract's total value.
    pub fn finish(self) -> (Vec<Line>, Decimal) {
        (self.lines, self.total)
    }
}

/// A direct contract's terms: contract dates, the end after the start, and a subcontracting
/// share between 0 and 1.
pub fn check_direct_terms(
    start: NaiveDate,
    end: NaiveDate,
    max_subcontracting_share: Option<Decimal>,
) -> Result<(), Invalid> {
    validate::contract_date("startDate", start)?;
    validate::contract_date("endDate", end)?;
    if end <= start {
        return Err(Invalid::new("endDate", "must be after startDate"));
    }
    if let Some(s) = max_subcontracting_share
        && (s < Decimal::ZERO || s > Decimal::ONE)
    {
        return Err(Invalid::new(
            "maxSubcontractingShare",
            "must be between 0 and 1",
        ));
    }
    Ok(())
}

/// A month's report as given: (product id, quantity, cost) lines, feedback, and (metric,
/// value) quality measurements.
#[derive(Debug, Clone, Default)]
pub struct ReportGiven<'a> {
    pub lines: &'a [(String, Decimal, Decimal)],
    pub feedback_count: i32,
    pub feedback_average: Option<Decimal>,
    pub quality: &'a [(String, Decimal)],
}

/// Checks a month's report. `product_of_contract` gives the stored id of a product on the
/// contract's current lines (None for anything else). Each product at most once, quantities
/// and costs not negative, feedback count not negative and its average 1..5, metric names
/// short text. Returns the lines with their stored product ids.
pub fn check_report(
    given: &ReportGiven<'_>,
    product_of_contract: impl Fn(&str) -> Option<String>,
) -> Result<Vec<(String, Decimal, Decimal)>, Invalid> {
    let mut seen = HashSet::new();
    let mut lines = Vec::with_capacity(given.lines.len());
    for (i, (product, quantity, cost)) in given.lines.iter().enumerate() {
        let Some(p) = product_of_contract(product) else {
            return Err(Invalid::new(
                format!("lines[{i}].productId"),
                "is not a product of this contract",
            ));
        };
        if !seen.insert(p.clone()) {
            return Err(Invalid::new(
                format!("lines[{i}].productId"),
                "is reported twice",
            ));
        }
        if *quantity < Decimal::ZERO {
            return Err(Invalid::new(
                format!("lines[{i}].quantity"),
                "must not be negative",
            ));
        }
        validate::quantity(&format!("lines[{i}].quantity"), *quantity)?;
        if *cost < Decimal::ZERO {
            return Err(Invalid::new(
                format!("lines[{i}].cost"),
                "must not be negative",
            ));
        }
        lines.push((p, *quantity, *cost));
    }
    if given.feedback_count < 0 {
        return Err(Invalid::new("feedbackCount", "must not be negative"));
    }
    if let Some(avg) = given.feedback_average
        && (avg < Decimal::ONE || avg > Decimal::from(5))
    {
        return Err(Invalid::new("feedbackAverage", "must be between 1 and 5"));
    }
    for (i, (metric, _)) in given.quality.iter().enumerate() {
        validate::text(&format!("qualityMeasurements[{i}].metric"), metric, 200)?;
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn lines_are_counted_checked_and_totalled() {
        assert_eq!(Lines::new(0).unwrap_err().field, "lines");
        assert_eq!(Lines::new(MAX_LINES + 1).unwrap_err().field, "lines");
        let mut lines = Lines::new(2).unwrap();
        lines.add(0, "a".into(), dec!(10), dec!(2.5)).unwrap();
        let twice = lines.add(1, "a".into(), dec!(1), dec!(1)).unwrap_err();
        assert_eq!(
            twice,
            Invalid::new(
                "lines[1].productId",
                "each product may appear on one line only"
            )
        );
        lines.add(1, "b".into(), dec!(3), dec!(0)).unwrap();
        let (checked, total) = lines.finish();
        assert_eq!(checked.len(), 2);
        assert_eq!(total, dec!(25));
    }

    #[test]
    fn a_line_needs_a_positive_quantity_and_a_price_in_at_most_four_decimals() {
        let mut lines = Lines::new(1).unwrap();
        let field = |r: Result<(), Invalid>| r.unwrap_err().field;
        assert_eq!(
            field(lines.add(0, "a".into(), dec!(0), dec!(1))),
            "lines[0].quantity"
        );
        assert_eq!(
            field(lines.add(0, "b".into(), dec!(1), dec!(-1))),
            "lines[0].unitPrice"
        );
        assert_eq!(
            field(lines.add(0, "c".into(), dec!(1), dec!(0.00001))),
            "lines[0].unitPrice"
        );
        assert!(lines.add(0, "d".into(), dec!(1), dec!(0.12340)).is_ok());
    }

    #[test]
    fn totals_that_do_not_fit_are_refused_not_wrapped() {
        let mut lines = Lines::new(2).unwrap();
        let big = Decimal::MAX / dec!(2);
        let r = lines.add(0, "a".into(), dec!(1000000), big);
        assert_eq!(r.unwrap_err().rule, "the line total is too large");
        lines.add(0, "b".into(), dec!(1), big).unwrap();
        let r = lines.add(1, "c".into(), dec!(1), big + dec!(10));
        assert_eq!(r.unwrap_err().rule, "the contract's total is too large");
    }

    #[test]
    fn direct_terms() {
        assert!(check_direct_terms(d(2027, 1, 1), d(2027, 12, 31), Some(dec!(0.3))).is_ok());
        assert_eq!(
            check_direct_terms(d(2027, 1, 1), d(2027, 1, 1), None)
                .unwrap_err()
                .field,
            "endDate"
        );
        assert_eq!(
            check_direct_terms(d(2027, 1, 1), d(2027, 2, 1), Some(dec!(1.01)))
                .unwrap_err()
                .field,
            "maxSubcontractingShare"
        );
    }

    #[test]
    fn a_report_names_products_of_the_contract_once_and_nothing_negative() {
        let known = |p: &str| (p == "a" || p == "b").then(|| p.to_owned());
        let line = |p: &str, q: Decimal, c: Decimal| (p.to_owned(), q, c);
        let field = |lines: &[(String, Decimal, Decimal)]| {
            let given = ReportGiven {
                lines,
                ..ReportGiven::default()
            };
            check_report(&given, known).unwrap_err().field
        };
        assert_eq!(field(&[line("x", dec!(1), dec!(1))]), "lines[0].productId");
        assert_eq!(
            field(&[line("a", dec!(1), dec!(1)), line("a", dec!(1), dec!(1))]),
            "lines[1].productId"
        );
        assert_eq!(field(&[line("a", dec!(-1), dec!(1))]), "lines[0].quantity");
        assert_eq!(field(&[line("b", dec!(1), dec!(-1))]), "lines[0].cost");
        let lines = [line("a", dec!(2), dec!(10))];
        let ok = ReportGiven {
            lines: &lines,
            feedback_count: 3,
            feedback_average: Some(dec!(4.5)),
            quality: &[("waiting days".into(), dec!(3))],
        };
        assert_eq!(check_report(&ok, known).unwrap(), lines.to_vec());
        let bad_average = ReportGiven {
            feedback_average: Some(dec!(5.1)),
            ..ok.clone()
        };
        assert_eq!(
            check_report(&bad_average, known).unwrap_err().field,
            "feedbackAverage"
        );
        let bad_count = ReportGiven {
            feedback_count: -1,
            ..ok
        };
        assert_eq!(
            check_report(&bad_count, known).unwrap_err().field,
            "feedbackCount"
        );
    }

    proptest! {
        #[test]
        fn a_contracts_total_is_the_sum_of_its_line_totals(
            lines in proptest::collection::vec((1i64..1_000_000, 0u32..=2, 0i64..100_000_000, 0u32..=4), 1..30)
        ) {
            let mut checked = Lines::new(lines.len()).unwrap();
            let mut expected = Decimal::ZERO;
            for (i, (q, qs, p, ps)) in lines.iter().enumerate() {
                let (q, p) = (Decimal::new(*q, *qs), Decimal::new(*p, *ps));
                checked.add(i, format!("p{i}"), q, p).unwrap();
                expected += q * p;
            }
            let (out, total) = checked.finish();
            prop_assert_eq!(out.len(), lines.len());
            prop_assert_eq!(total, expected);
        }
    }
}
