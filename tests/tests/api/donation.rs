//! 捐赠: a gift is pending until a member of the receiving organisation confirms it; only
//! then is a receipt issued (naming the donor's legal name, deductible under the
//! receiver's qualification) and does it count in totals, tallies and statements.

use serde_json::{Value, json};
use tests::{TestApp, TestUser, USER_PASSWORD, both_backends};

use crate::social_org::{credit_code, organization, this_year, verified_member, verified_org};

both_backends!(
    receipts_follow_the_deduction_qualification,
    receipt_numbers_are_unique_under_concurrent_confirmations,
    an_unconfirmed_gift_has_no_receipt_and_counts_nowhere,
    a_receipt_names_the_donors_legal_name_or_says_why_it_is_not_deductible,
    gift_dates_and_amounts_are_checked,
    only_the_receiver_acts_once_and_under_if_match,
);

/// A member of organisation `org`, made by the admin; returns its token.
pub(crate) async fn receiver(app: &TestApp, org: &str) -> String {
    let admin = app.admin_token().await;
    app.user_by(&admin, "org_member", None, Some(org))
        .await
        .token
}

/// A donor account with a real name on record, logged in.
pub(crate) async fn named_donor(app: &TestApp, real_name: &str) -> TestUser {
    let admin = app.admin_token().await;
    let username = format!("donor.{}", uuid::Uuid::now_v7().simple());
    let res = app
        .post_as(
            &admin,
            "/api/v1/users",
            &json!({"username": username, "password": USER_PASSWORD, "role": "donor", "real_name": real_name}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let tokens = app.login(&username, USER_PASSWORD).await;
    TestUser {
        id: res.json()["id"].as_str().unwrap().to_owned(),
        username,
        token: tokens["access_token"].as_str().unwrap().to_owned(),
        refresh_token: tokens["refresh_token"].as_str().unwrap().to_owned(),
    }
}

/// Records a gift (201, pending); returns it.
pub(crate) async fn give(app: &TestApp, donor: &str, body: &Value) -> Value {
    let res = app.post_as(donor, "/api/v1/donations", body).await;
    assert_eq!(res.status, 201, "{}", res.text());
    let gift = res.json();
    assert_eq!(gift["status"], "pending");
    assert_eq!(gift["receipt_number"], Value::Null);
    gift
}

/// Does `action` to gift `id` as `member`; returns the answer.
async fn act(app: &TestApp, member: &str, id: &str, action: &str, body: &Value) -> tests::Response {
    app.post_as(member, &format!("/api/v1/donations/{id}/{action}"), body)
        .await
}

/// Confirms gift `id` as `member` (200); returns the gift.
pub(crate) async fn confirm(app: &TestApp, member: &str, id: &str) -> Value {
    let res = act(app, member, id, "confirm", &json!({})).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let gift = res.json();
    assert_eq!(gift["status"], "confirmed");
    gift
}

fn receipt_path(id: &Value) -> String {
    format!("/api/v1/donations/{}/receipt", id.as_str().unwrap())
}

async fn statement(app: &TestApp, donor: &str) -> (i64, i64, i64, i64) {
    let s = app
        .get_as(
            donor,
            &format!("/api/v1/me/donations/statement?year={}", this_year()),
        )
        .await
        .json();
    (
        s["count"].as_i64().unwrap(),
        s["total_fen"].as_i64().unwrap(),
        s["deductible_fen"].as_i64().unwrap(),
        s["non_deductible_fen"].as_i64().unwrap(),
    )
}

async fn receipts_follow_the_deduction_qualification(app: TestApp) {
    let admin = app.admin_token().await;
    let qualified = verified_org(&app, &admin, 10, &[this_year()]).await;
    let unqualified = verified_org(&app, &admin, 11, &[this_year() - 3]).await;
    let (m1, m2) = (
        receiver(&app, &qualified).await,
        receiver(&app, &unqualified).await,
    );
    let donor = named_donor(&app, "李四").await;
    let gift = |org: &str, fen: i64| json!({"amount_fen": fen, "organization_id": org});
    let a = give(&app, &donor.token, &gift(&qualified, 50_000)).await;
    let b = give(&app, &donor.token, &gift(&unqualified, 20_000)).await;
    let a = confirm(&app, &m1, a["id"].as_str().unwrap()).await;
    let b = confirm(&app, &m2, b["id"].as_str().unwrap()).await;
    assert_eq!(
        (a["deductible"].as_bool(), b["deductible"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(b["not_deductible_reason"], "receiver_not_qualified");
    let ra = app
        .get_as(&donor.token, &receipt_path(&a["id"]))
        .await
        .json();
    assert_eq!(
        (
            ra["deductible"].as_bool(),
            ra["deductible_fen"].as_i64(),
            ra["non_deductible_fen"].as_i64(),
            ra["valid"].as_bool()
        ),
        (Some(true), Some(50_000), Some(0), Some(true))
    );
    assert_eq!(ra["organization"]["credit_code"], credit_code(10));
    assert_eq!(
        (&ra["donor"]["kind"], &ra["donor"]["name"]),
        (&json!("person"), &json!("李四"))
    );
    assert_eq!(ra["receipt_number"], a["receipt_number"]);
    let rb = app
        .get_as(&donor.token, &receipt_path(&b["id"]))
        .await
        .json();
    assert_eq!(
        (
            rb["deductible"].as_bool(),
            rb["deductible_fen"].as_i64(),
            rb["non_deductible_fen"].as_i64()
        ),
        (Some(false), Some(0), Some(20_000))
    );
    assert_eq!(rb["not_deductible"]["code"], "receiver_not_qualified");
    assert_ne!(ra["receipt_number"], rb["receipt_number"]);
    // A printable form.
    let auth = format!("Bearer {}", donor.token);
    let html = app
        .get_with(
            &receipt_path(&b["id"]),
            &[("authorization", &auth), ("accept", "text/html")],
        )
        .await;
    assert!(
        html.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        html.text().contains(rb["receipt_number"].as_str().unwrap())
            && html.text().contains("200.00")
            && html.text().contains("李四")
    );
    // The annual statement adds them up; another donor cannot read the receipt.
    assert_eq!(
        statement(&app, &donor.token).await,
        (2, 70_000, 50_000, 20_000)
    );
    let other = app.user("donor", None).await;
    app.get_as(&other.token, &receipt_path(&b["id"]))
        .await
        .assert_problem(404, "not_found");
    // Gifts only go to verified organisations.
    let pending = app
        .post_as(&admin, "/api/v1/organizations", &organization(12, &[]))
        .await
        .json();
    let res = app
        .post_as(
            &donor.token,
            "/api/v1/donations",
            &gift(pending["id"].as_str().unwrap(), 100),
        )
        .await;
    assert_eq!(
        res.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "organization_not_verified"
    );
}

async fn receipt_numbers_are_unique_under_concurrent_confirmations(app: TestApp) {
    let admin = app.admin_token().await;
    let org = verified_org(&app, &admin, 20, &[this_year()]).await;
    let mut members = Vec::new();
    for _ in 0..3 {
        members.push(receiver(&app, &org).await);
    }
    let donor = app.user("donor", None).await;
    let body = json!({"amount_fen": 1_000, "organization_id": org});
    let mut ids = Vec::new();
    for _ in 0..30 {
        ids.push(
            give(&app, &donor.token, &body).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let (paths, empty): (Vec<String>, Value) = (
        ids.iter()
            .map(|id| format!("/api/v1/donations/{id}/confirm"))
            .collect(),
        json!({}),
    );
    let confirmations = paths
        .iter()
        .enumerate()
        .map(|(i, path)| app.post_as(&members[i % members.len()], path, &empty));
    let answers = futures_util::future::join_all(confirmations).await;
    let mut numbers: Vec<String> = answers
        .iter()
        .map(|r| {
            assert_eq!(r.status, 200, "{}", r.text());
            r.json()["receipt_number"].as_str().unwrap().to_owned()
        })
        .collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 30);
    assert!(
        numbers
            .iter()
            .all(|n| n.starts_with(&format!("FP{}", this_year())))
    );
}

async fn an_unconfirmed_gift_has_no_receipt_and_counts_nowhere(app: TestApp) {
    let member = verified_member(&app, "hope.fund", 30, "social_organization").await;
    let campaign = json!({"brand_id": "brand-hope-project", "kind": "fundraising", "title": "希望小学冬衣募捐", "goal_fen": 1_000_000, "starts_on": "2026-12-01", "ends_on": "2027-01-31", "target_group": "children", "region_codes": ["210900"]});
    let res = app.post_as(&member, "/api/v1/campaigns", &campaign).await;
    assert_eq!(res.status, 201, "{}", res.text());
    let created = res.json();
    let org = created["organization_id"].as_str().unwrap().to_owned();
    let donor = named_donor(&app, "赵六").await;
    let body =
        |fen: i64| json!({"amount_fen": fen, "organization_id": org, "campaign_id": created["id"]});
    let raised = || async {
        let listed = app.get("/api/v1/public/campaigns").await.json();
        listed["items"][0]["raised_fen"].as_i64().unwrap()
    };
    let tally = || async {
        let year = crate::individual::participation(&app, &donor.token).await;
        (
            year["donations"].as_i64().unwrap(),
            year["donated_fen"].as_i64().unwrap(),
        )
    };

    // Pending: no receipt, counted nowhere.
    let a = give(&app, &donor.token, &body(30_000)).await;
    let b = give(&app, &donor.token, &body(12_000)).await;
    let c = give(&app, &donor.token, &body(5_000)).await;
    let res = app.get_as(&donor.token, &receipt_path(&a["id"])).await;
    assert_eq!(
        res.assert_problem(409, "conflict")["donation_status"],
        "pending"
    );
    assert_eq!(raised().await, 0);
    assert_eq!(tally().await, (0, 0));
    assert_eq!(statement(&app, &donor.token).await, (0, 0, 0, 0));

    // Rejected: still nothing, and never a receipt.
    let rejected = act(
        &app,
        &member,
        b["id"].as_str().unwrap(),
        "reject",
        &json!({"reason": "未收到该笔汇款"}),
    )
    .await;
    assert_eq!(rejected.status, 200, "{}", rejected.text());
    assert_eq!(
        (
            &rejected.json()["status"],
            &rejected.json()["status_reason"]
        ),
        (&json!("rejected"), &json!("未收到该笔汇款"))
    );
    app.get_as(&donor.token, &receipt_path(&b["id"]))
        .await
        .assert_problem(409, "conflict");

    // Confirmed: counts everywhere.
    let a = confirm(&app, &member, a["id"].as_str().unwrap()).await;
    let c = confirm(&app, &member, c["id"].as_str().unwrap()).await;
    assert_eq!(raised().await, 35_000);
    assert_eq!(tally().await, (2, 35_000));
    assert_eq!(statement(&app, &donor.token).await.0, 2);

    // Voided: the receipt keeps its number and says so; it counts no more. Refunded too.
    let voided = act(
        &app,
        &member,
        a["id"].as_str().unwrap(),
        "void",
        &json!({"reason": "金额录入错误"}),
    )
    .await;
    assert_eq!(voided.json()["status"], "voided", "{}", voided.text());
    let receipt = app
        .get_as(&donor.token, &receipt_path(&a["id"]))
        .await
        .json();
    assert_eq!(
        (
            &receipt["receipt_number"],
            &receipt["status"],
            &receipt["valid"],
            &receipt["deductible"],
            &receipt["status_reason"]
        ),
        (
            &a["receipt_number"],
            &json!("voided"),
            &json!(false),
            &json!(false),
            &json!("金额录入错误")
        )
    );
    let auth = format!("Bearer {}", donor.token);
    let html = app
        .get_with(
            &receipt_path(&a["id"]),
            &[("authorization", &auth), ("accept", "text/html")],
        )
        .await
        .text();
    assert!(html.contains("已作废") && html.contains(a["receipt_number"].as_str().unwrap()));
    assert_eq!(raised().await, 5_000);
    let refunded = act(
        &app,
        &member,
        c["id"].as_str().unwrap(),
        "refund",
        &json!({"reason": "捐赠人申请退还"}),
    )
    .await;
    assert_eq!(refunded.json()["status"], "refunded", "{}", refunded.text());
    assert_eq!(raised().await, 0);
    assert_eq!(tally().await, (0, 0));
    assert_eq!(statement(&app, &donor.token).await, (0, 0, 0, 0));
    // The donor still sees every gift, each in its status.
    let mut statuses: Vec<String> = app
        .walk_as(&donor.token, "/api/v1/donations")
        .await
        .iter()
        .map(|d| d["status"].as_str().unwrap().to_owned())
        .collect();
    statuses.sort();
    assert_eq!(statuses, ["refunded", "rejected", "voided"]);
}

async fn a_receipt_names_the_donors_legal_name_or_says_why_it_is_not_deductible(app: TestApp) {
    let admin = app.admin_token().await;
    let org = verified_org(&app, &admin, 40, &[this_year()]).await;
    let member = receiver(&app, &org).await;
    // No real name on record: a receipt, but not valid for deduction, and why.
    let unnamed = app.user("donor", None).await;
    let gift = give(
        &app,
        &unnamed.token,
        &json!({"amount_fen": 8_000, "organization_id": org}),
    )
    .await;
    let confirmed = confirm(&app, &member, gift["id"].as_str().unwrap()).await;
    assert_eq!(
        confirmed["not_deductible_reason"],
        "donor_without_legal_name"
    );
    let r = app
        .get_as(&unnamed.token, &receipt_path(&gift["id"]))
        .await
        .json();
    assert_eq!(
        (
            &r["deductible"],
            &r["non_deductible_fen"],
            &r["donor"]["kind"],
            &r["donor"]["name"],
            &r["not_deductible"]["code"]
        ),
        (
            &json!(false),
            &json!(8_000),
            &json!("unnamed"),
            &Value::Null,
            &json!("donor_without_legal_name")
        )
    );
    assert!(
        r["not_deductible"]["message"]
            .as_str()
            .unwrap()
            .contains("real name")
    );
    // An organisation gives under its registered name and credit code.
    let giver = verified_member(&app, "giving.corp", 41, "enterprise").await;
    let gift = give(
        &app,
        &giver,
        &json!({"amount_fen": 100_000, "organization_id": org}),
    )
    .await;
    confirm(&app, &member, gift["id"].as_str().unwrap()).await;
    let r = app.get_as(&giver, &receipt_path(&gift["id"])).await.json();
    assert_eq!(
        (
            &r["deductible"],
            &r["donor"]["kind"],
            &r["donor"]["name"],
            &r["donor"]["credit_code"]
        ),
        (
            &json!(true),
            &json!("organization"),
            &json!("阜新爱心基金会41"),
            &json!(credit_code(41))
        )
    );
}

async fn gift_dates_and_amounts_are_checked(app: TestApp) {
    let admin = app.admin_token().await;
    let org = verified_org(&app, &admin, 50, &[this_year()]).await;
    let donor = app.user("donor", None).await;
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let refused = |on: chrono::NaiveDate, fen: i64| {
        let body = json!({"amount_fen": fen, "organization_id": org, "donated_on": on.to_string()});
        let token = donor.token.clone();
        let app = &app;
        async move {
            let res = app.post_as(&token, "/api/v1/donations", &body).await;
            let p = res.assert_problem(422, "validation_failed");
            (
                p["errors"][0]["field"].as_str().unwrap().to_owned(),
                p["errors"][0]["code"].as_str().unwrap().to_owned(),
            )
        }
    };
    let days = |n: u64| today - chrono::Days::new(n);
    let field = |code: &str| ("donated_on".to_owned(), code.to_owned());
    assert_eq!(
        refused(today + chrono::Days::new(1), 100).await,
        field("in_the_future")
    );
    // The gift of the report: 10 billion yuan dated 1900-01-01.
    let report = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    let res = app
        .post_as(
            &donor.token,
            "/api/v1/donations",
            &json!({"amount_fen": 1_000_000_000_000_i64, "organization_id": org, "donated_on": report.to_string()}),
        )
        .await;
    let codes: Vec<(String, String)> = res.assert_problem(422, "validation_failed")["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("amount_fen".to_owned(), "out_of_range".to_owned()),
            field("too_old")
        ]
    );
    assert_eq!(refused(days(367), 100).await, field("too_old"));
    // Within the window, but before the organisation was registered (today).
    assert_eq!(refused(days(1), 100).await, field("before_registration"));
    assert_eq!(
        refused(today, 10_000_000_001).await,
        ("amount_fen".to_owned(), "out_of_range".to_owned())
    );
    give(&app, &donor.token, &json!({"amount_fen": 10_000_000_000_i64, "organization_id": org, "donated_on": today.to_string()})).await;
}

async fn only_the_receiver_acts_once_and_under_if_match(app: TestApp) {
    let admin = app.admin_token().await;
    let org = verified_org(&app, &admin, 55, &[this_year()]).await;
    let other_org = verified_org(&app, &admin, 56, &[this_year()]).await;
    let (m1, m2) = (receiver(&app, &org).await, receiver(&app, &org).await);
    let outsider = receiver(&app, &other_org).await;
    let donor = app.user("donor", None).await;
    let body = json!({"amount_fen": 2_000, "organization_id": org});
    let gift = give(&app, &donor.token, &body).await;
    let id = gift["id"].as_str().unwrap().to_owned();

    // The receiver's pending list holds it; another organisation's does not.
    let waiting = app
        .walk_as(&m1, "/api/v1/donations?received=true&status=pending")
        .await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0]["id"], gift["id"]);
    assert!(
        app.walk_as(&outsider, "/api/v1/donations?received=true&status=pending")
            .await
            .is_empty()
    );
    app.get_as(&m1, "/api/v1/donations?received=true&status=paid")
        .await
        .assert_problem(400, "invalid_parameter");

    // Not the donor, not the admin, not another organisation; no unknown action.
    act(&app, &donor.token, &id, "confirm", &json!({}))
        .await
        .assert_problem(403, "forbidden");
    act(&app, &admin, &id, "confirm", &json!({}))
        .await
        .assert_problem(403, "forbidden");
    act(&app, &outsider, &id, "confirm", &json!({}))
        .await
        .assert_problem(404, "not_found");
    act(&app, &m1, &id, "approve", &json!({}))
        .await
        .assert_problem(404, "not_found");
    let res = act(&app, &m1, &id, "reject", &json!({})).await;
    assert_eq!(
        res.assert_problem(422, "validation_failed")["errors"][0]["field"],
        "reason"
    );
    act(&app, &m1, &id, "refund", &json!({"reason": "x"}))
        .await
        .assert_problem(409, "invalid_transition");

    // If-Match: a stale tag is refused, the current one accepted.
    let current = app.get_as(&m1, &format!("/api/v1/donations/{id}")).await;
    let etag = current.header("etag").unwrap().to_owned();
    let auth = format!("Bearer {m1}");
    let stale = app
        .post_json(
            &format!("/api/v1/donations/{id}/confirm"),
            &[("authorization", &auth), ("if-match", "\"0000\"")],
            &json!({}),
        )
        .await;
    stale.assert_problem(412, "precondition_failed");
    let ok = app
        .post_json(
            &format!("/api/v1/donations/{id}/confirm"),
            &[("authorization", &auth), ("if-match", &etag)],
            &json!({}),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_ne!(ok.header("etag").unwrap(), etag);

    // Two members confirming at once: one wins, the other gets 409.
    for _ in 0..4 {
        let g = give(&app, &donor.token, &body).await;
        let path = format!("/api/v1/donations/{}/confirm", g["id"].as_str().unwrap());
        let empty = json!({});
        let (a, b) = futures_util::future::join(
            app.post_as(&m1, &path, &empty),
            app.post_as(&m2, &path, &empty),
        )
        .await;
        let mut statuses = [a.status.as_u16(), b.status.as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "{} / {}", a.text(), b.text());
    }

    // Each step is audited, with who did it.
    let events = app
        .get_as(&admin, &format!("/api/v1/audit-events?object_id={id}"))
        .await
        .json();
    let mut actions: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    actions.sort_unstable();
    assert_eq!(actions, ["donation.confirm", "donation.create"]);
}
