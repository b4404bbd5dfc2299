//! Giving, and reading what was given: the donation itself (pending until its receiver
//! confirms it), lists, the annual statement.

use chrono::Datelike;

use domain::donation::{
    AnnualStatement, Donation, DonationDraft, DonationStatus, Donor, GiftWindow,
};
use domain::identity::{Action, Principal, today_in_china};
use domain::input::calendar_year;
use domain::region::RegionCode;
use persistence::crypto::DataKeys;
use persistence::donation::{self as store, DonationQuery};
use persistence::page::{Page, PageRequest};
use persistence::{DbConn, write_transaction};

use crate::service::scope::{Reach, narrow, scope_of};
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// Give money or goods to a verified organisation: checks what the gift is for and when it
/// was made (within `max_age_days`, not before the receiver was registered) and records it
/// `pending`; it counts, and its receipt is issued, once the receiver confirms it.
pub fn donate(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    draft: &DonationDraft,
    max_age_days: u32,
) -> ServiceResult<Donation> {
    let window = GiftWindow {
        today: today_in_china(),
        max_age_days,
    };
    let spec = draft.parse(window).map_err(ServiceError::validation)?;
    write_transaction(conn, |conn| {
        let org =
            persistence::social_org::find(conn, keys, &spec.organization_id)?.ok_or_else(|| {
                ServiceError::field(
                    "organization_id",
                    "unknown_organization",
                    "no such organisation",
                    "没有该组织",
                )
            })?;
        if !org.acts() {
            return Err(ServiceError::field(
                "organization_id",
                "organization_not_verified",
                "the organisation is not verified yet",
                "该组织尚未通过认证，不能接受捐赠",
            ));
        }
        // The day the organisation was registered, in China time.
        let registered_on = (org.created_at + chrono::Duration::hours(8)).date();
        spec.check_registered(registered_on)
            .map_err(|e| ServiceError::validation(vec![e]))?;
        check_targets(conn, who, &spec)?;
        let donor = Donor {
            id: who.id(),
            organization_id: who.organization_id.as_deref(),
        };
        let donation = Donation::record(
            spec.clone(),
            uuid::Uuid::now_v7().to_string(),
            donor,
            chrono::Utc::now().naive_utc(),
        );
        store::insert(conn, &donation)?;
        Audit::by(who, "donation.create")
            .on("donation", &donation.id)
            .details(serde_json::json!({
                "organization_id": donation.spec.organization_id,
                "amount_fen": donation.spec.amount.get(),
                "donated_on": donation.spec.donated_on,
                "status": donation.status.as_str(),
            }))
            .record(conn, meta)?;
        Ok(donation)
    })
}

/// What the gift is for exists: a published need, one of the caller's pledges, a campaign,
/// an enterprise project.
fn check_targets(
    conn: &mut DbConn,
    who: &Principal,
    spec: &domain::donation::DonationSpec,
) -> ServiceResult<()> {
    if let Some(need) = &spec.need_id {
        crate::service::platform::needs::load_public(conn, need).map_err(|e| {
            e.or_if_not_found(|| {
                ServiceError::field(
                    "need_id",
                    "unknown_need",
                    "no published need with this id",
                    "没有该已发布的需求",
                )
            })
        })?;
    }
    if let Some(pledge) = &spec.pledge_id {
        persistence::platform::pledges::find(conn, pledge)?
            .filter(|p| p.pledger_id == who.id())
            .ok_or_else(|| {
                ServiceError::field(
                    "pledge_id",
                    "unknown_pledge",
                    "no pledge of yours with this id",
                    "没有您的该认领",
                )
            })?;
    }
    if let Some(c) = &spec.campaign_id {
        persistence::brand::find_campaign(conn, c)?.ok_or_else(|| {
            ServiceError::field(
                "campaign_id",
                "unknown_campaign",
                "no such campaign",
                "没有该活动",
            )
        })?;
    }
    if let Some(p) = &spec.project_id {
        persistence::enterprise::find(conn, p)?.ok_or_else(|| {
            ServiceError::field(
                "project_id",
                "unknown_project",
                "no such project",
                "没有该项目",
            )
        })?;
    }
    Ok(())
}

