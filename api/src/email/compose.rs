//! The texts of notifications: plain English (the award decision, its remedies and the
//! contract's signatures in Finnish and English), the call or contract title and a summary,
//! no links. Pure functions, tested without a database.

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
    /// Submitted before a material change to the call and not submitted again: not evaluated.
    NotCurrent,
}

/// The award decision as served to one bidder: its own result, the ranking, the
/// justification, the standstill end, and where and until when to seek a correction
/// (hankintaoikaisu, to the orderer) or to appeal (valitus, to the Market Court).
/// The dates of a decision's remedies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remedies {
    pub standstill_ends_at: DateTime<Utc>,
    pub correction_deadline: DateTime<Utc>,
    pub appeal_deadline: DateTime<Utc>,
}

/// The instructions for a correction request and an appeal, with their deadlines: in Finnish
/// (correction, appeal), then in English (correction, appeal). The decision's mail and its
/// printable document say the same.
pub fn instructions(remedies: Remedies) -> [String; 4] {
    let (correction, appeal) = (
        at(remedies.correction_deadline),
        at(remedies.appeal_deadline),
    );
    [
        format!(
            "Oikaisuvaatimus (hankintaoikaisu): tarjoaja voi vaatia hankintayksikköä oikaisemaan \
             päätöksen viimeistään {correction}. Vaatimus tehdään Kilpailutus-palvelussa \
             tarjouspyynnön sivulla tai kirjallisesti hankintayksikölle, ja siinä kerrotaan, mitä \
             oikaisua vaaditaan ja millä perusteella. Oikaisuvaatimus ei pidennä valitusaikaa."
        ),
        format!(
            "Valitus: tarjoaja voi hakea muutosta valittamalla markkinaoikeuteen (Radanrakentajantie 5, \
             00520 Helsinki, markkinaoikeus@oikeus.fi) viimeistään {appeal}. Valituksesta on \
             ilmoitettava kirjallisesti myös hankintayksikölle."
        ),
        format!(
            "Correction request (hankintaoikaisu): a bidder may ask the orderer to correct the \
             decision until {correction}, in Kilpailutus on the call's page or in writing to the \
             orderer, saying what should be corrected and why. A correction request does not \
             extend the time for an appeal."
        ),
        format!(
            "Appeal (valitus): a bidder may appeal to the Market Court (markkinaoikeus, \
             Radanrakentajantie 5, 00520 Helsinki, markkinaoikeus@oikeus.fi) until {appeal}. The \
             orderer must also be told of the appeal in writing."
        ),
    ]
}

/// The award decision served to one bidder, in Finnish and in English: its own result, the
/// ranking, the justification, the standstill end, and the instructions for a correction
/// request and an appeal with their deadlines.
pub fn award_decision(
    call_title: &str,
    own: &OwnResult,
    ranking: &[RankingLine],
    justification: &str,
    remedies: Remedies,
) -> Mail {
    let (own_fi, own_en) = match own {
        OwnResult::Awarded { rank, total_score } => (
            format!(
                "Tarjouksenne valittiin: hankintasopimus tehdään teidän kanssanne. Tarjous sijoittui \
                 {rank}. kokonaispisteillä {total_score}."
            ),
            format!(
                "Your bid was awarded the contract. It ranked {rank} with a total score of {total_score}."
            ),
        ),
        OwnResult::Ranked {
            rank,
            price_score,
            quality_score,
            total_score,
        } => (
            format!(
                "Tarjouksenne täytti vaatimukset ja sijoittui {rank}.: hintapisteet {price_score}, \
                 laatupisteet {quality_score}, kokonaispisteet {total_score}. Hankintasopimus \
                 tehdään toisen tarjoajan kanssa."
            ),
            format!(
                "Your bid qualified and ranked {rank}: price score {price_score}, quality score \
                 {quality_score}, total score {total_score}. The contract was awarded to another bid."
            ),
        ),
        OwnResult::Disqualified { reasons } => {
            let list: String = reasons.iter().map(|r| format!("  - {r}\n")).collect();
            (
                format!(
                    "Tarjouksenne ei täyttänyt vaatimuksia, eikä sitä otettu vertailuun, \
                     seuraavista syistä:\n{list}Hankintasopimus tehdään toisen tarjoajan kanssa."
                ),
                format!(
                    "Your bid did not qualify and was not ranked, for these reasons:\n{list}\
                     The contract was awarded to another bid."
                ),
            )
        }
        OwnResult::NotCurrent => (
            "Tarjouksenne jätettiin ennen tarjouspyynnön olennaista muutosta, eikä sitä jätetty \
             uudelleen, joten sitä ei arvioitu. Hankintasopimus tehdään toisen tarjoajan kanssa."
                .to_owned(),
            "Your bid was submitted before a material change to the call and was not submitted \
             again, so it was not evaluated. The contract was awarded to another bid."
                .to_owned(),
        ),
    };
    let table = |price: &str, score: &str| -> String {
        ranking
            .iter()
            .map(|(rank, name, p, s)| format!("  {rank}. {name}: {price} {p} EUR, {score} {s}\n"))
            .collect()
    };
    let standstill = at(remedies.standstill_ends_at);
    let [fi_correction, fi_appeal, en_correction, en_appeal] = instructions(remedies);
    Mail {
        event: "call.awarded",
        subject: format!("Hankintapäätös / Award decision: {call_title}"),
        body: format!(
            "SUOMEKSI\n\n\
             Hankintayksikkö on tehnyt päätöksen tarjouspyynnöstä \"{call_title}\".\n\n{own_fi}\n\n\
             Hyväksyttyjen tarjousten järjestys:\n{table_fi}\n\
             Perustelut: {justification}\n\n\
             Odotusaika päättyy {standstill}; hankintasopimusta ei tehdä ennen sitä.\n\n\
             {fi_correction}\n\n{fi_appeal}\n\n\
             IN ENGLISH\n\n\
             The orderer decided the call for tenders \"{call_title}\".\n\n{own_en}\n\n\
             Ranking of the qualified bids:\n{table_en}\n\
             Justification: {justification}\n\n\
             The standstill period ends at {standstill}; no contract is made before it.\n\n\
             {en_correction}\n\n{en_appeal}\n",
            table_fi = table("kokonaishinta", "kokonaispisteet"),
            table_en = table("total price", "total score"),
        ),
        private: false,
        sealed_call: None,
    }
}

