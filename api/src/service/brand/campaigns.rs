//! Campaigns under a brand: a verified organisation publishes one, anyone lists them with
//! what each has raised, givers take part.

use domain::FieldError;
use domain::brand::{Campaign, CampaignDraft};
use domain::identity::Principal;
use persistence::brand as store;
use persistence::crypto::DataKeys;
use persistence::page::{Page, PageRequest};
use persistence::{DbConn, write_transaction};

use super::{new_id, now};
use crate::service::social_org::acting_organization;
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// A campaign with what it has raised so far (the sum of its donations) and how many take
/// part.
#[derive(Debug, Clone)]
pub struct CampaignProgress {
    pub campaign: Campaign,
    pub raised_fen: i64,
    pub participants: i64,
}

fn progress(conn: &mut DbConn, campaign: Campaign) -> ServiceResult<CampaignProgress> {
    Ok(CampaignProgress {
        raised_fen: store::raised(conn, &campaign.id)?,
        participants: store::participant_count(conn, &campaign.id)?,
        campaign,
    })
}

/// A verified organisation's member publishes a campaign under a brand of the catalogue.
pub fn create_campaign(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    draft: &CampaignDraft,
) -> ServiceResult<CampaignProgress> {
    let spec = draft.parse().map_err(ServiceError::validation)?;
    write_transaction(conn, |conn| {
        let org = acting_organization(conn, keys, who)?;
        if store::find_brand(conn, &spec.brand_id)?.is_none() {
            return Err(FieldError::new(
                "brand_id",
                "unknown_brand",
                "no such brand",
                "没有该品牌",
            )
            .into());
        }
        let campaign =
            Campaign::publish(spec.clone(), new_id(), org.id, who.id().to_owned(), now());
        store::insert_campaign(conn, &campaign)?;
        Audit::by(who, "campaign.create")
            .on("campaign", &campaign.id)
            .record(conn, meta)?;
        progress(conn, campaign)
    })
}

/// A page of campaigns, with what each has raised, for anyone.
pub fn list_campaigns(
    conn: &mut DbConn,
    page: &PageRequest<String>,
) -> ServiceResult<Page<CampaignProgress>> {
    store::list_campaigns(conn, page)?.try_map(|c| progress(conn, c))
}

/// The caller takes part in a campaign (again changes nothing).
pub fn join_campaign(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
) -> ServiceResult<()> {
    write_transaction(conn, |conn| {
        let campaign = store::find_campaign(conn, id)?.ok_or_else(ServiceError::not_found)?;
        store::join_campaign(
            conn,
            &campaign.id,
            who.id(),
            who.organization_id.as_deref(),
            now(),
        )?;
        Audit::by(who, "campaign.join")
            .on("campaign", &campaign.id)
            .record(conn, meta)
    })
}
