//! The social forces: organisations and their verification, donations with receipts, and
//! the brand catalogue.

use serde_json::{Value, json};
use tests::{TestApp, USER_PASSWORD, both_backends};

both_backends!(
    organisations_register_and_are_verified_before_acting,
    receipts_follow_the_deduction_qualification,
    receipt_numbers_are_unique_under_concurrent_donations,
    the_eight_brands_exist_on_a_fresh_install,
    uncertified_volunteer_hours_never_count,
    a_worker_of_two_projects_counts_once,
    campaigns_need_a_verified_organisation_and_sum_their_donations,
    programme_records_and_new_brands,
);

/// A valid unified social credit code, different for each `n`.
pub(crate) fn credit_code(n: u32) -> String {
    domain::social_org::CreditCode::with_check(&format!("5221090{n:010}"))
        .unwrap()
        .to_string()
}

pub(crate) fn organization(n: u32, years: &[i32]) -> Value {
    json!({
        "kind": "social_organization", "subtype": "foundation", "name": format!("阜新爱心基金会{n}"),
        "credit_code": credit_code(n), "region_code": "210900", "contact_name": "王五",
        "contact_phone": "13912345678", "deduction_qualified_years": years
    })
}

/// An organisation registered and verified by the admin; returns its id.
pub(crate) async fn verified_org(app: &TestApp, admin: &str, n: u32, years: &[i32]) -> String {
    let res = app
        .post_as(admin, "/api/v1/organizations", &organization(n, years))
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let id = res.json()["id"].as_str().unwrap().to_owned();
    let res = app
        .post_as(
            admin,
            &format!("/api/v1/organizations/{id}/verify"),
            &json!({}),
        )
        .await;
    assert_eq!(res.json()["status"], "verified");
    id
}

