use serde_json::json;
use tests::{TestApp, USER_PASSWORD, both_backends};

both_backends!(
    officials_create_only_below_themselves,
    jurisdiction_decides_what_officials_see,
    roles_that_may_never_manage_users_get_403,
    mass_assignment_is_refused,
    self_sign_up_for_donors_and_volunteers,
    sign_up_does_not_tell_whether_a_name_or_id_number_is_taken,
    a_disabled_account_is_refused_at_once,
    a_disabled_client_is_refused_at_once,
    an_evaluator_time_box_must_lie_ahead,
);

fn account(role: &str, region: Option<&str>) -> serde_json::Value {
    let mut body = json!({
        "username": format!("{}.{}", role.replace('_', "-"), uuid::Uuid::now_v7().simple()),
        "password": USER_PASSWORD,
        "role": role
    });
    if let Some(r) = region {
        body["region_code"] = r.into();
    }
    body
}

async fn officials_create_only_below_themselves(app: TestApp) {
    let county = app.user("county_official", Some("210921")).await;
    // Below, inside: allowed.
    let township = app
        .post_as(
            &county.token,
            "/api/v1/users",
            &account("township_official", Some("210921100000")),
        )
        .await;
    assert_eq!(township.status, 201, "{}", township.text());
    assert!(
        township
            .header("location")
            .unwrap()
            .starts_with("/api/v1/users/")
    );
    let cadre = app
        .post_as(
            &county.token,
            "/api/v1/users",
            &account("village_cadre", Some("210921100202")),
        )
        .await;
    assert_eq!(cadre.status, 201, "{}", cadre.text());
    // Above, or beside, or another county: forbidden.
    for (role, region) in [
        ("province_official", "210000"),
        ("city_official", "210900"),
        ("county_official", "210921"),
        ("township_official", "210922100000"),
    ] {
        let res = app
            .post_as(&county.token, "/api/v1/users", &account(role, Some(region)))
            .await;
        res.assert_problem(403, "forbidden");
    }
    // A role whose region has the wrong level is invalid, not forbidden.
    let p = app
        .post_as(
            &county.token,
            "/api/v1/users",
            &account("township_official", Some("210921100202")),
        )
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "region_code");
}

async fn jurisdiction_decides_what_officials_see(app: TestApp) {
    let admin = app.admin_token().await;
    let fuxin_county = app.user("county_official", Some("210921")).await;
    let zhangwu = app.user("county_official", Some("210922")).await;
    let city = app.user("city_official", Some("210900")).await;
    let shenyang = app.user("county_official", Some("210102")).await;
    let in_fuxin = app
        .post_as(
            &fuxin_county.token,
            "/api/v1/users",
            &account("village_cadre", Some("210921100202")),
        )
        .await
        .json();
    let cadre_id = in_fuxin["id"].as_str().unwrap();

    // Reading another county's account: 404, never 403.
    app.get_as(&zhangwu.token, &format!("/api/v1/users/{cadre_id}"))
        .await
        .assert_problem(404, "not_found");
    app.get_as(&shenyang.token, &format!("/api/v1/users/{cadre_id}"))
        .await
        .assert_problem(404, "not_found");
    assert_eq!(
        app.get_as(&fuxin_county.token, &format!("/api/v1/users/{cadre_id}"))
            .await
            .status,
        200
    );
    assert_eq!(
        app.get_as(&city.token, &format!("/api/v1/users/{cadre_id}"))
            .await
            .status,
        200
    );
    assert_eq!(
        app.get_as(&admin, &format!("/api/v1/users/{cadre_id}"))
            .await
            .status,
        200
    );

    let ids = |page: serde_json::Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["id"].as_str().unwrap().to_owned())
            .collect()
    };
    // Lists: the county sees itself and its cadre; the other county sees itself only; the
    // city sees both counties; a filter outside the jurisdiction gives an empty list.
    let mine = ids(app
        .get_as(&fuxin_county.token, "/api/v1/users")
        .await
        .json());
    assert_eq!(mine, [fuxin_county.id.clone(), cadre_id.to_owned()]);
    assert_eq!(
        ids(app.get_as(&zhangwu.token, "/api/v1/users").await.json()),
        std::slice::from_ref(&zhangwu.id)
    );
    let city_sees = ids(app.get_as(&city.token, "/api/v1/users").await.json());
    assert_eq!(
        city_sees,
        [
            fuxin_county.id.clone(),
            zhangwu.id.clone(),
            city.id.clone(),
            cadre_id.to_owned()
        ]
    );
    assert!(
        ids(app
            .get_as(&zhangwu.token, "/api/v1/users?region=210921")
            .await
            .json())
        .is_empty()
    );
    let filtered = ids(app
        .get_as(
            &city.token,
            "/api/v1/users?region=210921&role=village_cadre",
        )
        .await
        .json());
    assert_eq!(filtered, [cadre_id.to_owned()]);
    // Admin sees everyone, paging with a cursor.
    let all = app.walk_as(&admin, "/api/v1/users?limit=2").await;
    assert_eq!(all.len(), 6);
}

