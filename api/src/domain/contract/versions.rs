//! Amendments in time (DESIGN, Service contracts): an amendment takes effect on its
//! `effectiveFrom`; the months before it keep the earlier version's prices, the value blends
//! the versions by days, and only the value change from `effectiveFrom` on is split over (and
//! committed to) the fiscal years it touches.

use super::{Period, days_inclusive, lump_sum_month_value, value_by_year};
use crate::domain::Invalid;
use crate::domain::money::{cents, mul_div};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// A version of a contract and the day its lines take effect (version 1: the start).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    pub version: i32,
    pub effective_from: NaiveDate,
}

/// The version whose lines apply on `day`: the highest version that has taken effect by then
/// (a later amendment replaces every earlier version from its `effectiveFrom` on).
pub fn version_on(versions: &[Version], day: NaiveDate) -> i32 {
    versions
        .iter()
        .filter(|v| v.effective_from <= day)
        .map(|v| v.version)
        .max()
        .unwrap_or(1)
}

/// The version whose prices a reported month is valued at: the one in effect on the month's
/// last day within the contract, so a month before an amendment keeps the earlier prices.
pub fn version_for_month(versions: &[Version], month: Period, end: NaiveDate) -> i32 {
    version_on(versions, month.last_day().min(end))
}

/// The contract's value with `versions` in effect, each version's lines' value (`values`) x
/// the days it is in effect / contract days, in cents. A single version in effect for the
/// whole contract is its lines' value exactly.
pub fn blended_value(
    versions: &[Version],
    values: &HashMap<i32, Decimal>,
    start: NaiveDate,
    end: NaiveDate,
) -> Decimal {
    let total_days = days_inclusive(start, end);
    // The days each version is in effect: runs of days under one version.
    let mut runs: Vec<(i32, i64)> = Vec::new();
    let mut from = start;
    let mut boundaries: Vec<NaiveDate> = versions
        .iter()
        .map(|v| v.effective_from)
        .filter(|d| *d > start && *d <= end)
        .collect();
    boundaries.sort();
    boundaries.dedup();
    boundaries.push(end.succ_opt().unwrap_or(end));
    for next in boundaries {
        let v = version_on(versions, from);
        let days = days_inclusive(from, next.pred_opt().unwrap_or(next));
        match runs.last_mut() {
            Some((last, d)) if *last == v => *d += days,
            _ => runs.push((v, days)),
        }
        from = next;
    }
    if let [(v, _)] = runs.as_slice() {
        return values.get(v).copied().unwrap_or_default();
    }
    crate::domain::money::sum(runs.iter().map(|(v, days)| {
        let value = values.get(v).copied().unwrap_or_default();
        cents(mul_div(
            value,
            Decimal::from(*days),
            Decimal::from(total_days),
        ))
    }))
}

/// When an amendment takes effect: the given day, by default today or the contract's start if
/// that is later; within the contract period and after the latest reported month.
pub fn effective_from(
    given: Option<NaiveDate>,
    today: NaiveDate,
    start: NaiveDate,
    end: NaiveDate,
    latest_report: Option<Period>,
) -> Result<NaiveDate, Invalid> {
    let day = given.unwrap_or(today.max(start));
    if day < start || day > end {
        return Err(Invalid::new(
            "effectiveFrom",
            format!("{day} is outside the contract period {start} – {end}"),
        ));
    }
    if let Some(month) = latest_report
        && day <= month.last_day()
    {
        return Err(Invalid::new(
            "effectiveFrom",
            format!(
                "must be after {}, the last day of the latest reported month",
                month.last_day()
            ),
        ));
    }
    Ok(day)
}

/// A part of a contract's value, spread by days over `from` through the contract's end: the
/// first version's value from the start, then each amendment's value change from its
/// `effectiveFrom`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub from: NaiveDate,
    pub value: Decimal,
}

/// The value falling in each fiscal year (up to `until` for a terminated contract): each
/// piece split by days over its own span, summed per year. Without amendments this is
/// [`value_by_year`] of the value.
pub fn pieces_by_year(
    pieces: &[Piece],
    end: NaiveDate,
    until: Option<NaiveDate>,
) -> BTreeMap<i32, Decimal> {
    let mut out: BTreeMap<i32, Decimal> = BTreeMap::new();
    for p in pieces {
        for (y, v) in value_by_year(p.value, p.from, end, until) {
            let e = out.entry(y).or_default();
            *e = e.saturating_add(v);
        }
    }
    out
}

/// What a LUMP_SUM contract pays for one month: each piece's share of that month (in cents).
pub fn pieces_month_value(pieces: &[Piece], end: NaiveDate, month: Period) -> Decimal {
    crate::domain::money::sum(
        pieces
            .iter()
            .map(|p| lump_sum_month_value(p.value, p.from, end, month)),
    )
}