/// Signs up an org_member and logs in; returns (username, access token, refresh token).
pub(crate) async fn sign_up_member(app: &TestApp, name: &str) -> (String, String, String) {
    let res = app
        .post_json(
            "/api/v1/accounts",
            &[],
            &json!({"username": name, "password": USER_PASSWORD, "role": "org_member"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let tokens = app.login(name, USER_PASSWORD).await;
    (
        name.to_owned(),
        tokens["access_token"].as_str().unwrap().to_owned(),
        tokens["refresh_token"].as_str().unwrap().to_owned(),
    )
}

pub(crate) async fn refreshed(app: &TestApp, refresh: &str) -> String {
    let res = app
        .post_json(
            "/api/v1/auth/token",
            &[],
            &json!({"grant_type": "refresh_token", "refresh_token": refresh}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()["access_token"].as_str().unwrap().to_owned()
}

pub(crate) fn this_year() -> i32 {
    use chrono::Datelike;
    (chrono::Utc::now() + chrono::Duration::hours(8)).year()
}

async fn organisations_register_and_are_verified_before_acting(app: TestApp) {
    let (_, token, refresh) = sign_up_member(&app, "member.a").await;
    // A bad credit code is refused, naming the field and the check character.
    let mut bad = organization(1, &[]);
    let code = credit_code(1);
    let wrong = if code.ends_with('0') {
        format!("{}1", &code[..17])
    } else {
        format!("{}0", &code[..17])
    };
    bad["credit_code"] = wrong.into();
    let problem = app
        .post_as(&token, "/api/v1/organizations", &bad)
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(
        (
            problem["errors"][0]["field"].as_str(),
            problem["errors"][0]["code"].as_str()
        ),
        (Some("credit_code"), Some("check_digit"))
    );
    let res = app
        .post_as(
            &token,
            "/api/v1/organizations",
            &organization(1, &[this_year()]),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let org = res.json();
    let id = org["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (org["status"].as_str(), org["contact_phone"].as_str()),
        (Some("pending"), Some("139****5678"))
    );
    // The same code cannot be registered twice.
    let admin = app.admin_token().await;
    app.post_as(&admin, "/api/v1/organizations", &organization(1, &[]))
        .await
        .assert_problem(409, "conflict");
    // With a fresh token the member acts for it; unverified, it cannot publish offers.
    let token = refreshed(&app, &refresh).await;
    let offer =
        json!({"category": "education", "kind": "money", "title": "助学金", "amount_fen": 100000});
    app.post_as(&token, "/api/v1/offers", &offer)
        .await
        .assert_problem(409, "organization_not_verified");
    assert!(
        app.get("/api/v1/public/organizations").await.json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // A donor may not verify; another city's official does not see it; the city's official verifies.
    let donor = app.user("donor", None).await;
    app.post_as(
        &donor.token,
        &format!("/api/v1/organizations/{id}/verify"),
        &json!({}),
    )
    .await
    .assert_problem(403, "forbidden");
    let other = app.user("city_official", Some("211300")).await;
    app.post_as(
        &other.token,
        &format!("/api/v1/organizations/{id}/verify"),
        &json!({}),
    )
    .await
    .assert_problem(404, "not_found");
    let city = app.user("city_official", Some("210900")).await;
    let verified = app
        .post_as(
            &city.token,
            &format!("/api/v1/organizations/{id}/verify"),
            &json!({}),
        )
        .await
        .json();
    assert_eq!(verified["status"], "verified");
    assert_eq!(
        app.post_as(&token, "/api/v1/offers", &offer).await.status,
        201
    );
    let public = app.get("/api/v1/public/organizations").await;
    assert_eq!(public.header("cache-control"), Some("public, max-age=60"));
    let listed = public.json()["items"].clone();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(!public.text().contains("contact"), "{}", public.text());
    // A member of organisation B cannot change A's record.
    let (_, token_b, refresh_b) = sign_up_member(&app, "member.b").await;
    assert_eq!(
        app.post_as(&token_b, "/api/v1/organizations", &organization(2, &[]))
            .await
            .status,
        201
    );
    let token_b = refreshed(&app, &refresh_b).await;
    let auth = format!("Bearer {token_b}");
    let patch = app
        .send(
            actix_web::http::Method::PATCH,
            &format!("/api/v1/organizations/{id}"),
            &[("authorization", &auth)],
            Some((
                "application/json",
                json!({"name": "改名"}).to_string().into_bytes(),
            )),
        )
        .await;
    patch.assert_problem(404, "not_found");
    app.get_as(&token_b, &format!("/api/v1/organizations/{id}"))
        .await
        .assert_problem(404, "not_found");
    // Its own member may; the contact is revealed to it, audited.
    let auth = format!("Bearer {token}");
    let renamed = app
        .send(
            actix_web::http::Method::PATCH,
            &format!("/api/v1/organizations/{id}"),
            &[("authorization", &auth)],
            Some((
                "application/json",
                json!({"name": "阜新爱心基金会（更名）"})
                    .to_string()
                    .into_bytes(),
            )),
        )
        .await;
    assert_eq!(renamed.json()["name"], "阜新爱心基金会（更名）");
    assert_eq!(
        app.get_as(&token, &format!("/api/v1/organizations/{id}?reveal=true"))
            .await
            .json()["contact_phone"],
        "13912345678"
    );
}

async fn receipts_follow_the_deduction_qualification(app: TestApp) {
    let admin = app.admin_token().await;
    let qualified = verified_org(&app, &admin, 10, &[this_year()]).await;
    let unqualified = verified_org(&app, &admin, 11, &[this_year() - 3]).await;
    let donor = app.user("donor", None).await;
    let give = |org: &str, fen: i64| json!({"amount_fen": fen, "organization_id": org});
    let a = app
        .post_as(&donor.token, "/api/v1/donations", &give(&qualified, 50_000))
        .await;
    assert_eq!(a.status, 201, "{}", a.text());
    let b = app
        .post_as(
            &donor.token,
            "/api/v1/donations",
            &give(&unqualified, 20_000),
        )
        .await
        .json();
    let ra = app
        .get_as(
            &donor.token,
            &format!(
                "/api/v1/donations/{}/receipt",
                a.json()["id"].as_str().unwrap()
            ),
        )
        .await
        .json();
    assert_eq!(
        (
            ra["deductible"].as_bool(),
            ra["deductible_fen"].as_i64(),
            ra["non_deductible_fen"].as_i64()
        ),
        (Some(true), Some(50_000), Some(0))
    );
    assert_eq!(ra["organization"]["credit_code"], credit_code(10));
    let rb = app
        .get_as(
            &donor.token,
            &format!("/api/v1/donations/{}/receipt", b["id"].as_str().unwrap()),
        )
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
    assert_ne!(ra["receipt_number"], rb["receipt_number"]);
    // A printable form.
    let auth = format!("Bearer {}", donor.token);
    let html = app
        .get_with(
            &format!("/api/v1/donations/{}/receipt", b["id"].as_str().unwrap()),
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
    );
    // The annual statement adds them up; another donor cannot read the receipt.
    let statement = app
        .get_as(
            &donor.token,
            &format!("/api/v1/me/donations/statement?year={}", this_year()),
        )
        .await
        .json();
    assert_eq!(
        (
            statement["count"].as_i64(),
            statement["total_fen"].as_i64(),
            statement["deductible_fen"].as_i64(),
            statement["non_deductible_fen"].as_i64()
        ),
        (Some(2), Some(70_000), Some(50_000), Some(20_000))
    );
    let other = app.user("donor", None).await;
    app.get_as(
        &other.token,
        &format!("/api/v1/donations/{}/receipt", b["id"].as_str().unwrap()),
    )
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
            &give(pending["id"].as_str().unwrap(), 100),
        )
        .await;
    assert_eq!(
        res.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "organization_not_verified"
    );
}

async fn receipt_numbers_are_unique_under_concurrent_donations(app: TestApp) {
    let admin = app.admin_token().await;
    let org = verified_org(&app, &admin, 20, &[this_year()]).await;
    let mut donors = Vec::new();
    for _ in 0..3 {
        donors.push(app.user("donor", None).await);
    }
    let body = json!({"amount_fen": 1_000, "organization_id": org});
    let gifts =
        (0..30).map(|i| app.post_as(&donors[i % donors.len()].token, "/api/v1/donations", &body));
    let answers = futures_util::future::join_all(gifts).await;
    let mut numbers: Vec<String> = answers
        .iter()
        .map(|r| {
            assert_eq!(r.status, 201, "{}", r.text());
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

async fn the_eight_brands_exist_on_a_fresh_install(app: TestApp) {
    let res = app.get("/api/v1/public/brands").await;
    assert_eq!(res.status, 200, "{}", res.text());
    let names: Vec<String> = res.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap().to_owned())
        .collect();
    for name in [
        "光彩事业",
        "扶贫志愿者行动计划",
        "希望工程",
        "春蕾计划",
        "爱心包裹",
        "雨露计划",
        "扶贫小额贷款",
        "易地扶贫搬迁",
    ] {
        assert!(
            names.iter().any(|n| n == name),
            "{name} missing from {names:?}"
        );
    }
    assert_eq!(names.len(), 8);
}

/// An org_member of a new organisation of `kind`, verified by the admin; returns its token.
pub(crate) async fn verified_member(app: &TestApp, name: &str, n: u32, kind: &str) -> String {
    let (_, token, refresh) = sign_up_member(app, name).await;
    let mut body = organization(n, &[]);
    body["kind"] = kind.into();
    if kind != "social_organization" {
        body.as_object_mut().unwrap().remove("subtype");
    }
    let res = app.post_as(&token, "/api/v1/organizations", &body).await;
    assert_eq!(res.status, 201, "{}", res.text());
    let id = res.json()["id"].as_str().unwrap().to_owned();
    let admin = app.admin_token().await;
    assert_eq!(
        app.post_as(
            &admin,
            &format!("/api/v1/organizations/{id}/verify"),
            &json!({})
        )
        .await
        .status,
        200
    );
    refreshed(app, &refresh).await
}

async fn uncertified_volunteer_hours_never_count(app: TestApp) {
    let organiser = verified_member(&app, "organiser", 30, "social_organization").await;
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let start = (today - chrono::Duration::days(10)).to_string();
    let activity = json!({"activity_type": "teaching", "title": "寒假支教", "village_codes": ["210921100202"], "starts_on": start, "ends_on": (today + chrono::Duration::days(30)).to_string()});
    let res = app
        .post_as(&organiser, "/api/v1/volunteer-activities", &activity)
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let id = res.json()["id"].as_str().unwrap().to_owned();
    let volunteer = app.user("volunteer", None).await;
    let auth = format!("Bearer {}", volunteer.token);
    let profile = app
        .send(
            actix_web::http::Method::PUT,
            "/api/v1/volunteers/me",
            &[("authorization", &auth)],
            Some((
                "application/json",
                json!({"kind": "student", "skills": ["数学"]})
                    .to_string()
                    .into_bytes(),
            )),
        )
        .await;
    assert_eq!(profile.status, 200, "{}", profile.text());
    let hours = |h: f64| json!({"hours": h, "date": today.to_string()});
    app.post_as(
        &volunteer.token,
        &format!("/api/v1/volunteer-activities/{id}/hours"),
        &hours(2.0),
    )
    .await
    .assert_problem(422, "validation_failed");
    let signed = app
        .post_as(
            &volunteer.token,
            &format!("/api/v1/volunteer-activities/{id}/signups"),
            &json!({}),
        )
        .await;
    assert_eq!(signed.status, 204, "{}", signed.text());
    let first = app
        .post_as(
            &volunteer.token,
            &format!("/api/v1/volunteer-activities/{id}/hours"),
            &hours(3.5),
        )
        .await
        .json();
    let second = app
        .post_as(
            &volunteer.token,
            &format!("/api/v1/volunteer-activities/{id}/hours"),
            &hours(8.0),
        )
        .await
        .json();
    assert_eq!(
        (first["certified"].as_bool(), second["hours"].as_f64()),
        (Some(false), Some(8.0))
    );
    // Only the organiser certifies; only certified hours count.
    let stranger = verified_member(&app, "stranger", 31, "social_organization").await;
    app.post_as(
        &stranger,
        &format!(
            "/api/v1/volunteer-activities/{id}/hours/{}/certify",
            first["id"].as_str().unwrap()
        ),
        &json!({}),
    )
    .await
    .assert_problem(403, "forbidden");
    let certified = app
        .post_as(
            &organiser,
            &format!(
                "/api/v1/volunteer-activities/{id}/hours/{}/certify",
                first["id"].as_str().unwrap()
            ),
            &json!({}),
        )
        .await
        .json();
    assert_eq!(certified["certified"], true);
    // The organiser records attendance of those who signed up, and only of them.
    let other_volunteer = app.user("volunteer", None).await;
    let res = app
        .post_as(
            &organiser,
            &format!("/api/v1/volunteer-activities/{id}/attendance"),
            &json!({"volunteer_id": other_volunteer.id}),
        )
        .await;
    assert_eq!(
        res.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "not_signed_up"
    );
    let res = app
        .post_as(
            &organiser,
            &format!("/api/v1/volunteer-activities/{id}/attendance"),
            &json!({"volunteer_id": volunteer.id}),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text());
    let record = app
        .get_as(
            &volunteer.token,
            &format!("/api/v1/volunteers/{}/record", volunteer.id),
        )
        .await
        .json();
    assert_eq!(
        (
            record["certified_hours"].as_f64(),
            record["uncertified_hours"].as_f64()
        ),
        (Some(3.5), Some(8.0))
    );
    assert_eq!(record["entries"].as_array().unwrap().len(), 2);
    assert_eq!(record["activities_attended"], 1);
    let year = crate::individuals::participation(&app, &volunteer.token).await;
    assert_eq!(year["volunteer_hours"].as_f64(), Some(3.5));
}

async fn a_worker_of_two_projects_counts_once(app: TestApp) {
    // A registered poor household whose head both projects employ.
    let county = app.user("county_official", Some("210921")).await;
    crate::registry::register_village(&app, &county.token, crate::registry::VILLAGE).await;
    let head = crate::registry::head_id(40);
    let res = app
        .post_as(
            &county.token,
            "/api/v1/households",
            &crate::registry::household(
                "2109211002020040",
                crate::registry::VILLAGE,
                &head,
                &crate::registry::spouse_id(40),
            ),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let enterprise = verified_member(&app, "factory", 32, "enterprise").await;
    let project = |title: &str| json!({"project_type": "employment", "title": title, "village_codes": [crate::registry::VILLAGE], "invested_fen": 5_000_000, "started_on": "2026-03-01"});
    let a = app
        .post_as(
            &enterprise,
            "/api/v1/enterprise-projects",
            &project("扶贫车间"),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.text());
    let a = a.json()["id"].as_str().unwrap().to_owned();
    let b = app
        .post_as(
            &enterprise,
            "/api/v1/enterprise-projects",
            &project("种植基地"),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for p in [&a, &b] {
        let res = app
            .post_as(
                &enterprise,
                &format!("/api/v1/enterprise-projects/{p}/employments"),
                &json!({"id_number": head}),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text());
        assert_eq!(res.json()["poor_people_employed"], 1);
    }
    // Not a registered poor person: refused.
    let stranger = crate::registry::head_id(41);
    let res = app
        .post_as(
            &enterprise,
            &format!("/api/v1/enterprise-projects/{a}/employments"),
            &json!({"id_number": stranger}),
        )
        .await;
    assert_eq!(
        res.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "not_registered"
    );
    let admin = app.admin_token().await;
    let total = app
        .get_as(&admin, "/api/v1/enterprise-projects/employment")
        .await
        .json();
    assert_eq!(total["poor_people_employed"], 1, "{total}");
    // Officials count the people living in their jurisdiction and list the projects serving
    // its villages; the enterprise lists its own.
    let dalian = app.user("city_official", Some("210200")).await;
    for (who, people, projects) in [(&county.token, 1, 2), (&dalian.token, 0, 0)] {
        let total = app
            .get_as(who, "/api/v1/enterprise-projects/employment")
            .await
            .json();
        assert_eq!(total["poor_people_employed"], people, "{total}");
        assert_eq!(
            app.walk_as(who, "/api/v1/enterprise-projects").await.len(),
            projects
        );
    }
    let own = app
        .walk_as(&enterprise, "/api/v1/enterprise-projects")
        .await;
    let mut ids: Vec<&str> = own.iter().map(|p| p["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    let mut expected = vec![a.as_str(), b.as_str()];
    expected.sort_unstable();
    assert_eq!(ids, expected);
    app.get_as(
        &county.token,
        "/api/v1/enterprise-projects?project_type=mining",
    )
    .await
    .assert_problem(400, "invalid_parameter");
    // A social organisation cannot record enterprise projects.
    let charity = verified_member(&app, "charity", 33, "social_organization").await;
    app.post_as(&charity, "/api/v1/enterprise-projects", &project("x"))
        .await
        .assert_problem(403, "forbidden");
}

async fn campaigns_need_a_verified_organisation_and_sum_their_donations(app: TestApp) {
    let campaign = json!({"brand_id": "brand-hope-project", "kind": "fundraising", "title": "希望小学冬衣募捐", "goal_fen": 1_000_000, "starts_on": "2026-12-01", "ends_on": "2027-01-31", "target_group": "children", "region_codes": ["210900"]});
    let (_, pending, refresh) = sign_up_member(&app, "pending.org").await;
    assert_eq!(
        app.post_as(&pending, "/api/v1/organizations", &organization(34, &[]))
            .await
            .status,
        201
    );
    let pending = refreshed(&app, &refresh).await;
    app.post_as(&pending, "/api/v1/campaigns", &campaign)
        .await
        .assert_problem(409, "organization_not_verified");
    let org = verified_member(&app, "fundraiser", 35, "social_organization").await;
    let res = app.post_as(&org, "/api/v1/campaigns", &campaign).await;
    assert_eq!(res.status, 201, "{}", res.text());
    let created = res.json();
    let donor = app.user("donor", None).await;
    for fen in [30_000, 12_000] {
        let gift = json!({"amount_fen": fen, "organization_id": created["organization_id"], "campaign_id": created["id"]});
        let res = app.post_as(&donor.token, "/api/v1/donations", &gift).await;
        assert_eq!(res.status, 201, "{}", res.text());
    }
    for _ in 0..2 {
        let joined = app
            .post_as(
                &donor.token,
                &format!(
                    "/api/v1/campaigns/{}/participants",
                    created["id"].as_str().unwrap()
                ),
                &json!({}),
            )
            .await;
        assert_eq!(joined.status, 204, "{}", joined.text());
    }
    let listed = app.get("/api/v1/public/campaigns").await.json();
    assert_eq!(
        listed["items"][0]["participants"], 1,
        "joining twice counts once"
    );
    assert_eq!(listed["items"][0]["raised_fen"], 42_000);
    assert_eq!(listed["items"][0]["brand_id"], "brand-hope-project");
    let year = crate::individuals::participation(&app, &donor.token).await;
    assert_eq!(
        (
            year["donations"].as_i64(),
            year["donated_fen"].as_i64(),
            year["campaigns_joined"].as_i64()
        ),
        (Some(2), Some(42_000), Some(1))
    );
}

async fn programme_records_and_new_brands(app: TestApp) {
    let county = app.user("county_official", Some("210921")).await;
    crate::registry::register_village(&app, &county.token, crate::registry::VILLAGE).await;
    let res = app
        .post_as(
            &county.token,
            "/api/v1/households",
            &crate::registry::household(
                "2109211002020050",
                crate::registry::VILLAGE,
                &crate::registry::head_id(50),
                &crate::registry::spouse_id(50),
            ),
        )
        .await;
    let household = res.json()["id"].as_str().unwrap().to_owned();
    let loan = json!({"household_id": household, "programme": "microcredit", "happened_on": "2026-05-01", "amount_fen": 5_000_000, "term_months": 36, "subsidy_fen": 150_000});
    let res = app
        .post_as(&county.token, "/api/v1/programme-records", &loan)
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let training = json!({"household_id": household, "programme": "rain_dew", "happened_on": "2026-07-01", "course": "电工"});
    let problem = app
        .post_as(&county.token, "/api/v1/programme-records", &training)
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(
        (
            problem["errors"][0]["field"].as_str(),
            problem["errors"][0]["code"].as_str()
        ),
        (Some("subsidy_fen"), Some("required"))
    );
    // Another county neither records nor reads them.
    let other = app.user("county_official", Some("210922")).await;
    let res = app
        .post_as(&other.token, "/api/v1/programme-records", &loan)
        .await;
    assert_eq!(
        res.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "unknown_household"
    );
    app.get_as(
        &other.token,
        &format!("/api/v1/households/{household}/programme-records"),
    )
    .await
    .assert_problem(404, "not_found");
    let records = app
        .get_as(
            &county.token,
            &format!("/api/v1/households/{household}/programme-records"),
        )
        .await
        .json();
    assert_eq!(
        (
            records["items"][0]["programme"].as_str(),
            records["items"][0]["term_months"].as_i64()
        ),
        (Some("microcredit"), Some(36))
    );
    // New brands are for the special groups, made at province level.
    let brand = json!({"code": "left_behind_mothers", "name": "留守妈妈关爱行动", "owner": "辽宁省妇联", "description": "技能培训和心理关爱", "target_group": "left_behind_women"});
    app.post_as(&county.token, "/api/v1/brands", &brand)
        .await
        .assert_problem(403, "forbidden");
    let province = app.user("province_official", Some("210000")).await;
    assert_eq!(
        app.post_as(&province.token, "/api/v1/brands", &brand)
            .await
            .status,
        201
    );
    app.post_as(&province.token, "/api/v1/brands", &brand)
        .await
        .assert_problem(409, "conflict");
    let all = app.get("/api/v1/public/brands").await.json();
    assert_eq!(all["items"].as_array().unwrap().len(), 9);
}