async fn roles_that_may_never_manage_users_get_403(app: TestApp) {
    let donor = app.user("donor", None).await;
    let cadre = app.user("village_cadre", Some("210921100202")).await;
    let evaluator = app.user("evaluator", None).await;
    for t in [&donor.token, &cadre.token, &evaluator.token] {
        app.get_as(t, "/api/v1/users")
            .await
            .assert_problem(403, "forbidden");
        app.post_as(
            t,
            "/api/v1/users",
            &account("village_cadre", Some("210921100202")),
        )
        .await
        .assert_problem(403, "forbidden");
        app.get_as(t, "/api/v1/clients")
            .await
            .assert_problem(403, "forbidden");
        app.post_as(
            t,
            "/api/v1/clients",
            &json!({"name": "x", "scopes": "stats:read"}),
        )
        .await
        .assert_problem(403, "forbidden");
        app.get_as(t, "/api/v1/audit-events")
            .await
            .assert_problem(403, "forbidden");
    }
    let county = app.user("county_official", Some("210921")).await;
    app.get_as(&county.token, "/api/v1/clients")
        .await
        .assert_problem(403, "forbidden");
    app.get_as(&county.token, "/api/v1/audit-events")
        .await
        .assert_problem(403, "forbidden");
    // Everyone may read their own account.
    assert_eq!(
        app.get_as(&donor.token, &format!("/api/v1/users/{}", donor.id))
            .await
            .status,
        200
    );
}

async fn mass_assignment_is_refused(app: TestApp) {
    let admin = app.admin_token().await;
    let mut body = account("county_official", Some("210921"));
    body["disabled"] = true.into();
    let p = app
        .post_as(&admin, "/api/v1/users", &body)
        .await
        .assert_problem(422, "validation_failed");
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("disabled"),
        "{p}"
    );
    for field in ["region_code", "organization_id", "status", "created_by"] {
        let mut body = account("donor", None);
        body[field] = "210921".into();
        let res = app.post_json("/api/v1/accounts", &[], &body).await;
        res.assert_problem(422, "validation_failed");
    }
    // A self-signed-up account cannot make itself an official.
    let p = app
        .post_json("/api/v1/accounts", &[], &account("province_official", None))
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "role");
}

async fn self_sign_up_for_donors_and_volunteers(app: TestApp) {
    let body = json!({"username": "Wang.Donor", "password": "Aixin-2026-ln", "role": "donor", "display_name": "王先生", "phone": "139-1234-5678"});
    let res = app.post_json("/api/v1/accounts", &[], &body).await;
    assert_eq!(res.status, 202, "{}", res.text());
    assert_eq!(res.json(), json!({"status": "received"}));
    assert_eq!(res.header("location"), None);
    let tokens = app.login("WANG.donor", "Aixin-2026-ln").await;
    let me = app
        .get_as(tokens["access_token"].as_str().unwrap(), "/api/v1/me")
        .await
        .json();
    assert_eq!(me["username"], "wang.donor");
    assert_eq!(me["role"], "donor");
    assert_eq!(me["phone"], "139****5678");
    assert_eq!(me["display_name"], "王先生");
    // Field errors come all at once.
    let p = app
        .post_json("/api/v1/accounts", &[], &json!({"username": "x", "password": "short", "role": "volunteer", "phone": "12345", "id_number": "210102199001011234"}))
        .await
        .assert_problem(422, "validation_failed");
    let mut fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["id_number", "password", "phone", "username"]);
}