/// The call's orderer users hear of a correction request about its award decision.
pub fn correction_requested(call_title: &str, requester: &str, text: &str) -> Mail {
    Mail {
        event: "correction.requested",
        subject: format!("Oikaisuvaatimus / Correction request: {call_title}"),
        body: format!(
            "{requester} vaatii oikaisua tarjouspyynnön \"{call_title}\" hankintapäätökseen. \
             Ratkaiskaa vaatimus perusteluineen Kilpailutus-palvelussa.\n\n\
             {requester} requests a correction of the award decision of the call for tenders \
             \"{call_title}\". Decide it, with reasons, in Kilpailutus.\n\n\
             Vaatimus / Request:\n{text}\n"
        ),
        private: true,
        sealed_call: None,
    }
}

/// The requester hears the orderer's decision on its correction request.
pub fn correction_decided(call_title: &str, accepted: bool, decision: &str) -> Mail {
    let (fi, en) = if accepted {
        (
            "Oikaisuvaatimuksenne hyväksyttiin: hankintapäätös on peruttu, ja tarjoukset \
             arvioidaan uudelleen. Uudesta päätöksestä ilmoitetaan erikseen.",
            "Your correction request was accepted: the award decision is withdrawn and the bids \
             return to evaluation. The new decision will be served separately.",
        )
    } else {
        (
            "Oikaisuvaatimuksenne hylättiin. Valitusaika markkinaoikeuteen kulkee \
             hankintapäätöksen mukaisesti.",
            "Your correction request was rejected. The time for an appeal to the Market Court runs \
             as stated in the award decision.",
        )
    };
    Mail {
        event: "correction.decided",
        subject: format!("Päätös oikaisuvaatimukseen / Correction request decided: {call_title}"),
        body: format!("\"{call_title}\"\n\n{fi}\n\n{en}\n\nPerustelut / Reasons:\n{decision}\n"),
        private: true,
        sealed_call: None,
    }
}

/// Every bidder hears that the award decision was withdrawn and the call is back in
/// evaluation.
pub fn award_withdrawn(call_title: &str, reason: &str) -> Mail {
    Mail {
        event: "award.withdrawn",
        subject: format!("Hankintapäätös peruttu / Award withdrawn: {call_title}"),
        body: format!(
            "Tarjouspyynnön \"{call_title}\" hankintapäätös on peruttu, ja tarjoukset arvioidaan \
             uudelleen. Uusi päätös annetaan tiedoksi kaikille tarjoajille, ja siitä alkavat uusi \
             odotusaika ja uudet muutoksenhakuajat.\n\n\
             The award decision of the call for tenders \"{call_title}\" was withdrawn and the \
             bids return to evaluation. A new decision will be served to every bidder, with a new \
             standstill period and new deadlines for remedies.\n\n\
             Syy / Reason: {reason}\n"
        ),
        private: false,
        sealed_call: None,
    }
}

/// What a change to a published call says: its version, the fields it changed, the reason
/// and the submission deadline after it.
pub struct CallChanged<'a> {
    pub title: &'a str,
    pub version: i32,
    pub fields: &'a [&'a str],
    pub reason: &'a str,
    pub submission_deadline: DateTime<Utc>,
    /// Lines, weights, criteria or requirements changed: bids before it are not current.
    pub material: bool,
}

