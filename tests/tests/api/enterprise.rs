//! 企业扶贫: enterprise projects and the people they employ.

use serde_json::json;
use tests::{TestApp, both_backends};

use crate::social_org::verified_member;

both_backends!(a_worker_of_two_projects_counts_once,);

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
