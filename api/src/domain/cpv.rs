//! CPV codes (DESIGN "Notices, languages, lots"): 8 digits, a hyphen and the check digit, from
//! the CPV 2008 main vocabulary (Commission Regulation (EC) No 213/2008). The check digit of
//! CPV 2008 does not follow one formula (the 2008 revision left irregular ones), so a code is
//! checked against the list itself: `cpv2008.txt`, every code with its check digit, whose
//! 8-digit codes are those of the eForms SDK's CPV code list (a test compares them).

use super::Invalid;
use std::sync::LazyLock;

/// The CPV 2008 main vocabulary, one `XXXXXXXX-Y` per line, sorted.
const LIST: &str = include_str!("cpv2008.txt");

static CODES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut codes: Vec<&str> = LIST
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    codes.sort_unstable();
    codes
});

/// Whether `code` is written as a CPV code: 8 digits, a hyphen, one digit.
fn well_formed(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 10 && b[..8].iter().all(u8::is_ascii_digit) && b[8] == b'-' && b[9].is_ascii_digit()
}

/// A CPV code as given (surrounding spaces trimmed), or why it is not one.
pub fn check(field: &str, given: &str) -> Result<String, Invalid> {
    let code = given.trim();
    if !well_formed(code) {
        return Err(Invalid::new(
            field,
            "must be a CPV code: 8 digits, a hyphen and the check digit, e.g. 85312000-9",
        ));
    }
    if CODES.binary_search(&code).is_err() {
        return Err(Invalid::new(
            field,
            "is not a CPV 2008 code, or its check digit is wrong",
        ));
    }
    Ok(code.to_owned())
}

/// The 8 digits of a checked code, as eForms notices carry it (without the check digit).
pub fn digits(code: &str) -> &str {
    code.get(..8).unwrap_or(code)
}

/// Every code of the list.
pub fn all() -> &'static [&'static str] {
    &CODES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_with_their_check_digits() {
        for ok in [
            "85312000-9",
            "03113100-7",
            "03113200-8",
            "18451000-5",
            "71355000-1",
            "71355200-3",
            "03000000-1",
        ] {
            assert_eq!(check("cpvCode", ok).as_deref(), Ok(ok), "{ok}");
        }
        assert_eq!(
            check("cpvCode", " 85312000-9 ").as_deref(),
            Ok("85312000-9")
        );
        assert_eq!(digits("85312000-9"), "85312000");
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "85312000",
            "85312000-",
            "8531200-9",
            "85312000-99",
            "85312000 9",
            "8531200x-9",
            "",
            "８５３１２０００-９",
        ] {
            let e = check("cpvCode", bad).unwrap_err();
            assert_eq!(e.field, "cpvCode");
            assert_eq!(e.code().code, "CPV_FORMAT", "{bad}");
        }
        // Well formed, but a wrong check digit, or no such code.
        for bad in ["85312000-0", "85312000-8", "99999999-9", "00000000-0"] {
            assert_eq!(
                check("cpvCode", bad).unwrap_err().code().code,
                "CPV_UNKNOWN",
                "{bad}"
            );
        }
    }

    #[test]
    fn the_list_is_well_formed_sorted_and_unique() {
        let codes = all();
        assert!(codes.len() > 9000, "{}", codes.len());
        assert!(codes.iter().all(|c| well_formed(c)));
        assert!(
            codes.windows(2).all(|w| digits(w[0]) < digits(w[1])),
            "one check digit per code"
        );
    }
}
