//! eForms notices (UBL 2.3 XML, eForms SDK 1.15) from a call's data: the contract notice on
//! publication, the contract award notice on award and the contract modification notice on an
//! amendment (DESIGN "Notices, languages, lots"). EU regime: subtypes 16 / 29, or 20 / 33 for
//! social and other specific services; national regime (and a voluntary notice below it): E3 /
//! E4; modifications: 38. Everything in a notice comes from the plain values given here; what
//! the model does not hold (the review body, the procedure, "no EU funds") is the same for
//! every call of a Finnish municipality's open procedure and is written here once.

use super::escape_markup as escape;
use super::thresholds::{Regime, ServiceKind};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

/// The notice's version of the SDK (`cbc:CustomizationID`).
pub const CUSTOMIZATION: &str = "eforms-sdk-1.15";

/// The review body for every Finnish public procurement: the Market Court.
pub const REVIEW_BODY_NAME: &str = "Markkinaoikeus";
pub const REVIEW_BODY_BUSINESS_ID: &str = "3006157-6";
pub const REVIEW_BODY_STREET: &str = "Radanrakentajantie 5";
pub const REVIEW_BODY_POSTAL_CODE: &str = "00520";
pub const REVIEW_BODY_CITY: &str = "Helsinki";
pub const REVIEW_BODY_NUTS: &str = "FI1B1";
pub const REVIEW_BODY_EMAIL: &str = "markkinaoikeus@oikeus.fi";
pub const REVIEW_BODY_PHONE: &str = "+358 29 564 3300";

/// Which notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Contract,
    Award,
    Modification,
}

/// The eForms notice subtypes this system writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subtype {
    /// Contract notice, directive 2014/24 (general services above the EU threshold).
    S16,
    /// Contract notice for social and other specific services, directive 2014/24.
    S20,
    /// Contract award notice, directive 2014/24.
    S29,
    /// Contract award notice for social and other specific services.
    S33,
    /// Contract modification notice, directive 2014/24.
    S38,
    /// Contract notice below the EU thresholds (national or voluntary).
    E3,
    /// Contract award notice below the EU thresholds (national or voluntary).
    E4,
}

impl Subtype {
    /// The notice's subtype for `kind` under `regime` with the call's governing service kind.
    pub fn of(kind: Kind, regime: Regime, service: ServiceKind) -> Subtype {
        let light = service != ServiceKind::General;
        match (kind, regime) {
            (Kind::Modification, _) => Subtype::S38,
            (Kind::Contract, Regime::Eu) if light => Subtype::S20,
            (Kind::Contract, Regime::Eu) => Subtype::S16,
            (Kind::Contract, _) => Subtype::E3,
            (Kind::Award, Regime::Eu) if light => Subtype::S33,
            (Kind::Award, Regime::Eu) => Subtype::S29,
            (Kind::Award, _) => Subtype::E4,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Subtype::S16 => "16",
            Subtype::S20 => "20",
            Subtype::S29 => "29",
            Subtype::S33 => "33",
            Subtype::S38 => "38",
            Subtype::E3 => "E3",
            Subtype::E4 => "E4",
        }
    }

    fn national(self) -> bool {
        matches!(self, Subtype::E3 | Subtype::E4)
    }

    fn light(self) -> bool {
        matches!(self, Subtype::S20 | Subtype::S33)
    }
}

/// An economic operator's size (Commission Recommendation 2003/361/EC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CompanySize {
    Micro,
    Small,
    Medium,
    Large,
}

impl CompanySize {
    /// The size by annual turnover alone, the one measure a bid declares: at most 2, 10 and 50
    /// million euros for a micro, small and medium-sized enterprise.
    pub fn by_turnover(turnover: Decimal) -> CompanySize {
        if turnover <= Decimal::from(2_000_000) {
            CompanySize::Micro
        } else if turnover <= Decimal::from(10_000_000) {
            CompanySize::Small
        } else if turnover <= Decimal::from(50_000_000) {
            CompanySize::Medium
        } else {
            CompanySize::Large
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            CompanySize::Micro => "micro",
            CompanySize::Small => "small",
            CompanySize::Medium => "medium",
            CompanySize::Large => "large",
        }
    }
}

/// The notice languages: Finnish always, Swedish and English where the call has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    Fi,
    Sv,
    En,
}

impl Lang {
    fn code(self) -> &'static str {
        match self {
            Lang::Fi => "FIN",
            Lang::Sv => "SWE",
            Lang::En => "ENG",
        }
    }
}

/// A text in the notice's languages: the Finnish one and any translations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texts {
    pub fi: String,
    pub sv: Option<String>,
    pub en: Option<String>,
}

impl Texts {
    pub fn finnish(fi: impl Into<String>) -> Texts {
        Texts {
            fi: fi.into(),
            sv: None,
            en: None,
        }
    }
}

/// Where and how an organisation is reached, as eForms requires it of a buyer and a winner.
/// Finnish: the country is Finland.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub business_id: String,
    pub street: Option<String>,
    pub postal_code: String,
    pub city: String,
    /// NUTS 2024 level-3 code, e.g. FI1C7 (Kymenlaakso).
    pub nuts: String,
    /// Required of a buyer; a winner's where it has given one.
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// An organisation as a notice names it (the service fills what an organisation has not given
/// from the contracting authority's contact).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub name: String,
    pub contact: Contact,
    pub size: Option<CompanySize>,
}

/// A quality criterion and its weight (percent of the total score).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    pub name: String,
    pub weight: i32,
}

/// What every notice of a call says about the procurement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procurement {
    pub call_id: String,
    pub title: Texts,
    pub description: Texts,
    pub buyer: Organisation,
    pub regime: Regime,
    pub service_kind: ServiceKind,
    /// CPV codes (8 digits with the check digit, e.g. 85312000-9), the main one first.
    pub cpv_codes: Vec<String>,
    pub estimated_value: Option<Decimal>,
    /// When the call was (or, for a draft, would be) published.
    pub published_at: DateTime<Utc>,
    pub questions_deadline: DateTime<Utc>,
    pub submission_deadline: DateTime<Utc>,
    pub contract_start: NaiveDate,
    pub contract_end: NaiveDate,
    pub price_weight: i32,
    pub quality: Vec<Criterion>,
    /// The call's public page, where the documents are and bids are submitted.
    pub call_url: String,
    pub standstill_days: i32,
    /// The call's lots; none for a call without lots, which is one lot (`LOT-0001`).
    pub lots: Vec<LotPart>,
}

/// A lot of a call as notices give it: its number (`LOT-000n`), its title and the CPV codes of
/// its lines (the main one first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotPart {
    pub number: i32,
    pub title: String,
    pub cpv_codes: Vec<String>,
}

/// A lot's outcome in an award or modification notice: its award, or none when the lot was
/// declared unsuccessful (no winner). `tenders` are the bids received for the lot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotOutcome {
    /// The lot's number (1 for a call without lots).
    pub number: i32,
    pub award: Option<AwardResult>,
    pub tenders: Vec<Tender>,
}

/// A bid as the award notice counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tender {
    pub size: CompanySize,
}

/// The award: the winner, its bid and price, every bid received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardResult {
    pub decided_at: DateTime<Utc>,
    pub winner: Organisation,
    pub winning_bid_id: String,
    pub winning_price: Decimal,
    pub lowest_price: Decimal,
    pub highest_price: Decimal,
    /// The contract's reference: its id once drawn up; before, the call's id (a call has at
    /// most one contract).
    pub contract_ref: String,
    /// When the contract was concluded (signed by both parties), if it has been. Until then
    /// the notice gives the award decision's date as the conclusion date, which eForms requires
    /// of a result with a winner (BT-145).
    pub concluded: Option<DateTime<Utc>>,
}

