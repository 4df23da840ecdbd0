//! The texts of notifications, in the recipient's language: each composer fills the
//! templates of `templates.rs` in Finnish, Swedish and English (dates in Finnish time and money
//! as each language writes them, `format.rs`), and the outbox writes each recipient the one in
//! their language. No links. Pure functions, tested without a database.

use super::format;
use super::outbox::Mail;
use super::templates::render;
use chrono::{DateTime, NaiveDate, Utc};
use entity::{Language, RealizationStatus};
use rust_decimal::Decimal;

/// The languages every notification is written in, in the order `Mail::texts` holds them.
pub const LANGUAGES: [Language; 3] = [Language::Fi, Language::Sv, Language::En];

/// A mail whose subject is `{event}.subject` and body `body`, both filled in each language.
fn mail(
    event: &'static str,
    private: bool,
    subject: impl Fn(Language) -> String,
    body: impl Fn(Language) -> String,
) -> Mail {
    Mail {
        event,
        texts: LANGUAGES.map(|l| (subject(l), body(l))),
        private,
        sealed_call: None,
    }
}

/// The subject `key` with the title.
fn titled<'a>(key: &'static str, title: impl Into<Title<'a>>) -> impl Fn(Language) -> String {
    let title = title.into();
    move |l| render(key, l, &[("title", title.get(l))])
}

/// A call's title in each language: the Finnish one, and its Swedish and English
/// translations where the call gives them (a recipient reads the one in their language).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Title<'a> {
    pub fi: &'a str,
    pub sv: Option<&'a str>,
    pub en: Option<&'a str>,
}

impl<'a> Title<'a> {
    /// The title of the stored call `c`.
    pub fn of(c: &'a entity::call::Model) -> Title<'a> {
        Title {
            fi: &c.title,
            sv: c.title_sv.as_deref(),
            en: c.title_en.as_deref(),
        }
    }

    /// The title in `lang`, or the Finnish one where it has none.
    pub fn get(&self, lang: Language) -> &'a str {
        match lang {
            Language::Fi => self.fi,
            Language::Sv => self.sv.unwrap_or(self.fi),
            Language::En => self.en.unwrap_or(self.fi),
        }
    }
}

/// A title in one language only (a contract's, say).
impl<'a> From<&'a str> for Title<'a> {
    fn from(fi: &'a str) -> Self {
        Title {
            fi,
            sv: None,
            en: None,
        }
    }
}

/// What the receipt e-mail is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BidAction {
    Submitted,
    Replaced,
    Withdrawn,
}

pub fn bid_receipt(
    call_title: Title<'_>,
    action: BidAction,
    version: i32,
    receipt: &str,
    at_time: DateTime<Utc>,
    deadline: DateTime<Utc>,
) -> Mail {
    let event = match action {
        BidAction::Submitted => "bid.submitted",
        BidAction::Replaced => "bid.replaced",
        BidAction::Withdrawn => "bid.withdrawn",
    };
    let version = version.to_string();
    mail(
        event,
        true,
        titled(
            match action {
                BidAction::Submitted => "bid.submitted.subject",
                BidAction::Replaced => "bid.replaced.subject",
                BidAction::Withdrawn => "bid.withdrawn.subject",
            },
            call_title,
        ),
        |l| {
            let verb = render(&format!("{event}.verb"), l, &[]);
            render(
                "bid.receipt.body",
                l,
                &[
                    ("verb", &verb),
                    ("title", call_title.get(l)),
                    ("version", &version),
                    ("time", &format::date_time(at_time, l)),
                    ("receipt", receipt),
                    ("deadline", &format::date_time(deadline, l)),
                ],
            )
        },
    )
}

/// To the call's orderer: a new question, without who asked it.
pub fn question_asked(call_title: Title<'_>, question: &str) -> Mail {
    mail(
        "question.asked",
        false,
        titled("question.asked.subject", call_title),
        |l| {
            render(
                "question.asked.body",
                l,
                &[("title", call_title.get(l)), ("question", question)],
            )
        },
    )
}

