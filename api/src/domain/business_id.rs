//! The Finnish business ID (Y-tunnus): seven digits, a hyphen and a mod-11 check digit.

use super::Invalid;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BusinessId(String);

const WEIGHTS: [u32; 7] = [7, 9, 10, 5, 8, 4, 2];

impl BusinessId {
    /// Parses `NNNNNNN-C`. The check digit is 11 minus the weighted digit sum mod 11
    /// (weights 7, 9, 10, 5, 8, 4, 2); remainder 0 gives 0, remainder 1 is never issued.
    pub fn parse(field: &str, input: &str) -> Result<Self, Invalid> {
        let s = input.trim();
        let bytes = s.as_bytes();
        let shape_ok = bytes.len() == 9
            && bytes[7] == b'-'
            && bytes[..7].iter().all(u8::is_ascii_digit)
            && bytes[8].is_ascii_digit();
        if !shape_ok {
            return Err(Invalid::new(field, "a business ID has the form 1234567-8"));
        }
        let sum: u32 = bytes[..7]
            .iter()
            .zip(WEIGHTS)
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        let expected = match sum % 11 {
            0 => 0,
            1 => {
                return Err(Invalid::new(
                    field,
                    "no valid business ID has these seven digits",
                ));
            }
            r => 11 - r,
        };
        if u32::from(bytes[8] - b'0') != expected {
            return Err(Invalid::new(
                field,
                format!("the check digit of business ID {s} should be {expected}"),
            ));
        }
        Ok(BusinessId(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BusinessId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_valid_ids_parse() {
        // 0112038-9: 0*7+1*9+1*10+2*5+0*8+3*4+8*2 = 57, 57 mod 11 = 2, 11-2 = 9.
        for id in ["0112038-9", "1572860-0", "0201256-6", "2617416-4"] {
            assert!(BusinessId::parse("businessId", id).is_ok(), "{id}");
        }
    }

    #[test]
    fn remainder_zero_gives_check_digit_zero() {
        // 1000001: 7 + 2 = 9 -> 2; find one with sum % 11 == 0: 0000000 -> 0.
        assert!(BusinessId::parse("b", "0000000-0").is_ok());
    }

    #[test]
    fn wrong_check_digit_is_refused_with_the_right_one_named() {
        let err = BusinessId::parse("businessId", "0112038-8").unwrap_err();
        assert_eq!(err.field, "businessId");
        assert!(err.rule.contains("should be 9"), "{}", err.rule);
    }

    #[test]
    fn remainder_one_is_never_valid() {
        // 1000004: 7 + 4*2 = 15, 15 mod 11 = 4 -> 7. Search a remainder-1 body instead:
        // 0000005: 5*2 = 10 -> r 10 -> 1; 0000060: 6*4 = 24 -> r 2; 0000300: 3*8 = 24.
        // 0000006: 6*2 = 12 -> r 1.
        for c in 0..=9 {
            assert!(BusinessId::parse("b", &format!("0000006-{c}")).is_err());
        }
    }

    #[test]
    fn malformed_shapes_are_refused() {
        for bad in [
            "",
            "1234567",
            "12345678",
            "123456-7",
            "1234567-",
            "abcdefg-h",
            "1234567_8",
            "12345678-9",
        ] {
            assert!(BusinessId::parse("b", bad).is_err(), "{bad:?}");
        }
    }
}
