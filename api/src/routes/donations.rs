//! `/api/v1/donations` (爱心捐赠) and their receipts: a gift of money or goods to a verified
//! organisation, with a receipt whose number is unique and which says whether the gift is
//! deductible before tax (the organisation holds the qualification in the gift's year).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::FieldError;
use domain::donation::{Deduction, DonationDraft, DonationKind, receipt_number};
use domain::identity::{Action, Principal, today_in_china};
use domain::input::calendar_year;
use domain::money::Fen;
use domain::social_org::Organization;
use persistence::crypto::DataKeys;
use persistence::donation::{self as store, DonationQuery, DonationRow};
use persistence::{DbConn, write_transaction};

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::pagination;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::scope::{Reach, narrow, scope_of};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(donate)
        .service(list_donations)
        .service(annual_statement)
        .service(get_donation)
        .service(get_receipt);
}

/// The body of `POST /donations`.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"amount_fen": 50000, "kind": "money", "organization_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "donated_on": "2026-11-28"}))]
#[expect(
    dead_code,
    reason = "documents the body; the handler reads domain::donation::DonationDraft"
)]
pub struct DonationBody {
    amount_fen: i64,
    /// Default `money`; goods at market value, with a description.
    #[schema(schema_with = crate::openapi::labelled::<DonationKind>)]
    kind: Option<String>,
    description: Option<String>,
    /// The verified organisation that receives the gift.
    organization_id: String,
    /// A published need the gift is for (at most one of need, pledge, campaign, project).
    need_id: Option<String>,
    /// One of your pledges the gift fulfils.
    pledge_id: Option<String>,
    campaign_id: Option<String>,
    project_id: Option<String>,
    /// `YYYY-MM-DD`, default today.
    donated_on: Option<String>,
}

/// A donation as its donor and its receiver see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DonationView {
    pub id: String,
    pub donor_id: String,
    pub organization_id: String,
    #[schema(schema_with = crate::openapi::labelled::<DonationKind>)]
    pub kind: String,
    pub amount_fen: i64,
    pub description: Option<String>,
    pub need_id: Option<String>,
    pub pledge_id: Option<String>,
    pub campaign_id: Option<String>,
    pub project_id: Option<String>,
    pub donated_on: chrono::NaiveDate,
    pub receipt_number: String,
    pub deductible: bool,
}

impl From<&DonationRow> for DonationView {
    fn from(r: &DonationRow) -> Self {
        DonationView {
            id: r.id.clone(),
            donor_id: r.donor_id.clone(),
            organization_id: r.organization_id.clone(),
            kind: r.kind.clone(),
            amount_fen: r.amount_fen,
            description: r.description.clone(),
            need_id: r.need_id.clone(),
            pledge_id: r.pledge_id.clone(),
            campaign_id: r.campaign_id.clone(),
            project_id: r.project_id.clone(),
            donated_on: r.donated_on,
            receipt_number: r.receipt_number.clone(),
            deductible: r.deductible,
        }
    }
}

fn invalid(field: &str, code: &'static str, en: &str, zh: &str) -> ApiError {
    ApiError::validation(vec![FieldError::new(field, code, en, zh)])
}

