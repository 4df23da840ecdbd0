//! Calls for tenders: statuses, the rules a new call must satisfy, publication, and who may
//! see a call. A call reads EVALUATION once its submission deadline has passed; that status
//! is derived from the clock whenever the call is read or written, so no job is needed.

use super::Invalid;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

pub use entity::{CallStatus, CreditRating, PricingModel};

/// The status a call has now: a published call whose submission deadline has passed is in
/// EVALUATION. Every other status is what was last stored.
pub fn effective_status(
    stored: CallStatus,
    submission_deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> CallStatus {
    if stored == CallStatus::Published && now >= submission_deadline {
        CallStatus::Evaluation
    } else {
        stored
    }
}

pub const DEFAULT_STANDSTILL_DAYS: i32 = 14;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLine {
    pub product_id: String,
    pub quantity: Decimal,
    /// The number of the lot the line belongs to (from 1); none on a call without lots.
    pub lot: Option<i32>,
}

/// A call's lines from the client's `lines` and `lots` (either, not both): with lots, the
/// lots' lines in order, each numbered with its lot. Returns the lots' titles (none without
/// lots) and the lines.
pub fn lines_and_lots(
    lines: Vec<NewLine>,
    lots: Option<Vec<(String, Vec<NewLine>)>>,
) -> Result<(Vec<String>, Vec<NewLine>), Invalid> {
    let Some(lots) = lots else {
        return Ok((Vec::new(), lines));
    };
    if !lines.is_empty() {
        return Err(Invalid::new(
            "lines",
            "give either lines or lots: with lots, lines is [] and the call's lines are the lots' lines",
        ));
    }
    if lots.is_empty() {
        return Err(Invalid::new(
            "lots",
            "a call divided into lots needs at least one lot",
        ));
    }
    super::validate::list_len("lots", lots.len(), super::lot::MAX_LOTS)?;
    let mut titles = Vec::with_capacity(lots.len());
    let mut out = Vec::new();
    for (number, (title, lines)) in (1..).zip(lots) {
        titles.push(title);
        super::validate::list_len("lines", out.len() + lines.len(), MAX_LINES)?;
        out.extend(lines.into_iter().map(|l| NewLine {
            lot: Some(number),
            ..l
        }));
    }
    Ok((titles, out))
}

/// The input field naming line `k` of call `c`: `lines[k]`, or `lots[i].lines[j]` in a call
/// in lots.
pub fn line_field(c: &NewCall, k: usize) -> String {
    match c.lines.get(k).and_then(|l| l.lot) {
        None => format!("lines[{k}]"),
        Some(lot) => {
            let j = c.lines[..k].iter().filter(|l| l.lot == Some(lot)).count();
            format!("lots[{}].lines[{j}]", lot.saturating_sub(1))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCriterion {
    pub name: String,
    pub weight: i32,
    pub max_points: i32,
}

/// A call as the orderer drafts it, before validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCall {
    pub title: String,
    pub description: String,
    pub pricing_model: PricingModel,
    pub lines: Vec<NewLine>,
    /// The titles of the call's lots, lot 1 first; none on a call without lots (each line
    /// then has no lot, otherwise each names one of these).
    pub lots: Vec<String>,
    pub contract_start: NaiveDate,
    pub contract_end: NaiveDate,
    pub questions_deadline: DateTime<Utc>,
    pub submission_deadline: DateTime<Utc>,
    pub standstill_days: Option<i32>,
    pub price_weight: i32,
    pub quality_criteria: Vec<NewCriterion>,
    pub min_turnover_ratio: Option<Decimal>,
    pub min_equity_ratio: Option<Decimal>,
    pub min_credit_rating: Option<CreditRating>,
    pub capability_requirements: Vec<String>,
    pub max_subcontracting_share: Option<Decimal>,
    /// The orderer's estimated value, excluding VAT (the notice regime follows from it).
    pub estimated_value: Option<Decimal>,
    /// The title and description in Swedish and English, where given.
    pub title_sv: Option<String>,
    pub title_en: Option<String>,
    pub description_sv: Option<String>,
    pub description_en: Option<String>,
}

fn ratio(field: &str, value: Option<Decimal>, max: Decimal, rule: &str) -> Result<(), Invalid> {
    match value {
        Some(v) if v < Decimal::ZERO || v > max => Err(Invalid::new(field, rule)),
        _ => Ok(()),
    }
}

/// The most lines a call may have.
pub const MAX_LINES: usize = 500;
/// The most quality criteria, and the most capability requirements, a call may have.
pub const MAX_CRITERIA: usize = 50;
/// The highest `maxPoints` of a quality criterion.
pub const MAX_POINTS: i32 = 1000;

/// What the free-text search matches: the title and description in every language given,
/// lower-cased.
pub fn search_text(c: &NewCall) -> String {
    [
        Some(&c.title),
        Some(&c.description),
        c.title_sv.as_ref(),
        c.description_sv.as_ref(),
        c.title_en.as_ref(),
        c.description_en.as_ref(),
    ]
    .into_iter()
    .flatten()
    .map(|t| t.to_lowercase())
    .collect::<Vec<_>>()
    .join("\n")
}

/// Checks a new call; returns it with texts trimmed and the standstill defaulted.
pub fn validate_new_call(mut c: NewCall) -> Result<NewCall, Invalid> {
    c.title = super::validate::text("title", &c.title, 300)?;
    c.description = super::validate::text("description", &c.description, 20_000)?;
    for (field, value, max) in [
        ("titleSv", &mut c.title_sv, 300),
        ("titleEn", &mut c.title_en, 300),
        ("descriptionSv", &mut c.description_sv, 20_000),
        ("descriptionEn", &mut c.description_en, 20_000),
    ] {
        if let Some(v) = value.take() {
            *value = super::validate::optional_text(field, Some(&v), max)?;
        }
    }
    if let Some(v) = c.estimated_value {
        c.estimated_value = Some(super::validate::amount("estimatedValue", v)?);
    }
    if c.lots.is_empty() {
        if c.lines.is_empty() {
            return Err(Invalid::new("lines", "a call needs at least one line"));
        }
        if let Some(k) = c.lines.iter().position(|l| l.lot.is_some()) {
            return Err(Invalid::new(
                format!("lines[{k}]"),
                "the call is not divided into lots",
            ));
        }
    } else {
        let sizes: Vec<(String, usize)> = (1..)
            .zip(&c.lots)
            .map(|(n, t)| {
                (
                    t.clone(),
                    c.lines.iter().filter(|l| l.lot == Some(n)).count(),
                )
            })
            .collect();
        c.lots = super::lot::check_lots(&sizes)?;
        let count = c.lots.len();
        if let Some(k) = c.lines.iter().position(|l| {
            !l.lot
                .is_some_and(|n| n >= 1 && usize::try_from(n).is_ok_and(|n| n <= count))
        }) {
            return Err(Invalid::new(
                format!("lines[{k}]"),
                "the call is divided into lots: give its lines in lots",
            ));
        }
    }
    super::validate::list_len("lines", c.lines.len(), MAX_LINES)?;
    super::validate::list_len("qualityCriteria", c.quality_criteria.len(), MAX_CRITERIA)?;
    super::validate::list_len(
        "capabilityRequirements",
        c.capability_requirements.len(),
        MAX_CRITERIA,
    )?;
    for (i, l) in c.lines.iter().enumerate() {
        let field = || format!("{}.quantity", line_field(&c, i));
        super::validate::quantity(&field(), l.quantity)?;
        if l.quantity <= Decimal::ZERO {
            return Err(Invalid::new(field(), "must be greater than 0"));
        }
        if l.quantity.normalize().scale() > 4 {
            return Err(Invalid::new(field(), "may have at most 4 decimals"));
        }
    }
    if !(0..=100).contains(&c.price_weight) {
        return Err(Invalid::new("priceWeight", "must be between 0 and 100"));
    }
    let mut weights = c.price_weight;
    for (i, q) in c.quality_criteria.iter_mut().enumerate() {
        q.name = super::validate::text(&format!("qualityCriteria[{i}].name"), &q.name, 300)?;
        if !(0..=100).contains(&q.weight) {
            return Err(Invalid::new(
                format!("qualityCriteria[{i}].weight"),
                "must be between 0 and 100",
            ));
        }
        if !(1..=MAX_POINTS).contains(&q.max_points) {
            return Err(Invalid::new(
                format!("qualityCriteria[{i}].maxPoints"),
                format!("must be between 1 and {MAX_POINTS}"),
            ));
        }
        weights += q.weight;
    }
    if weights != 100 {
        return Err(Invalid::new(
            "priceWeight",
            format!("priceWeight and the quality weights must add up to 100, not {weights}"),
        ));
    }
    if c.questions_deadline > c.submission_deadline {
        return Err(Invalid::new(
            "questionsDeadline",
            "must not be after submissionDeadline",
        ));
    }
    if c.contract_end <= c.contract_start {
        return Err(Invalid::new("contractEnd", "must be after contractStart"));
    }
    super::validate::contract_date("contractStart", c.contract_start)?;
    super::validate::contract_date("contractEnd", c.contract_end)?;
    match c.standstill_days {
        Some(d) if !(0..=365).contains(&d) => {
            return Err(Invalid::new("standstillDays", "must be between 0 and 365"));
        }
        None => c.standstill_days = Some(DEFAULT_STANDSTILL_DAYS),
        _ => {}
    }
    ratio(
        "minTurnoverRatio",
        c.min_turnover_ratio,
        Decimal::TWO,
        "must be between 0 and 2 (a minimum turnover may not exceed twice the contract value)",
    )?;
    ratio(
        "minEquityRatio",
        c.min_equity_ratio,
        Decimal::ONE,
        "must be between 0 and 1",
    )?;
    ratio(
        "maxSubcontractingShare",
        c.max_subcontracting_share,
        Decimal::ONE,
        "must be between 0 and 1",
    )?;
    for (i, t) in c.capability_requirements.iter_mut().enumerate() {
        *t = super::validate::text(&format!("capabilityRequirements[{i}]"), t, 2000)?;
    }
    Ok(c)
}

/// A draft may be published while both deadlines are still ahead.
pub fn check_publishable(
    stored: CallStatus,
    questions_deadline: DateTime<Utc>,
    submission_deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), PublishError> {
    if stored != CallStatus::Draft {
        return Err(PublishError::NotDraft(stored));
    }
    if questions_deadline <= now {
        return Err(PublishError::Past("questionsDeadline"));
    }
    if submission_deadline <= now {
        return Err(PublishError::Past("submissionDeadline"));
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishError {
    NotDraft(CallStatus),
    Past(&'static str),
}

/// A call can be cancelled until it is awarded (and not twice).
pub fn can_cancel(status: CallStatus) -> bool {
    matches!(
        status,
        CallStatus::Draft | CallStatus::Published | CallStatus::Evaluation
    )
}

/// Who looks at a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer<'a> {
    Anonymous,
    Admin,
    /// An orderer user of this organisation.
    Orderer(&'a str),
    /// A producer user of this organisation.
    Producer(&'a str),
}

/// A call that was never published is seen by its orderer organisation and admins only;
/// once published it is public, whatever happened since.
pub fn can_see_call(viewer: Viewer<'_>, orderer_id: &str, published: bool) -> bool {
    published
        || match viewer {
            Viewer::Admin => true,
            Viewer::Orderer(org) => org == orderer_id,
            Viewer::Anonymous | Viewer::Producer(_) => false,
        }
}

/// Only ORDERER users of the call's own organisation manage it.
pub fn manages_call(viewer: Viewer<'_>, orderer_id: &str) -> bool {
    matches!(viewer, Viewer::Orderer(org) if org == orderer_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone};
    use rust_decimal::dec;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap()
    }

    fn call() -> NewCall {
        NewCall {
            title: " Kotihoito 2027 ".into(),
            description: "Home care for the east district".into(),
            pricing_model: PricingModel::UnitPrice,
            lines: vec![NewLine {
                product_id: "p".into(),
                quantity: dec!(1000),
                lot: None,
            }],
            lots: Vec::new(),
            contract_start: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            contract_end: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
            questions_deadline: now() + TimeDelta::days(7),
            submission_deadline: now() + TimeDelta::days(14),
            standstill_days: None,
            price_weight: 60,
            quality_criteria: vec![NewCriterion {
                name: "Staff".into(),
                weight: 40,
                max_points: 10,
            }],
            min_turnover_ratio: Some(dec!(1.5)),
            min_equity_ratio: Some(dec!(0.2)),
            min_credit_rating: Some(CreditRating::A),
            capability_requirements: vec!["Licensed nurses".into()],
            max_subcontracting_share: Some(dec!(0.3)),
            estimated_value: None,
            title_sv: None,
            title_en: None,
            description_sv: None,
            description_en: None,
        }
    }

    fn field_of(c: NewCall) -> String {
        validate_new_call(c).unwrap_err().field
    }

    #[test]
    fn a_sound_call_passes_trimmed_with_the_default_standstill() {
        let c = validate_new_call(call()).unwrap();
        assert_eq!(c.title, "Kotihoito 2027");
        assert_eq!(c.standstill_days, Some(14));
    }

    fn line(quantity: Decimal) -> NewLine {
        NewLine {
            product_id: "p".into(),
            quantity,
            lot: None,
        }
    }

    #[test]
    fn a_call_is_given_lines_or_lots_and_its_lines_are_the_lots_lines() {
        let lots = vec![
            ("East".to_owned(), vec![line(dec!(1000))]),
            ("West".to_owned(), vec![line(dec!(500)), line(dec!(10))]),
        ];
        let (titles, lines) = lines_and_lots(Vec::new(), Some(lots.clone())).unwrap();
        assert_eq!(titles, ["East", "West"]);
        let numbers: Vec<_> = lines.iter().map(|l| l.lot).collect();
        assert_eq!(numbers, [Some(1), Some(2), Some(2)]);
        assert_eq!(
            lines_and_lots(vec![line(dec!(1))], Some(lots))
                .unwrap_err()
                .field,
            "lines"
        );
        assert_eq!(
            lines_and_lots(Vec::new(), Some(Vec::new()))
                .unwrap_err()
                .field,
            "lots"
        );
        let (none, plain) = lines_and_lots(vec![line(dec!(1))], None).unwrap();
        assert!(none.is_empty() && plain[0].lot.is_none());

        let mut c = call();
        c.lots = titles;
        c.lines = lines;
        assert_eq!(line_field(&c, 0), "lots[0].lines[0]");
        assert_eq!(line_field(&c, 2), "lots[1].lines[1]");
        let checked = validate_new_call(c.clone()).unwrap();
        assert_eq!(checked.lots, ["East", "West"]);
        let mut zero = c.clone();
        zero.lines[2].quantity = dec!(0);
        assert_eq!(field_of(zero), "lots[1].lines[1].quantity");
        // A lot without lines, a line outside the lots, a lot line on a call without lots.
        let mut empty = c.clone();
        empty.lots.push("North".into());
        assert_eq!(field_of(empty), "lots[2].lines");
        let mut stray = c.clone();
        stray.lines.push(NewLine {
            lot: Some(7),
            ..line(dec!(1))
        });
        assert_eq!(field_of(stray), "lines[3]");
        let mut plain = call();
        plain.lines[0].lot = Some(1);
        assert_eq!(field_of(plain), "lines[0]");
    }

    #[test]
    fn each_broken_rule_names_its_field() {
        let mut c = call();
        c.lines.clear();
        assert_eq!(field_of(c), "lines");
        let mut c = call();
        c.lines[0].quantity = dec!(0);
        assert_eq!(field_of(c), "lines[0].quantity");
        let mut c = call();
        c.price_weight = 50;
        assert_eq!(field_of(c), "priceWeight");
        let mut c = call();
        c.quality_criteria[0].max_points = 0;
        assert_eq!(field_of(c), "qualityCriteria[0].maxPoints");
        let mut c = call();
        c.questions_deadline = c.submission_deadline + TimeDelta::seconds(1);
        assert_eq!(field_of(c), "questionsDeadline");
        let mut c = call();
        c.contract_end = c.contract_start;
        assert_eq!(field_of(c), "contractEnd");
        let mut c = call();
        c.min_turnover_ratio = Some(dec!(2.01));
        assert_eq!(field_of(c), "minTurnoverRatio");
        let mut c = call();
        c.min_equity_ratio = Some(dec!(1.1));
        assert_eq!(field_of(c), "minEquityRatio");
        let mut c = call();
        c.max_subcontracting_share = Some(dec!(-0.1));
        assert_eq!(field_of(c), "maxSubcontractingShare");
        let mut c = call();
        c.title = "  ".into();
        assert_eq!(field_of(c), "title");
        let mut c = call();
        c.standstill_days = Some(-1);
        assert_eq!(field_of(c), "standstillDays");
        let mut c = call();
        c.capability_requirements.push(" ".into());
        assert_eq!(field_of(c), "capabilityRequirements[1]");
    }

    #[test]
    fn boundary_values_are_allowed() {
        let mut c = call();
        c.min_turnover_ratio = Some(dec!(2));
        c.min_equity_ratio = Some(dec!(1));
        c.questions_deadline = c.submission_deadline;
        c.price_weight = 100;
        c.quality_criteria.clear();
        assert!(validate_new_call(c).is_ok());
    }

    #[test]
    fn status_reads_evaluation_from_the_deadline_on() {
        let deadline = now();
        assert_eq!(
            effective_status(
                CallStatus::Published,
                deadline,
                deadline - TimeDelta::microseconds(1)
            ),
            CallStatus::Published
        );
        assert_eq!(
            effective_status(CallStatus::Published, deadline, deadline),
            CallStatus::Evaluation
        );
        assert_eq!(
            effective_status(CallStatus::Draft, deadline, deadline + TimeDelta::days(1)),
            CallStatus::Draft
        );
        assert_eq!(
            effective_status(
                CallStatus::Cancelled,
                deadline,
                deadline + TimeDelta::days(1)
            ),
            CallStatus::Cancelled
        );
    }

    #[test]
    fn publishing_needs_a_draft_and_future_deadlines() {
        let q = now() + TimeDelta::days(1);
        let s = now() + TimeDelta::days(2);
        assert!(check_publishable(CallStatus::Draft, q, s, now()).is_ok());
        assert_eq!(
            check_publishable(CallStatus::Draft, now(), s, now()),
            Err(PublishError::Past("questionsDeadline"))
        );
        assert_eq!(
            check_publishable(CallStatus::Published, q, s, now()),
            Err(PublishError::NotDraft(CallStatus::Published))
        );
    }

    #[test]
    fn drafts_are_seen_by_their_orderer_and_admins_only() {
        assert!(can_see_call(Viewer::Admin, "o1", false));
        assert!(can_see_call(Viewer::Orderer("o1"), "o1", false));
        assert!(!can_see_call(Viewer::Orderer("o2"), "o1", false));
        assert!(!can_see_call(Viewer::Producer("p"), "o1", false));
        assert!(!can_see_call(Viewer::Anonymous, "o1", false));
        assert!(can_see_call(Viewer::Anonymous, "o1", true));
        assert!(manages_call(Viewer::Orderer("o1"), "o1"));
        assert!(!manages_call(Viewer::Admin, "o1"));
    }

    #[test]
    fn credit_ratings_are_ordered_best_first() {
        assert!(CreditRating::Aaa > CreditRating::Aa && CreditRating::Aa > CreditRating::A);
        assert!(CreditRating::A > CreditRating::B && CreditRating::B > CreditRating::C);
        for r in ["AAA", "AA", "A", "B", "C"] {
            let parsed = <CreditRating as sea_orm::ActiveEnum>::try_from_value(&r.to_owned());
            assert_eq!(parsed.unwrap().as_str(), r);
        }
    }
}