/// What a LUMP_SUM contract has delivered by time through `covered_to`: each piece x its days
/// so far / its days.
pub fn pieces_to_date(pieces: &[Piece], end: NaiveDate, covered_to: NaiveDate) -> Decimal {
    crate::domain::money::sum(pieces.iter().filter(|p| p.from <= covered_to).map(|p| {
        mul_div(
            p.value,
            Decimal::from(days_inclusive(p.from, covered_to.min(end))),
            Decimal::from(days_inclusive(p.from, end)),
        )
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn v(version: i32, effective_from: NaiveDate) -> Version {
        Version {
            version,
            effective_from,
        }
    }

    #[test]
    fn months_before_an_amendment_keep_the_earlier_prices() {
        let versions = [v(1, d(2027, 1, 1)), v(2, d(2027, 7, 1))];
        let end = d(2027, 12, 31);
        let month = |m| Period {
            year: 2027,
            month: m,
        };
        assert_eq!(version_for_month(&versions, month(6), end), 1);
        assert_eq!(version_for_month(&versions, month(7), end), 2);
        // A later amendment effective earlier replaces version 2 from its day on.
        let versions = [
            v(1, d(2027, 1, 1)),
            v(2, d(2027, 7, 1)),
            v(3, d(2027, 4, 1)),
        ];
        assert_eq!(version_for_month(&versions, month(3), end), 1);
        assert_eq!(version_for_month(&versions, month(5), end), 3);
        assert_eq!(version_for_month(&versions, month(9), end), 3);
    }

    #[test]
    fn the_value_blends_the_versions_by_days_in_cents() {
        // 36 500 a year (100 a day); from 1 July 73 000 a year: 181 days x 100 + 184 x 200.
        let values = HashMap::from([(1, dec!(36500)), (2, dec!(73000))]);
        let (start, end) = (d(2027, 1, 1), d(2027, 12, 31));
        let versions = [v(1, start), v(2, d(2027, 7, 1))];
        assert_eq!(
            blended_value(&versions, &values, start, end),
            dec!(54900.00)
        );
        // Effective from the start: the new lines' value; one version alone is exact.
        let values = HashMap::from([(1, dec!(45601.5425)), (2, dec!(40000.005))]);
        assert_eq!(
            blended_value(&[v(1, start)], &values, start, end),
            dec!(45601.5425)
        );
        assert_eq!(
            blended_value(&[v(1, start), v(2, start)], &values, start, end),
            dec!(40000.005)
        );
    }

    #[test]
    fn effective_from_defaults_and_bounds() {
        let (start, end) = (d(2027, 1, 1), d(2027, 12, 31));
        let today = d(2026, 12, 2);
        assert_eq!(effective_from(None, today, start, end, None), Ok(start));
        assert_eq!(
            effective_from(None, d(2027, 3, 5), start, end, None),
            Ok(d(2027, 3, 5))
        );
        let outside = effective_from(Some(d(2028, 1, 1)), today, start, end, None).unwrap_err();
        assert_eq!(outside.field, "effectiveFrom");
        assert_eq!(outside.code().code, "OUT_OF_RANGE");
        let reported = Some(Period {
            year: 2027,
            month: 2,
        });
        assert!(effective_from(Some(d(2027, 2, 28)), today, start, end, reported).is_err());
        assert_eq!(
            effective_from(Some(d(2027, 3, 1)), today, start, end, reported),
            Ok(d(2027, 3, 1))
        );
        // The default (today) inside a reported month is refused too.
        assert!(effective_from(None, d(2027, 2, 10), start, end, reported).is_err());
    }

    #[test]
    fn an_amendment_commits_only_from_its_effective_day() {
        let end = d(2028, 12, 31);
        let pieces = [
            Piece {
                from: d(2027, 1, 1),
                value: dec!(73100),
            },
            Piece {
                from: d(2028, 1, 1),
                value: dec!(1000),
            },
        ];
        let years = pieces_by_year(&pieces, end, None);
        assert_eq!(years[&2027], dec!(36500.00));
        assert_eq!(years[&2028], dec!(37600.00));
    }

    proptest! {
        #[test]
        fn the_years_always_add_up_to_the_value(
            base in 0i64..100_000_000,
            delta in -50_000_000i64..50_000_000,
            eff in 0i64..1095,
        ) {
            let (start, end) = (d(2027, 1, 1), d(2029, 12, 31));
            let from = start + chrono::TimeDelta::days(eff);
            let pieces = [
                Piece { from: start, value: Decimal::new(base, 2) },
                Piece { from, value: Decimal::new(delta, 2) },
            ];
            let sum: Decimal = pieces_by_year(&pieces, end, None).values().copied().sum();
            prop_assert_eq!(sum, Decimal::new(base + delta, 2));
            for (y, v) in pieces_by_year(&pieces[1..], end, None) {
                prop_assert!(y >= chrono::Datelike::year(&from), "{} before {}", y, from);
                prop_assert!(v.abs() <= Decimal::new(delta.abs(), 2));
            }
        }
    }
}