/// Give money or goods to a verified organisation; the answer carries the receipt number.
#[utoipa::path(
    tag = "participants", operation_id = "donate", security(("bearer" = [])),
    request_body = DonationBody,
    responses(
        (status = 201, description = "Recorded, receipt issued", body = DonationView, headers(("Location" = String, description = "URL of the donation"))),
        (status = 403, response = Forbidden),
        Always, SignedIn, WithBody,
    )
)]
#[post("/donations")]
pub async fn donate(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<DonationDraft>,
) -> Result<HttpResponse, ApiError> {
    caller
        .may(Action::Give)
        .map_err(|_| ApiError::forbidden())?;
    let spec = body.parse(today_in_china()).map_err(ApiError::validation)?;
    let principal = caller.principal.clone();
    let keys = state.data_keys.clone();
    let row = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let org = persistence::social_org::find(conn, &keys, &spec.organization_id)?
                    .ok_or_else(|| invalid("organization_id", "unknown_organization", "no such organisation", "没有该组织"))?;
                if !org.acts() {
                    return Err(invalid("organization_id", "organization_not_verified", "the organisation is not verified yet", "该组织尚未通过认证，不能接受捐赠"));
                }
                if let Some(need) = &spec.need_id {
                    crate::service::platform::needs::load_public(conn, need)
                        .map_err(|_| invalid("need_id", "unknown_need", "no published need with this id", "没有该已发布的需求"))?;
                }
                if let Some(pledge) = &spec.pledge_id {
                    persistence::platform::pledges::find(conn, pledge)?
                        .filter(|p| p.pledger_id == principal.id())
                        .ok_or_else(|| invalid("pledge_id", "unknown_pledge", "no pledge of yours with this id", "没有您的该认领"))?;
                }
                if let Some(c) = &spec.campaign_id {
                    persistence::brand::find_campaign(conn, c)?.ok_or_else(|| invalid("campaign_id", "unknown_campaign", "no such campaign", "没有该活动"))?;
                }
                if let Some(p) = &spec.project_id {
                    persistence::enterprise::find(conn, p)?.ok_or_else(|| invalid("project_id", "unknown_project", "no such project", "没有该项目"))?;
                }
                let year = spec.donated_on.year();
                let sequence = store::next_receipt_sequence(conn, year)?;
                let deduction = Deduction::of(spec.amount, &org.spec.deduction_qualified_years, spec.donated_on);
                let row = DonationRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    donor_id: principal.id().to_owned(),
                    donor_organization_id: principal.organization_id.clone(),
                    organization_id: org.id.clone(),
                    kind: spec.kind.as_str().to_owned(),
                    amount_fen: spec.amount.get(),
                    description: spec.description.clone(),
                    need_id: spec.need_id.clone(),
                    pledge_id: spec.pledge_id.clone(),
                    campaign_id: spec.campaign_id.clone(),
                    project_id: spec.project_id.clone(),
                    donated_on: spec.donated_on,
                    receipt_number: receipt_number(year, sequence),
                    deductible: deduction.deductible,
                    deductible_fen: deduction.deductible_amount.get(),
                    non_deductible_fen: deduction.non_deductible_amount.get(),
                    issued_at: chrono::Utc::now().naive_utc(),
                };
                store::insert(conn, &row)?;
                audit::record(conn, &Actor::Principal(&principal), &meta, "donation.create", Some(("donation", &row.id)), None, true, Some(serde_json::json!({"organization_id": row.organization_id, "amount_fen": row.amount_fen, "receipt_number": row.receipt_number})))?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/donations/{}", row.id)))
        .json(DonationView::from(&row)))
}

/// Loads a donation the caller may see: their own gift, one their organisation received, or
/// one received by an organisation of the jurisdiction of an official (any, for an admin).
fn load(
    conn: &mut DbConn,
    keys: &DataKeys,
    principal: &Principal,
    id: &str,
) -> Result<DonationRow, ApiError> {
    let row = store::find(conn, id)?.ok_or_else(ApiError::not_found)?;
    let mine = row.donor_id == principal.id();
    let received = principal.organization_id.as_deref() == Some(row.organization_id.as_str());
    if mine || received {
        return Ok(row);
    }
    if principal.may(Action::ReadParticipation).is_ok() {
        let org = persistence::social_org::find(conn, keys, &row.organization_id)?
            .ok_or_else(ApiError::not_found)?;
        if principal.sees(&org.spec.region) {
            return Ok(row);
        }
    }
    Err(ApiError::not_found())
}

