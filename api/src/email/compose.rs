//! The texts of notifications: plain English, the call or contract title and a summary, no
//! links. Pure functions, tested without a database.

use super::outbox::Mail;
use chrono::{DateTime, SecondsFormat, Utc};
use entity::RealizationStatus;

fn at(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// What the receipt e-mail is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BidAction {
    Submitted,
    Replaced,
    Withdrawn,
}

pub fn bid_receipt(
    call_title: &str,
    action: BidAction,
    version: i32,
    receipt: &str,
    at_time: DateTime<Utc>,
    deadline: DateTime<Utc>,
) -> Mail {
    let (verb, subject) = match action {
        BidAction::Submitted => ("received your bid", "Bid received"),
        BidAction::Replaced => ("received your replacement bid", "Bid replaced"),
        BidAction::Withdrawn => ("withdrew your bid", "Bid withdrawn"),
    };
    Mail {
        event: match action {
            BidAction::Submitted => "bid.submitted",
            BidAction::Replaced => "bid.replaced",
            BidAction::Withdrawn => "bid.withdrawn",
        },
        subject: format!("{subject}: {call_title}"),
        body: format!(
            "We {verb} on the call for tenders \"{call_title}\".\n\n\
             Version: {version}\nTime: {}\nReceipt (SHA-256): {receipt}\n\n\
             The submission deadline is {}. Until then nobody but your organisation can see the bid.\n",
            at(at_time),
            at(deadline)
        ),
        private: true,
        sealed_call: None,
    }
}

/// To the call's orderer: a new question, without who asked it.
pub fn question_asked(call_title: &str, question: &str) -> Mail {
    Mail {
        event: "question.asked",
        subject: format!("New question: {call_title}"),
        body: format!(
            "A question was asked on your call for tenders \"{call_title}\". \
             Its answer will be public.\n\nQuestion: {question}\n"
        ),
        private: false,
        sealed_call: None,
    }
}

pub fn answer_published(call_title: &str, question: &str, answer: &str) -> Mail {
    Mail {
        event: "question.answered",
        subject: format!("Your question was answered: {call_title}"),
        body: format!(
            "The orderer answered your question on the call for tenders \"{call_title}\". \
             The answer is public; your name is not shown with it.\n\nQuestion: {question}\n\nAnswer: {answer}\n"
        ),
        private: false,
        sealed_call: None,
    }
}

pub fn call_published(
    call_title: &str,
    categories: &[String],
    submission_deadline: DateTime<Utc>,
) -> Mail {
    Mail {
        event: "call.published",
        subject: format!("New call for tenders: {call_title}"),
        body: format!(
            "A call for tenders was published in a category you follow ({}): \"{call_title}\".\n\n\
             Bids are taken until {}.\n",
            categories.join(", "),
            at(submission_deadline)
        ),
        private: false,
        sealed_call: None,
    }
}

/// One line of a published ranking: (rank, bidder name, total price, total score).
pub type RankingLine = (i32, String, String, String);

/// One bidder's own result in an award decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnResult {
    /// This bidder's bid was awarded the contract (whatever its rank).
    Awarded { rank: i32, total_score: String },
    /// Qualified and ranked, not awarded.
    Ranked {
        rank: i32,
        price_score: String,
        quality_score: String,
        total_score: String,
    },
    /// Did not qualify, for these reasons.
    Disqualified { reasons: Vec<String> },
}

/// The award decision as served to one bidder: its own result, the ranking, the
/// justification, the standstill end, and where and until when to seek a correction
/// (hankintaoikaisu, to the orderer) or to appeal (valitus, to the Market Court).
pub fn award_decision(
    call_title: &str,
    own: &OwnResult,
    ranking: &[RankingLine],
    justification: &str,
    standstill_ends_at: DateTime<Utc>,
    remedies_until: DateTime<Utc>,
) -> Mail {
    let own = match own {
        OwnResult::Awarded { rank, total_score } => format!(
            "Your bid was awarded the contract. It ranked {rank} with a total score of {total_score}."
        ),
        OwnResult::Ranked {
            rank,
            price_score,
            quality_score,
            total_score,
        } => format!(
            "Your bid qualified and ranked {rank}: price score {price_score}, quality score \
             {quality_score}, total score {total_score}. The contract was awarded to another bid."
        ),
        OwnResult::Disqualified { reasons } => {
            let list: String = reasons.iter().map(|r| format!("  - {r}\n")).collect();
            format!(
                "Your bid did not qualify and was not ranked, for these reasons:\n{list}\
                 The contract was awarded to another bid."
            )
        }
    };
    let table: String = ranking
        .iter()
        .map(|(rank, name, price, score)| {
            format!("  {rank}. {name}: total price {price} EUR, total score {score}\n")
        })
        .collect();
    Mail {
        event: "call.awarded",
        subject: format!("Award decision: {call_title}"),
        body: format!(
            "The orderer decided the call for tenders \"{call_title}\".\n\n{own}\n\nRanking of the qualified bids:\n{table}\n\
             Justification: {justification}\n\nThe standstill period ends at {}; no contract is made before it.\n\n\
             Remedies: a bidder may ask the orderer to correct the decision (hankintaoikaisu) and may \
             appeal to the Market Court (markkinaoikeus, valitus), each until {}.\n",
            at(standstill_ends_at),
            at(remedies_until),
        ),
        private: false,
        sealed_call: None,
    }
}

