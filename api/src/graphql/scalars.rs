//! The `Decimal` scalar: exact decimals as strings. Unlike async-graphql's built-in one it never
//! goes through `f64`: a number literal is read from its decimal text.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use rust_decimal::Decimal;

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
        let parsed = if text.contains(['e', 'E']) {
            Decimal::from_scientific(&text)
        } else {
            Decimal::from_str_exact(&text)
        };
        parsed.map(Dec).map_err(|_| {
            InputValueError::custom(format!(
                "{text:?} is not a decimal number such as \"1234.50\""
            ))
        })
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

impl Dec {
    /// A sum of money: the exact value, shown with at least two decimals ("41087.50").
    pub fn money(d: Decimal) -> Dec {
        let mut m = d;
        if m.scale() < 2 {
            m.rescale(2);
        }
        Dec(m)
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
