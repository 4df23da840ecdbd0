//! Notice thresholds (DESIGN "Notices, languages, lots"): which notice regime a call falls in,
//! from the orderer's estimated value (excluding VAT) and the service kinds of its products.
//! The thresholds in force are one table with their validity dates, so the next revision
//! (the EU's every two years, the national when the act changes) is one row.

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// What kind of service a product is, for the thresholds: the procurement act's general
/// services, its social and health services, and its other specific services (annex of the
/// act; EU directive 2014/24 annex XIV).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServiceKind {
    General,
    SocialAndHealth,
    OtherSpecific,
}

/// Which notices a call is due: none (a voluntary one can still be made), a national one in
/// Hilma, or an EU one (through Hilma to TED).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Regime {
    BelowNational,
    National,
    Eu,
}

/// The thresholds (EUR, excluding VAT) in force from `from` to `until`, both inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub national_general: Decimal,
    pub national_social_and_health: Decimal,
    pub national_other_specific: Decimal,
    /// Services of sub-central contracting authorities (a municipality).
    pub eu_general: Decimal,
    /// Social and other specific services.
    pub eu_social_and_other_specific: Decimal,
}

const fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(x) => x,
        None => NaiveDate::MIN,
    }
}

/// Every table of thresholds, oldest first. 2026–2027 (DESIGN.md): the national thresholds of
/// the act on public procurement and concession contracts (1397/2016) and the EU thresholds
/// in force for services of sub-central contracting authorities, as DESIGN.md states them.
pub const TABLE: &[Thresholds] = &[T_2026_2027];

const T_2026_2027: Thresholds = Thresholds {
    from: day(2026, 1, 1),
    until: day(2027, 12, 31),
    national_general: Decimal::from_parts(60_000, 0, 0, false, 0),
    national_social_and_health: Decimal::from_parts(400_000, 0, 0, false, 0),
    national_other_specific: Decimal::from_parts(300_000, 0, 0, false, 0),
    eu_general: Decimal::from_parts(216_000, 0, 0, false, 0),
    eu_social_and_other_specific: Decimal::from_parts(750_000, 0, 0, false, 0),
};

/// The table in force on `on`: the one whose period holds it; after the last, the last (until
/// the next revision is entered); before the first, the first.
pub fn in_force(on: NaiveDate) -> Thresholds {
    TABLE
        .iter()
        .rev()
        .find(|t| t.from <= on)
        .or_else(|| TABLE.first())
        .copied()
        .unwrap_or(T_2026_2027)
}

impl Thresholds {
    /// (national, EU) threshold of one service kind.
    pub fn of(&self, kind: ServiceKind) -> (Decimal, Decimal) {
        match kind {
            ServiceKind::General => (self.national_general, self.eu_general),
            ServiceKind::SocialAndHealth => (
                self.national_social_and_health,
                self.eu_social_and_other_specific,
            ),
            ServiceKind::OtherSpecific => (
                self.national_other_specific,
                self.eu_social_and_other_specific,
            ),
        }
    }
}

/// The service kind whose thresholds a call follows: the one with the highest thresholds among
/// its products' kinds (a call mixing home care with cleaning is judged as home care); GENERAL
/// for a call without lines.
pub fn governing_kind(kinds: impl IntoIterator<Item = ServiceKind>, t: &Thresholds) -> ServiceKind {
    kinds
        .into_iter()
        .max_by_key(|k| t.of(*k))
        .unwrap_or(ServiceKind::General)
}