pub fn call_cancelled(call_title: &str, reason: &str) -> Mail {
    Mail {
        event: "call.cancelled",
        subject: format!("Call cancelled: {call_title}"),
        body: format!("The call for tenders \"{call_title}\" was cancelled.\n\nReason: {reason}\n"),
        private: false,
        sealed_call: None,
    }
}

pub fn call_unsuccessful(call_title: &str, reason: &str) -> Mail {
    Mail {
        event: "call.unsuccessful",
        subject: format!("Call ended without an award: {call_title}"),
        body: format!(
            "The call for tenders \"{call_title}\" ended without an award.\n\nReason: {reason}\n"
        ),
        private: false,
        sealed_call: None,
    }
}

pub fn contract_activated(title: &str, value: &str, start: &str, end: &str) -> Mail {
    Mail {
        event: "contract.activated",
        subject: format!("Contract activated: {title}"),
        body: format!(
            "The service contract \"{title}\" is now active.\n\nValue: {value} EUR\nPeriod: {start} – {end}\n"
        ),
        private: false,
        sealed_call: None,
    }
}

pub fn deviation(
    title: &str,
    status: RealizationStatus,
    period: &str,
    forecast: &str,
    contracted: &str,
) -> Mail {
    let word = if status == RealizationStatus::Over {
        "above"
    } else {
        "below"
    };
    Mail {
        event: "contract.deviation",
        subject: format!("Realisation {status}: {title}"),
        body: format!(
            "After the report for {period}, the forecast of the service contract \"{title}\" is {forecast} EUR, \
             more than 10 % {word} the contracted {contracted} EUR.\n"
        ),
        private: false,
        sealed_call: None,
    }
}

pub fn deadline_reminder(call_title: &str, submission_deadline: DateTime<Utc>) -> Mail {
    Mail {
        event: "call.deadline_soon",
        subject: format!("Deadline in 24 hours: {call_title}"),
        body: format!(
            "Bids for the call for tenders \"{call_title}\" are taken until {}, less than 24 hours from now. \
             If your organisation means to bid, submit before then; a bid already submitted can still be \
             replaced or withdrawn until the deadline.\n",
            at(submission_deadline)
        ),
        private: false,
        sealed_call: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_receipt_names_the_call_and_the_hash_and_stays_sealed() {
        let t = Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap();
        let d = Utc.with_ymd_and_hms(2026, 12, 8, 12, 0, 0).unwrap();
        let m = bid_receipt("Kotihoito 2027", BidAction::Replaced, 2, "abc123", t, d);
        assert_eq!(m.subject, "Bid replaced: Kotihoito 2027");
        assert!(m.body.contains("abc123") && m.body.contains("Version: 2"));
        assert!(m.private && m.sealed_call.is_none());
        assert_eq!(m.event, "bid.replaced");
    }

    #[test]
    fn an_award_tells_each_bidder_its_rank_and_the_ranking() {
        let d = Utc.with_ymd_and_hms(2026, 12, 8, 12, 0, 0).unwrap();
        let ranking = vec![(
            1,
            "A Oy".to_owned(),
            "100.00".to_owned(),
            "90.00".to_owned(),
        )];
        let ranked = OwnResult::Ranked {
            rank: 2,
            price_score: "50.00".into(),
            quality_score: "30.00".into(),
            total_score: "80.00".into(),
        };
        let m = award_decision("Kotihoito", &ranked, &ranking, "Best value", d, d);
        assert!(m.body.contains("ranked 2: price score 50.00"), "{}", m.body);
        assert!(!m.body.contains("Your bid was awarded the contract."));
        assert!(m.body.contains("Justification: Best value"));
        assert!(
            m.body
                .contains("standstill period ends at 2026-12-08T12:00:00Z")
        );
        assert!(
            m.body
                .contains("1. A Oy: total price 100.00 EUR, total score 90.00")
        );
        let out = OwnResult::Disqualified {
            reasons: vec!["equity ratio 0.18 is below the required 0.2".into()],
        };
        let m = award_decision("K", &out, &ranking, "x", d, d);
        assert!(m.body.contains("did not qualify") && m.body.contains("equity ratio 0.18"));
        assert!(!m.body.contains("Your bid was awarded the contract."));
        // The awarded bidder is told plainly, whatever its rank.
        let won = OwnResult::Awarded {
            rank: 2,
            total_score: "80.00".into(),
        };
        let m = award_decision("K", &won, &ranking, "x", d, d);
        assert!(m.body.contains("Your bid was awarded the contract."));
    }
}
