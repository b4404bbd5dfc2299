//! 社会组织扶贫: organisations, their verification, and the helpers the other areas'
//! tests use to make verified organisations and their members.

use serde_json::{Value, json};
use tests::{TestApp, USER_PASSWORD, both_backends};

both_backends!(organisations_register_and_are_verified_before_acting,);

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
    assert_eq!(res.status, 202, "{}", res.text());
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
