//! Plain types and rules of the domain. Nothing here imports sea-orm or async-graphql,
//! so each rule of DESIGN.md is a function unit-tested beside its code.

pub mod address;
pub mod audit;
pub mod bid;
pub mod business_id;
pub mod call;
pub mod call_change;
pub mod contract;
pub mod costing;
pub mod cpv;
pub mod document;
pub mod eforms;
pub mod evaluation;
pub mod lot;
pub mod money;
pub mod ocds;
pub mod remedies;
pub mod seal;
pub mod thresholds;
pub mod throttle;
pub mod validate;

/// Text made safe inside XML or HTML markup, in element content and in quoted attributes.
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A rule an input broke: the field and the rule, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: String,
    pub rule: String,
}

impl Invalid {
    pub fn new(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Invalid {
            field: field.into(),
            rule: rule.into(),
        }
    }
}

/// A change the object's current state does not allow, in words a user can act on
/// (`INVALID_STATE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongState(pub String);

/// A parameter of a rule: a whole number or a text (a date, a decimal, another field's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    Int(i64),
    Text(String),
}

impl Param {
    fn of(text: &str) -> Param {
        let t = text.trim().trim_end_matches(['.', ',', ';']);
        let digits: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        match digits.parse::<i64>() {
            Ok(n) if !digits.starts_with('+') => Param::Int(n),
            _ => Param::Text(t.to_owned()),
        }
    }
}

/// The machine-readable form of a rule: a code (`extensions.rule`) and its parameters
/// (`extensions.params`), so that a client can word the rule in its user's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCode {
    pub code: &'static str,
    pub params: Vec<(&'static str, Param)>,
}

impl Invalid {
    /// This rule's code and parameters (see [`rule_code`]).
    pub fn code(&self) -> RuleCode {
        rule_code(&self.rule)
    }
}

