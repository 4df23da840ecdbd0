//! Money, in one place: exact decimals throughout, rounded only where DESIGN.md says (to
//! cents, half away from zero) and for display. Nothing here can panic: products that do not
//! fit in a decimal are divided first and at worst saturated, sums saturate.

use rust_decimal::{Decimal, RoundingStrategy};

/// Half away from zero to cents (DESIGN: "rounded half-up to cents"): 66.665 → 66.67,
/// -0.005 → -0.01. The scale is left as it comes out (10 stays 10).
pub fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Half-up to exactly two decimals, for display only: 66.665 → 66.67, 100 → 100.00.
pub fn display(d: Decimal) -> Decimal {
    let mut r = cents(d);
    r.rescale(2);
    r
}

/// [`display`] as text, for sentences and mails: "1234.50".
pub fn format(d: Decimal) -> String {
    display(d).to_string()
}

/// An exact sum of money shown with at least two decimals: 41087.5 → 41087.50, while
/// 0.125 stays 0.125 (nothing is rounded away).
pub fn exact(d: Decimal) -> Decimal {
    let mut m = d;
    if m.scale() < 2 {
        m.rescale(2);
    }
    m
}

/// a x b / c, multiplied first for exactness; when the product does not fit in a decimal,
/// divided first, and at worst saturated: no input makes it panic. A zero `c` gives 0.
pub fn mul_div(a: Decimal, b: Decimal, c: Decimal) -> Decimal {
    match a.checked_mul(b) {
        Some(p) => p.checked_div(c).unwrap_or(Decimal::ZERO),
        None => a
            .checked_div(c)
            .map_or(Decimal::ZERO, |q| q.saturating_mul(b)),
    }
}

/// `part / whole x 100`; 0 when the whole is 0.
pub fn percent(part: Decimal, whole: Decimal) -> Decimal {
    if whole.is_zero() {
        Decimal::ZERO
    } else {
        mul_div(part, Decimal::ONE_HUNDRED, whole)
    }
}

/// The sum of amounts, saturating instead of overflowing.
pub fn sum(amounts: impl IntoIterator<Item = Decimal>) -> Decimal {
    amounts
        .into_iter()
        .fold(Decimal::ZERO, Decimal::saturating_add)
}

/// A line's total, quantity x unit price, saturating (stored lines were checked to fit).
pub fn line_total(quantity: Decimal, unit_price: Decimal) -> Decimal {
    quantity.saturating_mul(unit_price)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::dec;

    #[test]
    fn cents_round_half_away_from_zero() {
        assert_eq!(cents(dec!(66.665)), dec!(66.67));
        assert_eq!(cents(dec!(66.664999)), dec!(66.66));
        assert_eq!(cents(dec!(-0.005)), dec!(-0.01));
        assert_eq!(cents(dec!(10)).to_string(), "10");
    }

    #[test]
    fn display_has_exactly_two_decimals() {
        assert_eq!(display(dec!(100)).to_string(), "100.00");
        assert_eq!(display(dec!(66.665)).to_string(), "66.67");
        assert_eq!(format(dec!(0.1)), "0.10");
    }

    #[test]
    fn exact_keeps_every_decimal_and_shows_at_least_two() {
        assert_eq!(exact(dec!(41087.5)).to_string(), "41087.50");
        assert_eq!(exact(dec!(0.125)).to_string(), "0.125");
        assert_eq!(exact(dec!(7)).to_string(), "7.00");
    }

    #[test]
    fn mul_div_multiplies_first_and_never_panics() {
        assert_eq!(mul_div(dec!(10), dec!(3), dec!(4)), dec!(7.5));
        assert_eq!(
            mul_div(Decimal::MAX, dec!(2), dec!(4)),
            Decimal::MAX / dec!(2)
        );
        assert_eq!(mul_div(Decimal::MAX, Decimal::MAX, dec!(1)), Decimal::MAX);
        assert_eq!(mul_div(dec!(1), dec!(1), Decimal::ZERO), Decimal::ZERO);
    }

    #[test]
    fn percent_of_nothing_is_zero() {
        assert_eq!(percent(dec!(5), Decimal::ZERO), Decimal::ZERO);
        assert_eq!(percent(dec!(1), dec!(3)).round_dp(4), dec!(33.3333));
    }

    #[test]
    fn sums_saturate() {
        assert_eq!(sum([Decimal::MAX, Decimal::MAX]), Decimal::MAX);
        assert_eq!(sum([dec!(0.10), dec!(0.20)]), dec!(0.30));
        assert_eq!(sum([]), Decimal::ZERO);
    }

    /// Any decimal a client can send: up to 12 digits before the point and 4 after.
    fn amount() -> impl Strategy<Value = Decimal> {
        (any::<bool>(), 0i64..1_000_000_000_000_000, 0u32..=4)
            .prop_map(|(neg, n, scale)| Decimal::new(if neg { -n } else { n }, scale))
    }

    proptest! {
        #[test]
        fn cents_is_within_half_a_cent_and_idempotent(d in amount()) {
            let c = cents(d);
            prop_assert!((c - d).abs() <= dec!(0.005));
            prop_assert!(c.scale() <= 2);
            prop_assert_eq!(cents(c), c);
            prop_assert_eq!(display(d), c);
            prop_assert_eq!(display(d).scale(), 2);
        }

        #[test]
        fn exact_changes_no_value(d in amount()) {
            prop_assert_eq!(exact(d), d);
            prop_assert!(exact(d).scale() >= 2);
        }

        #[test]
        fn mul_div_is_exact_when_the_product_fits(
            a in amount(),
            b in 0i64..100_000,
            c in 1i64..100_000,
        ) {
            let (b, c) = (Decimal::from(b), Decimal::from(c));
            let q = mul_div(a, b, c);
            // The quotient times the divisor gives the product back, up to the last digit.
            prop_assert!((q * c - a * b).abs() <= dec!(0.000001) * c);
        }

        #[test]
        fn percent_is_within_0_and_100_for_a_part(whole in 1i64..1_000_000_000, part_per_mille in 0i64..=1000) {
            let whole = Decimal::from(whole);
            let part = whole * Decimal::from(part_per_mille) / dec!(1000);
            let p = percent(part, whole);
            prop_assert!(p >= Decimal::ZERO && p <= Decimal::ONE_HUNDRED);
        }
    }
}
