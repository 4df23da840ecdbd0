//! The award decision's legal remedies (DESIGN, "The decision and its remedies"): a bidder's
//! correction request (hankintaoikaisu) to the orderer and an appeal (valitus) to the Market
//! Court, each within 14 days of the decision; no contract while either is pending.

use super::{Invalid, WrongState};
use chrono::{DateTime, TimeDelta, Utc};
pub use entity::{AppealStatus, CallStatus, CorrectionStatus};

/// Days after the decision within which a bidder may request a correction or appeal.
pub const REMEDY_DAYS: i64 = 14;

/// The last moment a bidder may request a correction of a decision made at `decided_at`.
pub fn correction_deadline(decided_at: DateTime<Utc>) -> DateTime<Utc> {
    decided_at + TimeDelta::days(REMEDY_DAYS)
}

/// The last moment an appeal may be lodged with the Market Court about that decision.
pub fn appeal_deadline(decided_at: DateTime<Utc>) -> DateTime<Utc> {
    decided_at + TimeDelta::days(REMEDY_DAYS)
}

/// Why a correction request cannot be made now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestRefused {
    /// The call has no award decision to correct (`INVALID_STATE`).
    NoDecision(WrongState),
    /// The correction deadline has passed (`DEADLINE_PASSED`).
    TooLate(DateTime<Utc>),
}

/// Whether a bidder may request a correction of the call's decision at `now`: the call is
/// AWARDED (or its contract has been made) and the decision's correction deadline is ahead.
pub fn check_request(
    status: CallStatus,
    decided_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), RequestRefused> {
    let decided = match (status, decided_at) {
        (CallStatus::Awarded | CallStatus::Contracted, Some(at)) => at,
        _ => {
            return Err(RequestRefused::NoDecision(WrongState(format!(
                "a correction is requested of an award decision; this call is {}",
                status.as_str()
            ))));
        }
    };
    let deadline = correction_deadline(decided);
    if now > deadline {
        return Err(RequestRefused::TooLate(deadline));
    }
    Ok(())
}

/// A correction request is decided once, while PENDING.
pub fn check_decidable(status: CorrectionStatus) -> Result<(), WrongState> {
    if status == CorrectionStatus::Pending {
        Ok(())
    } else {
        Err(WrongState(format!(
            "this correction request is already decided ({})",
            status.as_str()
        )))
    }
}

/// An award is withdrawn (by the orderer, or by accepting a correction request) only while
/// the call is AWARDED and no contract has been made from it.
pub fn check_withdrawable(status: CallStatus, contract_made: bool) -> Result<(), WrongState> {
    if status != CallStatus::Awarded {
        return Err(WrongState(format!(
            "only an AWARDED call's award can be withdrawn; this call is {}",
            status.as_str()
        )));
    }
    if contract_made {
        return Err(WrongState(
            "a contract has been made from this award; it can no longer be withdrawn".into(),
        ));
    }
    Ok(())
}

/// An appeal is recorded about a decided call (AWARDED, CONTRACTED or UNSUCCESSFUL), filed
/// no later than `now`.
pub fn check_appeal(
    status: CallStatus,
    filed_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), AppealRefused> {
    if !matches!(
        status,
        CallStatus::Awarded | CallStatus::Contracted | CallStatus::Unsuccessful
    ) {
        return Err(AppealRefused::State(WrongState(format!(
            "an appeal is recorded about a decided call; this call is {}",
            status.as_str()
        ))));
    }
    if filed_at > now {
        return Err(AppealRefused::Input(Invalid::new(
            "filedAt",
            format!("{} is in the future", filed_at.to_rfc3339()),
        )));
    }
    Ok(())
}

/// Why an appeal cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppealRefused {
    State(WrongState),
    Input(Invalid),
}

/// An appeal is resolved once, while PENDING, to one of its final statuses.
pub fn check_resolution(current: AppealStatus, to: AppealStatus) -> Result<(), AppealRefused> {
    if to == AppealStatus::Pending {
        return Err(AppealRefused::Input(Invalid::new(
            "status",
            "must be one of UPHELD, DISMISSED, WITHDRAWN",
        )));
    }
    if current != AppealStatus::Pending {
        return Err(AppealRefused::State(WrongState(format!(
            "this appeal is already resolved ({})",
            current.as_str()
        ))));
    }
    Ok(())
}

