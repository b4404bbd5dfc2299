use serde_json::json;
use tests::{TestApp, both_backends};

both_backends!(
    audit_log_is_scoped_and_filterable,
    a_region_bound_client_sees_only_its_region
);

async fn audit_log_is_scoped_and_filterable(app: TestApp) {
    let admin = app.admin_token().await;
    let province = app.user("province_official", Some("210000")).await;
    let county = app.user("county_official", Some("210921")).await;
    app.post_as(&county.token, "/api/v1/users", &json!({"username": "cadre.audit", "password": "Cunguan-2026", "role": "village_cadre", "region_code": "210921100202"}))
        .await;
    // The province official sees events about places in the province, not platform-wide ones.
    let seen = app
        .walk_as(&province.token, "/api/v1/audit-events?limit=3")
        .await;
    assert!(!seen.is_empty());
    assert!(
        seen.iter().all(|e| e["region_code"]
            .as_str()
            .is_some_and(|r| r.starts_with("21"))),
        "{seen:?}"
    );
    let creates: Vec<&serde_json::Value> = seen
        .iter()
        .filter(|e| e["action"] == "user.create")
        .collect();
    assert!(
        creates
            .iter()
            .any(|e| e["actor_id"] == county.id.as_str() && e["region_code"] == "210921100202")
    );
    // The admin sees everything, including events bound to no place.
    let all = app.walk_as(&admin, "/api/v1/audit-events?limit=500").await;
    assert!(all.len() > seen.len());
    assert!(all.iter().any(|e| e["region_code"].is_null()));
    // Filters.
    let by_actor = app
        .get_as(
            &admin,
            &format!(
                "/api/v1/audit-events?actor_id={}&action=user.create",
                county.id
            ),
        )
        .await
        .json();
    assert_eq!(by_actor["items"].as_array().unwrap().len(), 1);
    let future = app
        .get_as(&admin, "/api/v1/audit-events?from=2999-01-01T00:00:00Z")
        .await
        .json();
    assert!(future["items"].as_array().unwrap().is_empty());
    app.get_as(
        &admin,
        "/api/v1/audit-events?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z",
    )
    .await
    .assert_problem(400, "invalid_parameter");
    app.get_as(&admin, "/api/v1/audit-events?from=yesterday")
        .await
        .assert_problem(400, "invalid_parameter");
}

async fn a_region_bound_client_sees_only_its_region(app: TestApp) {
    let admin = app.admin_token().await;
    let fuxin = app.user("county_official", Some("210921")).await;
    let shenyang = app.user("county_official", Some("210102")).await;
    let c = app
        .post_as(
            &admin,
            "/api/v1/clients",
            &json!({"name": "阜新市政务系统", "scopes": "audit:read", "region_code": "210900"}),
        )
        .await
        .json();
    let token = app
        .post_json("/api/v1/auth/token", &[], &json!({"grant_type": "client_credentials", "client_id": c["id"], "client_secret": c["client_secret"]}))
        .await
        .json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let events = app.walk_as(&token, "/api/v1/audit-events").await;
    assert!(events.iter().any(|e| e["object_id"] == fuxin.id.as_str()));
    assert!(
        !events
            .iter()
            .any(|e| e["object_id"] == shenyang.id.as_str())
    );
    assert!(events.iter().all(|e| {
        e["region_code"]
            .as_str()
            .is_some_and(|r| r.starts_with("2109"))
    }));
}