/// What a client can observe of an answer: status, headers that vary by outcome, body.
fn observable(res: &tests::Response) -> (u16, Option<String>, Option<String>, Vec<u8>) {
    (
        res.status.as_u16(),
        res.header("content-type").map(str::to_owned),
        res.header("location").map(str::to_owned),
        res.body.clone(),
    )
}

async fn sign_up_does_not_tell_whether_a_name_or_id_number_is_taken(app: TestApp) {
    let first = json!({"username": "li.volunteer", "password": "Zhiyuan-2026", "role": "volunteer", "id_number": "11010519491231002X"});
    let fresh = app.post_json("/api/v1/accounts", &[], &first).await;
    assert_eq!(fresh.status, 202, "{}", fresh.text());
    let holder = app.login("li.volunteer", "Zhiyuan-2026").await;
    let holder_token = holder["access_token"].as_str().unwrap();
    let holder_id = app.get_as(holder_token, "/api/v1/me").await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The same username with another password, and another username with the same ID
    // number (in another letter case): answered exactly as the fresh sign-up was.
    let same_name =
        json!({"username": "LI.volunteer", "password": "Other-2026-pw", "role": "donor"});
    let same_id = json!({"username": "li.other", "password": "Zhiyuan-2026", "role": "donor", "id_number": "11010519491231002x"});
    let also_fresh = json!({"username": "li.third", "password": "Zhiyuan-2026", "role": "donor", "id_number": "110105194912310011"});
    let expected = observable(&app.post_json("/api/v1/accounts", &[], &also_fresh).await);
    for body in [&same_name, &same_id] {
        let res = app.post_json("/api/v1/accounts", &[], body).await;
        assert_eq!(observable(&res), expected, "{body}");
    }
    // Nothing was made or changed: the holder keeps the name and the password.
    app.login("li.volunteer", "Zhiyuan-2026").await;
    let refused = app
        .post_json(
            "/api/v1/auth/token",
            &[],
            &json!({"grant_type": "password", "username": "li.volunteer", "password": "Other-2026-pw"}),
        )
        .await;
    assert_eq!(refused.status, 401);
    let refused = app
        .post_json(
            "/api/v1/auth/token",
            &[],
            &json!({"grant_type": "password", "username": "li.other", "password": "Zhiyuan-2026"}),
        )
        .await;
    assert_eq!(refused.status, 401);
    app.login("li.third", "Zhiyuan-2026").await;
    // The holder's account carries both refused attempts, naming the field, not the value.
    let admin = app.admin_token().await;
    let events = app
        .walk_as(
            &admin,
            &format!("/api/v1/audit-events?action=user.sign_up_refused&object_id={holder_id}"),
        )
        .await;
    let mut taken: Vec<&str> = events
        .iter()
        .map(|e| e["details"]["taken"].as_str().unwrap())
        .collect();
    taken.sort_unstable();
    assert_eq!(taken, ["id_number", "username"], "{events:?}");
    assert!(
        events.iter().all(|e| e["outcome"] == "failure"),
        "{events:?}"
    );
    let text = serde_json::to_string(&events).unwrap();
    assert!(!text.contains("11010519491231002"), "{text}");
}