/// No contract is made from an award while a correction request or an appeal is pending.
pub fn check_no_pending(corrections: usize, appeals: usize) -> Result<(), WrongState> {
    match (corrections, appeals) {
        (0, 0) => Ok(()),
        (c, 0) => Err(WrongState(format!(
            "{c} correction request(s) about the award are pending; the contract can be made once they are decided"
        ))),
        (_, a) => Err(WrongState(format!(
            "{a} appeal(s) about the award are pending at the Market Court; the contract can be made once they are resolved"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, day, hour, 0, 0)
            .single()
            .unwrap()
    }

    #[test]
    fn both_deadlines_are_fourteen_days_after_the_decision() {
        assert_eq!(correction_deadline(t(1, 12)), t(15, 12));
        assert_eq!(appeal_deadline(t(1, 12)), t(15, 12));
    }

    #[test]
    fn a_correction_is_requested_of_an_award_until_its_deadline() {
        let decided = Some(t(1, 12));
        assert_eq!(
            check_request(CallStatus::Awarded, decided, t(15, 12)),
            Ok(())
        );
        assert_eq!(
            check_request(CallStatus::Contracted, decided, t(2, 0)),
            Ok(())
        );
        assert_eq!(
            check_request(CallStatus::Awarded, decided, t(15, 13)),
            Err(RequestRefused::TooLate(t(15, 12)))
        );
        for s in [
            CallStatus::Published,
            CallStatus::Evaluation,
            CallStatus::Unsuccessful,
            CallStatus::Cancelled,
        ] {
            assert!(matches!(
                check_request(s, decided, t(2, 0)),
                Err(RequestRefused::NoDecision(_))
            ));
        }
        assert!(matches!(
            check_request(CallStatus::Awarded, None, t(2, 0)),
            Err(RequestRefused::NoDecision(_))
        ));
    }

    #[test]
    fn a_request_is_decided_once() {
        assert_eq!(check_decidable(CorrectionStatus::Pending), Ok(()));
        assert!(check_decidable(CorrectionStatus::Rejected).is_err());
        assert!(check_decidable(CorrectionStatus::Accepted).is_err());
    }

    #[test]
    fn an_award_is_withdrawn_before_its_contract_only() {
        assert_eq!(check_withdrawable(CallStatus::Awarded, false), Ok(()));
        assert!(check_withdrawable(CallStatus::Awarded, true).is_err());
        assert!(check_withdrawable(CallStatus::Contracted, false).is_err());
        assert!(check_withdrawable(CallStatus::Evaluation, false).is_err());
    }

    #[test]
    fn appeals_are_about_decided_calls_and_filed_in_the_past() {
        assert_eq!(check_appeal(CallStatus::Awarded, t(2, 0), t(2, 0)), Ok(()));
        assert_eq!(
            check_appeal(CallStatus::Unsuccessful, t(1, 0), t(2, 0)),
            Ok(())
        );
        assert!(matches!(
            check_appeal(CallStatus::Evaluation, t(1, 0), t(2, 0)),
            Err(AppealRefused::State(_))
        ));
        assert!(matches!(
            check_appeal(CallStatus::Awarded, t(3, 0), t(2, 0)),
            Err(AppealRefused::Input(i)) if i.field == "filedAt" && i.code().code == "IN_FUTURE"
        ));
    }

    #[test]
    fn an_appeal_is_resolved_once_to_a_final_status() {
        use AppealStatus::*;
        for to in [Upheld, Dismissed, Withdrawn] {
            assert_eq!(check_resolution(Pending, to), Ok(()));
            assert!(matches!(
                check_resolution(to, Dismissed),
                Err(AppealRefused::State(_))
            ));
        }
        assert!(matches!(
            check_resolution(Pending, Pending),
            Err(AppealRefused::Input(_))
        ));
    }

    #[test]
    fn pending_remedies_hold_the_contract_back() {
        assert_eq!(check_no_pending(0, 0), Ok(()));
        assert!(check_no_pending(1, 0).unwrap_err().0.contains("correction"));
        assert!(check_no_pending(0, 2).unwrap_err().0.contains("appeal"));
        assert!(check_no_pending(3, 1).unwrap_err().0.contains("appeal"));
    }
}
