//! Column value types shared by several tables.
//!
//! Money and other exact decimals are stored as TEXT on both databases: sea-orm reads a
//! SQLite decimal through `f64`, which would lose cents, so the column holds the exact string.

use rust_decimal::Decimal;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An exact decimal stored as its canonical string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default, Hash, DeriveValueType)]
#[sea_orm(value_type = "String")]
pub struct Money(pub Decimal);

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for Money {
    type Err = rust_decimal::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::from_str_exact(s).map(Money)
    }
}

impl From<Decimal> for Money {
    fn from(d: Decimal) -> Self {
        Money(d)
    }
}

impl From<Money> for Decimal {
    fn from(m: Money) -> Self {
        m.0
    }
}

/// A stored status or kind: a sea-orm string enum whose variants are stored as exactly the
/// strings listed, plus `as_str` giving the same string without allocating (reading one back
/// is sea-orm's `ActiveEnum::try_from_value`). One list per enum, so the stored string and
/// the one written into audit summaries cannot drift apart.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $value:tt, )+ }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
        pub enum $name {
            $( $(#[$vmeta])* #[sea_orm(string_value = $value)] $variant, )+
        }

        impl $name {
            /// The stored string.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $value, )+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// A call for tenders' status. EVALUATION is never stored: a published call reads
    /// EVALUATION once its submission deadline has passed.
    pub enum CallStatus {
        Draft = "DRAFT",
        Published = "PUBLISHED",
        Evaluation = "EVALUATION",
        Awarded = "AWARDED",
        Contracted = "CONTRACTED",
        Cancelled = "CANCELLED",
        Unsuccessful = "UNSUCCESSFUL",
    }
}

string_enum! {
    /// A correction request's (hankintaoikaisu) status.
    pub enum CorrectionStatus {
        Pending = "PENDING",
        Rejected = "REJECTED",
        Accepted = "ACCEPTED",
    }
}

string_enum! {
    /// An appeal's (valitus, to the Market Court) status.
    pub enum AppealStatus {
        Pending = "PENDING",
        Upheld = "UPHELD",
        Dismissed = "DISMISSED",
        Withdrawn = "WITHDRAWN",
    }
}

string_enum! {
    /// How a call (and the contract awarded from it) is priced.
    pub enum PricingModel {
        UnitPrice = "UNIT_PRICE",
        LumpSum = "LUMP_SUM",
    }
}

string_enum! {
    /// Credit ratings, ordered worst first so that AAA > AA > A > B > C.
    #[derive(PartialOrd, Ord)]
    pub enum CreditRating {
        C = "C",
        B = "B",
        A = "A",
        Aa = "AA",
        Aaa = "AAA",
    }
}

string_enum! {
    /// A bid's status.
    pub enum BidStatus {
        Submitted = "SUBMITTED",
        Withdrawn = "WITHDRAWN",
    }
}

string_enum! {
    /// What a bid response answers: a capability requirement or a quality criterion.
    pub enum ResponseKind {
        Capability = "CAPABILITY",
        Quality = "QUALITY",
    }
}

string_enum! {
    /// A service contract's status. COMPLETED is never stored: an active contract reads
    /// COMPLETED once its end date has passed.
    pub enum ContractStatus {
        Draft = "DRAFT",
        Active = "ACTIVE",
        Completed = "COMPLETED",
        Terminated = "TERMINATED",
    }
}

string_enum! {
    /// How a service contract came about: from an open call, or given in house.
    pub enum Procedure {
        Open = "OPEN",
        InHouse = "IN_HOUSE",
    }
}

string_enum! {
    /// A contract's realisation against its value.
    pub enum RealizationStatus {
        OnTrack = "ON_TRACK",
        Over = "OVER",
        Under = "UNDER",
    }
}

string_enum! {
    /// Where an e-mail in the outbox is.
    pub enum NotificationStatus {
        Pending = "PENDING",
        Sent = "SENT",
        Failed = "FAILED",
    }
}

string_enum! {
    /// A monthly report row: a product line or a quality measurement.
    pub enum EntryKind {
        Line = "LINE",
        Quality = "QUALITY",
    }
}

string_enum! {
    /// A product's kind of service, for the notice thresholds.
    pub enum ServiceKind {
        General = "GENERAL",
        SocialAndHealth = "SOCIAL_AND_HEALTH",
        OtherSpecific = "OTHER_SPECIFIC",
    }
}

string_enum! {
    /// The language a user is written to in (notifications) and the portal speaks to it in.
    pub enum Language {
        Fi = "FI",
        Sv = "SV",
        En = "EN",
    }
}

string_enum! {
    /// A user's role.
    #[derive(Serialize, Deserialize)]
    pub enum Role {
        Admin = "ADMIN",
        Orderer = "ORDERER",
        Producer = "PRODUCER",
    }
}

string_enum! {
    /// What an organisation is.
    #[derive(Serialize, Deserialize)]
    pub enum OrganizationKind {
        Administration = "ADMINISTRATION",
        Orderer = "ORDERER",
        InHouseProducer = "IN_HOUSE_PRODUCER",
        ExternalProvider = "EXTERNAL_PROVIDER",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant with the string stored for it: existing rows must keep reading the same.
    fn stored<E: ActiveEnum<Value = String> + Copy + fmt::Display>(expected: &[&str]) {
        let all: Vec<E> = E::iter().collect();
        let strings: Vec<String> = all.iter().map(|v| v.to_value()).collect();
        assert_eq!(strings, expected);
        for v in all {
            assert_eq!(v.to_string(), v.to_value());
            assert_eq!(
                E::try_from_value(&v.to_value()).map(|b| b.to_value()),
                Ok(v.to_value())
            );
        }
        assert!(E::try_from_value(&"UNKNOWN".to_owned()).is_err());
    }

    #[test]
    fn the_stored_strings_are_those_of_existing_databases() {
        stored::<CallStatus>(&[
            "DRAFT",
            "PUBLISHED",
            "EVALUATION",
            "AWARDED",
            "CONTRACTED",
            "CANCELLED",
            "UNSUCCESSFUL",
        ]);
        stored::<PricingModel>(&["UNIT_PRICE", "LUMP_SUM"]);
        stored::<CreditRating>(&["C", "B", "A", "AA", "AAA"]);
        stored::<BidStatus>(&["SUBMITTED", "WITHDRAWN"]);
        stored::<ResponseKind>(&["CAPABILITY", "QUALITY"]);
        stored::<ContractStatus>(&["DRAFT", "ACTIVE", "COMPLETED", "TERMINATED"]);
        stored::<Procedure>(&["OPEN", "IN_HOUSE"]);
        stored::<RealizationStatus>(&["ON_TRACK", "OVER", "UNDER"]);
        stored::<NotificationStatus>(&["PENDING", "SENT", "FAILED"]);
        stored::<EntryKind>(&["LINE", "QUALITY"]);
        stored::<Role>(&["ADMIN", "ORDERER", "PRODUCER"]);
        stored::<OrganizationKind>(&[
            "ADMINISTRATION",
            "ORDERER",
            "IN_HOUSE_PRODUCER",
            "EXTERNAL_PROVIDER",
        ]);
    }

    #[test]
    fn credit_ratings_order_worst_first() {
        assert!(CreditRating::Aaa > CreditRating::Aa && CreditRating::A > CreditRating::C);
    }
}
