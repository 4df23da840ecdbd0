//! An organisation's postal address, NUTS region and telephone (and a business ID it was made
//! without), as eForms notices name the buyer and the winner. Each is optional; a notice fills
//! what a buyer has not given from the contracting authority's details.

use super::Invalid;
use super::business_id::BusinessId;
use super::validate::optional_text;

/// Finland's NUTS 2024 level-3 regions (and Åland, FI200), as the eForms SDK 1.15.1 code
/// list `nuts-lvl3` has them (the extra-regio FIZZZ is no address).
pub const FINNISH_NUTS3: [&str; 19] = [
    "FI196", "FI198", "FI199", "FI19A", "FI19B", "FI1B1", "FI1C1", "FI1C2", "FI1C5", "FI1C6",
    "FI1C7", "FI1D5", "FI1D7", "FI1D8", "FI1D9", "FI1DA", "FI1DB", "FI1DC", "FI200",
];

/// A change to an organisation's details: `None` keeps a value, `Some(None)` (a blank input)
/// clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DetailsChange {
    pub street_address: Option<Option<String>>,
    pub postal_code: Option<Option<String>>,
    pub city: Option<Option<String>>,
    pub nuts_code: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    /// A business ID for an organisation made without one (it is never changed or cleared).
    pub business_id: Option<BusinessId>,
}

/// The details as given by a client, before checking.
#[derive(Debug, Clone, Copy, Default)]
pub struct DetailsInput<'a> {
    pub street_address: Option<&'a str>,
    pub postal_code: Option<&'a str>,
    pub city: Option<&'a str>,
    pub nuts_code: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub business_id: Option<&'a str>,
}

fn checked(
    field: &str,
    given: Option<&str>,
    max: usize,
    rule: impl Fn(&str) -> Result<(), Invalid>,
) -> Result<Option<Option<String>>, Invalid> {
    let Some(given) = given else {
        return Ok(None);
    };
    let value = optional_text(field, Some(given), max)?;
    if let Some(v) = &value {
        rule(v)?;
    }
    Ok(Some(value))
}

/// Checks the given details: a Finnish postal code (five digits), a Finnish NUTS 2024 level-3
/// region ([`FINNISH_NUTS3`], e.g. FI1C7), a telephone number of digits, spaces,
/// brackets and hyphens with an optional leading +.
pub fn check(input: DetailsInput<'_>) -> Result<DetailsChange, Invalid> {
    let any = |_: &str| Ok(());
    Ok(DetailsChange {
        street_address: checked("streetAddress", input.street_address, 200, any)?,
        postal_code: checked("postalCode", input.postal_code, 5, |v| {
            if v.len() == 5 && v.bytes().all(|b| b.is_ascii_digit()) {
                Ok(())
            } else {
                Err(Invalid::new(
                    "postalCode",
                    "must be a Finnish postal code of five digits",
                ))
            }
        })?,
        city: checked("city", input.city, 100, any)?,
        nuts_code: checked("nutsCode", input.nuts_code, 5, |v| {
            if FINNISH_NUTS3.contains(&v) {
                Ok(())
            } else {
                Err(Invalid::new(
                    "nutsCode",
                    "must be a Finnish NUTS 2024 level-3 region code such as FI1C7",
                ))
            }
        })?,
        phone: checked("phone", input.phone, 30, |v| {
            let digits = v.bytes().filter(u8::is_ascii_digit).count();
            let body = v.strip_prefix('+').unwrap_or(v);
            let ok = (5..=20).contains(&digits)
                && body
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b" ()-".contains(&b));
            if ok {
                Ok(())
            } else {
                Err(Invalid::new(
                    "phone",
                    "must be a telephone number: 5 to 20 digits, spaces, brackets and hyphens, an optional leading +",
                ))
            }
        })?,
        business_id: match input.business_id.map(str::trim).filter(|b| !b.is_empty()) {
            Some(b) => Some(BusinessId::parse("businessId", b)?),
            None => None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sound_details_pass_and_blank_clears() {
        let c = check(DetailsInput {
            street_address: Some(" Torikatu 10 "),
            postal_code: Some("45100"),
            city: Some("Kouvola"),
            nuts_code: Some("FI1C7"),
            phone: Some("+358 (0)20 615 11"),
            business_id: None,
        })
        .unwrap();
        assert_eq!(c.street_address, Some(Some("Torikatu 10".into())));
        assert_eq!(c.nuts_code, Some(Some("FI1C7".into())));
        let cleared = check(DetailsInput {
            city: Some("  "),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(cleared.city, Some(None));
        assert_eq!(cleared.phone, None, "not given: kept");
        let with_id = check(DetailsInput {
            business_id: Some(" 0112038-9 "),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            with_id.business_id.map(|b| b.to_string()),
            Some("0112038-9".into())
        );
    }

    #[test]
    fn bad_details_name_their_field() {
        let field = |i: DetailsInput<'_>| check(i).unwrap_err().field;
        assert_eq!(
            field(DetailsInput {
                postal_code: Some("4510"),
                ..Default::default()
            }),
            "postalCode"
        );
        // FI1C4 was Kymenlaakso before NUTS 2024; FIZZZ is extra-regio.
        for nuts in ["SE110", "FI1c7", "FI1C", "FI1C77", "FI1C4", "FIZZZ"] {
            assert_eq!(
                field(DetailsInput {
                    nuts_code: Some(nuts),
                    ..Default::default()
                }),
                "nutsCode",
                "{nuts}"
            );
        }
        for phone in ["123", "call me", "+358+40", "+35840123456789012345678"] {
            assert_eq!(
                field(DetailsInput {
                    phone: Some(phone),
                    ..Default::default()
                }),
                "phone",
                "{phone}"
            );
        }
        assert_eq!(
            field(DetailsInput {
                city: Some("Kou\u{0}vola"),
                ..Default::default()
            }),
            "city"
        );
        assert_eq!(
            field(DetailsInput {
                business_id: Some("0112038-8"),
                ..Default::default()
            }),
            "businessId",
            "a wrong check digit"
        );
    }
}