pub fn answer_published(call_title: Title<'_>, question: &str, answer: &str) -> Mail {
    mail(
        "question.answered",
        false,
        titled("question.answered.subject", call_title),
        |l| {
            render(
                "question.answered.body",
                l,
                &[
                    ("title", call_title.get(l)),
                    ("question", question),
                    ("answer", answer),
                ],
            )
        },
    )
}

pub fn call_published(
    call_title: Title<'_>,
    categories: &[String],
    submission_deadline: DateTime<Utc>,
) -> Mail {
    let categories = categories.join(", ");
    mail(
        "call.published",
        false,
        titled("call.published.subject", call_title),
        |l| {
            render(
                "call.published.body",
                l,
                &[
                    ("title", call_title.get(l)),
                    ("categories", &categories),
                    ("deadline", &format::date_time(submission_deadline, l)),
                ],
            )
        },
    )
}

/// One line of a published ranking: (rank, bidder name, total price, total score).
pub type RankingLine = (i32, String, Decimal, Decimal);

/// One bidder's own result in an award decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnResult {
    /// This bidder's bid was awarded the contract (whatever its rank).
    Awarded { rank: i32, total_score: Decimal },
    /// Qualified and ranked, not awarded.
    Ranked {
        rank: i32,
        price_score: Decimal,
        quality_score: Decimal,
        total_score: Decimal,
    },
    /// Did not qualify, for these reasons.
    Disqualified { reasons: Vec<String> },
    /// Submitted before a material change to the call and not submitted again: not evaluated.
    NotCurrent,
}

/// The dates of a decision's remedies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remedies {
    pub standstill_ends_at: DateTime<Utc>,
    pub correction_deadline: DateTime<Utc>,
    pub appeal_deadline: DateTime<Utc>,
}

/// The instructions for a correction request and an appeal, with their deadlines, in `lang`.
/// The decision's mail and its printable document say the same.
pub fn instructions(remedies: Remedies, lang: Language) -> [String; 2] {
    [
        render(
            "remedy.correction",
            lang,
            &[(
                "deadline",
                &format::date_time(remedies.correction_deadline, lang),
            )],
        ),
        render(
            "remedy.appeal",
            lang,
            &[(
                "deadline",
                &format::date_time(remedies.appeal_deadline, lang),
            )],
        ),
    ]
}

/// A score as the language writes it, to two decimals.
fn score(d: Decimal, lang: Language) -> String {
    format::number(crate::domain::money::display(d), lang)
}

fn own_result(own: &OwnResult, lang: Language) -> String {
    match own {
        OwnResult::Awarded { rank, total_score } => render(
            "award.own.awarded",
            lang,
            &[
                ("rank", &rank.to_string()),
                ("total", &score(*total_score, lang)),
            ],
        ),
        OwnResult::Ranked {
            rank,
            price_score,
            quality_score,
            total_score,
        } => render(
            "award.own.ranked",
            lang,
            &[
                ("rank", &rank.to_string()),
                ("price", &score(*price_score, lang)),
                ("quality", &score(*quality_score, lang)),
                ("total", &score(*total_score, lang)),
            ],
        ),
        OwnResult::Disqualified { reasons } => {
            let list: String = reasons.iter().map(|r| format!("  - {r}\n")).collect();
            render("award.own.disqualified", lang, &[("reasons", &list)])
        }
        OwnResult::NotCurrent => render("award.own.not_current", lang, &[]),
    }
}

