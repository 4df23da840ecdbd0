//! Small input rules shared by every capability: names, emails, passwords, amounts, years.

use super::Invalid;
use rust_decimal::Decimal;

/// The longest string any input may hold, in characters; each field has its own, lower limit.
pub const MAX_INPUT_CHARS: usize = 100_000;

/// Text from a client: no NUL or other control characters (tab and newline aside; DESIGN,
/// "Text"), so both databases store and answer the same, and at most `MAX_INPUT_CHARS`.
pub fn clean_text(field: &str, value: &str) -> Result<(), Invalid> {
    if let Some(c) = value
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n'))
    {
        return Err(Invalid::new(
            field,
            format!(
                "must not contain control characters (found U+{:04X}; tab and newline are allowed)",
                u32::from(c)
            ),
        ));
    }
    if value.len() > MAX_INPUT_CHARS && value.chars().count() > MAX_INPUT_CHARS {
        return Err(Invalid::new(
            field,
            format!("must be at most {MAX_INPUT_CHARS} characters"),
        ));
    }
    Ok(())
}

/// Trims and requires at least one character, at most `max`.
pub fn text(field: &str, value: &str, max: usize) -> Result<String, Invalid> {
    clean_text(field, value)?;
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

/// The longest reason, justification or decision text, in characters.
pub const MAX_REASON_CHARS: usize = 20_000;

/// A reason given for a decision (a cancellation, an amendment, an award's justification):
/// trimmed, not empty, at most [`MAX_REASON_CHARS`].
pub fn reason(field: &str, value: &str) -> Result<String, Invalid> {
    text(field, value, MAX_REASON_CHARS)
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

/// The largest quantity accepted (call, contract and report lines): below a billion units,
/// so a quantity times a unit price (below 10^12) and their sums stay far inside a decimal.
pub const MAX_QUANTITY: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

/// A quantity below `MAX_QUANTITY` (the sign and decimals are each caller's rule).
pub fn quantity(field: &str, value: Decimal) -> Result<Decimal, Invalid> {
    if value.abs() >= MAX_QUANTITY {
        return Err(Invalid::new(field, "must be below 1 000 000 000"));
    }
    Ok(value)
}

/// A list of at most `max` items.
pub fn list_len(field: &str, len: usize, max: usize) -> Result<(), Invalid> {
    if len > max {
        return Err(Invalid::new(field, format!("may have at most {max} items")));
    }
    Ok(())
}

pub const FISCAL_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A contract date: within the fiscal years this system budgets (2000–2100), so every
/// count of contract days stays small.
pub fn contract_date(field: &str, date: chrono::NaiveDate) -> Result<chrono::NaiveDate, Invalid> {
    use chrono::Datelike;
    fiscal_year(field, date.year()).map(|_| date)
}

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
    fn control_characters_are_refused_but_tab_and_newline_pass() {
        assert!(clean_text("title", "Kotihoito\n\trivi 2").is_ok());
        for bad in ["a\0b", "a\u{1}", "a\r\nb", "\u{7f}", "\u{9b}"] {
            let e = clean_text("title", bad).unwrap_err();
            assert_eq!(e.field, "title");
            assert!(e.rule.contains("control characters"), "{}", e.rule);
        }
        assert!(text("title", "x\0", 10).is_err());
        assert!(clean_text("t", &"ä".repeat(MAX_INPUT_CHARS)).is_ok());
        assert!(clean_text("t", &"a".repeat(MAX_INPUT_CHARS + 1)).is_err());
    }

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
