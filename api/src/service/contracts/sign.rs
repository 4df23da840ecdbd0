//! The parties' signatures: the orderer's and the producer's organisation each sign a DRAFT
//! contract once (their boards approve it), and the other party is told. Activation needs
//! both (`change::activate`).

use super::{Party, audit_entry, locked_for, status_at};
use crate::domain::contract::{self as dc, Change, Signed};
use crate::error::{AppError, AppResult};
use crate::service::Cx;
use crate::service::notifications;
use entity::{Role, contract_signature, service_contract as sc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, Set};
use serde_json::json;

/// Which of the contract's parties have signed it.
pub async fn signed<C: ConnectionTrait>(conn: &C, c: &sc::Model) -> AppResult<Signed> {
    let orgs: Vec<String> = crate::service::query::column::<contract_signature::Entity, _, _>(
        conn,
        contract_signature::Column::OrganizationId,
        contract_signature::Column::ContractId.eq(c.id.as_str()),
    )
    .await?;
    Ok(Signed {
        orderer: orgs.contains(&c.orderer_id),
        producer: orgs.contains(&c.producer_id),
    })
}

/// A user of the orderer or of the producer signs a DRAFT contract for their organisation,
/// once; the other party's users are mailed.
pub async fn sign(Cx { state, caller }: Cx<'_>, id: &str) -> AppResult<sc::Model> {
    let actor = caller.require()?.clone();
    work!(state, |w| {
        let c = locked_for(w.conn(), caller, Party::Either, "id", id).await?;
        let now = state.now();
        dc::check_change(Change::Sign, status_at(&c, now.date_naive()))?;
        let org = actor.organization_id.clone();
        let for_orderer = org == c.orderer_id;
        let before = signed(w.conn(), &c).await?;
        if (for_orderer && before.orderer) || (!for_orderer && before.producer) {
            return Err(AppError::InvalidState(
                "your organisation has already signed this contract".into(),
            ));
        }
        contract_signature::ActiveModel {
            contract_id: Set(c.id.clone()),
            organization_id: Set(org.clone()),
            signed_by: Set(actor.user_id.clone()),
            signed_at: Set(now),
        }
        .insert(w.conn())
        .await?;
        let both = dc::check_signed(Signed {
            orderer: before.orderer || for_orderer,
            producer: before.producer || !for_orderer,
        })
        .is_ok();
        w.audit(
            now,
            audit_entry(&actor.user_id, "contract.sign", &c).summary(json!({
                "organizationId": org,
                "party": if for_orderer { Role::Orderer } else { Role::Producer }.as_str(),
                "fullySigned": both,
            })),
        )?;
        notifications::contract_signed(w, now, &c, &org, both).await?;
        if both {
            let signed = crate::domain::ocds::ContractChange::Signed;
            crate::service::ocds::contract_changed(w, &c, now, signed).await?;
        }
        Ok(c)
    })
}