/// The award decision served to one bidder, in its users' language: its own result, the
/// ranking, the justification, the standstill end, and the instructions for a correction
/// request and an appeal with their deadlines.
pub fn award_decision(
    call_title: Title<'_>,
    own: &OwnResult,
    ranking: &[RankingLine],
    justification: &str,
    remedies: Remedies,
) -> Mail {
    mail(
        "call.awarded",
        false,
        titled("call.awarded.subject", call_title),
        |l| {
            let table: String = ranking
                .iter()
                .map(|(rank, name, price, total)| {
                    render(
                        "award.ranking.line",
                        l,
                        &[
                            ("rank", &rank.to_string()),
                            ("name", name),
                            ("price", &format::money(*price, l)),
                            ("score", &score(*total, l)),
                        ],
                    )
                })
                .collect();
            let [correction, appeal] = instructions(remedies, l);
            render(
                "call.awarded.body",
                l,
                &[
                    ("title", call_title.get(l)),
                    ("own", &own_result(own, l)),
                    ("ranking", &table),
                    ("justification", justification),
                    (
                        "standstill",
                        &format::date_time(remedies.standstill_ends_at, l),
                    ),
                    ("correction", &correction),
                    ("appeal", &appeal),
                ],
            )
        },
    )
}

/// The call's orderer users hear of a correction request about its award decision.
pub fn correction_requested(call_title: Title<'_>, requester: &str, text: &str) -> Mail {
    mail(
        "correction.requested",
        true,
        titled("correction.requested.subject", call_title),
        |l| {
            render(
                "correction.requested.body",
                l,
                &[
                    ("title", call_title.get(l)),
                    ("requester", requester),
                    ("text", text),
                ],
            )
        },
    )
}

/// The requester hears the orderer's decision on its correction request.
pub fn correction_decided(call_title: Title<'_>, accepted: bool, decision: &str) -> Mail {
    let outcome = if accepted {
        "correction.accepted"
    } else {
        "correction.rejected"
    };
    mail(
        "correction.decided",
        true,
        titled("correction.decided.subject", call_title),
        |l| {
            render(
                "correction.decided.body",
                l,
                &[
                    ("title", call_title.get(l)),
                    ("outcome", &render(outcome, l, &[])),
                    ("decision", decision),
                ],
            )
        },
    )
}

/// Every bidder hears that the award decision was withdrawn and the call is back in
/// evaluation.
pub fn award_withdrawn(call_title: Title<'_>, reason: &str) -> Mail {
    mail(
        "award.withdrawn",
        false,
        titled("award.withdrawn.subject", call_title),
        |l| {
            render(
                "award.withdrawn.body",
                l,
                &[("title", call_title.get(l)), ("reason", reason)],
            )
        },
    )
}

/// What a change to a published call says: its version, the fields it changed, the reason
/// and the submission deadline after it.
pub struct CallChanged<'a> {
    pub title: Title<'a>,
    pub version: i32,
    pub fields: &'a [&'a str],
    pub reason: &'a str,
    pub submission_deadline: DateTime<Utc>,
    /// Lines, weights, criteria or requirements changed: bids before it are not current.
    pub material: bool,
}

fn change_summary(c: &CallChanged<'_>, lang: Language) -> String {
    let fields: Vec<String> = c
        .fields
        .iter()
        .map(|f| render(&format!("field.{f}"), lang, &[]))
        .collect();
    render(
        "call.changed.summary",
        lang,
        &[
            ("version", &c.version.to_string()),
            ("fields", &fields.join(", ")),
            ("reason", c.reason),
            ("deadline", &format::date_time(c.submission_deadline, lang)),
        ],
    )
}

/// To the subscribers of the call's categories.
pub fn call_changed(c: &CallChanged<'_>) -> Mail {
    mail(
        "call.changed",
        false,
        titled("call.changed.subject", c.title),
        |l| {
            render(
                "call.changed.body",
                l,
                &[
                    ("title", c.title.get(l)),
                    ("summary", &change_summary(c, l)),
                ],
            )
        },
    )
}

/// To the users of every organisation with a standing bid: review the bid; after a material
/// change it is not evaluated unless submitted again.
pub fn bid_review(c: &CallChanged<'_>) -> Mail {
    let what = if c.material {
        "bid.review.material"
    } else {
        "bid.review.minor"
    };
    mail(
        "bid.review",
        true,
        titled("bid.review.subject", c.title),
        |l| {
            render(
                "bid.review.body",
                l,
                &[
                    ("title", c.title.get(l)),
                    ("summary", &change_summary(c, l)),
                    ("what", &render(what, l, &[])),
                ],
            )
        },
    )
}