/// One donation.
#[utoipa::path(
    tag = "participants", operation_id = "get_donation", security(("bearer" = [])), params(("id" = String, Path, description = "Donation id")),
    responses(
        (status = 200, description = "The donation", body = DonationView),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/donations/{id}")]
pub async fn get_donation(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<web::Json<DonationView>, ApiError> {
    let principal = caller.principal.clone();
    let keys = state.data_keys.clone();
    let row = state
        .db(move |conn| load(conn, &keys, &principal, &id))
        .await?;
    Ok(web::Json(DonationView::from(&row)))
}

/// Who gave, on a receipt.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptParty {
    pub id: String,
    pub name: String,
    /// The organisation's unified social credit code (for the receiver).
    pub credit_code: Option<String>,
}

/// A donation receipt (捐赠票据).
#[derive(Debug, Serialize, ToSchema)]
pub struct Receipt {
    pub receipt_number: String,
    /// Whether the gift may be deducted before tax: the receiver held the qualification in
    /// the year of the gift.
    pub deductible: bool,
    pub deductible_fen: i64,
    pub non_deductible_fen: i64,
    pub donor: ReceiptParty,
    pub organization: ReceiptParty,
    pub amount_fen: i64,
    #[schema(schema_with = crate::openapi::labelled::<DonationKind>)]
    pub kind: String,
    pub description: Option<String>,
    pub donated_on: chrono::NaiveDate,
    pub issued_at: chrono::DateTime<chrono::Utc>,
}

fn receipt_of(row: &DonationRow, donor_name: String, org: &Organization) -> Receipt {
    Receipt {
        receipt_number: row.receipt_number.clone(),
        deductible: row.deductible,
        deductible_fen: row.deductible_fen,
        non_deductible_fen: row.non_deductible_fen,
        donor: ReceiptParty {
            id: row.donor_id.clone(),
            name: donor_name,
            credit_code: None,
        },
        organization: ReceiptParty {
            id: org.id.clone(),
            name: org.spec.name.clone(),
            credit_code: Some(org.spec.credit_code.to_string()),
        },
        amount_fen: row.amount_fen,
        kind: row.kind.clone(),
        description: row.description.clone(),
        donated_on: row.donated_on,
        issued_at: row.issued_at.and_utc(),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The receipt as a printable HTML page.
fn receipt_html(r: &Receipt) -> String {
    let yuan = |fen: i64| {
        Fen::try_from(fen)
            .map(|f| f.to_string())
            .unwrap_or_default()
    };
    format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>捐赠票据 {n}</title>\
<style>body{{font-family:sans-serif;max-width:40em;margin:2em auto}}td{{padding:.3em 1em}}</style></head><body>\
<h1>公益事业捐赠票据</h1><table>\
<tr><td>票据号码</td><td>{n}</td></tr><tr><td>捐赠人</td><td>{donor}</td></tr>\
<tr><td>受赠单位</td><td>{org}（{code}）</td></tr><tr><td>捐赠日期</td><td>{date}</td></tr>\
<tr><td>捐赠金额（元）</td><td>{amount}</td></tr><tr><td>可税前扣除（元）</td><td>{ded}</td></tr>\
<tr><td>不可税前扣除（元）</td><td>{non}</td></tr><tr><td>开具时间</td><td>{issued}</td></tr>\
</table></body></html>",
        n = escape(&r.receipt_number),
        donor = escape(&r.donor.name),
        org = escape(&r.organization.name),
        code = escape(r.organization.credit_code.as_deref().unwrap_or_default()),
        date = r.donated_on,
        amount = yuan(r.amount_fen),
        ded = yuan(r.deductible_fen),
        non = yuan(r.non_deductible_fen),
        issued = r.issued_at.format("%Y-%m-%d %H:%M UTC"),
    )
}

/// The receipt of a donation (its donor, the receiving organisation, platform admins): JSON,
/// or a printable page with `Accept: text/html`.
#[utoipa::path(
    tag = "participants", operation_id = "get_receipt", security(("bearer" = [])), params(("id" = String, Path, description = "Donation id")),
    responses(
        (status = 200, description = "The receipt", content(
            (Receipt = "application/json"),
            (String = "text/html", example = "<!doctype html><html lang=\"zh-CN\">…</html>"),
        )),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/donations/{id}/receipt")]
pub async fn get_receipt(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let keys = state.data_keys.clone();
    let principal = caller.principal.clone();
    let receipt = state
        .db(move |conn| {
            let row = load(conn, &keys, &principal, &id)?;
            // The receipt names the donor: it is the donor's and the receiver's document.
            // Officials overseeing the gift read the donation itself.
            let party = row.donor_id == principal.id()
                || principal.organization_id.as_deref() == Some(row.organization_id.as_str());
            if !party && !principal.is_admin() {
                return Err(ApiError::not_found());
            }
            let org = persistence::social_org::find(conn, &keys, &row.organization_id)?
                .ok_or_else(ApiError::not_found)?;
            let donor = persistence::identity::users::find(conn, &row.donor_id)?;
            let name = donor.map_or_else(
                || row.donor_id.clone(),
                |u| u.display_name.unwrap_or(u.username),
            );
            Ok(receipt_of(&row, name, &org))
        })
        .await?;
    let wants_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html") && !v.contains("application/json"));
    if wants_html {
        return Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(receipt_html(&receipt)));
    }
    Ok(HttpResponse::Ok().json(receipt))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DonationListParams {
    /// Organisation members: the gifts their organisation received.
    pub received: Option<bool>,
    /// Officials: only gifts to this organisation.
    pub organization_id: Option<String>,
    /// Officials: only gifts to organisations registered in this region (within their own).
    pub region: Option<String>,
    /// Only gifts to this campaign.
    pub campaign_id: Option<String>,
    /// Only gifts made in this calendar year.
    pub year: Option<i32>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DonationPage {
    pub items: Vec<DonationView>,
    pub next_cursor: Option<String>,
}

/// Your donations, or (`received=true`) those your organisation received; for officials,
/// evaluators and integration clients with `platform:read`, the donations received by the
/// organisations of their jurisdiction.
#[utoipa::path(
    tag = "participants", operation_id = "list_donations", security(("bearer" = [])), params(DonationListParams),
    responses(
        (status = 200, description = "A page of donations", body = DonationPage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/donations")]
pub async fn list_donations(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<DonationListParams>,
) -> Result<web::Json<DonationPage>, ApiError> {
    let mut q = QueryReader::new();
    let region = q.region(params.region.as_deref());
    let year = q.optional(params.year, "year", |y| calendar_year(y, "year"));
    let page = q.page::<String>(params.limit, params.cursor.as_deref())?;
    let mut query = DonationQuery {
        campaign_id: params.campaign_id.clone(),
        from: year.map(|(from, _)| from),
        until: year.map(|(_, until)| until),
        after: page.after.clone(),
        limit: page.fetch(),
        ..DonationQuery::default()
    };
    if caller.may(Action::ReadParticipation).is_ok() {
        let Reach::Within(within) = narrow(scope_of(&caller)?, region) else {
            return Ok(web::Json(DonationPage {
                items: vec![],
                next_cursor: None,
            }));
        };
        query.within = within;
        query.organization_id = params.organization_id.clone();
    } else if params.received.unwrap_or(false) {
        query.organization_id = Some(
            caller
                .organization_id
                .clone()
                .ok_or_else(ApiError::forbidden)?,
        );
    } else {
        query.donor_id = Some(caller.id().to_owned());
    }
    let rows = state.db(move |conn| Ok(store::list(conn, &query)?)).await?;
    let (rows, next_cursor) = pagination::finish(rows, page.limit, |r| r.id.clone());
    Ok(web::Json(DonationPage {
        items: rows.iter().map(DonationView::from).collect(),
        next_cursor,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementParams {
    /// The calendar year; default this year.
    pub year: Option<i32>,
}

/// A donor's annual statement.
#[derive(Debug, Serialize, ToSchema)]
pub struct Statement {
    pub year: i32,
    pub count: i64,
    pub total_fen: i64,
    pub deductible_fen: i64,
    pub non_deductible_fen: i64,
    /// The year's receipts, oldest first.
    pub donations: Vec<DonationView>,
}

/// Your donations of one year, with the deductible and non-deductible totals.
#[utoipa::path(
    tag = "participants", operation_id = "annual_statement", security(("bearer" = [])), params(StatementParams),
    responses(
        (status = 200, description = "The statement", body = Statement),
        Always, SignedIn,
    )
)]
#[get("/me/donations/statement")]
pub async fn annual_statement(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<StatementParams>,
) -> Result<web::Json<Statement>, ApiError> {
    let year = params.year.unwrap_or_else(|| today_in_china().year());
    let (from, until) =
        calendar_year(year, "year").map_err(|e| ApiError::invalid_parameters(vec![e]))?;
    let donor = caller.id().to_owned();
    let mut rows = Vec::new();
    let mut after = None;
    loop {
        let query = DonationQuery {
            donor_id: Some(donor.clone()),
            from: Some(from),
            until: Some(until),
            after: after.clone(),
            limit: 1000,
            ..DonationQuery::default()
        };
        let batch = state.db(move |conn| Ok(store::list(conn, &query)?)).await?;
        let done = batch.len() < 1000;
        after = batch.last().map(|r| r.id.clone());
        rows.extend(batch);
        if done {
            break;
        }
    }
    rows.sort_by(|a, b| {
        a.donated_on
            .cmp(&b.donated_on)
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(web::Json(Statement {
        year,
        count: i64::try_from(rows.len()).unwrap_or(i64::MAX),
        total_fen: rows.iter().map(|r| r.amount_fen).sum(),
        deductible_fen: rows.iter().map(|r| r.deductible_fen).sum(),
        non_deductible_fen: rows.iter().map(|r| r.non_deductible_fen).sum(),
        donations: rows.iter().map(DonationView::from).collect(),
    }))
}
