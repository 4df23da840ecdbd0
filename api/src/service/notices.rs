//! eForms notices (`domain::eforms`) from the stored call, award and contract: the contract
//! notice of a call (public once published; before, a draft its orderer may read), the
//! contract award notice (public once awarded, like the decision and its ranking; it gives the
//! contract's conclusion date once both parties have signed, the decision's until then) and the
//! contract modification notice of an amendment of a call's contract (public once made). Read only: a
//! notice is computed from the data each time, so it is the same whenever it is read.

use super::lots::Unit;
use super::{Cx, parse_id};
use crate::domain::call::manages_call;
use crate::domain::eforms::{
    self, AwardResult, CompanySize, Contact, Criterion, Kind, LotOutcome, LotPart, Modification,
    Organisation, Procurement, Subtype, Tender, Texts,
};
use crate::domain::thresholds;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use entity::CallStatus;
use entity::{
    BidStatus, OrganizationKind, award_ranking, bid, call, contract_amendment, contract_signature,
    organization, service_contract as sc,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// A notice: its subtype, its XML, and whether it is a draft (not yet due).
#[derive(Debug, Clone)]
pub struct Notice {
    pub subtype: Subtype,
    pub xml: String,
    pub draft: bool,
}

/// What a notice is asked of: a call (contract and award notices) or a contract's amendment.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    Call(&'a str),
    /// The contract and the amendment's version (the latest when `None`).
    Contract(&'a str, Option<i32>),
}

/// The notice of `kind` about `subject`, as the caller may read it.
pub async fn notice(
    Cx { state, caller }: Cx<'_>,
    kind: Kind,
    subject: Subject<'_>,
) -> AppResult<Notice> {
    let conn = state.db.conn();
    let now = state.now();
    let viewer = caller.viewer();
    match (kind, subject) {
        (Kind::Contract, Subject::Call(id)) => {
            let c = super::calls::visible_call(conn, caller, "callId", id).await?;
            let draft = c.published_at.is_none();
            if draft && !manages_call(viewer, &c.orderer_id) {
                return Err(AppError::forbidden(
                    "callId: the contract notice of a call not yet published is a draft only its orderer reads",
                ));
            }
            let p = procurement(conn, &state.config, &c, now).await?;
            let (subtype, xml) = eforms::contract_notice(&p);
            Ok(Notice {
                subtype,
                xml,
                draft,
            })
        }
        (Kind::Award, Subject::Call(id)) => {
            // Public once awarded, as the award decision and its ranking are.
            let c = super::calls::visible_call(conn, caller, "callId", id).await?;
            let p = procurement(conn, &state.config, &c, now).await?;
            let lots = super::lots::lots_of(conn, &c.id).await?;
            let units: Vec<Unit> = if lots.is_empty() {
                vec![Unit {
                    call: c.clone(),
                    lot: None,
                }]
            } else {
                // A call in lots: once every lot is decided, of every lot.
                if !matches!(c.status, CallStatus::Awarded | CallStatus::Contracted) {
                    return Err(AppError::InvalidState(
                        "callId: the award notice of a call in lots is due once every lot is awarded or declared unsuccessful"
                            .into(),
                    ));
                }
                lots.into_iter()
                    .map(|l| Unit {
                        call: c.clone(),
                        lot: Some(l),
                    })
                    .collect()
            };
            let mut outcomes = Vec::with_capacity(units.len());
            for u in &units {
                outcomes.push(outcome(conn, &state.config.authority, u).await?);
            }
            let (subtype, xml) = eforms::award_notice(&p, &outcomes);
            Ok(Notice {
                subtype,
                xml,
                draft: false,
            })
        }
        (Kind::Modification, Subject::Contract(id, version)) => {
            let not_found = || AppError::not_found("contractId: no such contract");
            let k = sc::Entity::find_by_id(parse_id("contractId", id)?)
                .one(conn)
                .await?
                .ok_or_else(not_found)?;
            let Some(call_id) = k.source_call_id.clone() else {
                // Not public: only its parties learn that it exists.
                if !super::contracts::may_see(viewer, &k) {
                    return Err(not_found());
                }
                return Err(AppError::InvalidState(
                    "contractId: a contract made without a call for tenders (in-house) has no notices"
                        .into(),
                ));
            };
            let c = call::Entity::find_by_id(call_id)
                .one(conn)
                .await?
                .ok_or_else(not_found)?;
            let amendments = contract_amendment::Entity::find()
                .filter(contract_amendment::Column::ContractId.eq(k.id.as_str()))
                .order_by_asc(contract_amendment::Column::Version)
                .all(conn)
                .await?;
            let chosen = match version {
                Some(v) => amendments.iter().find(|a| a.version == v).ok_or_else(|| {
                    AppError::not_found(format!("version: the contract has no amendment {v}"))
                })?,
                None => amendments.last().ok_or_else(|| {
                    AppError::InvalidState(
                        "contractId: the contract has not been amended: no modification notice is due"
                            .into(),
                    )
                })?,
            };
            // The value after the chosen amendment: today's less the later amendments'.
            let later = crate::domain::money::sum(
                amendments
                    .iter()
                    .filter(|a| a.version > chosen.version)
                    .map(|a| a.value_delta.0),
            );
            let m = Modification {
                contract_id: k.id.clone(),
                version: chosen.version,
                reason: chosen.reason.clone(),
                value_delta: chosen.value_delta.0,
                total_after: k.total_value.0.saturating_sub(later),
                made_at: chosen.created_at,
            };
            let p = procurement(conn, &state.config, &c, now).await?;
            let lot = match &k.lot_id {
                Some(l) => Some(
                    entity::lot::Entity::find_by_id(l.clone())
                        .one(conn)
                        .await?
                        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("lot {l} missing")))?,
                ),
                None => None,
            };
            let n = lot.as_ref().map_or(1, |l| l.number);
            let u = Unit { call: c, lot };
            let (r, _) = result(conn, &state.config.authority, &u).await?;
            Ok(Notice {
                subtype: Subtype::S38,
                xml: eforms::modification_notice(&p, n, &r, &m),
                draft: false,
            })
        }
        (Kind::Contract | Kind::Award, Subject::Contract(..)) => Err(AppError::BadInput {
            field: "callId".into(),
            rule: "contract and contract award notices are asked by callId".into(),
        }),
        (Kind::Modification, Subject::Call(_)) => Err(AppError::BadInput {
            field: "contractId".into(),
            rule: "a contract modification notice is asked by contractId".into(),
        }),
    }
}