pub fn call_cancelled(call_title: Title<'_>, reason: &str) -> Mail {
    mail(
        "call.cancelled",
        false,
        titled("call.cancelled.subject", call_title),
        |l| {
            render(
                "call.cancelled.body",
                l,
                &[("title", call_title.get(l)), ("reason", reason)],
            )
        },
    )
}

pub fn call_unsuccessful(call_title: Title<'_>, reason: &str) -> Mail {
    mail(
        "call.unsuccessful",
        false,
        titled("call.unsuccessful.subject", call_title),
        |l| {
            render(
                "call.unsuccessful.body",
                l,
                &[("title", call_title.get(l)), ("reason", reason)],
            )
        },
    )
}

pub fn contract_activated(title: &str, value: Decimal, start: NaiveDate, end: NaiveDate) -> Mail {
    mail(
        "contract.activated",
        false,
        titled("contract.activated.subject", title),
        |l| {
            render(
                "contract.activated.body",
                l,
                &[
                    ("title", title),
                    ("value", &format::money(value, l)),
                    ("start", &format::date(start, l)),
                    ("end", &format::date(end, l)),
                ],
            )
        },
    )
}

/// The other party hears that `by` signed the contract.
pub fn contract_signed(title: &str, by: &str, both: bool) -> Mail {
    let state = if both {
        "contract.signed.both"
    } else {
        "contract.signed.yours"
    };
    mail(
        "contract.signed",
        false,
        titled("contract.signed.subject", title),
        |l| {
            render(
                "contract.signed.body",
                l,
                &[
                    ("title", title),
                    ("by", by),
                    ("state", &render(state, l, &[])),
                ],
            )
        },
    )
}

/// The producer hears of an amendment: the new version, the value and the reason.
pub fn contract_amended(title: &str, version: i32, value: Decimal, reason: &str) -> Mail {
    let version = version.to_string();
    mail(
        "contract.amended",
        false,
        titled("contract.amended.subject", title),
        |l| {
            render(
                "contract.amended.body",
                l,
                &[
                    ("title", title),
                    ("version", &version),
                    ("value", &format::money(value, l)),
                    ("reason", reason),
                ],
            )
        },
    )
}

/// The producer hears that its contract was terminated.
pub fn contract_terminated(title: &str, on: NaiveDate, reason: &str) -> Mail {
    mail(
        "contract.terminated",
        false,
        titled("contract.terminated.subject", title),
        |l| {
            render(
                "contract.terminated.body",
                l,
                &[
                    ("title", title),
                    ("on", &format::date(on, l)),
                    ("reason", reason),
                ],
            )
        },
    )
}

pub fn deviation(
    title: &str,
    status: RealizationStatus,
    period: &str,
    forecast: Decimal,
    contracted: Decimal,
) -> Mail {
    let over = status == RealizationStatus::Over;
    let direction = if over {
        "deviation.over"
    } else {
        "deviation.under"
    };
    let word = format!("deviation.{status}");
    mail(
        "contract.deviation",
        false,
        |l| {
            render(
                "contract.deviation.subject",
                l,
                &[("title", title), ("status", &render(&word, l, &[]))],
            )
        },
        |l| {
            render(
                "contract.deviation.body",
                l,
                &[
                    ("title", title),
                    ("period", period),
                    ("forecast", &format::money(forecast, l)),
                    ("contracted", &format::money(contracted, l)),
                    ("direction", &render(direction, l, &[])),
                ],
            )
        },
    )
}