impl AwardResult {
    /// The conclusion date the notice gives: the contract's, or until it is concluded the
    /// award decision's (never before the decision).
    fn concluded_on(&self) -> DateTime<Utc> {
        self.concluded
            .unwrap_or(self.decided_at)
            .max(self.decided_at)
    }
}

/// A contract amendment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Modification {
    pub contract_id: String,
    pub version: i32,
    pub reason: String,
    pub value_delta: Decimal,
    /// The contract's total value after the amendment.
    pub total_after: Decimal,
    pub made_at: DateTime<Utc>,
}

/// The notice's identifier: a UUID derived from what it is about, so the same notice has the
/// same id however often it is read.
pub fn notice_id(kind: Kind, subject: &str) -> String {
    let tag = match kind {
        Kind::Contract => "contract-notice",
        Kind::Award => "award-notice",
        Kind::Modification => "modification-notice",
    };
    let digest = Sha256::digest(format!("{tag}:{subject}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

// ---- XML writing -------------------------------------------------------------------------

/// An indented XML writer: elements open and close in code order.
struct Xml {
    out: String,
    depth: usize,
    /// The notice's languages, Finnish first: every text is written in each.
    langs: Vec<Lang>,
}

impl Xml {
    fn new(langs: Vec<Lang>) -> Xml {
        Xml {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            depth: 0,
            langs,
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn start(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(tag);
        for (k, v) in attrs {
            self.out.push_str(&format!(" {k}=\"{}\"", escape(v)));
        }
        self.out.push_str(">\n");
        self.depth += 1;
    }

    fn end(&mut self, tag: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.out.push_str(&format!("</{tag}>\n"));
    }

    /// `<tag attrs>` … `</tag>` around what `inner` writes.
    fn el(&mut self, tag: &str, attrs: &[(&str, &str)], inner: impl FnOnce(&mut Xml)) {
        self.start(tag, attrs);
        inner(self);
        self.end(tag);
    }

    fn leaf(&mut self, tag: &str, attrs: &[(&str, &str)], text: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(tag);
        for (k, v) in attrs {
            self.out.push_str(&format!(" {k}=\"{}\"", escape(v)));
        }
        self.out.push_str(&format!(">{}</{tag}>\n", escape(text)));
    }

    fn code(&mut self, tag: &str, list: &str, value: &str) {
        self.leaf(tag, &[("listName", list)], value);
    }

    /// One element per notice language: `t`'s translation, or its Finnish text where it has
    /// none (a name the call gives in one language is written as given).
    fn texts(&mut self, tag: &str, t: &Texts) {
        for lang in self.langs.clone() {
            let text = match lang {
                Lang::Fi => &t.fi,
                Lang::Sv => t.sv.as_ref().unwrap_or(&t.fi),
                Lang::En => t.en.as_ref().unwrap_or(&t.fi),
            };
            self.leaf(tag, &[("languageID", lang.code())], text);
        }
    }

    /// A text this module writes, in Finnish, Swedish and English.
    fn fixed(&mut self, tag: &str, [fi, sv, en]: [&str; 3]) {
        self.texts(
            tag,
            &Texts {
                fi: fi.into(),
                sv: Some(sv.into()),
                en: Some(en.into()),
            },
        );
    }

    fn org_ref(&mut self, tag: &str, id: &str) {
        self.el(tag, &[], |x| {
            x.el("cac:PartyIdentification", &[], |x| {
                x.leaf("cbc:ID", &[("schemeName", "organization")], id)
            })
        });
    }
}

const NS: &[(&str, &str)] = &[
    (
        "xmlns:cac",
        "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    ),
    (
        "xmlns:cbc",
        "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    ),
    (
        "xmlns:ext",
        "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    ),
    (
        "xmlns:efac",
        "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    ),
    (
        "xmlns:efbc",
        "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
    ),
    (
        "xmlns:efext",
        "http://data.europa.eu/p27/eforms-ubl-extensions/1",
    ),
];

fn date(d: NaiveDate) -> String {
    format!("{}Z", d.format("%Y-%m-%d"))
}

fn day(t: DateTime<Utc>) -> String {
    date(t.date_naive())
}

fn time(t: DateTime<Utc>) -> String {
    format!("{}Z", t.format("%H:%M:%S"))
}

/// An amount as eForms writes it: at most two decimals, no trailing zeros needed.
fn amount(d: Decimal) -> String {
    d.round_dp(2).normalize().to_string()
}

const BUYER: &str = "ORG-0001";
const REVIEW: &str = "ORG-0002";

/// The notice's identifier `prefix-000n` (a lot's, its result's, tender's and contract's by
/// the lot's number; a winner's organisation and tendering party by its place among the
/// winners).
fn nth(prefix: &str, n: i32) -> String {
    format!("{prefix}-{n:04}")
}

/// The winners of `outcomes`, each once (by business ID), in the order of their first lot.
fn winners(outcomes: &[LotOutcome]) -> Vec<&Organisation> {
    let mut out: Vec<&Organisation> = Vec::new();
    for o in outcomes {
        if let Some(r) = &o.award
            && !out
                .iter()
                .any(|w| w.contact.business_id == r.winner.contact.business_id)
        {
            out.push(&r.winner);
        }
    }
    out
}

/// A winner's place among `winners` from 1 (its organisation is `ORG-000(n+2)`, its tendering
/// party `TPA-000n`).
fn winner_no(winners: &[&Organisation], w: &Organisation) -> i32 {
    let place = winners
        .iter()
        .position(|x| x.contact.business_id == w.contact.business_id)
        .unwrap_or(0);
    i32::try_from(place).unwrap_or(0).saturating_add(1)
}

fn company(x: &mut Xml, id: &str, o: &Organisation, with_size: bool) {
    x.el("efac:Organization", &[], |x| {
        x.el("efac:Company", &[], |x| {
            if with_size && let Some(size) = o.size {
                x.code(
                    "efbc:CompanySizeCode",
                    "economic-operator-size",
                    size.code(),
                );
            }
            x.el("cac:PartyIdentification", &[], |x| {
                x.leaf("cbc:ID", &[("schemeName", "organization")], id)
            });
            for lang in x.langs.clone() {
                x.el("cac:PartyName", &[], |x| {
                    x.leaf("cbc:Name", &[("languageID", lang.code())], &o.name)
                });
            }
            let c = &o.contact;
            x.el("cac:PostalAddress", &[], |x| {
                if let Some(street) = &c.street {
                    x.leaf("cbc:StreetName", &[], street);
                }
                x.leaf("cbc:CityName", &[], &c.city);
                x.leaf("cbc:PostalZone", &[], &c.postal_code);
                x.code("cbc:CountrySubentityCode", "nuts", &c.nuts);
                x.el("cac:Country", &[], |x| {
                    x.code("cbc:IdentificationCode", "country", "FIN")
                });
            });
            x.el("cac:PartyLegalEntity", &[], |x| {
                x.leaf("cbc:CompanyID", &[], &c.business_id)
            });
            if c.phone.is_some() || c.email.is_some() {
                x.el("cac:Contact", &[], |x| {
                    if let Some(phone) = &c.phone {
                        x.leaf("cbc:Telephone", &[], phone);
                    }
                    if let Some(email) = &c.email {
                        x.leaf("cbc:ElectronicMail", &[], email);
                    }
                });
            }
        });
    });
}

fn review_body() -> Organisation {
    Organisation {
        name: REVIEW_BODY_NAME.into(),
        contact: Contact {
            business_id: REVIEW_BODY_BUSINESS_ID.into(),
            street: Some(REVIEW_BODY_STREET.into()),
            postal_code: REVIEW_BODY_POSTAL_CODE.into(),
            city: REVIEW_BODY_CITY.into(),
            nuts: REVIEW_BODY_NUTS.into(),
            phone: Some(REVIEW_BODY_PHONE.into()),
            email: Some(REVIEW_BODY_EMAIL.into()),
        },
        size: None,
    }
}

/// The organisations the notice names: the buyer, the review body where the notice names it
/// (EU notices), the winners of an award or modification notice (their sizes only in an award
/// notice).
fn organisations(x: &mut Xml, sub: Subtype, p: &Procurement, winners: &[&Organisation]) {
    x.el("efac:Organizations", &[], |x| {
        company(x, BUYER, &p.buyer, false);
        if !sub.national() {
            company(x, REVIEW, &review_body(), false);
        }
        for (n, w) in (1..).zip(winners) {
            company(x, &nth("ORG", n + 2), w, sub != Subtype::S38);
        }
    });
}

/// The notice's languages: Finnish, and each language the call's title and description are
/// both translated into.
fn languages(p: &Procurement) -> Vec<Lang> {
    let mut langs = vec![Lang::Fi];
    if p.title.sv.is_some() && p.description.sv.is_some() {
        langs.push(Lang::Sv);
    }
    if p.title.en.is_some() && p.description.en.is_some() {
        langs.push(Lang::En);
    }
    langs
}

/// The document head every notice shares: ids, dates, the legal basis, the languages and the
/// buyer.
fn head(x: &mut Xml, p: &Procurement, id: &str, sub: Subtype, issued: DateTime<Utc>) {
    x.leaf("cbc:UBLVersionID", &[], "2.3");
    x.leaf("cbc:CustomizationID", &[], CUSTOMIZATION);
    x.leaf("cbc:ID", &[("schemeName", "notice-id")], id);
    x.leaf("cbc:ContractFolderID", &[], &folder_id(&p.call_id));
    x.leaf("cbc:IssueDate", &[], &day(issued));
    x.leaf("cbc:IssueTime", &[], &time(issued));
    x.leaf("cbc:VersionID", &[], "01");
    x.leaf(
        "cbc:RegulatoryDomain",
        &[],
        if sub.national() {
            "other"
        } else {
            "32014L0024"
        },
    );
    match sub {
        Subtype::S16 | Subtype::E3 => x.code("cbc:NoticeTypeCode", "competition", "cn-standard"),
        Subtype::S20 => x.code("cbc:NoticeTypeCode", "competition", "cn-social"),
        Subtype::S29 | Subtype::E4 => x.code("cbc:NoticeTypeCode", "result", "can-standard"),
        Subtype::S33 => x.code("cbc:NoticeTypeCode", "result", "can-social"),
        Subtype::S38 => x.code("cbc:NoticeTypeCode", "cont-modif", "can-modif"),
    }
    let langs = x.langs.clone();
    x.leaf("cbc:NoticeLanguageCode", &[], Lang::Fi.code());
    for l in langs.iter().skip(1) {
        x.el("cac:AdditionalNoticeLanguage", &[], |x| {
            x.leaf("cbc:ID", &[], l.code())
        });
    }
    x.el("cac:ContractingParty", &[], |x| {
        if sub != Subtype::S38 {
            x.el("cac:ContractingPartyType", &[], |x| {
                // A municipality: a local authority.
                x.code("cbc:PartyTypeCode", "buyer-legal-type", "la")
            });
            x.el("cac:ContractingActivity", &[], |x| {
                x.code("cbc:ActivityTypeCode", "authority-activity", "gen-pub")
            });
        }
        x.org_ref("cac:Party", BUYER);
    });
}

/// The procurement folder's id: one per call, the same in all its notices.
pub fn folder_id(call_id: &str) -> String {
    notice_id(Kind::Contract, &format!("folder:{call_id}"))
}

/// The main CPV code of a call none of whose products has one: its service kind's division
/// (health and social work services; other community, social and personal services; business
/// services).
pub fn fallback_cpv(kind: ServiceKind) -> &'static str {
    match kind {
        ServiceKind::SocialAndHealth => "85000000-9",
        ServiceKind::OtherSpecific => "98000000-3",
        ServiceKind::General => "79000000-4",
    }
}

fn cpv_digits(code: &str) -> &str {
    code.split('-').next().unwrap_or(code)
}

/// What a `cac:ProcurementProject` describes: the procedure, or a lot (the one lot of a call
/// without lots when `None`).
#[derive(Debug, Clone, Copy)]
enum Scope<'a> {
    Procedure,
    Lot(Option<&'a LotPart>),
}

/// The lots a notice gives: the call's, or its one implied lot.
fn parts(p: &Procurement) -> Vec<Option<&LotPart>> {
    if p.lots.is_empty() {
        vec![None]
    } else {
        p.lots.iter().map(Some).collect()
    }
}

fn part_number(part: Option<&LotPart>) -> i32 {
    part.map_or(1, |l| l.number)
}

/// The object: name, description, nature, CPV codes, place and (for a contract notice) the
/// estimated value (the procedure's; a lot has none of its own).
fn project(x: &mut Xml, p: &Procurement, scope: Scope<'_>, with_value: bool) {
    x.el("cac:ProcurementProject", &[], |x| {
        let lot = matches!(scope, Scope::Lot(_));
        match scope {
            Scope::Lot(Some(l)) => {
                let internal = format!("{}-{}", p.call_id, l.number);
                x.leaf("cbc:ID", &[("schemeName", "InternalID")], &internal);
                x.texts("cbc:Name", &Texts::finnish(l.title.clone()));
            }
            Scope::Lot(None) => {
                x.leaf("cbc:ID", &[("schemeName", "InternalID")], &p.call_id);
                x.texts("cbc:Name", &p.title);
            }
            Scope::Procedure => x.texts("cbc:Name", &p.title),
        }
        x.texts("cbc:Description", &p.description);
        x.code("cbc:ProcurementTypeCode", "contract-nature", "services");
        let valued = !matches!(scope, Scope::Lot(Some(_)));
        if with_value
            && valued
            && let Some(v) = p.estimated_value
        {
            x.el("cac:RequestedTenderTotal", &[], |x| {
                x.leaf(
                    "cbc:EstimatedOverallContractAmount",
                    &[("currencyID", "EUR")],
                    &amount(v),
                )
            });
        }
        // Each code once, the main one first.
        let cpv_codes = match scope {
            Scope::Lot(Some(l)) => &l.cpv_codes,
            _ => &p.cpv_codes,
        };
        let mut codes: Vec<&str> = Vec::new();
        for code in cpv_codes {
            if !codes.contains(&cpv_digits(code)) {
                codes.push(cpv_digits(code));
            }
        }
        let main = codes
            .first()
            .copied()
            .unwrap_or(cpv_digits(fallback_cpv(p.service_kind)));
        x.el("cac:MainCommodityClassification", &[], |x| {
            x.code("cbc:ItemClassificationCode", "cpv", main)
        });
        for more in codes.iter().skip(1) {
            x.el("cac:AdditionalCommodityClassification", &[], |x| {
                x.code("cbc:ItemClassificationCode", "cpv", more)
            });
        }
        x.el("cac:RealizedLocation", &[], |x| {
            x.el("cac:Address", &[], |x| {
                x.code("cbc:CountrySubentityCode", "nuts", &p.buyer.contact.nuts);
                x.el("cac:Country", &[], |x| {
                    x.code("cbc:IdentificationCode", "country", "FIN")
                });
            })
        });
        if lot {
            x.el("cac:PlannedPeriod", &[], |x| {
                x.leaf("cbc:StartDate", &[], &date(p.contract_start));
                x.leaf("cbc:EndDate", &[], &date(p.contract_end));
            });
        }
    });
}

fn awarding_terms(x: &mut Xml, p: &Procurement, weights: bool) {
    x.el("cac:AwardingTerms", &[], |x| {
        x.el("cac:AwardingCriterion", &[], |x| {
            let criterion = |x: &mut Xml, kind: &str, name: &Texts, weight: i32| {
                x.el("cac:SubordinateAwardingCriterion", &[], |x| {
                    if weights {
                        extension(x, |x| {
                            x.el("efac:AwardCriterionParameter", &[], |x| {
                                x.code("efbc:ParameterCode", "number-weight", "per-exa");
                                x.leaf("efbc:ParameterNumeric", &[], &weight.to_string());
                            })
                        });
                    }
                    x.code(
                        "cbc:AwardingCriterionTypeCode",
                        "award-criterion-type",
                        kind,
                    );
                    x.texts("cbc:Name", name);
                    let described = |t: &str| format!("{t}: {weight} %");
                    x.texts(
                        "cbc:Description",
                        &Texts {
                            fi: described(&name.fi),
                            sv: name.sv.as_deref().map(described),
                            en: name.en.as_deref().map(described),
                        },
                    );
                });
            };
            if p.price_weight > 0 {
                let price = Texts {
                    fi: "Hinta".into(),
                    sv: Some("Pris".into()),
                    en: Some("Price".into()),
                };
                criterion(x, "price", &price, p.price_weight);
            }
            for c in &p.quality {
                criterion(x, "quality", &Texts::finnish(c.name.clone()), c.weight);
            }
        })
    });
}

fn appeal_terms(x: &mut Xml, p: &Procurement) {
    x.el("cac:AppealTerms", &[], |x| {
        x.el("cac:PresentationPeriod", &[], |x| {
            let days = p.standstill_days;
            x.fixed(
                "cbc:Description",
                [
                    &format!(
                        "Hankintaoikaisua voi vaatia hankintayksiköltä ja valituksen tehdä \
                         markkinaoikeuteen 14 päivän kuluessa hankintapäätöksen \
                         tiedoksisaannista. Odotusaika {days} päivää."
                    ),
                    &format!(
                        "Upphandlingsrättelse kan begäras hos den upphandlande enheten och \
                         besvär anföras hos marknadsdomstolen inom 14 dagar från delfåendet av \
                         upphandlingsbeslutet. Väntetid {days} dagar."
                    ),
                    &format!(
                        "A correction request to the contracting authority and an appeal to the \
                         Market Court within 14 days of being notified of the award decision. \
                         Standstill period {days} days."
                    ),
                ],
            )
        });
        x.org_ref("cac:AppealReceiverParty", REVIEW);
    });
}

/// The lot's terms in a contract notice.
fn lot_terms_cn(x: &mut Xml, p: &Procurement, sub: Subtype) {
    x.el("cac:TenderingTerms", &[], |x| {
        if !sub.national() {
            x.code("cbc:VariantConstraintCode", "permission", "not-allowed");
            x.code("cbc:FundingProgramCode", "eu-funded", "no-eu-funds");
        }
        x.el("cac:CallForTendersDocumentReference", &[], |x| {
            x.leaf("cbc:ID", &[], &p.call_id);
            x.leaf("cbc:DocumentType", &[], "non-restricted-document");
            x.el("cac:Attachment", &[], |x| {
                x.el("cac:ExternalReference", &[], |x| {
                    x.leaf("cbc:URI", &[], &p.call_url)
                })
            });
        });
        if !sub.national() {
            tenderer_requirement(x, "reserved-procurement", "none");
        }
        tenderer_requirement(x, "selection-criteria-source", "epo-procurement-document");
        if !sub.national() {
            for (list, value) in [
                ("reserved-execution", "no"),
                ("einvoicing", "allowed"),
                ("ecatalog-submission", "not-allowed"),
            ] {
                x.el("cac:ContractExecutionRequirement", &[], |x| {
                    x.code("cbc:ExecutionRequirementCode", list, value)
                });
            }
        }
        awarding_terms(x, p, true);
        x.el("cac:TenderRecipientParty", &[], |x| {
            x.leaf("cbc:EndpointID", &[], &p.call_url)
        });
        if !sub.national() {
            // A bid binds its bidder from the deadline until the contract starts.
            let days = (p.contract_start - p.submission_deadline.date_naive())
                .num_days()
                .max(1);
            x.el("cac:TenderValidityPeriod", &[], |x| {
                x.leaf(
                    "cbc:DurationMeasure",
                    &[("unitCode", "DAY")],
                    &days.to_string(),
                )
            });
            appeal_terms(x, p);
            x.el("cac:Language", &[], |x| x.leaf("cbc:ID", &[], "FIN"));
            x.el("cac:PostAwardProcess", &[], |x| {
                x.leaf("cbc:ElectronicOrderUsageIndicator", &[], "false");
                x.leaf("cbc:ElectronicPaymentUsageIndicator", &[], "true");
            });
        }
    });
    x.el("cac:TenderingProcess", &[], |x| {
        x.code("cbc:SubmissionMethodCode", "esubmission", "required");
        if sub == Subtype::S16 {
            x.leaf("cbc:GovernmentAgreementConstraintIndicator", &[], "true");
        }
        x.el("cac:TenderSubmissionDeadlinePeriod", &[], |x| {
            x.leaf("cbc:EndDate", &[], &day(p.submission_deadline));
            x.leaf("cbc:EndTime", &[], &time(p.submission_deadline));
        });
        x.el("cac:AdditionalInformationRequestPeriod", &[], |x| {
            x.leaf("cbc:EndDate", &[], &day(p.questions_deadline));
            x.leaf("cbc:EndTime", &[], &time(p.questions_deadline));
        });
        if !sub.national() && !sub.light() {
            x.el("cac:OpenTenderEvent", &[], |x| {
                x.leaf("cbc:OccurrenceDate", &[], &day(p.submission_deadline));
                x.leaf("cbc:OccurrenceTime", &[], &time(p.submission_deadline));
            });
        }
        if !sub.national() {
            no_auction_or_framework(x);
        }
    });
}

/// A requirement on tenderers (`cac:TendererQualificationRequest`) from code list `list`.
fn tenderer_requirement(x: &mut Xml, list: &str, value: &str) {
    x.el("cac:TendererQualificationRequest", &[], |x| {
        x.el("cac:SpecificTendererRequirement", &[], |x| {
            x.code("cbc:TendererRequirementTypeCode", list, value)
        })
    });
}

/// Every call here: no electronic auction, no framework agreement, no dynamic purchasing
/// system.
fn no_auction_or_framework(x: &mut Xml) {
    x.el("cac:AuctionTerms", &[], |x| {
        x.leaf("cbc:AuctionConstraintIndicator", &[], "false")
    });
    for list in ["framework-agreement", "dps-usage"] {
        x.el("cac:ContractingSystem", &[], |x| {
            x.code("cbc:ContractingSystemTypeCode", list, "none")
        });
    }
}

fn root(x: &mut Xml, sub: Subtype) -> &'static str {
    let (tag, ns) = match sub {
        Subtype::S16 | Subtype::S20 | Subtype::E3 => (
            "ContractNotice",
            "urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2",
        ),
        _ => (
            "ContractAwardNotice",
            "urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2",
        ),
    };
    let mut attrs = vec![("xmlns", ns)];
    attrs.extend_from_slice(NS);
    x.start(tag, &attrs);
    tag
}

fn extension(x: &mut Xml, inner: impl FnOnce(&mut Xml)) {
    x.el("ext:UBLExtensions", &[], |x| {
        x.el("ext:UBLExtension", &[], |x| {
            x.el("ext:ExtensionContent", &[], |x| {
                x.el("efext:EformsExtension", &[], inner)
            })
        })
    });
}

fn subtype(x: &mut Xml, sub: Subtype) {
    x.el("efac:NoticeSubType", &[], |x| {
        x.code("cbc:SubTypeCode", "notice-subtype", sub.code())
    });
}

/// The procedure's terms: the legal basis, where exclusion grounds are given and, for a call
/// in `lots` lots, that a bidder may bid for all of them.
fn legal_basis(x: &mut Xml, sub: Subtype, lots: usize) {
    let contract_notice = matches!(sub, Subtype::S16 | Subtype::S20 | Subtype::E3);
    if !sub.national() && !contract_notice {
        return;
    }
    x.el("cac:TenderingTerms", &[], |x| {
        if sub.national() {
            x.el("cac:ProcurementLegislationDocumentReference", &[], |x| {
                x.leaf("cbc:ID", &[], "LocalLegalBasis");
                x.fixed(
                    "cbc:DocumentDescription",
                    [
                        "Laki julkisista hankinnoista ja käyttöoikeussopimuksista (1397/2016)",
                        "Lag om offentlig upphandling och koncession (1397/2016)",
                        "Act on Public Procurement and Concession Contracts (1397/2016)",
                    ],
                );
            });
        }
        if contract_notice {
            tenderer_requirement(x, "exclusion-grounds-source", "epo-procurement-document");
        }
        if contract_notice && lots > 1 {
            x.el("cac:LotDistribution", &[], |x| {
                x.leaf("cbc:MaximumLotsSubmittedNumeric", &[], &lots.to_string())
            });
        }
    });
}

fn procedure(x: &mut Xml, sub: Subtype) {
    x.el("cac:TenderingProcess", &[], |x| {
        if sub.light() {
            x.fixed(
                "cbc:Description",
                ["Avoin menettely", "Öppet förfarande", "Open procedure"],
            );
        }
        x.code("cbc:ProcedureCode", "procurement-procedure-type", "open");
        if sub == Subtype::S16 {
            x.el("cac:ProcessJustification", &[], |x| {
                x.code("cbc:ProcessReasonCode", "accelerated-procedure", "false")
            });
        }
    });
}

/// The contract notice: 16, 20 or E3 by the call's regime and service kind.
pub fn contract_notice(p: &Procurement) -> (Subtype, String) {
    let sub = Subtype::of(Kind::Contract, p.regime, p.service_kind);
    let mut x = Xml::new(languages(p));
    let tag = root(&mut x, sub);
    extension(&mut x, |x| {
        subtype(x, sub);
        organisations(x, sub, p, &[]);
    });
    head(
        &mut x,
        p,
        &notice_id(Kind::Contract, &p.call_id),
        sub,
        p.published_at,
    );
    legal_basis(&mut x, sub, p.lots.len());
    procedure(&mut x, sub);
    project(&mut x, p, Scope::Procedure, true);
    for part in parts(p) {
        x.el("cac:ProcurementProjectLot", &[], |x| {
            let id = nth("LOT", part_number(part));
            x.leaf("cbc:ID", &[("schemeName", "Lot")], &id);
            lot_terms_cn(x, p, sub);
            project(x, p, Scope::Lot(part), true);
        });
    }
    x.end(tag);
    (sub, x.out)
}

fn statistics(x: &mut Xml, tenders: &[Tender]) {
    let count = |size: Option<CompanySize>| {
        tenders
            .iter()
            .filter(|t| size.is_none_or(|s| t.size == s))
            .count()
    };
    let stats = [
        ("tenders", count(None)),
        ("t-micro", count(Some(CompanySize::Micro))),
        ("t-small", count(Some(CompanySize::Small))),
        ("t-med", count(Some(CompanySize::Medium))),
        ("t-large", count(Some(CompanySize::Large))),
        // Every bidder is a Finnish organisation, and every bid is submitted electronically.
        ("t-oth-eea", 0),
        ("t-no-eea", 0),
        ("t-esubm", count(None)),
    ];
    for (code, n) in stats {
        x.el("efac:ReceivedSubmissionsStatistics", &[], |x| {
            x.code("efbc:StatisticsCode", "received-submission-type", code);
            x.leaf("efbc:StatisticsNumeric", &[], &n.to_string());
        });
    }
}

/// The result part of an award or modification notice: a result per lot (its winning tender
/// and contract, or no winner), the winning tenders, the contracts and the winners' tendering
/// parties. `total` is the notice's total amount.
fn notice_result(
    x: &mut Xml,
    sub: Subtype,
    outcomes: &[LotOutcome],
    total: Decimal,
    stats: bool,
    lots: bool,
) {
    let winners = winners(outcomes);
    x.el("efac:NoticeResult", &[], |x| {
        x.leaf("cbc:TotalAmount", &[("currencyID", "EUR")], &amount(total));
        for o in outcomes {
            let n = o.number;
            x.el("efac:LotResult", &[], |x| {
                x.leaf("cbc:ID", &[("schemeName", "result")], &nth("RES", n));
                if let Some(r) = &o.award
                    && stats
                    && sub == Subtype::S29
                {
                    x.leaf(
                        "cbc:HigherTenderAmount",
                        &[("currencyID", "EUR")],
                        &amount(r.highest_price),
                    );
                    x.leaf(
                        "cbc:LowerTenderAmount",
                        &[("currencyID", "EUR")],
                        &amount(r.lowest_price),
                    );
                }
                if stats {
                    let status = if o.award.is_some() {
                        "selec-w"
                    } else {
                        "clos-nw"
                    };
                    x.code("cbc:TenderResultCode", "winner-selection-status", status);
                }
                if o.award.is_none() && stats {
                    x.el("efac:DecisionReason", &[], |x| {
                        x.code(
                            "efbc:DecisionReasonCode",
                            "non-award-justification",
                            "all-rej",
                        )
                    });
                }
                if o.award.is_some() {
                    x.el("efac:LotTender", &[], |x| {
                        x.leaf("cbc:ID", &[("schemeName", "tender")], &nth("TEN", n))
                    });
                }
                if stats {
                    statistics(x, &o.tenders);
                }
                if o.award.is_some() {
                    x.el("efac:SettledContract", &[], |x| {
                        x.leaf("cbc:ID", &[("schemeName", "contract")], &nth("CON", n))
                    });
                }
                x.el("efac:TenderLot", &[], |x| {
                    x.leaf("cbc:ID", &[("schemeName", "Lot")], &nth("LOT", n))
                });
            });
        }
        for o in outcomes {
            let Some(r) = &o.award else { continue };
            let n = o.number;
            x.el("efac:LotTender", &[], |x| {
                x.leaf("cbc:ID", &[("schemeName", "tender")], &nth("TEN", n));
                x.leaf("cbc:RankCode", &[], "1");
                x.leaf("efbc:TenderRankedIndicator", &[], "true");
                x.el("cac:LegalMonetaryTotal", &[], |x| {
                    x.leaf(
                        "cbc:PayableAmount",
                        &[("currencyID", "EUR")],
                        &amount(r.winning_price),
                    )
                });
                if stats {
                    x.el("efac:SubcontractingTerm", &[], |x| {
                        x.code("efbc:TermCode", "applicability", "no")
                    });
                }
                x.el("efac:TenderingParty", &[], |x| {
                    let party = nth("TPA", winner_no(&winners, &r.winner));
                    x.leaf("cbc:ID", &[("schemeName", "tendering-party")], &party)
                });
                x.el("efac:TenderLot", &[], |x| {
                    x.leaf("cbc:ID", &[("schemeName", "Lot")], &nth("LOT", n))
                });
                x.el("efac:TenderReference", &[], |x| {
                    // A bid covering several lots is a tender in each.
                    let reference = if lots {
                        format!("{}/{n}", r.winning_bid_id)
                    } else {
                        r.winning_bid_id.clone()
                    };
                    x.leaf("cbc:ID", &[], &reference)
                });
            });
        }
        for o in outcomes {
            let Some(r) = &o.award else { continue };
            let n = o.number;
            x.el("efac:SettledContract", &[], |x| {
                x.leaf("cbc:ID", &[("schemeName", "contract")], &nth("CON", n));
                x.leaf("cbc:AwardDate", &[], &day(r.decided_at));
                x.leaf("cbc:IssueDate", &[], &day(r.concluded_on()));
                x.org_ref("cac:SignatoryParty", BUYER);
                x.el("efac:ContractReference", &[], |x| {
                    x.leaf("cbc:ID", &[], &r.contract_ref)
                });
                x.el("efac:LotTender", &[], |x| {
                    x.leaf("cbc:ID", &[("schemeName", "tender")], &nth("TEN", n))
                });
            });
        }
        for (k, _) in (1..).zip(&winners) {
            x.el("efac:TenderingParty", &[], |x| {
                x.leaf(
                    "cbc:ID",
                    &[("schemeName", "tendering-party")],
                    &nth("TPA", k),
                );
                x.el("efac:Tenderer", &[], |x| {
                    x.leaf(
                        "cbc:ID",
                        &[("schemeName", "organization")],
                        &nth("ORG", k + 2),
                    )
                });
            });
        }
    });
}

/// A lot of an award or modification notice.
fn result_lot(x: &mut Xml, p: &Procurement, sub: Subtype, part: Option<&LotPart>) {
    x.el("cac:ProcurementProjectLot", &[], |x| {
        x.leaf(
            "cbc:ID",
            &[("schemeName", "Lot")],
            &nth("LOT", part_number(part)),
        );
        x.el("cac:TenderingTerms", &[], |x| {
            if !sub.national() && sub != Subtype::S38 {
                x.code("cbc:FundingProgramCode", "eu-funded", "no-eu-funds");
            }
            if sub != Subtype::S38 {
                awarding_terms(x, p, true);
            }
            if !sub.national() {
                appeal_terms(x, p);
            }
        });
        if sub != Subtype::S38 && !sub.national() {
            x.el("cac:TenderingProcess", &[], |x| {
                if sub == Subtype::S29 {
                    x.leaf("cbc:GovernmentAgreementConstraintIndicator", &[], "true");
                }
                no_auction_or_framework(x);
            });
        }
        project(x, p, Scope::Lot(part), false);
    });
}

/// The lots of `outcomes` as the notice describes them.
fn outcome_lots<'a>(p: &'a Procurement, outcomes: &[LotOutcome]) -> Vec<Option<&'a LotPart>> {
    parts(p)
        .into_iter()
        .filter(|part| outcomes.iter().any(|o| o.number == part_number(*part)))
        .collect()
}

/// The contract award notice: 29, 33 or E4, of every lot's outcome (the call's one lot when
/// it has none). Issued when the last contract was concluded (the last decision until then).
pub fn award_notice(p: &Procurement, outcomes: &[LotOutcome]) -> (Subtype, String) {
    let sub = Subtype::of(Kind::Award, p.regime, p.service_kind);
    let awards = || outcomes.iter().filter_map(|o| o.award.as_ref());
    let total = awards().fold(Decimal::ZERO, |t, r| t.saturating_add(r.winning_price));
    let decided = awards().map(|r| r.decided_at).max();
    let issued = awards()
        .map(AwardResult::concluded_on)
        .max()
        .unwrap_or(p.submission_deadline);
    let mut x = Xml::new(languages(p));
    let tag = root(&mut x, sub);
    extension(&mut x, |x| {
        notice_result(x, sub, outcomes, total, true, !p.lots.is_empty());
        subtype(x, sub);
        organisations(x, sub, p, &winners(outcomes));
    });
    head(&mut x, p, &notice_id(Kind::Award, &p.call_id), sub, issued);
    legal_basis(&mut x, sub, p.lots.len());
    procedure(&mut x, sub);
    project(&mut x, p, Scope::Procedure, false);
    for part in outcome_lots(p, outcomes) {
        result_lot(&mut x, p, sub, part);
    }
    if let Some(decided) = decided {
        x.el("cac:TenderResult", &[], |x| {
            x.leaf("cbc:AwardDate", &[], &day(decided))
        });
    }
    x.end(tag);
    (sub, x.out)
}

/// The contract modification notice (38) of amendment `m` of the contract awarded by `r` in
/// lot `n` (1 for a call without lots).
pub fn modification_notice(p: &Procurement, n: i32, r: &AwardResult, m: &Modification) -> String {
    let sub = Subtype::S38;
    let mut result = r.clone();
    result.contract_ref = m.contract_id.clone();
    result.winning_price = m.total_after;
    let decided_at = r.decided_at;
    let outcomes = [LotOutcome {
        number: n,
        award: Some(result),
        tenders: Vec::new(),
    }];
    let mut x = Xml::new(languages(p));
    let tag = root(&mut x, sub);
    extension(&mut x, |x| {
        x.el("efac:ContractModification", &[], |x| {
            x.leaf(
                "efbc:ChangedNoticeIdentifier",
                &[("schemeName", "notice-id-ref")],
                &format!("{}-01", notice_id(Kind::Award, &p.call_id)),
            );
            x.leaf(
                "efbc:ModifiedContractIdentifier",
                &[("schemeName", "contract")],
                &nth("CON", n),
            );
            x.el("efac:Change", &[], |x| {
                let (v, delta, total) = (m.version, amount(m.value_delta), amount(m.total_after));
                x.fixed(
                    "efbc:ChangeDescription",
                    [
                        &format!(
                            "Sopimuksen {v}. versio: arvo muuttuu {delta} euroa, kokonaisarvo \
                             {total} euroa."
                        ),
                        &format!(
                            "Avtalets version {v}: värdet ändras med {delta} euro, totalt värde \
                             {total} euro."
                        ),
                        &format!(
                            "Version {v} of the contract: the value changes by {delta} euros, \
                             total value {total} euros."
                        ),
                    ],
                )
            });
            x.el("efac:ChangeReason", &[], |x| {
                x.code(
                    "cbc:ReasonCode",
                    "modification-justification",
                    if m.value_delta > Decimal::ZERO {
                        "add-wss"
                    } else {
                        "mod-nons"
                    },
                );
                x.texts("efbc:ReasonDescription", &Texts::finnish(m.reason.clone()));
            });
        });
        notice_result(x, sub, &outcomes, m.total_after, false, !p.lots.is_empty());
        subtype(x, sub);
        organisations(x, sub, p, &winners(&outcomes));
    });
    head(
        &mut x,
        p,
        &notice_id(
            Kind::Modification,
            &format!("{}:{}", m.contract_id, m.version),
        ),
        sub,
        m.made_at,
    );
    project(&mut x, p, Scope::Procedure, false);
    for part in outcome_lots(p, &outcomes) {
        result_lot(&mut x, p, sub, part);
    }
    x.el("cac:TenderResult", &[], |x| {
        x.leaf("cbc:AwardDate", &[], &day(decided_at))
    });
    x.end(tag);
    x.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;
    use rust_decimal::dec;

    fn org(name: &str) -> Organisation {
        Organisation {
            name: name.into(),
            contact: Contact {
                business_id: "0000000-0".into(),
                street: None,
                postal_code: "45100".into(),
                city: "Kouvola".into(),
                nuts: "FI1C7".into(),
                phone: Some("+358 00 000 0000".into()),
                email: Some("kirjaamo@example.fi".into()),
            },
            size: None,
        }
    }

    fn procurement(regime: Regime, kind: ServiceKind) -> Procurement {
        let t = |d, h| Utc.with_ymd_and_hms(2027, 1, d, h, 0, 0).single().unwrap();
        Procurement {
            call_id: "c-1".into(),
            title: Texts::finnish("Siivous & <kunnossapito>"),
            description: Texts::finnish("Koulujen siivous"),
            buyer: org("Tekninen lautakunta"),
            regime,
            service_kind: kind,
            cpv_codes: vec![
                "90910000-9".into(),
                "85312000-9".into(),
                "90910000-9".into(),
            ],
            estimated_value: Some(dec!(250000.50)),
            published_at: t(1, 9),
            questions_deadline: t(10, 9),
            submission_deadline: t(20, 10),
            contract_start: NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
            contract_end: NaiveDate::from_ymd_opt(2028, 2, 29).unwrap(),
            price_weight: 70,
            quality: vec![Criterion {
                name: "Laatu".into(),
                weight: 30,
            }],
            call_url: "https://example.fi/#/calls/c-1".into(),
            standstill_days: 14,
            lots: Vec::new(),
        }
    }

    #[test]
    fn the_subtype_follows_the_regime_and_the_service_kind() {
        use Kind::*;
        use ServiceKind::*;
        for (kind, regime, service, code) in [
            (Contract, Regime::Eu, General, "16"),
            (Contract, Regime::Eu, SocialAndHealth, "20"),
            (Contract, Regime::Eu, OtherSpecific, "20"),
            (Contract, Regime::National, SocialAndHealth, "E3"),
            (Contract, Regime::BelowNational, General, "E3"),
            (Award, Regime::Eu, General, "29"),
            (Award, Regime::Eu, OtherSpecific, "33"),
            (Award, Regime::National, General, "E4"),
            (Award, Regime::BelowNational, SocialAndHealth, "E4"),
            (Modification, Regime::Eu, General, "38"),
            (Modification, Regime::BelowNational, General, "38"),
        ] {
            assert_eq!(
                Subtype::of(kind, regime, service).code(),
                code,
                "{kind:?} {regime:?} {service:?}"
            );
        }
    }

    #[test]
    fn company_size_by_turnover_at_each_ceiling() {
        for (turnover, size) in [
            (dec!(0), CompanySize::Micro),
            (dec!(2000000), CompanySize::Micro),
            (dec!(2000000.01), CompanySize::Small),
            (dec!(10000000), CompanySize::Small),
            (dec!(10000000.01), CompanySize::Medium),
            (dec!(50000000), CompanySize::Medium),
            (dec!(50000000.01), CompanySize::Large),
        ] {
            assert_eq!(CompanySize::by_turnover(turnover), size, "{turnover}");
        }
    }

    proptest! {
        #[test]
        fn a_larger_turnover_is_never_a_smaller_company(a in 0i64..100_000_000_000, b in 0i64..100_000_000_000) {
            let (a, b) = (Decimal::new(a.min(b), 2), Decimal::new(a.max(b), 2));
            prop_assert!(CompanySize::by_turnover(a) <= CompanySize::by_turnover(b));
        }

        #[test]
        fn any_text_is_escaped_into_well_formed_xml(text in "\\PC{0,40}") {
            let mut p = procurement(Regime::Eu, ServiceKind::General);
            p.title = Texts::finnish(text.clone());
            let (_, xml) = contract_notice(&p);
            let escaped = escape(&text);
            let element = format!(">{escaped}</cbc:Name>");
            prop_assert!(xml.contains(&element));
            prop_assert!(!escaped.contains('<') && !escaped.contains('>') && !escaped.contains('"'));
            prop_assert_eq!(escaped.matches('&').count(), text.chars().filter(|c| "&<>\"'".contains(*c)).count());
        }
    }

    #[test]
    fn a_notice_is_the_same_whenever_it_is_written() {
        let p = procurement(Regime::Eu, ServiceKind::General);
        assert_eq!(contract_notice(&p), contract_notice(&p));
        assert_eq!(
            notice_id(Kind::Contract, "c-1"),
            notice_id(Kind::Contract, "c-1")
        );
        assert_ne!(
            notice_id(Kind::Contract, "c-1"),
            notice_id(Kind::Award, "c-1")
        );
        let id = notice_id(Kind::Award, "c-1");
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4", "a version-4 UUID");
    }

    #[test]
    fn a_contract_notice_carries_the_calls_data() {
        let (sub, xml) = contract_notice(&procurement(Regime::Eu, ServiceKind::General));
        assert_eq!(sub, Subtype::S16);
        assert!(xml.contains("Siivous &amp; &lt;kunnossapito&gt;"));
        assert!(xml.contains(
            "<cbc:EstimatedOverallContractAmount currencyID=\"EUR\">250000.5</cbc:EstimatedOverallContractAmount>"
        ));
        // The main CPV code first, each code once, without its check digit.
        let main = xml.find(">90910000<").unwrap();
        let more = xml.find(">85312000<").unwrap();
        assert!(main < more);
        assert_eq!(xml.matches(">90910000<").count(), 2, "procedure and lot");
        assert!(xml.contains("<cbc:EndDate>2027-01-20Z</cbc:EndDate>"));
        assert!(xml.contains("<cbc:EndTime>10:00:00Z</cbc:EndTime>"));
        assert!(xml.contains("<efbc:ParameterNumeric>70</efbc:ParameterNumeric>"));
        assert!(xml.contains("<efbc:ParameterNumeric>30</efbc:ParameterNumeric>"));
        assert!(xml.contains("<cbc:RegulatoryDomain>32014L0024</cbc:RegulatoryDomain>"));
        assert!(xml.contains(REVIEW_BODY_NAME), "the review body");
        let (sub, national) = contract_notice(&procurement(Regime::National, ServiceKind::General));
        assert_eq!(sub, Subtype::E3);
        assert!(national.contains("<cbc:RegulatoryDomain>other</cbc:RegulatoryDomain>"));
        assert!(national.contains("LocalLegalBasis"));
        assert!(
            !national.contains(REVIEW_BODY_NAME),
            "unreferenced: not named"
        );
    }

    #[test]
    fn every_text_is_in_every_notice_language() {
        let mut p = procurement(Regime::Eu, ServiceKind::SocialAndHealth);
        p.title.sv = Some("Städning".into());
        p.description.sv = Some("Städning av skolor".into());
        p.title.en = Some("Cleaning".into());
        let (_, xml) = contract_notice(&p);
        assert!(xml.contains("<cbc:NoticeLanguageCode>FIN</cbc:NoticeLanguageCode>"));
        assert!(xml.contains("<cac:AdditionalNoticeLanguage>"));
        assert!(xml.contains("<cbc:ID>SWE</cbc:ID>"));
        assert!(
            !xml.contains("<cbc:ID>ENG</cbc:ID>"),
            "English lacks the description"
        );
        assert!(xml.contains("<cbc:Name languageID=\"SWE\">Städning</cbc:Name>"));
        // A name given in one language is written as given in the other.
        assert!(xml.contains("<cbc:Name languageID=\"SWE\">Laatu</cbc:Name>"));
        assert!(xml.contains("<cbc:Name languageID=\"SWE\">Pris</cbc:Name>"));
        assert_eq!(
            xml.matches("languageID=\"FIN\"").count(),
            xml.matches("languageID=\"SWE\"").count()
        );
    }

    #[test]
    fn without_cpv_codes_the_service_kinds_division_is_the_main_code() {
        let mut p = procurement(Regime::Eu, ServiceKind::SocialAndHealth);
        p.cpv_codes.clear();
        let (_, xml) = contract_notice(&p);
        assert!(xml.contains(">85000000<"));
        for kind in [
            ServiceKind::General,
            ServiceKind::SocialAndHealth,
            ServiceKind::OtherSpecific,
        ] {
            assert!(super::super::cpv::check("cpv", fallback_cpv(kind)).is_ok());
        }
    }

    fn result() -> AwardResult {
        let mut winner = org("Puhdas Oy");
        winner.size = Some(CompanySize::Small);
        AwardResult {
            decided_at: Utc.with_ymd_and_hms(2027, 1, 25, 9, 0, 0).single().unwrap(),
            winner,
            winning_bid_id: "bid-1".into(),
            winning_price: dec!(240000),
            lowest_price: dec!(240000),
            highest_price: dec!(260000.40),
            contract_ref: "k-1".into(),
            concluded: Utc.with_ymd_and_hms(2027, 2, 12, 9, 0, 0).single(),
        }
    }

    /// The one lot of a call without lots, awarded by `r`, with three bids.
    fn outcome(r: AwardResult) -> Vec<LotOutcome> {
        vec![LotOutcome {
            number: 1,
            award: Some(r),
            tenders: [CompanySize::Small, CompanySize::Large, CompanySize::Small]
                .into_iter()
                .map(|size| Tender { size })
                .collect(),
        }]
    }

    #[test]
    fn an_award_notice_counts_the_bids_and_names_the_winner() {
        let p = procurement(Regime::Eu, ServiceKind::General);
        let (sub, xml) = award_notice(&p, &outcome(result()));
        assert_eq!(sub, Subtype::S29);
        let stat = |code: &str, n: usize| {
            format!(
                "<efbc:StatisticsCode listName=\"received-submission-type\">{code}</efbc:StatisticsCode>\n                <efbc:StatisticsNumeric>{n}</efbc:StatisticsNumeric>"
            )
        };
        for (code, n) in [
            ("tenders", 3),
            ("t-small", 2),
            ("t-large", 1),
            ("t-micro", 0),
            ("t-esubm", 3),
        ] {
            assert!(xml.contains(&stat(code, n)), "{code}");
        }
        assert!(xml.contains(
            "<cbc:HigherTenderAmount currencyID=\"EUR\">260000.4</cbc:HigherTenderAmount>"
        ));
        assert!(xml.contains("Puhdas Oy") && xml.contains(">small</efbc:CompanySizeCode>"));
        assert!(
            xml.contains("<cbc:IssueDate>2027-02-12Z</cbc:IssueDate>"),
            "issued on conclusion"
        );
        let not_yet = AwardResult {
            concluded: None,
            ..result()
        };
        let (_, awarded) = award_notice(&p, &outcome(not_yet));
        assert_eq!(
            awarded
                .matches("<cbc:IssueDate>2027-01-25Z</cbc:IssueDate>")
                .count(),
            2,
            "before the signatures: the notice and the conclusion dated the decision"
        );
        let (sub, social) = award_notice(
            &procurement(Regime::Eu, ServiceKind::OtherSpecific),
            &outcome(result()),
        );
        assert_eq!(sub, Subtype::S33);
        assert!(
            !social.contains("HigherTenderAmount"),
            "33 does not carry the range"
        );
    }

    #[test]
    fn a_call_in_lots_has_a_lot_per_lot_and_a_result_per_lot() {
        let mut p = procurement(Regime::Eu, ServiceKind::General);
        p.lots = vec![
            LotPart {
                number: 1,
                title: "Koulut".into(),
                cpv_codes: vec!["90910000-9".into()],
            },
            LotPart {
                number: 2,
                title: "Päiväkodit".into(),
                cpv_codes: Vec::new(),
            },
        ];
        let (_, cn) = contract_notice(&p);
        assert_eq!(cn.matches("<cac:ProcurementProjectLot>").count(), 2);
        assert!(cn.contains("<cbc:ID schemeName=\"Lot\">LOT-0002</cbc:ID>"));
        assert!(cn.contains("<cbc:ID schemeName=\"InternalID\">c-1-2</cbc:ID>"));
        assert!(
            cn.contains("<cbc:MaximumLotsSubmittedNumeric>2</cbc:MaximumLotsSubmittedNumeric>")
        );
        // Lot 2 has no CPV code of its own: its service kind's division.
        assert!(cn.contains(">79000000</cbc:ItemClassificationCode>"));
        // Lot 1 awarded, lot 2 without a winner.
        let mut outcomes = outcome(result());
        outcomes.push(LotOutcome {
            number: 2,
            award: None,
            tenders: vec![Tender {
                size: CompanySize::Large,
            }],
        });
        let (_, can) = award_notice(&p, &outcomes);
        assert_eq!(can.matches("<efac:LotResult>").count(), 2);
        assert!(can.contains(">clos-nw</cbc:TenderResultCode>"));
        assert!(can.contains(">all-rej</efbc:DecisionReasonCode>"));
        assert_eq!(
            can.matches("<efac:SettledContract>").count(),
            2,
            "one in the result, one listed"
        );
        assert!(
            can.contains("<cbc:ID>bid-1/1</cbc:ID>"),
            "the tender of a bid in lot 1"
        );
        let m = Modification {
            contract_id: "k-2".into(),
            version: 2,
            reason: "Lisää".into(),
            value_delta: dec!(100),
            total_after: dec!(240100),
            made_at: Utc.with_ymd_and_hms(2027, 6, 1, 9, 0, 0).single().unwrap(),
        };
        let modification = modification_notice(&p, 2, &result(), &m);
        assert!(modification.contains(">CON-0002</efbc:ModifiedContractIdentifier>"));
        assert_eq!(
            modification.matches("<cac:ProcurementProjectLot>").count(),
            1
        );
    }

    #[test]
    fn a_modification_notice_refers_to_the_award_notice_and_gives_the_new_value() {
        let p = procurement(Regime::Eu, ServiceKind::General);
        let m = Modification {
            contract_id: "k-1".into(),
            version: 3,
            reason: "Lisää kohteita".into(),
            value_delta: dec!(-1500.25),
            total_after: dec!(238499.75),
            made_at: Utc.with_ymd_and_hms(2027, 6, 1, 9, 0, 0).single().unwrap(),
        };
        let xml = modification_notice(&p, 1, &result(), &m);
        assert!(xml.contains(&format!("{}-01", notice_id(Kind::Award, "c-1"))));
        assert!(
            xml.contains(">mod-nons</cbc:ReasonCode>"),
            "a decrease is not more work"
        );
        assert!(xml.contains("<cbc:TotalAmount currencyID=\"EUR\">238499.75</cbc:TotalAmount>"));
        assert!(xml.contains("Lisää kohteita"));
        assert!(
            !xml.contains("CompanySizeCode"),
            "38 does not carry the size"
        );
        let more = Modification {
            value_delta: dec!(1000),
            ..m
        };
        assert!(modification_notice(&p, 1, &result(), &more).contains(">add-wss</cbc:ReasonCode>"));
    }
}
