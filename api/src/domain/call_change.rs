//! Changes to a call (`changeCall`): a DRAFT is edited freely; a PUBLISHED call, until its
//! submission deadline, with a reason, as a new version. The change is applied to the call as
//! it is and the result must satisfy every rule of a new call; the fields a change names but
//! leaves as they are do not count as changed. A change to a published call leaves bidders at
//! least 6 days: the submission deadline after it is at least 6 days after the change (EU
//! directive 2014/24 art. 47(3)). A material change (lines, weights, criteria, requirements)
//! makes the bids submitted before it not current.

use super::call::{CallStatus, NewCall, NewCriterion, NewLine};
use super::{Invalid, WrongState};
use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

/// The days a published call's bidders have at least after a change.
pub const MIN_DAYS_AFTER_CHANGE: i64 = 6;

/// The highest version a call reaches: at most 99 changes after publication (each is told to
/// every subscriber and bidder, and listed on the call).
pub const MAX_VERSION: i32 = 100;

/// What a change gives; `None` keeps the call's value. Lines name products by id (resolved
/// before the change is applied).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    pub title: Option<String>,
    pub description: Option<String>,
    pub questions_deadline: Option<DateTime<Utc>>,
    pub submission_deadline: Option<DateTime<Utc>>,
    pub lines: Option<Vec<NewLine>>,
    /// The lots' titles, given with `lines` numbered by lot, on a call in lots.
    pub lots: Option<Vec<String>>,
    pub price_weight: Option<i32>,
    pub quality_criteria: Option<Vec<NewCriterion>>,
    pub capability_requirements: Option<Vec<String>>,
    pub estimated_value: Option<Decimal>,
    /// Translations of the title and description; a blank one removes it.
    pub title_sv: Option<String>,
    pub title_en: Option<String>,
    pub description_sv: Option<String>,
    pub description_en: Option<String>,
}

/// The input fields whose change is material.
pub const MATERIAL: [&str; 4] = [
    "lines",
    "priceWeight",
    "qualityCriteria",
    "capabilityRequirements",
];

/// How a call may be changed now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changeable {
    /// A draft: edited in place, no version.
    Draft,
    /// Published and before its submission deadline: a new version, with a reason.
    Published,
}

/// A DRAFT, or a PUBLISHED call before its deadline (`status` as it reads now).
pub fn check_changeable(status: CallStatus) -> Result<Changeable, WrongState> {
    match status {
        CallStatus::Draft => Ok(Changeable::Draft),
        CallStatus::Published => Ok(Changeable::Published),
        other => Err(WrongState(format!(
            "a call is changed while it is a DRAFT, or PUBLISHED before its submission deadline; this call is {}",
            other.as_str()
        ))),
    }
}

/// `current` with `change` applied (check the result as a new call, then see what changed
/// with [`changed_fields`]).
pub fn apply(current: &NewCall, change: Change) -> NewCall {
    let mut next = current.clone();
    if let Some(v) = change.title {
        next.title = v;
    }
    if let Some(v) = change.description {
        next.description = v;
    }
    if let Some(v) = change.questions_deadline {
        next.questions_deadline = v;
    }
    if let Some(v) = change.submission_deadline {
        next.submission_deadline = v;
    }
    if let Some(v) = change.lines {
        next.lines = v;
    }
    if let Some(v) = change.lots {
        next.lots = v;
    }
    if let Some(v) = change.price_weight {
        next.price_weight = v;
    }
    if let Some(v) = change.quality_criteria {
        next.quality_criteria = v;
    }
    if let Some(v) = change.capability_requirements {
        next.capability_requirements = v;
    }
    if let Some(v) = change.estimated_value {
        next.estimated_value = Some(v);
    }
    for (given, field) in [
        (change.title_sv, &mut next.title_sv),
        (change.title_en, &mut next.title_en),
        (change.description_sv, &mut next.description_sv),
        (change.description_en, &mut next.description_en),
    ] {
        if let Some(v) = given {
            *field = Some(v);
        }
    }
    next
}

/// The input fields whose values differ between `current` and `next`, in the input's order.
pub fn changed_fields(current: &NewCall, next: &NewCall) -> Vec<&'static str> {
    let differs = [
        ("title", current.title != next.title),
        ("description", current.description != next.description),
        (
            "questionsDeadline",
            current.questions_deadline != next.questions_deadline,
        ),
        (
            "submissionDeadline",
            current.submission_deadline != next.submission_deadline,
        ),
        ("lines", current.lines != next.lines),
        ("lots", current.lots != next.lots),
        ("priceWeight", current.price_weight != next.price_weight),
        (
            "qualityCriteria",
            current.quality_criteria != next.quality_criteria,
        ),
        (
            "capabilityRequirements",
            current.capability_requirements != next.capability_requirements,
        ),
        (
            "estimatedValue",
            current.estimated_value != next.estimated_value,
        ),
        ("titleSv", current.title_sv != next.title_sv),
        ("titleEn", current.title_en != next.title_en),
        (
            "descriptionSv",
            current.description_sv != next.description_sv,
        ),
        (
            "descriptionEn",
            current.description_en != next.description_en,
        ),
    ];
    differs
        .into_iter()
        .filter_map(|(name, d)| d.then_some(name))
        .collect()
}

pub fn is_material(fields: &[&str]) -> bool {
    fields.iter().any(|f| MATERIAL.contains(f))
}