pub fn deadline_reminder(call_title: Title<'_>, submission_deadline: DateTime<Utc>) -> Mail {
    mail(
        "call.deadline_soon",
        false,
        titled("call.deadline_soon.subject", call_title),
        |l| {
            render(
                "call.deadline_soon.body",
                l,
                &[
                    ("title", call_title.get(l)),
                    ("deadline", &format::date_time(submission_deadline, l)),
                ],
            )
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rust_decimal::dec;

    fn remedies() -> Remedies {
        let d = Utc.with_ymd_and_hms(2026, 12, 8, 12, 0, 0).unwrap();
        Remedies {
            standstill_ends_at: d,
            correction_deadline: d + chrono::TimeDelta::days(1),
            appeal_deadline: d + chrono::TimeDelta::days(2),
        }
    }

    #[test]
    fn each_recipient_reads_the_calls_title_in_their_language() {
        let title = Title {
            fi: "Kotihoito",
            sv: Some("Hemvård"),
            en: None,
        };
        let d = Utc.with_ymd_and_hms(2027, 1, 1, 10, 0, 0).unwrap();
        let m = call_published(title, &["home care".into()], d);
        assert!(m.text(Language::Fi).0.contains("Kotihoito"));
        assert!(m.text(Language::Sv).0.contains("Hemvård"));
        assert!(m.text(Language::Sv).1.contains("Hemvård"));
        assert!(
            m.text(Language::En).0.contains("Kotihoito"),
            "no English title: the Finnish one"
        );
    }

    #[test]
    fn a_receipt_names_the_call_and_the_hash_and_stays_sealed() {
        let t = Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap();
        let d = Utc.with_ymd_and_hms(2026, 12, 8, 12, 0, 0).unwrap();
        let m = bid_receipt(
            "Kotihoito 2027".into(),
            BidAction::Replaced,
            2,
            "abc123",
            t,
            d,
        );
        let (subject, body) = m.text(Language::En);
        assert_eq!(subject, "Bid replaced: Kotihoito 2027");
        assert!(body.contains("abc123") && body.contains("Version: 2"));
        assert!(
            body.contains("24 November 2026 at 14:00 (Finnish time)"),
            "{body}"
        );
        assert_eq!(m.text(Language::Fi).0, "Tarjous korvattu: Kotihoito 2027");
        assert!(m.text(Language::Fi).1.contains("8.12.2026 klo 14.00"));
        assert_eq!(m.text(Language::Sv).0, "Anbud ersatt: Kotihoito 2027");
        assert!(m.text(Language::Sv).1.contains("Kvitto (SHA-256): abc123"));
        assert!(m.private && m.sealed_call.is_none());
        assert_eq!(m.event, "bid.replaced");
    }

    #[test]
    fn an_award_tells_each_bidder_its_rank_and_the_ranking() {
        let ranking = vec![(1, "A Oy".to_owned(), dec!(1234.5), dec!(90))];
        let ranked = OwnResult::Ranked {
            rank: 2,
            price_score: dec!(50),
            quality_score: dec!(30),
            total_score: dec!(80),
        };
        let m = award_decision(
            "Kotihoito".into(),
            &ranked,
            &ranking,
            "Best value",
            remedies(),
        );
        let (_, en) = m.text(Language::En);
        assert!(en.contains("ranked 2: price score 50.00"), "{en}");
        assert!(en.contains("correct the decision until 9 December 2026 at 14:00 (Finnish time)"));
        assert!(en.contains("Market Court (markkinaoikeus"));
        assert!(en.contains("until 10 December 2026 at 14:00 (Finnish time). The orderer must"));
        assert!(!en.contains("Your bid was awarded the contract."));
        assert!(en.contains("Justification: Best value"));
        assert!(en.contains("standstill period ends at 8 December 2026 at 14:00"));
        assert!(
            en.contains("1. A Oy: total price EUR 1,234.50, total score 90.00"),
            "{en}"
        );
        let (_, fi) = m.text(Language::Fi);
        assert!(fi.contains("sijoittui 2.: hintapisteet 50,00"), "{fi}");
        assert!(fi.contains("oikaisemaan päätöksen viimeistään 9.12.2026 klo 14.00"));
        assert!(fi.contains("markkinaoikeuteen (Radanrakentajantie 5"));
        assert!(
            fi.contains("1. A Oy: kokonaishinta 1\u{a0}234,50\u{a0}€"),
            "{fi}"
        );
        let (_, sv) = m.text(Language::Sv);
        assert!(sv.contains("marknadsdomstolen") && sv.contains("senast 10.12.2026 kl. 14.00"));
        let out = OwnResult::Disqualified {
            reasons: vec!["equity ratio 0.18 is below the required 0.2".into()],
        };
        let m = award_decision("K".into(), &out, &ranking, "x", remedies());
        let (_, en) = m.text(Language::En);
        assert!(en.contains("did not qualify") && en.contains("equity ratio 0.18"));
        // The awarded bidder is told plainly, whatever its rank.
        let won = OwnResult::Awarded {
            rank: 2,
            total_score: dec!(80),
        };
        let m = award_decision("K".into(), &won, &ranking, "x", remedies());
        assert!(
            m.text(Language::En)
                .1
                .contains("Your bid was awarded the contract.")
        );
        assert!(m.text(Language::Fi).1.contains("Tarjouksenne valittiin"));
        assert!(m.text(Language::Sv).1.contains("Ert anbud antogs"));
    }

    /// Every notification in every language: all placeholders filled, and the three texts
    /// different.
    #[test]
    fn every_notification_in_every_language() {
        let t = Utc.with_ymd_and_hms(2026, 12, 8, 12, 0, 0).unwrap();
        let day = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        let changed = CallChanged {
            title: "K".into(),
            version: 2,
            fields: &[
                "submissionDeadline",
                "lines",
                "documentIds",
                "estimatedValue",
            ],
            reason: "r",
            submission_deadline: t,
            material: true,
        };
        let ranking = vec![(1, "A Oy".to_owned(), dec!(1), dec!(1))];
        let mut all = vec![
            bid_receipt("K".into(), BidAction::Submitted, 1, "h", t, t),
            bid_receipt("K".into(), BidAction::Replaced, 2, "h", t, t),
            bid_receipt("K".into(), BidAction::Withdrawn, 2, "h", t, t),
            question_asked("K".into(), "q"),
            answer_published("K".into(), "q", "a"),
            call_published("K".into(), &["home care".into()], t),
            correction_requested("K".into(), "B Oy", "t"),
            correction_decided("K".into(), true, "d"),
            correction_decided("K".into(), false, "d"),
            award_withdrawn("K".into(), "r"),
            call_changed(&changed),
            bid_review(&changed),
            bid_review(&CallChanged {
                material: false,
                ..changed
            }),
            call_cancelled("K".into(), "r"),
            call_unsuccessful("K".into(), "r"),
            contract_activated("K", dec!(100), day, day),
            contract_signed("K", "A Oy", true),
            contract_signed("K", "A Oy", false),
            contract_amended("K", 2, dec!(100), "r"),
            contract_terminated("K", day, "r"),
            deviation("K", RealizationStatus::Over, "2027-01", dec!(1), dec!(2)),
            deviation("K", RealizationStatus::Under, "2027-01", dec!(1), dec!(2)),
            deadline_reminder("K".into(), t),
        ];
        for own in [
            OwnResult::Awarded {
                rank: 1,
                total_score: dec!(1),
            },
            OwnResult::Ranked {
                rank: 2,
                price_score: dec!(1),
                quality_score: dec!(1),
                total_score: dec!(1),
            },
            OwnResult::Disqualified {
                reasons: vec!["x".into()],
            },
            OwnResult::NotCurrent,
        ] {
            all.push(award_decision("K".into(), &own, &ranking, "j", remedies()));
        }
        for m in &all {
            for l in LANGUAGES {
                let (subject, body) = m.text(l);
                for text in [subject, body] {
                    assert!(
                        !text.contains('{') && !text.contains('}'),
                        "{} {l:?}: {text}",
                        m.event
                    );
                    assert!(!text.contains("field."), "{} {l:?}: {text}", m.event);
                }
            }
            assert_ne!(m.text(Language::Fi), m.text(Language::En), "{}", m.event);
            assert_ne!(m.text(Language::Sv), m.text(Language::En), "{}", m.event);
            assert_ne!(m.text(Language::Fi), m.text(Language::Sv), "{}", m.event);
        }
    }
}
