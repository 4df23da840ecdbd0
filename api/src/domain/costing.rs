//! Cost accounting (kustannuslaskenta): the unit cost of an in-house product.

use super::Invalid;
use rust_decimal::Decimal;

/// The inputs of one cost calculation, already checked by [`CostInputs::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CostInputs {
    pub volume: Decimal,
    pub direct_costs: Decimal,
    pub overhead_rate: Decimal,
}

impl CostInputs {
    pub fn new(
        volume: Decimal,
        direct_costs: Decimal,
        overhead_rate: Decimal,
    ) -> Result<Self, Invalid> {
        if volume <= Decimal::ZERO {
            return Err(Invalid::new("volume", "must be greater than 0"));
        }
        if direct_costs < Decimal::ZERO {
            return Err(Invalid::new("directCosts", "must not be negative"));
        }
        if overhead_rate < Decimal::ZERO {
            return Err(Invalid::new(
                "overheadRate",
                "must not be negative (0.25 means 25 %)",
            ));
        }
        if overhead_rate > Decimal::TEN {
            return Err(Invalid::new(
                "overheadRate",
                "must be at most 10 (1000 %); 0.25 means 25 %",
            ));
        }
        // The product must be representable; rust_decimal holds 28 significant digits.
        if direct_costs
            .checked_mul(Decimal::ONE + overhead_rate)
            .is_none()
        {
            return Err(Invalid::new("directCosts", "is too large"));
        }
        Ok(CostInputs {
            volume,
            direct_costs,
            overhead_rate,
        })
    }

    /// unit cost = directCosts x (1 + overheadRate) / volume, exact to rust_decimal's
    /// 28 significant digits, without trailing zeros.
    pub fn unit_cost(&self) -> Decimal {
        let total = self.direct_costs * (Decimal::ONE + self.overhead_rate);
        (total / self.volume).normalize()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn unit_cost_by_hand() {
        // 100 000 EUR direct, 25 % overhead, 2 500 hours: 125 000 / 2 500 = 50.
        let c = CostInputs::new(dec!(2500), dec!(100000), dec!(0.25)).unwrap();
        assert_eq!(c.unit_cost(), dec!(50));
        // 1 000 EUR, 10 % overhead, 3 pieces: 1 100 / 3 = 366.666…
        let c = CostInputs::new(dec!(3), dec!(1000), dec!(0.10)).unwrap();
        assert_eq!(c.unit_cost().round_dp(4), dec!(366.6667));
        assert!(c.unit_cost().scale() > 20, "no premature rounding");
    }

    #[test]
    fn zero_overhead_and_zero_costs_are_allowed() {
        assert_eq!(
            CostInputs::new(dec!(4), dec!(10), dec!(0))
                .unwrap()
                .unit_cost(),
            dec!(2.5)
        );
        assert_eq!(
            CostInputs::new(dec!(4), dec!(0), dec!(0.3))
                .unwrap()
                .unit_cost(),
            dec!(0)
        );
    }

    #[test]
    fn invalid_inputs_name_their_field() {
        assert_eq!(
            CostInputs::new(dec!(0), dec!(1), dec!(0))
                .unwrap_err()
                .field,
            "volume"
        );
        assert_eq!(
            CostInputs::new(dec!(-1), dec!(1), dec!(0))
                .unwrap_err()
                .field,
            "volume"
        );
        assert_eq!(
            CostInputs::new(dec!(1), dec!(-1), dec!(0))
                .unwrap_err()
                .field,
            "directCosts"
        );
        assert_eq!(
            CostInputs::new(dec!(1), dec!(1), dec!(-0.1))
                .unwrap_err()
                .field,
            "overheadRate"
        );
        assert_eq!(
            CostInputs::new(dec!(1), dec!(1), dec!(11))
                .unwrap_err()
                .field,
            "overheadRate"
        );
    }
}
