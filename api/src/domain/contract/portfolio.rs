//! The orderer's view over its contracts: the portfolio's totals for a fiscal year, and the
//! benchmark's market figures against the in-house producer's unit cost (DESIGN, "Contract
//! portfolio" and "Benchmarking").

use super::super::money::{percent, sum};
use rust_decimal::Decimal;

/// A portfolio's sums for one fiscal year: the contracts' value falling in the year, split
/// into in-house and external producers, and the in-house share in percent (0 without
/// contracts; unrounded — the API shows it half-up to 2 decimals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PortfolioTotals {
    pub total: Decimal,
    pub in_house: Decimal,
    pub external: Decimal,
    pub in_house_share: Decimal,
}

/// The totals of (value in the year, made with an in-house producer) rows.
pub fn portfolio_totals(
    rows: impl IntoIterator<Item = (Decimal, bool)> + Clone,
) -> PortfolioTotals {
    let in_house = sum(rows
        .clone()
        .into_iter()
        .filter(|(_, ih)| *ih)
        .map(|(v, _)| v));
    let external = sum(rows.into_iter().filter(|(_, ih)| !*ih).map(|(v, _)| v));
    let total = in_house.saturating_add(external);
    PortfolioTotals {
        total,
        in_house,
        external,
        in_house_share: percent(in_house, total),
    }
}

/// The median of a sorted list; the mean of the middle two for an even count. Never
/// overflows: when the sum is too large for a decimal, half the difference is added instead.
pub fn median(sorted: &[Decimal]) -> Option<Decimal> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    Some(if n % 2 == 1 {
        sorted[n / 2]
    } else {
        let (a, b) = (sorted[n / 2 - 1], sorted[n / 2]);
        // a + (b - a) / 2 when the sum does not fit (b >= a, both then large and positive).
        a.checked_add(b).map(|sum| sum / Decimal::TWO).or_else(|| {
            b.checked_sub(a)
                .and_then(|d| a.checked_add(d / Decimal::TWO))
        })?
    })
}

/// How many distinct external bidders the market's min, median and max need: with fewer,
/// one bidder's exact unit price could be read off them (DESIGN, Benchmarking).
pub const MIN_MARKET_BIDDERS: usize = 3;

/// The market side of a benchmark.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MarketFigures {
    /// Unit prices counted, always shown.
    pub count: usize,
    /// Null unless the prices come from at least `MIN_MARKET_BIDDERS` distinct bidders.
    pub min: Option<Decimal>,
    pub median: Option<Decimal>,
    pub max: Option<Decimal>,
}

/// The market figures from (bidder, unit price) pairs of the bids that count.
pub fn market_figures<B: Ord>(prices: &[(B, Decimal)]) -> MarketFigures {
    let mut sorted: Vec<Decimal> = prices.iter().map(|(_, p)| *p).collect();
    sorted.sort();
    let bidders: std::collections::BTreeSet<&B> = prices.iter().map(|(b, _)| b).collect();
    if bidders.len() < MIN_MARKET_BIDDERS {
        return MarketFigures {
            count: sorted.len(),
            ..MarketFigures::default()
        };
    }
    MarketFigures {
        count: sorted.len(),
        min: sorted.first().copied(),
        median: median(&sorted),
        max: sorted.last().copied(),
    }
}

/// In-house unit cost against the market median, x 100 (none when it would not fit).
pub fn in_house_index(
    unit_cost: Option<Decimal>,
    market_median: Option<Decimal>,
) -> Option<Decimal> {
    match (unit_cost, market_median) {
        (Some(c), Some(m)) if !m.is_zero() => c
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|x| x.checked_div(m)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::dec;

    #[test]
    fn portfolio_totals_split_in_house_and_external() {
        let t = portfolio_totals([(dec!(300), true), (dec!(600), false), (dec!(100), true)]);
        assert_eq!(
            t,
            PortfolioTotals {
                total: dec!(1000),
                in_house: dec!(400),
                external: dec!(600),
                in_house_share: dec!(40),
            }
        );
        assert_eq!(portfolio_totals([]), PortfolioTotals::default());
    }

    #[test]
    fn market_figures_need_three_distinct_bidders() {
        // One bidder's exact price must not be readable from min = median = max.
        let one = market_figures(&[("a", dec!(52.70))]);
        assert_eq!(
            one,
            MarketFigures {
                count: 1,
                min: None,
                median: None,
                max: None
            }
        );
        // Two bidders, several lines: still hidden.
        let two = market_figures(&[("a", dec!(50)), ("a", dec!(51)), ("b", dec!(60))]);
        assert_eq!((two.count, two.min, two.median), (3, None, None));
        let three = market_figures(&[
            ("a", dec!(50)),
            ("b", dec!(70)),
            ("c", dec!(60)),
            ("c", dec!(80)),
        ]);
        assert_eq!(
            three,
            MarketFigures {
                count: 4,
                min: Some(dec!(50)),
                median: Some(dec!(65)),
                max: Some(dec!(80))
            }
        );
    }

    #[test]
    fn the_median_and_index_of_extreme_prices_do_not_overflow() {
        let big = Decimal::MAX;
        assert_eq!(median(&[big, big]), Some(big));
        assert_eq!(median(&[big - dec!(2), big]), Some(big - dec!(1)));
        assert_eq!(in_house_index(Some(big), Some(dec!(0.0001))), None);
        assert_eq!(
            in_house_index(Some(dec!(50)), Some(dec!(40))),
            Some(dec!(125))
        );
    }

    #[test]
    fn medians_and_the_in_house_index() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[dec!(3)]), Some(dec!(3)));
        assert_eq!(median(&[dec!(1), dec!(2), dec!(10)]), Some(dec!(2)));
        assert_eq!(
            median(&[dec!(1), dec!(2), dec!(3), dec!(10)]),
            Some(dec!(2.5))
        );
        assert_eq!(
            in_house_index(Some(dec!(45)), Some(dec!(50))),
            Some(dec!(90))
        );
        assert_eq!(in_house_index(None, Some(dec!(50))), None);
        assert_eq!(in_house_index(Some(dec!(45)), None), None);
    }

    proptest! {
        #[test]
        fn the_portfolio_parts_add_up_and_the_share_is_a_percentage(
            rows in proptest::collection::vec((0i64..10_000_000_000, 0u32..=2, any::<bool>()), 0..40)
        ) {
            let rows: Vec<(Decimal, bool)> =
                rows.into_iter().map(|(n, s, ih)| (Decimal::new(n, s), ih)).collect();
            let t = portfolio_totals(rows.iter().copied());
            prop_assert_eq!(t.in_house + t.external, t.total);
            prop_assert!(t.in_house_share >= Decimal::ZERO && t.in_house_share <= Decimal::ONE_HUNDRED);
        }
    }
}