/// When the contract was concluded: its second signature, or (a contract activated before
/// signatures existed) its activation.
async fn concluded_at<C: ConnectionTrait>(
    conn: &C,
    k: &sc::Model,
) -> AppResult<Option<DateTime<Utc>>> {
    let signatures = contract_signature::Entity::find()
        .filter(contract_signature::Column::ContractId.eq(k.id.as_str()))
        .all(conn)
        .await?;
    if signatures.len() >= 2 {
        return Ok(signatures.iter().map(|s| s.signed_at).max());
    }
    Ok(k.activated_at)
}

/// The buyer as notices name it: the orderer board's own details, the authority's (the
/// municipality's) where it has none, since a board is the municipality's.
fn buyer(o: &organization::Model, a: &Contact) -> Organisation {
    let or = |own: &Option<String>, theirs: &String| own.clone().unwrap_or_else(|| theirs.clone());
    Organisation {
        name: o.name.clone(),
        contact: Contact {
            business_id: or(&o.business_id, &a.business_id),
            street: o.street_address.clone().or_else(|| a.street.clone()),
            postal_code: or(&o.postal_code, &a.postal_code),
            city: or(&o.city, &a.city),
            nuts: or(&o.nuts_code, &a.nuts),
            phone: o.phone.clone().or_else(|| a.phone.clone()),
            email: o.email.clone().or_else(|| a.email.clone()),
        },
        size: None,
    }
}

