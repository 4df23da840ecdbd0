//! Service contracts: value split over fiscal years, budget room, monthly periods,
//! realisation against the contract, the effective status, and portfolio and benchmark
//! arithmetic. Exact decimals; money per year is rounded to cents with the remainder in the
//! last year, so the years always add up to the contract value.

pub mod input;
pub mod portfolio;
pub mod versions;

use super::money::{cents, mul_div, percent};
use super::{Invalid, WrongState};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub use entity::{ContractStatus, RealizationStatus};
pub use portfolio::{MarketFigures, in_house_index, market_figures, median};

/// A change to a contract, each allowed in some statuses only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Commits the value against the appropriations: a DRAFT only.
    Activate,
    /// A new version of the lines: DRAFT or ACTIVE.
    Amend,
    /// Ends the contract today: DRAFT or ACTIVE.
    Terminate,
    /// The producer's month: ACTIVE, or COMPLETED for its last months.
    Report,
    /// A party's signature: a DRAFT only.
    Sign,
}

/// Whether a contract whose status is `status` allows `change` (the effective status, see
/// [`effective_status`], except for activation, which reads the stored one).
pub fn check_change(change: Change, status: ContractStatus) -> Result<(), WrongState> {
    use ContractStatus::{Active, Completed, Draft};
    let s = status.as_str();
    match change {
        Change::Activate if status != Draft => Err(WrongState(format!(
            "only a DRAFT contract is activated; this one is {s}"
        ))),
        Change::Amend if !matches!(status, Draft | Active) => Err(WrongState(format!(
            "a contract that is {s} cannot be amended"
        ))),
        Change::Terminate if !matches!(status, Draft | Active) => Err(WrongState(format!(
            "a contract that is {s} cannot be terminated"
        ))),
        Change::Report if !matches!(status, Active | Completed) => Err(WrongState(format!(
            "reports are made on ACTIVE contracts; this one is {s}"
        ))),
        Change::Sign if status != Draft => Err(WrongState(format!(
            "only a DRAFT contract is signed; this one is {s}"
        ))),
        _ => Ok(()),
    }
}

/// Which parties have signed a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Signed {
    pub orderer: bool,
    pub producer: bool,
}

/// A contract is activated only once both parties have signed it (the orderer board and the
/// producer board approve it).
pub fn check_signed(signed: Signed) -> Result<(), WrongState> {
    let missing: Vec<&str> = [
        (!signed.orderer).then_some("the orderer"),
        (!signed.producer).then_some("the producer"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(WrongState(format!(
            "a contract is activated once both parties have signed it; not yet signed by {}",
            missing.join(" and ")
        )))
    }
}

/// An active contract whose end date has passed reads COMPLETED.
pub fn effective_status(
    stored: ContractStatus,
    end: NaiveDate,
    today: NaiveDate,
) -> ContractStatus {
    if stored == ContractStatus::Active && today > end {
        ContractStatus::Completed
    } else {
        stored
    }
}

/// Days from `start` through `end`, both inclusive (0 when end is before start).
pub fn days_inclusive(start: NaiveDate, end: NaiveDate) -> i64 {
    ((end - start).num_days() + 1).max(0)
}

/// The value falling in each fiscal year: value x (contract days in that year / contract
/// days). With `until`, only the days up to that date count (a terminated contract).
pub fn value_by_year(
    value: Decimal,
    start: NaiveDate,
    end: NaiveDate,
    until: Option<NaiveDate>,
) -> BTreeMap<i32, Decimal> {
    let total_days = days_inclusive(start, end);
    let mut out = BTreeMap::new();
    if total_days == 0 {
        return out;
    }
    let last_day = until.map_or(end, |u| u.min(end));
    if last_day < start {
        return out;
    }
    let mut allocated = Decimal::ZERO;
    let years: Vec<i32> = (start.year()..=last_day.year()).collect();
    for (i, &y) in years.iter().enumerate() {
        let from = start.max(NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(start));
        let to = last_day.min(NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(last_day));
        let days = days_inclusive(from, to);
        let share = if i + 1 == years.len() && until.is_none_or(|u| u >= end) {
            // The whole contract: the last year takes the remainder, so years add up exactly.
            value - allocated
        } else {
            cents(mul_div(
                value,
                Decimal::from(days),
                Decimal::from(total_days),
            ))
        };
        allocated += share;
        out.insert(y, share);
    }
    out
}

/// What an increase per year needs, against what is still free per year. The first year
/// without room is returned.
pub fn first_year_without_room(
    needed: &BTreeMap<i32, Decimal>,
    available: &BTreeMap<i32, Option<Decimal>>,
) -> Option<(i32, Decimal, Option<Decimal>)> {
    needed.iter().find_map(|(year, need)| {
        if *need <= Decimal::ZERO {
            return None;
        }
        match available.get(year).copied().flatten() {
            Some(free) if free >= *need => None,
            other => Some((*year, *need, other)),
        }
    })
}

/// The per-year difference `new - old`.
pub fn delta_by_year(
    old: &BTreeMap<i32, Decimal>,
    new: &BTreeMap<i32, Decimal>,
) -> BTreeMap<i32, Decimal> {
    let mut out = BTreeMap::new();
    for y in old.keys().chain(new.keys()) {
        let d = new.get(y).copied().unwrap_or_default() - old.get(y).copied().unwrap_or_default();
        out.insert(*y, d);
    }
    out
}

/// A reporting month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: i32,
    pub month: u32,
}