fn change_lines(c: &CallChanged<'_>) -> String {
    format!(
        "Version: {}\nChanged: {}\nReason: {}\nBids are taken until {}.\n",
        c.version,
        c.fields.join(", "),
        c.reason,
        at(c.submission_deadline)
    )
}

/// To the subscribers of the call's categories.
pub fn call_changed(c: &CallChanged<'_>) -> Mail {
    Mail {
        event: "call.changed",
        subject: format!("Call for tenders changed: {}", c.title),
        body: format!(
            "The call for tenders \"{}\" was changed.\n\n{}",
            c.title,
            change_lines(c)
        ),
        private: false,
        sealed_call: None,
    }
}

/// To the users of every organisation with a standing bid: review the bid; after a material
/// change it is not evaluated unless submitted again.
pub fn bid_review(c: &CallChanged<'_>) -> Mail {
    let what = if c.material {
        "The change is material: your bid is no longer current and will not be evaluated unless you submit it again before the deadline."
    } else {
        "This change does not by itself make bids not current: review your bid, and submit it again before the deadline if the change affects it (a bid submitted before an earlier material change must be submitted again in any case)."
    };
    Mail {
        event: "bid.review",
        subject: format!("Review your bid: {} was changed", c.title),
        body: format!(
            "The call for tenders \"{}\", on which your organisation has a bid, was changed.\n\n{}\n{what}\n",
            c.title,
            change_lines(c)
        ),
        private: true,
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

/// The other party hears that `by` signed the contract.
pub fn contract_signed(title: &str, by: &str, both: bool) -> Mail {
    let (fi, en) = if both {
        (
            "Sopimus on nyt molempien osapuolten allekirjoittama, ja tilaaja voi ottaa sen käyttöön.",
            "Both parties have now signed the contract; the orderer can activate it.",
        )
    } else {
        (
            "Sopimus odottaa teidän allekirjoitustanne.",
            "The contract awaits your organisation's signature.",
        )
    };
    Mail {
        event: "contract.signed",
        subject: format!("Sopimus allekirjoitettu / Contract signed: {title}"),
        body: format!(
            "{by} allekirjoitti palvelusopimuksen \"{title}\". {fi}\n\n\
             {by} signed the service contract \"{title}\". {en}\n"
        ),
        private: false,
        sealed_call: None,
    }
}

/// The producer hears of an amendment: the new version, the value and the reason.
pub fn contract_amended(title: &str, version: i32, value: &str, reason: &str) -> Mail {
    Mail {
        event: "contract.amended",
        subject: format!("Contract amended: {title}"),
        body: format!(
            "The service contract \"{title}\" was amended: version {version}, value {value} EUR.\n\n\
             Reason: {reason}\n"
        ),
        private: false,
        sealed_call: None,
    }
}

/// The producer hears that its contract was terminated.
pub fn contract_terminated(title: &str, on: &str, reason: &str) -> Mail {
    Mail {
        event: "contract.terminated",
        subject: format!("Contract terminated: {title}"),
        body: format!(
            "The service contract \"{title}\" was terminated on {on}.\n\nReason: {reason}\n"
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
        let r = Remedies {
            standstill_ends_at: d,
            correction_deadline: d + chrono::TimeDelta::days(1),
            appeal_deadline: d + chrono::TimeDelta::days(2),
        };
        let m = award_decision("Kotihoito", &ranked, &ranking, "Best value", r);
        assert!(
            m.body.contains("sijoittui 2.: hintapisteet 50.00"),
            "{}",
            m.body
        );
        assert!(
            m.body
                .contains("correct the decision until 2026-12-09T12:00:00Z")
        );
        assert!(
            m.body
                .contains("oikaisemaan päätöksen viimeistään 2026-12-09T12:00:00Z")
        );
        assert!(m.body.contains("Market Court (markkinaoikeus"));
        assert!(
            m.body
                .contains("until 2026-12-10T12:00:00Z. The orderer must")
        );
        assert!(m.body.contains("markkinaoikeuteen (Radanrakentajantie 5"));
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
        let m = award_decision("K", &out, &ranking, "x", r);
        assert!(m.body.contains("did not qualify") && m.body.contains("equity ratio 0.18"));
        assert!(!m.body.contains("Your bid was awarded the contract."));
        // The awarded bidder is told plainly, whatever its rank.
        let won = OwnResult::Awarded {
            rank: 2,
            total_score: "80.00".into(),
        };
        let m = award_decision("K", &won, &ranking, "x", r);
        assert!(m.body.contains("Your bid was awarded the contract."));
        assert!(m.body.contains("Tarjouksenne valittiin"));
    }
}