/// The winner as notices name it: its own business ID (an in-house producer without one is
/// the municipality's unit: the authority's), telephone and email (none where it has given
/// none); its address where it has given one, else the authority's region, which eForms needs
/// of a winner.
fn winner(o: &organization::Model, a: &Contact, size: CompanySize) -> AppResult<Organisation> {
    let business_id = match (&o.business_id, o.kind) {
        (Some(own), _) => own.clone(),
        (None, OrganizationKind::InHouseProducer) => a.business_id.clone(),
        (None, _) => {
            return Err(AppError::InvalidState(format!(
                "callId: the winner {} has no business ID, which the notice must give: set it with updateOrganizationDetails",
                o.name
            )));
        }
    };
    let or = |own: &Option<String>, theirs: &String| own.clone().unwrap_or_else(|| theirs.clone());
    Ok(Organisation {
        name: o.name.clone(),
        contact: Contact {
            business_id,
            street: o.street_address.clone(),
            postal_code: or(&o.postal_code, &a.postal_code),
            city: or(&o.city, &a.city),
            nuts: or(&o.nuts_code, &a.nuts),
            phone: o.phone.clone(),
            email: o.email.clone(),
        },
        size: Some(size),
    })
}

async fn org<C: ConnectionTrait>(conn: &C, id: &str) -> AppResult<organization::Model> {
    organization::Entity::find_by_id(id.to_owned())
        .one(conn)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("organisation {id} missing")))
}

/// What every notice of `c` says of the procurement. A draft's regime is today's.
async fn procurement<C: ConnectionTrait>(
    conn: &C,
    config: &crate::config::Config,
    c: &call::Model,
    now: DateTime<Utc>,
) -> AppResult<Procurement> {
    let (lines, products) = super::calls::lines_with_products(conn, &c.id).await?;
    let mut cpv_codes: Vec<String> = Vec::new();
    let mut kinds = Vec::new();
    for l in &lines {
        if let Some(p) = products.get(&l.product_id) {
            kinds.push(crate::graphql::types::service_kind(p.service_kind));
            if let Some(code) = &p.cpv_code
                && !cpv_codes.contains(code)
            {
                cpv_codes.push(code.clone());
            }
        }
    }
    let published_at = c.published_at.unwrap_or(now);
    let on = published_at.date_naive();
    let estimated_value = c.estimated_value.map(|m| m.0);
    let regime = thresholds::regime(estimated_value, kinds.iter().copied(), on);
    let service_kind = thresholds::governing_kind(kinds, &thresholds::in_force(on));
    let quality = super::calls::criteria_of(conn, &c.id)
        .await?
        .into_iter()
        .map(|q| Criterion {
            name: q.name,
            weight: q.weight,
        })
        .collect();
    let buyer = buyer(&org(conn, &c.orderer_id).await?, &config.authority);
    let lots = super::lots::lots_of(conn, &c.id)
        .await?
        .into_iter()
        .map(|l| {
            let mut codes: Vec<String> = Vec::new();
            for line in lines.iter().filter(|x| x.lot_id.as_ref() == Some(&l.id)) {
                if let Some(code) = products
                    .get(&line.product_id)
                    .and_then(|p| p.cpv_code.clone())
                    && !codes.contains(&code)
                {
                    codes.push(code);
                }
            }
            LotPart {
                number: l.number,
                title: l.title,
                cpv_codes: codes,
            }
        })
        .collect();
    Ok(Procurement {
        call_id: c.id.clone(),
        title: Texts {
            fi: c.title.clone(),
            sv: c.title_sv.clone(),
            en: c.title_en.clone(),
        },
        description: Texts {
            fi: c.description.clone(),
            sv: c.description_sv.clone(),
            en: c.description_en.clone(),
        },
        buyer,
        regime,
        service_kind,
        cpv_codes,
        estimated_value,
        published_at,
        questions_deadline: c.questions_deadline,
        submission_deadline: c.submission_deadline,
        contract_start: c.contract_start,
        contract_end: c.contract_end,
        price_weight: c.price_weight,
        quality,
        call_url: format!("{}/#/calls/{}", config.public_url, c.id),
        standstill_days: c.standstill_days,
        lots,
    })
}