/// The donation `id` as the caller may see it: their own gift, one their organisation
/// received, or one received by an organisation of an official's jurisdiction (any, for an
/// admin); 404 otherwise.
pub fn load(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    id: &str,
) -> ServiceResult<Donation> {
    let donation = store::find(conn, id)?.ok_or_else(ServiceError::not_found)?;
    if donation.is_party(who.id(), who.organization_id.as_deref()) {
        return Ok(donation);
    }
    if who.may(Action::ReadParticipation).is_ok() {
        let org = persistence::social_org::find(conn, keys, &donation.spec.organization_id)?
            .ok_or_else(ServiceError::not_found)?;
        if who.sees(&org.spec.region) {
            return Ok(donation);
        }
    }
    Err(ServiceError::not_found())
}

/// One donation.
pub fn get(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    id: &str,
) -> ServiceResult<Donation> {
    load(conn, keys, who, id)
}

/// What a list of donations asks for.
#[derive(Debug, Clone)]
pub struct DonationFilter {
    /// Organisation members: the gifts their organisation received.
    pub received: bool,
    /// Officials: only gifts to this organisation.
    pub organization_id: Option<String>,
    /// Officials: only gifts to organisations registered in this region.
    pub region: Option<RegionCode>,
    pub campaign_id: Option<String>,
    /// Only gifts in this status (a receiver's `pending` gifts wait for it).
    pub status: Option<DonationStatus>,
    /// Only gifts made in this calendar year (its first and last day).
    pub year: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    pub page: PageRequest<String>,
}

/// The caller's gifts, or (`received`) those their organisation received; for those who
/// oversee the giving, the gifts received by the organisations of their jurisdiction.
pub fn list(
    conn: &mut DbConn,
    who: &Principal,
    filter: DonationFilter,
) -> ServiceResult<Page<Donation>> {
    let mut query = DonationQuery {
        donor_id: None,
        organization_id: None,
        campaign_id: filter.campaign_id,
        status: filter.status,
        within: None,
        from: filter.year.map(|(from, _)| from),
        until: filter.year.map(|(_, until)| until),
        page: filter.page,
    };
    if who.may(Action::ReadParticipation).is_ok() {
        let Reach::Within(within) = narrow(scope_of(who)?, filter.region) else {
            return Ok(Page::empty());
        };
        query.within = within;
        query.organization_id = filter.organization_id;
    } else if filter.received {
        let own = who
            .organization_id
            .clone()
            .ok_or_else(ServiceError::forbidden)?;
        query.organization_id = Some(own);
    } else {
        query.donor_id = Some(who.id().to_owned());
    }
    Ok(store::list(conn, &query)?)
}

/// The caller's confirmed donations of `year` (default this year), with the deductible and
/// non-deductible totals.
pub fn annual_statement(
    conn: &mut DbConn,
    who: &Principal,
    year: Option<i32>,
) -> ServiceResult<AnnualStatement> {
    let year = year.unwrap_or_else(|| today_in_china().year());
    let (from, until) =
        calendar_year(year, "year").map_err(|e| ServiceError::invalid_parameters(vec![e]))?;
    let mut donations = Vec::new();
    let mut after = None;
    loop {
        let query = DonationQuery {
            donor_id: Some(who.id().to_owned()),
            organization_id: None,
            campaign_id: None,
            status: Some(DonationStatus::Confirmed),
            within: None,
            from: Some(from),
            until: Some(until),
            page: PageRequest { limit: 1000, after },
        };
        let page = store::list(conn, &query)?;
        after = page
            .next_cursor
            .and(page.items.last().map(|d| d.id.clone()));
        donations.extend(page.items);
        if after.is_none() {
            break;
        }
    }
    Ok(AnnualStatement::of(year, donations))
}