/// Reads the code and parameters from a rule's words. Every rule this API states is worded by
/// one of the patterns below (the domain's rules and the services'), so the code is derived in
/// one place and the sentences stay as they were; an unknown wording is `INVALID`.
pub fn rule_code(rule: &str) -> RuleCode {
    let r = rule.trim();
    let code = |code: &'static str, params: Vec<(&'static str, Param)>| RuleCode { code, params };
    let num = |s: &str| Param::of(s);
    // "... between A and B ..."
    let between = |s: &str| -> Option<(Param, Param)> {
        let rest = &s[s.find("between ")? + "between ".len()..];
        let (a, b) = rest.split_once(" and ")?;
        let b = b.split(['(', ';']).next().unwrap_or(b).trim();
        Some((num(a), num(b)))
    };
    let first_number = |s: &str| -> Option<Param> {
        let start = s.find(|c: char| c.is_ascii_digit())?;
        let rest = &s[start..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        Some(num(&rest[..end]))
    };
    if r.starts_with("must not contain control characters") {
        let found = r
            .split("found ")
            .nth(1)
            .and_then(|s| s.split(';').next())
            .unwrap_or("");
        return code(
            "CONTROL_CHARACTERS",
            vec![("found", Param::Text(found.to_owned()))],
        );
    }
    if r == "must not be empty" {
        return code("REQUIRED", vec![]);
    }
    if r.starts_with("must be an email address") {
        return code("EMAIL", vec![]);
    }
    if r.starts_with("must not be negative") {
        return code("NEGATIVE", vec![]);
    }
    if let Some(rest) = r.strip_prefix("must be at most ")
        && rest.ends_with(" characters")
    {
        return code(
            "TOO_LONG",
            vec![("max", num(rest.trim_end_matches(" characters")))],
        );
    }
    if let Some(rest) = r.strip_prefix("must be at least ")
        && rest.ends_with(" characters")
    {
        return code(
            "TOO_SHORT",
            vec![("min", num(rest.trim_end_matches(" characters")))],
        );
    }
    if r.starts_with("must be in whole cents") {
        return code("TOO_MANY_DECIMALS", vec![("max", Param::Int(2))]);
    }
    if let Some(rest) = r.strip_prefix("may have at most ")
        && rest.ends_with(" decimals")
    {
        return code(
            "TOO_MANY_DECIMALS",
            vec![("max", num(rest.trim_end_matches(" decimals")))],
        );
    }
    if let Some(rest) = r.strip_prefix("must be >= 0 with at most ") {
        let max = first_number(rest).unwrap_or(Param::Int(4));
        return code("NOT_AN_AMOUNT", vec![("maxDecimals", max)]);
    }
    if r == "must be greater than 0" {
        return code("NOT_POSITIVE", vec![]);
    }
    if let Some(rest) = r.strip_prefix("must be below ") {
        return code("TOO_LARGE", vec![("max", num(rest))]);
    }
    if let Some(rest) = r.strip_prefix("may have at most ")
        && rest.ends_with(" items")
    {
        return code(
            "TOO_MANY_ITEMS",
            vec![("max", num(rest.trim_end_matches(" items")))],
        );
    }
    if r.contains("between ")
        && (r.starts_with("must be") || r.starts_with("is a ratio"))
        && let Some((min, max)) = between(r)
    {
        return code("OUT_OF_RANGE", vec![("min", min), ("max", max)]);
    }
    if let Some(rest) = r.strip_prefix("must be at most ") {
        let max = rest.split([' ', ';']).next().unwrap_or(rest);
        return code("TOO_LARGE", vec![("max", num(max))]);
    }
    if r.ends_with("is too large") {
        return code("TOO_LARGE", vec![]);
    }
    if let Some(rest) = r.strip_prefix("a business ID has the form ") {
        return code("FORMAT", vec![("example", Param::Text(rest.to_owned()))]);
    }
    if let Some(rest) = r.strip_prefix("must be a month such as ") {
        return code("FORMAT", vec![("example", Param::Text(rest.to_owned()))]);
    }
    if r.starts_with("no valid business ID has these") {
        return code("CHECK_DIGIT_IMPOSSIBLE", vec![]);
    }
    if r.starts_with("the check digit") {
        let expected = r.rsplit(' ').next().unwrap_or("");
        return code(
            "CHECK_DIGIT",
            vec![("expected", Param::Text(expected.to_owned()))],
        );
    }
    if r.starts_with("is not a ")
        && (r.ends_with(" of this call") || r.ends_with(" of this contract"))
    {
        return code("UNKNOWN_REFERENCE", vec![]);
    }
    if r.ends_with(" twice") || r.ends_with("on one line only") {
        return code("DUPLICATE", vec![]);
    }
    if r.starts_with("every line of the call must be priced") {
        let line = r
            .split("; line ")
            .nth(1)
            .map(|s| s.trim_end_matches(" is not"))
            .unwrap_or("");
        return code(
            "LINE_NOT_PRICED",
            vec![("lineId", Param::Text(line.to_owned()))],
        );
    }
    if let Some(rest) = r.strip_prefix("exceeds the call's cap of ") {
        return code("ABOVE_CAP", vec![("max", Param::Text(rest.to_owned()))]);
    }
    if r.ends_with("needs at least one line") || r.starts_with("must judge at least one") {
        return code("TOO_FEW_ITEMS", vec![("min", Param::Int(1))]);
    }
    if r.contains("must add up to ") {
        let rest = &r[r.find("must add up to ").unwrap_or(0) + "must add up to ".len()..];
        let (expected, actual) = rest.split_once(", not ").unwrap_or((rest, ""));
        return code(
            "WEIGHTS_SUM",
            vec![("expected", num(expected)), ("actual", num(actual))],
        );
    }
    if let Some(other) = r.strip_prefix("must not be after ") {
        return code(
            "AFTER_OTHER",
            vec![("other", Param::Text(other.to_owned()))],
        );
    }
    if let Some(other) = r.strip_prefix("must be after ") {
        return code(
            "NOT_AFTER_OTHER",
            vec![("other", Param::Text(other.to_owned()))],
        );
    }
    if r.starts_with("must be in the future") {
        return code("NOT_IN_FUTURE", vec![]);
    }
    // "must be at least 6 days after the change (…): 2027-01-10T12:00:00Z or later"
    if let Some(rest) = r.strip_prefix("must be at least ")
        && let Some((days, tail)) = rest.split_once(" days after the change")
    {
        let earliest = tail
            .rsplit(": ")
            .next()
            .unwrap_or("")
            .trim_end_matches(" or later");
        return code(
            "MIN_DAYS_AFTER_CHANGE",
            vec![
                ("days", num(days)),
                ("earliest", Param::Text(earliest.to_owned())),
            ],
        );
    }
    if r == "changes nothing" {
        return code("NO_CHANGE", vec![]);
    }
    if r.starts_with("must be a Finnish postal code") {
        return code("POSTAL_CODE", vec![]);
    }
    if r.starts_with("must be a Finnish NUTS") {
        return code("NUTS_CODE", vec![]);
    }
    if r.starts_with("must be a telephone number") {
        return code("PHONE", vec![]);
    }
    if r.starts_with("must be a CPV code") {
        return code("CPV_FORMAT", vec![]);
    }
    if r.starts_with("is not a CPV 2008 code") {
        return code("CPV_UNKNOWN", vec![]);
    }
    if r.contains(" is outside the contract period ") {
        let period = r
            .split(" is outside the contract period ")
            .nth(1)
            .unwrap_or("");
        let (start, end) = period.split_once(" – ").unwrap_or((period, ""));
        return code(
            "OUT_OF_RANGE",
            vec![
                ("min", Param::Text(start.to_owned())),
                ("max", Param::Text(end.to_owned())),
            ],
        );
    }
    if r.ends_with(" is in the future") {
        return code("IN_FUTURE", vec![]);
    }
    if r.starts_with("an administrator cannot disable their own account") {
        return code("OWN_ACCOUNT", vec![]);
    }
    // "a user of a ORDERER organization must have role ORDERER"
    if let Some(rest) = r.strip_prefix("a user of a ")
        && let Some((kind, role)) = rest.split_once(" organization must have role ")
    {
        return code(
            "ROLE_FOR_KIND",
            vec![
                ("kind", Param::Text(kind.to_owned())),
                ("role", Param::Text(role.to_owned())),
            ],
        );
    }
    code("INVALID", vec![])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(rule: &str) -> (String, Vec<(&'static str, Param)>) {
        let c = rule_code(rule);
        (c.code.to_owned(), c.params)
    }

    #[test]
    fn every_rule_has_a_code_and_its_parameters() {
        use Param::{Int, Text};
        type Case = (&'static str, &'static str, Vec<(&'static str, Param)>);
        let cases: Vec<Case> = vec![
            ("must not be empty", "REQUIRED", vec![]),
            (
                "must be a Finnish postal code of five digits",
                "POSTAL_CODE",
                vec![],
            ),
            (
                "must be a Finnish NUTS 2024 level-3 region code such as FI1C7",
                "NUTS_CODE",
                vec![],
            ),
            (
                "must be a telephone number: 5 to 20 digits, spaces, brackets and hyphens, an optional leading +",
                "PHONE",
                vec![],
            ),
            (
                "must be at most 200 characters",
                "TOO_LONG",
                vec![("max", Int(200))],
            ),
            (
                "must be at least 8 characters",
                "TOO_SHORT",
                vec![("min", Int(8))],
            ),
            ("must not be negative", "NEGATIVE", vec![]),
            ("must not be negative (0.25 means 25 %)", "NEGATIVE", vec![]),
            (
                "may have at most 4 decimals",
                "TOO_MANY_DECIMALS",
                vec![("max", Int(4))],
            ),
            (
                "must be in whole cents (at most 2 decimals)",
                "TOO_MANY_DECIMALS",
                vec![("max", Int(2))],
            ),
            ("must be greater than 0", "NOT_POSITIVE", vec![]),
            (
                "must be below 1 000 000 000",
                "TOO_LARGE",
                vec![("max", Int(1_000_000_000))],
            ),
            (
                "must be between 0 and 100",
                "OUT_OF_RANGE",
                vec![("min", Int(0)), ("max", Int(100))],
            ),
            (
                "must be a year between 2000 and 2100",
                "OUT_OF_RANGE",
                vec![("min", Int(2000)), ("max", Int(2100))],
            ),
            (
                "is a ratio between 0 and 1 (0.35 means 35 %)",
                "OUT_OF_RANGE",
                vec![("min", Int(0)), ("max", Int(1))],
            ),
            (
                "must be at most 10 (1000 %); 0.25 means 25 %",
                "TOO_LARGE",
                vec![("max", Int(10))],
            ),
            (
                "the check digit of business ID 1234567-2 should be 1",
                "CHECK_DIGIT",
                vec![("expected", Text("1".into()))],
            ),
            (
                "a business ID has the form 1234567-8",
                "FORMAT",
                vec![("example", Text("1234567-8".into()))],
            ),
            (
                "must be an email address such as name@example.fi",
                "EMAIL",
                vec![],
            ),
            (
                "may have at most 50 items",
                "TOO_MANY_ITEMS",
                vec![("max", Int(50))],
            ),
            (
                "exceeds the call's cap of 0.3",
                "ABOVE_CAP",
                vec![("max", Text("0.3".into()))],
            ),
            (
                "priceWeight and the quality weights must add up to 100, not 90",
                "WEIGHTS_SUM",
                vec![("expected", Int(100)), ("actual", Int(90))],
            ),
            (
                "must be after contractStart",
                "NOT_AFTER_OTHER",
                vec![("other", Text("contractStart".into()))],
            ),
            (
                "must not be after submissionDeadline",
                "AFTER_OTHER",
                vec![("other", Text("submissionDeadline".into()))],
            ),
            ("prices the same line twice", "DUPLICATE", vec![]),
            ("is not a line of this call", "UNKNOWN_REFERENCE", vec![]),
            (
                "must not contain control characters (found U+0000; tab and newline are allowed)",
                "CONTROL_CHARACTERS",
                vec![("found", Text("U+0000".into()))],
            ),
            (
                "an administrator cannot disable their own account",
                "OWN_ACCOUNT",
                vec![],
            ),
            (
                "a user of a IN_HOUSE_PRODUCER organization must have role PRODUCER",
                "ROLE_FOR_KIND",
                vec![
                    ("kind", Text("IN_HOUSE_PRODUCER".into())),
                    ("role", Text("PRODUCER".into())),
                ],
            ),
            ("something new", "INVALID", vec![]),
        ];
        for (rule, code, params) in cases {
            assert_eq!(of(rule), (code.to_owned(), params), "{rule}");
        }
    }
}