/// A unit's outcome in the award notice: its award (none for a lot declared unsuccessful)
/// and the bids it received.
async fn outcome<C: ConnectionTrait>(
    conn: &C,
    authority: &Contact,
    u: &Unit,
) -> AppResult<LotOutcome> {
    let number = u.lot.as_ref().map_or(1, |l| l.number);
    if u.lot.as_ref().is_some_and(|l| l.unsuccessful_at.is_some()) {
        return Ok(LotOutcome {
            number,
            award: None,
            tenders: tenders(&unit_bids(conn, u).await?),
        });
    }
    let (award, tenders) = result(conn, authority, u).await?;
    Ok(LotOutcome {
        number,
        award: Some(award),
        tenders,
    })
}

/// The standing bids of a unit: the call's, or those covering the lot.
async fn unit_bids<C: ConnectionTrait>(conn: &C, u: &Unit) -> AppResult<Vec<bid::Model>> {
    let mut q = bid::Entity::find()
        .filter(bid::Column::CallId.eq(u.call.id.as_str()))
        .filter(bid::Column::Status.eq(BidStatus::Submitted));
    if let Some(l) = &u.lot {
        q = q.filter(super::lots::covers(&l.id));
    }
    Ok(q.all(conn).await?)
}

/// The bids as the notice counts them, sized by declared turnover.
fn tenders(bids: &[bid::Model]) -> Vec<Tender> {
    bids.iter()
        .map(|b| Tender {
            size: CompanySize::by_turnover(b.annual_turnover.0),
        })
        .collect()
}

/// The award of a unit (the call whole, or a lot): the winner, its bid and price for what was
/// awarded, the contract's reference and conclusion, and every bid received.
async fn result<C: ConnectionTrait>(
    conn: &C,
    authority: &Contact,
    u: &Unit,
) -> AppResult<(AwardResult, Vec<Tender>)> {
    let a = super::lots::award_of_unit(conn, u).await?.ok_or_else(|| {
        AppError::InvalidState("callId: the call has no award decision: no award notice yet".into())
    })?;
    let bids = unit_bids(conn, u).await?;
    let winning = bids
        .iter()
        .find(|b| b.id == a.bid_id)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("awarded bid {} missing", a.bid_id)))?;
    // The range of prices among the admissible bids: those the public ranking lists, at their
    // prices for what was awarded.
    let ranked = award_ranking::Entity::find()
        .filter(award_ranking::Column::AwardId.eq(a.id.as_str()))
        .all(conn)
        .await?;
    let price = ranked
        .iter()
        .find(|r| r.bid_id == winning.id)
        .map_or(winning.total_price.0, |r| r.total_price.0);
    let prices = || ranked.iter().map(|r| r.total_price.0);
    let winner = winner(
        &org(conn, &winning.bidder_id).await?,
        authority,
        CompanySize::by_turnover(winning.annual_turnover.0),
    )?;
    let contract = super::lots::contract_of_unit(conn, u).await?;
    let concluded = match &contract {
        Some(k) => concluded_at(conn, k).await?,
        None => None,
    };
    let award = AwardResult {
        decided_at: a.decided_at,
        winner,
        winning_bid_id: winning.id.clone(),
        winning_price: price,
        lowest_price: prices().min().unwrap_or(price),
        highest_price: prices().max().unwrap_or(price),
        contract_ref: contract.map_or_else(|| u.id().to_owned(), |k| k.id),
        concluded,
    };
    Ok((award, tenders(&bids)))
}