async fn a_disabled_account_is_refused_at_once(app: TestApp) {
    let city = app.user("city_official", Some("210900")).await;
    let county = app.user("county_official", Some("210921")).await;
    let donor = app.user("donor", None).await;
    assert_eq!(app.get_as(&county.token, "/api/v1/me").await.status, 200);
    // Who may not: a donor (403), the county official on the city above (404), oneself (409).
    app.post_as(
        &donor.token,
        &format!("/api/v1/users/{}/disable", county.id),
        &json!({}),
    )
    .await
    .assert_problem(403, "forbidden");
    app.post_as(
        &county.token,
        &format!("/api/v1/users/{}/disable", city.id),
        &json!({}),
    )
    .await
    .assert_problem(404, "not_found");
    app.post_as(
        &city.token,
        &format!("/api/v1/users/{}/disable", city.id),
        &json!({}),
    )
    .await
    .assert_problem(409, "conflict");
    // The city official disables the county official below them.
    let res = app
        .post_as(
            &city.token,
            &format!("/api/v1/users/{}/disable", county.id),
            &json!({}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["disabled"], true);
    // The access token still has minutes to run, yet is refused now; so are the refresh
    // token and the password.
    let me = app.get_as(&county.token, "/api/v1/me").await;
    assert_eq!(me.assert_problem(401, "unauthorized")["reason"], "disabled");
    // However the scheme is spelled.
    let lower = format!("bearer {}", county.token);
    let me = app
        .get_with("/api/v1/me", &[("authorization", &lower)])
        .await;
    assert_eq!(me.assert_problem(401, "unauthorized")["reason"], "disabled");
    // Pages that need no caller do not look at the token.
    let auth = format!("Bearer {}", county.token);
    assert_eq!(
        app.get_with("/api/v1/public/needs", &[("authorization", &auth)])
            .await
            .status,
        200
    );
    let refresh = app
        .post_json(
            "/api/v1/auth/token",
            &[],
            &json!({"grant_type": "refresh_token", "refresh_token": county.refresh_token}),
        )
        .await;
    assert_eq!(refresh.status, 401, "{}", refresh.text());
    let login = app
        .post_json(
            "/api/v1/auth/token",
            &[],
            &json!({"grant_type": "password", "username": county.username, "password": USER_PASSWORD}),
        )
        .await;
    assert_eq!(login.status, 401, "{}", login.text());
    // Enabled again, the account works again.
    let res = app
        .post_as(
            &city.token,
            &format!("/api/v1/users/{}/enable", county.id),
            &json!({}),
        )
        .await;
    assert_eq!(res.json()["disabled"], false);
    assert_eq!(app.get_as(&county.token, "/api/v1/me").await.status, 200);
    let again = app.login(&county.username, USER_PASSWORD).await;
    assert!(again["access_token"].is_string());
}

async fn a_disabled_client_is_refused_at_once(app: TestApp) {
    let admin = app.admin_token().await;
    let c = app
        .post_as(&admin, "/api/v1/clients", &json!({"name": "阜新市扶贫数据交换", "scopes": "registry:read", "region_code": "210900"}))
        .await
        .json();
    let token = app
        .post_json(
            "/api/v1/auth/token",
            &[],
            &json!({"grant_type": "client_credentials", "client_id": c["id"], "client_secret": c["client_secret"]}),
        )
        .await
        .json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(app.get_as(&token, "/api/v1/villages").await.status, 200);
    let auth = format!("Bearer {admin}");
    let gone = app
        .send(
            actix_web::http::Method::DELETE,
            &format!("/api/v1/clients/{}", c["id"].as_str().unwrap()),
            &[("authorization", &auth)],
            None,
        )
        .await;
    assert_eq!(gone.status, 204, "{}", gone.text());
    let refused = app.get_as(&token, "/api/v1/villages").await;
    assert_eq!(
        refused.assert_problem(401, "unauthorized")["reason"],
        "disabled"
    );
}

/// An evaluator's access ends at `valid_until`, which must lie ahead: an account out of
/// service the moment it exists is refused, naming the field.
async fn an_evaluator_time_box_must_lie_ahead(app: TestApp) {
    let admin = app.admin_token().await;
    let at = |t: chrono::DateTime<chrono::Utc>| {
        let mut body = account("evaluator", None);
        body["valid_until"] = t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true).into();
        body
    };
    let now = chrono::Utc::now();
    for past in [
        now - chrono::Duration::minutes(1),
        now - chrono::Duration::days(400),
    ] {
        let p = app
            .post_as(&admin, "/api/v1/users", &at(past))
            .await
            .assert_problem(422, "validation_failed");
        assert_eq!(p["errors"][0]["field"], "valid_until", "{p}");
        assert_eq!(p["errors"][0]["code"], "in_the_past", "{p}");
        assert_eq!(p["errors"].as_array().unwrap().len(), 1, "{p}");
    }
    let ahead = now + chrono::Duration::days(30);
    let res = app.post_as(&admin, "/api/v1/users", &at(ahead)).await;
    assert_eq!(res.status, 201, "{}", res.text());
    assert_eq!(
        res.json()["valid_until"],
        ahead.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
}
