//! `GET /api/v1/donations/{id}/receipt`: the receipt (捐赠票据) of a confirmed donation, as
//! JSON or as a printable page; a refunded or voided gift's receipt keeps its number and
//! says it is no longer valid.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};

use domain::money::Fen;

use super::views::Receipt;
use crate::auth::caller::Caller;
use crate::error::ApiError;
use crate::openapi::responses::{Always, Conflict, NotFound, SignedIn};
use crate::service::donation as service;
use crate::state::AppState;

/// The receipt of a donation (its donor, the receiving organisation, platform admins): JSON,
/// or a printable page with `Accept: text/html`. There is none (409) until the receiving
/// organisation confirms the gift. It names the donor's legal name; a donor without a real
/// name on record gets a receipt marked not valid for deduction, with the reason.
#[utoipa::path(
    tag = "participants", operation_id = "get_receipt", security(("bearer" = [])), params(("id" = String, Path, description = "Donation id")),
    responses(
        (status = 200, description = "The receipt", content(
            (Receipt = "application/json"),
            (String = "text/html", example = "<!doctype html><html lang=\"zh-CN\">…</html>"),
        )),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
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
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let parts = state
        .call(move |conn| service::receipt(conn, &keys, &principal, &id))
        .await?;
    let receipt = Receipt::try_from(parts)?;
    if wants_html(&req) {
        return Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(receipt_html(&receipt)));
    }
    Ok(HttpResponse::Ok().json(receipt))
}

/// The client asks for HTML and not for JSON.
fn wants_html(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html") && !v.contains("application/json"))
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
    let state = if r.valid {
        String::new()
    } else {
        format!(
            "<p class=\"void\">本票据已{}（{}），不再有效</p>",
            if r.status == "refunded" {
                "退还"
            } else {
                "作废"
            },
            escape(r.status_reason.as_deref().unwrap_or_default())
        )
    };
    let note = r
        .not_deductible
        .as_ref()
        .map(|n| format!("<p>不可税前扣除：{}</p>", escape(&n.message_zh)))
        .unwrap_or_default();
    let donor = match (&r.donor.name, &r.donor.credit_code) {
        (Some(name), Some(code)) => format!("{}（{}）", escape(name), escape(code)),
        (Some(name), None) => escape(name),
        (None, _) => "（未登记真实姓名）".to_owned(),
    };
    format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>捐赠票据 {n}</title>\
<style>body{{font-family:sans-serif;max-width:40em;margin:2em auto}}td{{padding:.3em 1em}}.void{{color:#b00;font-weight:bold}}</style></head><body>\
<h1>公益事业捐赠票据</h1>{state}<table>\
<tr><td>票据号码</td><td>{n}</td></tr><tr><td>捐赠人</td><td>{donor}</td></tr>\
<tr><td>受赠单位</td><td>{org}（{code}）</td></tr><tr><td>捐赠日期</td><td>{date}</td></tr>\
<tr><td>捐赠金额（元）</td><td>{amount}</td></tr><tr><td>可税前扣除（元）</td><td>{ded}</td></tr>\
<tr><td>不可税前扣除（元）</td><td>{non}</td></tr><tr><td>开具时间</td><td>{issued}</td></tr>\
</table>{note}</body></html>",
        n = escape(&r.receipt_number),
        donor = donor,
        org = escape(&r.organization.name),
        code = escape(r.organization.credit_code.as_deref().unwrap_or_default()),
        date = r.donated_on,
        amount = yuan(r.amount_fen),
        ded = yuan(r.deductible_fen),
        non = yuan(r.non_deductible_fen),
        issued = r.issued_at.format("%Y-%m-%d %H:%M UTC"),
    )
}
