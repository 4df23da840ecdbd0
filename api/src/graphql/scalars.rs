//! The `Decimal` scalar: exact decimals as strings. Unlike async-graphql's built-in one it never
//! goes through `f64`: a number literal is read from its decimal text.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use rust_decimal::Decimal;

/// The most integer digits a decimal input may have (amounts below a trillion euros).
pub const MAX_INTEGER_DIGITS: u32 = 12;
/// Inputs must be below this in magnitude: 10^12.
const MAX_DECIMAL_MAGNITUDE: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);
/// The most decimals a decimal input may have (each field may allow fewer).
pub const MAX_DECIMAL_PLACES: u32 = 10;

fn parse_decimal(text: &str) -> Result<Decimal, rust_decimal::Error> {
    if text.contains(['e', 'E']) {
        Decimal::from_scientific(text)
    } else {
        Decimal::from_str_exact(text)
    }
}

/// Whether a decimal's text is within the input bounds; `None` when it is not a decimal.
pub fn within_bounds(text: &str) -> Option<bool> {
    let d = parse_decimal(text).ok()?;
    Some(d.abs() < MAX_DECIMAL_MAGNITUDE && d.normalize().scale() <= MAX_DECIMAL_PLACES)
}

/// An exact decimal as a string, e.g. "1234.50".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dec(pub Decimal);

#[Scalar(name = "Decimal")]
impl ScalarType for Dec {
    fn parse(value: Value) -> InputValueResult<Self> {
        let text = match &value {
            Value::String(s) => s.trim().to_owned(),
            Value::Number(n) => n.to_string(),
            _ => return Err(InputValueError::expected_type(value)),
        };
        let d = parse_decimal(&text).map_err(|_| {
            InputValueError::custom(format!(
                "{text:?} is not a decimal number such as \"1234.50\""
            ))
        })?;
        // Every decimal a client sends is bounded here, so no product or sum of two of them
        // can overflow (each field has its own, narrower rule in the domain).
        if d.abs() >= MAX_DECIMAL_MAGNITUDE {
            return Err(InputValueError::custom(format!(
                "{text:?} is too large: a decimal has at most {MAX_INTEGER_DIGITS} integer digits"
            )));
        }
        if d.normalize().scale() > MAX_DECIMAL_PLACES {
            return Err(InputValueError::custom(format!(
                "{text:?} has too many decimals: at most {MAX_DECIMAL_PLACES}"
            )));
        }
        Ok(Dec(d))
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

impl Dec {
    /// A sum of money: the exact value, shown with at least two decimals ("41087.50").
    pub fn money(d: Decimal) -> Dec {
        Dec(crate::domain::money::exact(d))
    }

    /// A derived figure (a score, a percentage, a forecast), half-up to exactly two decimals.
    pub fn rounded(d: Decimal) -> Dec {
        Dec(crate::domain::money::display(d))
    }
}

impl From<Decimal> for Dec {
    fn from(d: Decimal) -> Self {
        Dec(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn strings_and_number_literals_parse_exactly() {
        assert_eq!(
            Dec::parse(Value::String("1234.50".into())).unwrap().0,
            dec!(1234.50)
        );
        let n = async_graphql::Number::from_f64(0.1).unwrap();
        assert_eq!(Dec::parse(Value::Number(n)).unwrap().0, dec!(0.1));
        assert_eq!(
            Dec::parse(Value::Number(5000000.into())).unwrap().0,
            dec!(5000000)
        );
        assert!(Dec::parse(Value::String("12,50".into())).is_err());
        assert!(Dec::parse(Value::Boolean(true)).is_err());
    }

    #[test]
    fn decimals_are_bounded_at_the_input() {
        assert_eq!(MAX_DECIMAL_MAGNITUDE, dec!(1_000_000_000_000));
        assert!(Dec::parse(Value::String("999999999999.9999".into())).is_ok());
        assert!(Dec::parse(Value::String("-999999999999".into())).is_ok());
        for too_big in [
            "1000000000000",
            "70000000000000000000000000000",
            "-1e12",
            "7e28",
        ] {
            let e = Dec::parse(Value::String(too_big.into())).unwrap_err();
            let e = e.into_server_error(Default::default()).message;
            assert!(e.contains("at most 12 integer digits"), "{too_big}: {e}");
        }
        assert!(Dec::parse(Value::String("0.0000000001".into())).is_ok());
        assert!(Dec::parse(Value::String("0.00000000001".into())).is_err());
        // Trailing zeros are not decimals.
        assert!(Dec::parse(Value::String("1.000000000000".into())).is_ok());
    }

    #[test]
    fn output_keeps_the_scale() {
        assert_eq!(Dec(dec!(10.50)).to_value(), Value::String("10.50".into()));
    }
}

/// A point in time: RFC 3339 in UTC. Output always has six fractional digits and `Z`
/// (`2026-11-24T12:00:00.000000Z`), the form receipts and the audit chain hash; input
/// accepts any RFC 3339 offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ts(pub chrono::DateTime<chrono::Utc>);

#[Scalar(name = "DateTime")]
impl ScalarType for Ts {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => chrono::DateTime::parse_from_rfc3339(s.trim())
                .map(|t| Ts(t.with_timezone(&chrono::Utc)))
                .map_err(|_| {
                    InputValueError::custom(format!(
                        "{s:?} is not an RFC 3339 time such as \"2027-01-31T12:00:00Z\""
                    ))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
    }
}