impl Period {
    pub fn parse(field: &str, s: &str) -> Result<Period, Invalid> {
        let bad = || Invalid::new(field, "must be a month such as 2027-03");
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(Period { year, month })
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        let (y, m) = if self.month == 12 {
            (self.year + 1, 1)
        } else {
            (self.year, self.month + 1)
        };
        NaiveDate::from_ymd_opt(y, m, 1)
            .and_then(|d| d.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    pub fn label(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// A report's month must overlap the contract period and must not lie in the future.
pub fn check_period(
    p: Period,
    start: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
) -> Result<(), Invalid> {
    if p.last_day() < start || p.first_day() > end {
        return Err(Invalid::new(
            "period",
            format!(
                "{} is outside the contract period {start} – {end}",
                p.label()
            ),
        ));
    }
    if p.first_day() > today {
        return Err(Invalid::new(
            "period",
            format!("{} is in the future", p.label()),
        ));
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Realization {
    pub contracted: Decimal,
    pub delivered: Decimal,
    pub expected: Decimal,
    pub percent: Decimal,
    pub forecast: Decimal,
    pub status: RealizationStatus,
}

/// The default deviation threshold: 10 %.
pub fn default_threshold() -> Decimal {
    Decimal::new(10, 2)
}

/// Realisation from the reports alone (DESIGN.md): days covered = start through the last day
/// of the latest reported month, capped at the end; expected = contracted x covered / contract
/// days; percent = delivered / expected x 100; forecast = delivered x contract days / covered;
/// OVER or UNDER when the forecast deviates from the contracted value by more than the threshold.
pub fn realization(
    contracted: Decimal,
    start: NaiveDate,
    end: NaiveDate,
    delivered: Decimal,
    latest: Option<Period>,
    threshold: Decimal,
) -> Realization {
    let none = Realization {
        contracted,
        delivered: Decimal::ZERO,
        expected: Decimal::ZERO,
        percent: Decimal::ZERO,
        forecast: Decimal::ZERO,
        status: RealizationStatus::OnTrack,
    };
    let Some(latest) = latest else { return none };
    let contract_days = days_inclusive(start, end);
    let covered = days_inclusive(start, latest.last_day().min(end));
    if contract_days == 0 || covered == 0 {
        return Realization { delivered, ..none };
    }
    let (cd, cov) = (Decimal::from(contract_days), Decimal::from(covered));
    let expected = mul_div(contracted, cov, cd);
    let percent = percent(delivered, expected);
    let forecast = mul_div(delivered, cd, cov);
    let status = if contracted.is_zero() {
        RealizationStatus::OnTrack
    } else if forecast > contracted.saturating_mul(Decimal::ONE + threshold) {
        RealizationStatus::Over
    } else if forecast < contracted.saturating_mul(Decimal::ONE - threshold) {
        RealizationStatus::Under
    } else {
        RealizationStatus::OnTrack
    };
    Realization {
        contracted,
        delivered,
        expected,
        percent,
        forecast,
        status,
    }
}

/// A contract's terms as far as its realisation needs them.
#[derive(Debug, Clone, Copy)]
pub struct Terms {
    pub lump_sum: bool,
    pub contracted: Decimal,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// Realisation from a contract's reports (DESIGN, Service contracts): the delivered value is
/// each reported quantity at the unit price `price` gives for its month and product (the
/// version in effect that month; a product not on it counts nothing), the latest reported
/// month bounds the days covered, and a LUMP_SUM contract is delivered by time whatever the
/// quantities, each version's value for the days it was in effect (`pieces`).
pub fn realization_from_reports<'a>(
    terms: Terms,
    price: impl Fn(Period, &str) -> Option<Decimal>,
    delivered: impl IntoIterator<Item = (&'a str, &'a str, Decimal)>,
    months: impl IntoIterator<Item = &'a str>,
    pieces: &[versions::Piece],
) -> Realization {
    let latest = months
        .into_iter()
        .filter_map(|m| Period::parse("period", m).ok())
        .max();
    if terms.lump_sum {
        return lump_sum_realization(terms.contracted, terms.start, terms.end, latest, pieces);
    }
    let delivered = super::money::sum(delivered.into_iter().filter_map(
        |(month, product, quantity)| {
            let month = Period::parse("period", month).ok()?;
            price(month, product).map(|p| quantity.saturating_mul(p))
        },
    ));
    realization(
        terms.contracted,
        terms.start,
        terms.end,
        delivered,
        latest,
        default_threshold(),
    )
}

/// Realisation of a LUMP_SUM contract (DESIGN, Service contracts): the price is paid by time,
/// whatever the quantities, so delivered = expected = contract value x days covered /
/// contract days, percent is 100, the forecast is the value and the status ON_TRACK. No
/// report yet: everything 0, as for UNIT_PRICE.
pub fn lump_sum_realization(
    contracted: Decimal,
    start: NaiveDate,
    end: NaiveDate,
    latest: Option<Period>,
    pieces: &[versions::Piece],
) -> Realization {
    let by_time = realization(
        contracted,
        start,
        end,
        Decimal::ZERO,
        latest,
        default_threshold(),
    );
    let Some(latest) = latest else {
        return by_time;
    };
    // After an amendment each version counts for the days it was in effect.
    let to_date = if pieces.len() > 1 {
        versions::pieces_to_date(pieces, end, latest.last_day())
    } else {
        by_time.expected
    };
    Realization {
        delivered: to_date,
        expected: to_date,
        percent: if to_date.is_zero() {
            Decimal::ZERO
        } else {
            Decimal::ONE_HUNDRED
        },
        forecast: contracted,
        status: RealizationStatus::OnTrack,
        ..by_time
    }
}

/// What a LUMP_SUM contract pays for one month: the value x the contract's days in that
/// month / contract days, in cents (half away from zero). Months outside the contract pay 0.
pub fn lump_sum_month_value(
    value: Decimal,
    start: NaiveDate,
    end: NaiveDate,
    month: Period,
) -> Decimal {
    let contract_days = days_inclusive(start, end);
    let from = month.first_day().max(start);
    let to = month.last_day().min(end);
    if contract_days <= 0 || to < from {
        return Decimal::ZERO;
    }
    let days = Decimal::from(days_inclusive(from, to));
    cents(mul_div(value, days, Decimal::from(contract_days)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contract_is_signed_while_draft_and_activated_once_both_signed() {
        use ContractStatus::*;
        assert_eq!(check_change(Change::Sign, Draft), Ok(()));
        for s in [Active, Completed, Terminated] {
            assert!(check_change(Change::Sign, s).is_err());
        }
        let both = Signed {
            orderer: true,
            producer: true,
        };
        assert_eq!(check_signed(both), Ok(()));
        let none = check_signed(Signed::default()).unwrap_err().0;
        assert!(
            none.ends_with("not yet signed by the orderer and the producer"),
            "{none}"
        );
        let producer = Signed {
            orderer: true,
            producer: false,
        };
        assert!(
            check_signed(producer)
                .unwrap_err()
                .0
                .ends_with("by the producer")
        );
    }
    use proptest::prelude::*;
    use rust_decimal::dec;

    #[test]
    fn each_change_is_allowed_in_its_statuses_only() {
        use ContractStatus::*;
        let allowed = |c: Change| {
            [Draft, Active, Completed, Terminated]
                .into_iter()
                .filter(|s| check_change(c, *s).is_ok())
                .collect::<Vec<_>>()
        };
        assert_eq!(allowed(Change::Activate), [Draft]);
        assert_eq!(allowed(Change::Amend), [Draft, Active]);
        assert_eq!(allowed(Change::Terminate), [Draft, Active]);
        assert_eq!(allowed(Change::Report), [Active, Completed]);
        assert_eq!(
            check_change(Change::Amend, Terminated).unwrap_err().0,
            "a contract that is TERMINATED cannot be amended"
        );
    }

    #[test]
    fn realization_from_reports_prices_current_products_and_reads_the_latest_month() {
        let terms = Terms {
            lump_sum: false,
            contracted: dec!(365000),
            start: d(2027, 1, 1),
            end: d(2027, 12, 31),
        };
        let prices = std::collections::HashMap::from([("a", dec!(100)), ("b", dec!(10))]);
        let price = |_: Period, p: &str| prices.get(p).copied();
        // January and February reported: 59 days; 500 x 100 + 310 x 10 = 53 100 (90 %).
        let r = realization_from_reports(
            terms,
            price,
            [
                ("2027-01", "a", dec!(500)),
                ("2027-02", "b", dec!(310)),
                ("2027-02", "gone", dec!(1000)),
            ],
            ["2027-02", "2027-01", "not a month"],
            &[],
        );
        assert_eq!(r.delivered, dec!(53100));
        assert_eq!(r.expected, dec!(59000));
        assert_eq!(r.percent, dec!(90));
        let lump = Terms {
            lump_sum: true,
            ..terms
        };
        let r =
            realization_from_reports(lump, price, [("2027-02", "a", dec!(1))], ["2027-02"], &[]);
        assert_eq!((r.delivered, r.percent), (dec!(59000), dec!(100)));
        // Amended from 1 July to twice the value: January and February keep the first price.
        let pieces = [
            versions::Piece {
                from: d(2027, 1, 1),
                value: dec!(365000),
            },
            versions::Piece {
                from: d(2027, 7, 1),
                value: dec!(184000),
            },
        ];
        let r = realization_from_reports(lump, price, [], ["2027-02"], &pieces);
        assert_eq!((r.delivered, r.expected), (dec!(59000), dec!(59000)));
        let r = realization_from_reports(lump, price, [], ["2027-07"], &pieces);
        // 212 days x 1 000 + 31 days x 1 000 (the change, 1 000 a day from July).
        assert_eq!(r.delivered, dec!(243000));
    }

    proptest! {
        /// DESIGN, Service contracts: a contract's value split by fiscal year always sums to
        /// its value, every year gets its share in cents (but the last, which takes the
        /// remainder), and no year is negative for a non-negative value.
        #[test]
        fn a_contracts_value_split_by_fiscal_year_sums_to_its_value(
            units in 0i64..100_000_000_000_000,
            scale in 0u32..=4,
            start_day in 0i64..(365 * 60),
            length in 0i64..(365 * 12),
        ) {
            let value = Decimal::new(units, scale);
            let start = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Duration::days(start_day);
            let end = start + chrono::Duration::days(length);
            let split = value_by_year(value, start, end, None);
            prop_assert_eq!(split.len() as i32, end.year() - start.year() + 1);
            prop_assert_eq!(split.values().copied().sum::<Decimal>(), value);
            let last = *split.keys().last().unwrap();
            for (year, share) in &split {
                prop_assert!(*share >= Decimal::ZERO);
                if *year != last {
                    prop_assert_eq!(cents(*share), *share);
                }
            }
        }

        /// A terminated contract keeps at most its value, in cents per year.
        #[test]
        fn a_terminated_contract_never_commits_more_than_its_value(
            units in 0i64..10_000_000_000,
            length in 1i64..(365 * 5),
            ran in 0i64..(365 * 5),
        ) {
            let value = Decimal::new(units, 2);
            let start = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
            let end = start + chrono::Duration::days(length);
            let until = start + chrono::Duration::days(ran);
            let split = value_by_year(value, start, end, Some(until));
            prop_assert!(split.values().copied().sum::<Decimal>() <= value);
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn extreme_values_never_overflow_the_realisation() {
        let big = Decimal::MAX / Decimal::TWO;
        let jan = Period::parse("p", "2027-01").unwrap();
        let r = realization(
            big,
            d(2000, 1, 1),
            d(2100, 12, 31),
            big,
            Some(jan),
            default_threshold(),
        );
        assert!(r.forecast > Decimal::ZERO);
        let split = value_by_year(Decimal::MAX, d(2027, 1, 1), d(2028, 12, 31), None);
        assert_eq!(split.len(), 2);
    }

    #[test]
    fn a_lump_sum_is_delivered_by_time_whatever_the_quantities() {
        // 1 Jan – 31 Dec 2027 (365 days), 365 000: by the end of March (90 days) 90 000.
        let march = Period::parse("p", "2027-03").unwrap();
        let r = lump_sum_realization(
            dec!(365000),
            d(2027, 1, 1),
            d(2027, 12, 31),
            Some(march),
            &[],
        );
        assert_eq!(r.delivered, dec!(90000));
        assert_eq!(r.expected, dec!(90000));
        assert_eq!(r.percent, dec!(100));
        assert_eq!(r.forecast, dec!(365000));
        assert_eq!(r.status, RealizationStatus::OnTrack);
        let none = lump_sum_realization(dec!(365000), d(2027, 1, 1), d(2027, 12, 31), None, &[]);
        assert_eq!(
            (none.delivered, none.percent, none.forecast),
            (dec!(0), dec!(0), dec!(0))
        );
    }

    #[test]
    fn a_lump_sum_month_pays_its_share_of_days_in_cents() {
        let (s, e) = (d(2027, 1, 15), d(2027, 12, 31));
        // 351 contract days; January has 17 of them: 100 000 x 17 / 351 = 4843.304… -> 4843.30.
        let jan = Period::parse("p", "2027-01").unwrap();
        assert_eq!(lump_sum_month_value(dec!(100000), s, e, jan), dec!(4843.30));
        let feb = Period::parse("p", "2027-02").unwrap();
        assert_eq!(lump_sum_month_value(dec!(100000), s, e, feb), dec!(7977.21));
        let before = Period::parse("p", "2026-12").unwrap();
        assert_eq!(lump_sum_month_value(dec!(100000), s, e, before), dec!(0));
    }

    #[test]
    fn value_is_split_by_contract_days_per_year() {
        // 1 July 2027 – 30 June 2028: 184 days in 2027, 182 in 2028 (a leap year), 366 in all.
        // 366 000 x 184 / 366 = 184 000; the rest, 182 000, in 2028.
        let split = value_by_year(dec!(366000), d(2027, 7, 1), d(2028, 6, 30), None);
        assert_eq!(
            split,
            BTreeMap::from([(2027, dec!(184000.00)), (2028, dec!(182000))])
        );
        // A value that does not divide evenly: cents, and the years still add up.
        let split = value_by_year(dec!(100000), d(2027, 7, 1), d(2028, 6, 30), None);
        assert_eq!(split[&2027], dec!(50273.22));
        assert_eq!(split.values().copied().sum::<Decimal>(), dec!(100000));
        // One year.
        assert_eq!(
            value_by_year(dec!(5), d(2027, 1, 1), d(2027, 12, 31), None),
            BTreeMap::from([(2027, dec!(5))])
        );
    }

    #[test]
    fn a_terminated_contract_counts_only_its_days() {
        // 365 000 over 2027, terminated on 31 January: 31 days = 31 000.
        let split = value_by_year(
            dec!(365000),
            d(2027, 1, 1),
            d(2027, 12, 31),
            Some(d(2027, 1, 31)),
        );
        assert_eq!(split, BTreeMap::from([(2027, dec!(31000.00))]));
        assert!(
            value_by_year(
                dec!(1),
                d(2027, 1, 1),
                d(2027, 12, 31),
                Some(d(2026, 12, 31))
            )
            .is_empty()
        );
    }

    #[test]
    fn room_is_needed_in_every_year_that_grows() {
        let needed = BTreeMap::from([(2027, dec!(100)), (2028, dec!(50)), (2029, dec!(-10))]);
        let free = BTreeMap::from([(2027, Some(dec!(100))), (2028, Some(dec!(49.99)))]);
        assert_eq!(
            first_year_without_room(&needed, &free),
            Some((2028, dec!(50), Some(dec!(49.99))))
        );
        let free = BTreeMap::from([(2027, Some(dec!(100)))]);
        assert_eq!(
            first_year_without_room(&needed, &free),
            Some((2028, dec!(50), None)),
            "no appropriation, no room"
        );
        let free = BTreeMap::from([(2027, Some(dec!(100))), (2028, Some(dec!(50)))]);
        assert_eq!(first_year_without_room(&needed, &free), None);
    }

    #[test]
    fn periods_parse_and_bound() {
        let p = Period::parse("period", "2028-02").unwrap();
        assert_eq!(p.last_day(), d(2028, 2, 29));
        assert_eq!(
            Period::parse("period", "2027-12").unwrap().last_day(),
            d(2027, 12, 31)
        );
        for bad in ["2027-13", "2027-00", "27-01", "2027/01", "2027-1", ""] {
            assert!(Period::parse("period", bad).is_err(), "{bad}");
        }
        let today = d(2027, 5, 15);
        assert!(
            check_period(p, d(2027, 1, 1), d(2027, 12, 31), d(2028, 3, 1)).is_err(),
            "outside"
        );
        assert!(
            check_period(
                Period {
                    year: 2027,
                    month: 6
                },
                d(2027, 1, 1),
                d(2027, 12, 31),
                today
            )
            .is_err(),
            "future"
        );
        assert!(
            check_period(
                Period {
                    year: 2027,
                    month: 5
                },
                d(2027, 1, 1),
                d(2027, 12, 31),
                today
            )
            .is_ok(),
            "this month"
        );
        assert!(
            check_period(
                Period {
                    year: 2026,
                    month: 12
                },
                d(2026, 12, 15),
                d(2027, 12, 31),
                today
            )
            .is_ok(),
            "partly inside"
        );
    }

    #[test]
    fn realization_by_hand() {
        // 365 000 over 2027. Reports for January and February: 59 days covered.
        // Expected 365 000 x 59 / 365 = 59 000. Delivered 53 100: 90 %; forecast
        // 53 100 x 365 / 59 = 328 500, 10 % under: not more than the threshold, ON_TRACK.
        let r = realization(
            dec!(365000),
            d(2027, 1, 1),
            d(2027, 12, 31),
            dec!(53100),
            Some(Period {
                year: 2027,
                month: 2,
            }),
            default_threshold(),
        );
        assert_eq!(r.expected, dec!(59000));
        assert_eq!(r.percent, dec!(90));
        assert_eq!(r.forecast, dec!(328500));
        assert_eq!(r.status, RealizationStatus::OnTrack);
        let under = realization(
            dec!(365000),
            d(2027, 1, 1),
            d(2027, 12, 31),
            dec!(53099),
            Some(Period {
                year: 2027,
                month: 2,
            }),
            default_threshold(),
        );
        assert_eq!(under.status, RealizationStatus::Under);
        let over = realization(
            dec!(365000),
            d(2027, 1, 1),
            d(2027, 12, 31),
            dec!(64901),
            Some(Period {
                year: 2027,
                month: 2,
            }),
            default_threshold(),
        );
        assert_eq!(over.status, RealizationStatus::Over);
    }

    #[test]
    fn no_report_means_nothing_delivered_and_on_track() {
        let r = realization(
            dec!(1000),
            d(2027, 1, 1),
            d(2027, 12, 31),
            dec!(0),
            None,
            default_threshold(),
        );
        assert_eq!(
            (r.delivered, r.percent, r.forecast, r.status),
            (dec!(0), dec!(0), dec!(0), RealizationStatus::OnTrack)
        );
        assert_eq!(r.contracted, dec!(1000));
    }

    #[test]
    fn days_covered_are_capped_at_the_contract_end() {
        // A contract ending 15 January; a January report covers 15 days, not 31.
        let r = realization(
            dec!(1500),
            d(2027, 1, 1),
            d(2027, 1, 15),
            dec!(1500),
            Some(Period {
                year: 2027,
                month: 1,
            }),
            default_threshold(),
        );
        assert_eq!(r.expected, dec!(1500));
        assert_eq!(r.percent, dec!(100));
    }

    #[test]
    fn an_active_contract_past_its_end_reads_completed() {
        let end = d(2027, 12, 31);
        assert_eq!(
            effective_status(ContractStatus::Active, end, end),
            ContractStatus::Active
        );
        assert_eq!(
            effective_status(ContractStatus::Active, end, d(2028, 1, 1)),
            ContractStatus::Completed
        );
        assert_eq!(
            effective_status(ContractStatus::Terminated, end, d(2028, 1, 1)),
            ContractStatus::Terminated
        );
    }
}
