//! Small input rules shared by every capability: names, emails, passwords, amounts, years.

use super::Invalid;
use rust_decimal::Decimal;

/// Trims and requires at least one character, at most `max`.
pub fn text(field: &str, value: &str, max: usize) -> Result<String, Invalid> {
    let t = value.trim();
    if t.is_empty() {
        return Err(Invalid::new(field, "must not be empty"));
    }
    if t.chars().count() > max {
        return Err(Invalid::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(t.to_owned())
}

/// An optional text: blank becomes `None`.
pub fn optional_text(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, Invalid> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => text(field, v, max).map(Some),
    }
}

/// A plausible email address, lower-cased so that lookups ignore case.
pub fn email(field: &str, value: &str) -> Result<String, Invalid> {
    let e = value.trim().to_lowercase();
    let rule = "must be an email address such as name@example.fi";
    // Deliberately permissive (a host without a dot, such as admin@localhost, is accepted):
    // the address is an identifier here, and delivery is what proves it.
    let (local, domain) = e.split_once('@').ok_or_else(|| Invalid::new(field, rule))?;
    let ok = !local.is_empty()
        && !domain.is_empty()
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !e.chars().any(char::is_whitespace)
        && e.len() <= 254;
    if ok {
        Ok(e)
    } else {
        Err(Invalid::new(field, rule))
    }
}

pub const MIN_PASSWORD_CHARS: usize = 8;

/// At least eight characters (NIST SP 800-63B), at most 256.
pub fn password(field: &str, value: &str) -> Result<(), Invalid> {
    let n = value.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(Invalid::new(
            field,
            format!("must be at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if n > 256 {
        return Err(Invalid::new(field, "must be at most 256 characters"));
    }
    Ok(())
}

/// A sum of money in euros: not negative, at most cents.
pub fn amount(field: &str, value: Decimal) -> Result<Decimal, Invalid> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(Invalid::new(field, "must not be negative"));
    }
    if value.normalize().scale() > 2 {
        return Err(Invalid::new(
            field,
            "must be in whole cents (at most 2 decimals)",
        ));
    }
    Ok(value)
}

/// Like [`amount`], and strictly greater than zero.
pub fn positive_amount(field: &str, value: Decimal) -> Result<Decimal, Invalid> {
    let v = amount(field, value)?;
    if v.is_zero() {
        return Err(Invalid::new(field, "must be greater than 0"));
    }
    Ok(v)
}

pub const FISCAL_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

pub fn fiscal_year(field: &str, year: i32) -> Result<i32, Invalid> {
    if FISCAL_YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(Invalid::new(
            field,
            format!(
                "must be a year between {} and {}",
                FISCAL_YEARS.start(),
                FISCAL_YEARS.end()
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn text_is_trimmed_and_must_not_be_blank() {
        assert_eq!(text("name", "  Kouvola  ", 10).unwrap(), "Kouvola");
        assert_eq!(
            text("name", "   ", 10).unwrap_err().rule,
            "must not be empty"
        );
        assert!(text("name", "abcdefghijk", 10).is_err());
        assert_eq!(optional_text("d", Some(" "), 10).unwrap(), None);
    }

    #[test]
    fn emails_are_lowercased_and_checked() {
        assert_eq!(
            email("email", " Anna@Kouvola.FI ").unwrap(),
            "anna@kouvola.fi"
        );
        assert_eq!(
            email("email", "admin@localhost").unwrap(),
            "admin@localhost"
        );
        for bad in [
            "",
            "anna",
            "anna@",
            "@kouvola.fi",
            "anna@.fi",
            "an na@kouvola.fi",
            "a@b@c.fi",
        ] {
            assert!(email("email", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords_have_a_minimum_length() {
        assert!(password("password", "seven77").is_err());
        assert!(password("password", "eight888").is_ok());
    }

    #[test]
    fn amounts_are_non_negative_cents() {
        assert_eq!(amount("amount", dec!(10.50)).unwrap(), dec!(10.50));
        assert_eq!(amount("amount", dec!(10.500)).unwrap(), dec!(10.500));
        assert!(amount("amount", dec!(-0.01)).is_err());
        assert!(amount("amount", dec!(0.001)).is_err());
        assert!(amount("amount", dec!(0)).is_ok());
        assert!(positive_amount("amount", dec!(0)).is_err());
    }

    #[test]
    fn fiscal_years_are_bounded() {
        assert!(fiscal_year("fiscalYear", 2027).is_ok());
        assert!(fiscal_year("fiscalYear", 1999).is_err());
        assert!(fiscal_year("fiscalYear", 2101).is_err());
    }
}