/// The regime of a call with `estimated_value` (excluding VAT) for products of `kinds`, on
/// `on`. A value equal to a threshold is in it ("at least"). Without an estimated value no
/// notice is known to be due: below the national threshold.
pub fn regime(
    estimated_value: Option<Decimal>,
    kinds: impl IntoIterator<Item = ServiceKind>,
    on: NaiveDate,
) -> Regime {
    let Some(value) = estimated_value else {
        return Regime::BelowNational;
    };
    let t = in_force(on);
    let (national, eu) = t.of(governing_kind(kinds, &t));
    if value >= eu {
        Regime::Eu
    } else if value >= national {
        Regime::National
    } else {
        Regime::BelowNational
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::dec;

    fn on() -> NaiveDate {
        day(2026, 12, 3)
    }

    #[test]
    fn each_threshold_one_cent_below_and_at_it() {
        use Regime::*;
        use ServiceKind::*;
        let cases = [
            (General, dec!(59999.99), BelowNational),
            (General, dec!(60000), National),
            (General, dec!(215999.99), National),
            (General, dec!(216000), Eu),
            (SocialAndHealth, dec!(399999.99), BelowNational),
            (SocialAndHealth, dec!(400000.00), National),
            (SocialAndHealth, dec!(749999.99), National),
            (SocialAndHealth, dec!(750000), Eu),
            (OtherSpecific, dec!(299999.99), BelowNational),
            (OtherSpecific, dec!(300000), National),
            (OtherSpecific, dec!(749999.99), National),
            (OtherSpecific, dec!(750000), Eu),
        ];
        for (kind, value, expected) in cases {
            assert_eq!(
                regime(Some(value), [kind], on()),
                expected,
                "{kind:?} {value}"
            );
        }
        assert_eq!(regime(None, [General], on()), BelowNational);
        assert_eq!(regime(Some(Decimal::ZERO), [], on()), BelowNational);
    }

    #[test]
    fn a_mixed_call_follows_its_highest_threshold_kind() {
        use ServiceKind::*;
        let kinds = [General, SocialAndHealth, OtherSpecific];
        // 350 000: national for general and other specific services, below it for social.
        assert_eq!(
            regime(Some(dec!(350000)), kinds, on()),
            Regime::BelowNational
        );
        assert_eq!(
            regime(Some(dec!(350000)), [General, OtherSpecific], on()),
            Regime::National
        );
        // 250 000: EU for general services alone, below the national for other specific ones.
        assert_eq!(regime(Some(dec!(250000)), [General], on()), Regime::Eu);
        assert_eq!(
            regime(Some(dec!(250000)), [General, OtherSpecific], on()),
            Regime::BelowNational
        );
        assert_eq!(regime(Some(dec!(350000)), [General], on()), Regime::Eu);
        assert_eq!(
            regime(Some(dec!(100000)), [General], on()),
            Regime::National
        );
        assert_eq!(governing_kind([], &in_force(on())), General);
    }

    #[test]
    fn the_table_in_force_by_date() {
        assert_eq!(in_force(day(2026, 1, 1)), TABLE[0]);
        assert_eq!(in_force(day(2027, 12, 31)), TABLE[0]);
        // Before the first and after the last: the nearest table.
        assert_eq!(in_force(day(2020, 1, 1)), TABLE[0]);
        assert_eq!(in_force(day(2030, 1, 1)), TABLE[TABLE.len() - 1]);
        for pair in TABLE.windows(2) {
            assert!(pair[0].until < pair[1].from, "periods do not overlap");
        }
        for t in TABLE {
            assert!(t.from <= t.until);
            for kind in [
                ServiceKind::General,
                ServiceKind::SocialAndHealth,
                ServiceKind::OtherSpecific,
            ] {
                let (national, eu) = t.of(kind);
                assert!(national < eu, "{kind:?}");
            }
        }
    }

    proptest! {
        /// The regime never falls as the value grows.
        #[test]
        fn monotone_in_the_value(a in 0i64..200_000_000, b in 0i64..200_000_000, k in 0usize..3) {
            let kind = [ServiceKind::General, ServiceKind::SocialAndHealth, ServiceKind::OtherSpecific][k];
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let r = |cents: i64| regime(Some(Decimal::new(cents, 2)), [kind], on());
            prop_assert!(r(lo) <= r(hi));
        }
    }
}