/// The rules of the times of a change made at `now` (the rest are those of a new call):
/// something must change; a deadline it moves must be in the future; and a published call's
/// submission deadline must be at least 6 days after the change.
pub fn check_times(
    mode: Changeable,
    next: &NewCall,
    fields: &[&str],
    now: DateTime<Utc>,
) -> Result<(), Invalid> {
    if fields.is_empty() {
        return Err(Invalid::new("change", "changes nothing"));
    }
    for (name, at) in [
        ("questionsDeadline", next.questions_deadline),
        ("submissionDeadline", next.submission_deadline),
    ] {
        if fields.contains(&name) && at <= now {
            return Err(Invalid::new(name, "must be in the future"));
        }
    }
    if mode == Changeable::Published {
        let earliest = now + TimeDelta::days(MIN_DAYS_AFTER_CHANGE);
        if next.submission_deadline < earliest {
            return Err(Invalid::new(
                "submissionDeadline",
                format!(
                    "must be at least {MIN_DAYS_AFTER_CHANGE} days after the change (EU directive 2014/24 art. 47(3)): {} or later",
                    earliest.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::call::PricingModel;
    use chrono::{NaiveDate, TimeZone};
    use rust_decimal::dec;

    fn t(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, d, 12, 0, 0).unwrap()
    }

    fn call() -> NewCall {
        NewCall {
            title: "Kotihoito".into(),
            description: "Home care".into(),
            pricing_model: PricingModel::UnitPrice,
            lines: vec![NewLine {
                product_id: "p1".into(),
                quantity: dec!(1000),
                lot: None,
            }],
            lots: Vec::new(),
            contract_start: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            contract_end: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
            questions_deadline: t(10),
            submission_deadline: t(20),
            standstill_days: Some(14),
            price_weight: 60,
            quality_criteria: vec![NewCriterion {
                name: "Laatu".into(),
                weight: 40,
                max_points: 10,
            }],
            min_turnover_ratio: None,
            min_equity_ratio: None,
            min_credit_rating: None,
            capability_requirements: vec!["Lupa".into()],
            max_subcontracting_share: None,
            estimated_value: None,
            title_sv: None,
            title_en: None,
            description_sv: None,
            description_en: None,
        }
    }

    #[test]
    fn only_fields_that_differ_count_and_only_some_are_material() {
        let change = Change {
            title: Some("Kotihoito".into()),
            description: Some("Home care, eastern district".into()),
            submission_deadline: Some(t(22)),
            ..Change::default()
        };
        let next = apply(&call(), change);
        let fields = changed_fields(&call(), &next);
        assert_eq!(
            fields,
            ["description", "submissionDeadline"],
            "the same title is no change"
        );
        assert_eq!(next.submission_deadline, t(22));
        assert!(!is_material(&fields));
        let change = Change {
            lines: Some(vec![NewLine {
                product_id: "p1".into(),
                quantity: dec!(1200),
                lot: None,
            }]),
            ..Change::default()
        };
        let fields = changed_fields(&call(), &apply(&call(), change));
        assert_eq!(fields, ["lines"]);
        assert!(is_material(&fields));
        let valued = apply(
            &call(),
            Change {
                estimated_value: Some(dec!(250000)),
                ..Change::default()
            },
        );
        let fields = changed_fields(&call(), &valued);
        assert_eq!(fields, ["estimatedValue"]);
        assert!(
            !is_material(&fields),
            "the estimate is not a term of the bids"
        );
        for f in MATERIAL {
            assert!(is_material(&[f]), "{f}");
        }
    }

    #[test]
    fn the_six_day_rule() {
        let c = call();
        let published = Changeable::Published;
        // 10 days before the deadline: any change.
        assert_eq!(check_times(published, &c, &["title"], t(10)), Ok(()));
        // Exactly 6 days before: still enough.
        assert_eq!(check_times(published, &c, &["title"], t(14)), Ok(()));
        // 5 days before: the deadline must move to 6 days after the change.
        let e = check_times(published, &c, &["title"], t(15)).unwrap_err();
        assert_eq!(e.field, "submissionDeadline");
        assert!(
            e.rule.contains("2026-12-21T12:00:00Z or later"),
            "{}",
            e.rule
        );
        assert_eq!(e.code().code, "MIN_DAYS_AFTER_CHANGE");
        let moved = apply(
            &c,
            Change {
                title: Some("Uusi".into()),
                submission_deadline: Some(t(21)),
                ..Change::default()
            },
        );
        let fields = changed_fields(&c, &moved);
        assert_eq!(check_times(published, &moved, &fields, t(15)), Ok(()));
        // Moving it earlier, to less than 6 days after the change, is the same rule.
        let earlier = apply(
            &c,
            Change {
                submission_deadline: Some(t(12)),
                ..Change::default()
            },
        );
        let fields = changed_fields(&c, &earlier);
        assert!(check_times(published, &earlier, &fields, t(10)).is_err());
        // A draft has no such rule, but a deadline it moves must be ahead.
        assert_eq!(
            check_times(Changeable::Draft, &earlier, &fields, t(10)),
            Ok(())
        );
        assert_eq!(
            check_times(Changeable::Draft, &earlier, &fields, t(13))
                .unwrap_err()
                .field,
            "submissionDeadline"
        );
    }

    #[test]
    fn a_change_must_change_something_and_only_drafts_and_open_calls_change() {
        assert_eq!(
            check_times(Changeable::Draft, &call(), &[], t(1))
                .unwrap_err()
                .field,
            "change"
        );
        assert_eq!(check_changeable(CallStatus::Draft), Ok(Changeable::Draft));
        assert_eq!(
            check_changeable(CallStatus::Published),
            Ok(Changeable::Published)
        );
        for s in [
            CallStatus::Evaluation,
            CallStatus::Awarded,
            CallStatus::Cancelled,
            CallStatus::Contracted,
            CallStatus::Unsuccessful,
        ] {
            assert!(check_changeable(s).is_err(), "{s:?}");
        }
    }
}
