//! 企业扶贫: enterprise projects and the people they employ.

use serde_json::json;
use tests::{TestApp, both_backends};

use crate::social_org::verified_member;

both_backends!(
    a_worker_of_two_projects_counts_once,
    employment_claims_do_not_reveal_who_is_registered,
);

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
        assert_eq!(res.status, 202, "{}", res.text());
        assert_eq!(res.json()["status"], "recorded");
        let project = app
            .get_as(&enterprise, &format!("/api/v1/enterprise-projects/{p}"))
            .await
            .json();
        assert_eq!(project["poor_people_employed"], 1);
    }
    // Not a registered poor person: the claim waits for an official and is not counted.
    let stranger = crate::registry::head_id(41);
    let res = app
        .post_as(
            &enterprise,
            &format!("/api/v1/enterprise-projects/{a}/employments"),
            &json!({"id_number": stranger}),
        )
        .await;
    assert_eq!(res.status, 202, "{}", res.text());
    assert_eq!(res.json()["status"], "pending");
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

/// The keys of a JSON object, sorted.
fn keys(v: &serde_json::Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort_unstable();
    k
}

async fn employment_claims_do_not_reveal_who_is_registered(app: TestApp) {
    use crate::registry::{OTHER_COUNTY_VILLAGE, VILLAGE, head_id, household, spouse_id};
    let county = app.user("county_official", Some("210921")).await;
    let other_county = app.user("county_official", Some("210922")).await;
    crate::registry::register_village(&app, &county.token, VILLAGE).await;
    crate::registry::register_village(&app, &other_county.token, OTHER_COUNTY_VILLAGE).await;
    for (token, number, village, n) in [
        (&county.token, "2109211002020050", VILLAGE, 50),
        (
            &other_county.token,
            "2109221000010051",
            OTHER_COUNTY_VILLAGE,
            51,
        ),
    ] {
        let res = app
            .post_as(
                token,
                "/api/v1/households",
                &household(number, village, &head_id(n), &spouse_id(n)),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text());
    }
    let enterprise = verified_member(&app, "workshop", 34, "enterprise").await;
    let project = app
        .post_as(
            &enterprise,
            "/api/v1/enterprise-projects",
            &json!({"project_type": "employment", "title": "扶贫车间", "village_codes": [VILLAGE], "invested_fen": 5_000_000, "started_on": "2026-03-01"}),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let claim = |id_number: String| {
        let (app, enterprise, project) = (&app, &enterprise, &project);
        async move {
            app.post_as(
                enterprise,
                &format!("/api/v1/enterprise-projects/{project}/employments"),
                &json!({"id_number": id_number}),
            )
            .await
        }
    };
    // A registered poor person of the project's own village: recorded and counted at once.
    let own = claim(head_id(50)).await;
    assert_eq!(own.status, 202, "{}", own.text());
    let own = own.json();
    assert_eq!(own["status"], "recorded");
    // A registered poor person of another county, and someone not registered at all:
    // the same status and the same body but for the claim's own id, number and time.
    let elsewhere = claim(head_id(51)).await;
    let stranger = claim(head_id(52)).await;
    assert_eq!(elsewhere.status, 202, "{}", elsewhere.text());
    assert_eq!(stranger.status, elsewhere.status);
    assert_eq!(
        stranger.header("content-type"),
        elsewhere.header("content-type")
    );
    let (elsewhere, stranger) = (elsewhere.json(), stranger.json());
    assert_eq!(keys(&elsewhere), keys(&stranger));
    assert_eq!(keys(&own), keys(&stranger));
    for field in ["project_id", "year", "status", "decided_at"] {
        assert_eq!(elsewhere[field], stranger[field], "{field}");
    }
    assert_eq!(stranger["status"], "pending");
    assert_eq!(
        stranger["id_number"],
        format!("210921********{}", &head_id(52)[14..])
    );
    // Claiming again answers the first claim.
    let again = claim(head_id(52)).await;
    assert_eq!(again.status, 202);
    assert_eq!(again.json()["id"], stranger["id"]);
    // Only the recorded claim counts, until an official confirms.
    let employed = |who: String| {
        let (app, project) = (&app, &project);
        async move {
            app.get_as(&who, &format!("/api/v1/enterprise-projects/{project}"))
                .await
                .json()["poor_people_employed"]
                .clone()
        }
    };
    let admin = app.admin_token().await;
    assert_eq!(employed(enterprise.clone()).await, 1);
    let total = |token: String| {
        let app = &app;
        async move {
            app.get_as(&token, "/api/v1/enterprise-projects/employment")
                .await
                .json()["poor_people_employed"]
                .clone()
        }
    };
    assert_eq!(total(admin.clone()).await, 1);
    // Every claim is audited on the project, with the number masked.
    let events = app
        .walk_as(
            &admin,
            &format!(
                "/api/v1/audit-events?action=enterprise_project.employment_claim&object_id={project}"
            ),
        )
        .await;
    assert_eq!(events.len(), 4, "{events:?}");
    let text = serde_json::to_string(&events).unwrap();
    for n in [50, 51, 52] {
        assert!(!text.contains(&head_id(n)), "{text}");
    }
    assert!(
        events
            .iter()
            .any(|e| e["details"]["id_number"] == stranger["id_number"]),
        "{events:?}"
    );
    // The officials of the project's villages see the pending claims; others do not.
    let pending = app
        .walk_as(&county.token, "/api/v1/employment-claims?status=pending")
        .await;
    let mut ids: Vec<&str> = pending.iter().map(|c| c["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    let mut expected = vec![
        elsewhere["id"].as_str().unwrap(),
        stranger["id"].as_str().unwrap(),
    ];
    expected.sort_unstable();
    assert_eq!(ids, expected);
    let dalian = app.user("city_official", Some("210200")).await;
    assert!(
        app.walk_as(&dalian.token, "/api/v1/employment-claims")
            .await
            .is_empty()
    );
    assert_eq!(
        app.walk_as(&enterprise, "/api/v1/employment-claims")
            .await
            .len(),
        3
    );
    let confirm = |id: &serde_json::Value| {
        format!("/api/v1/employment-claims/{}/confirm", id.as_str().unwrap())
    };
    let reject = |id: &serde_json::Value| {
        format!("/api/v1/employment-claims/{}/reject", id.as_str().unwrap())
    };
    app.post_as(&dalian.token, &confirm(&elsewhere["id"]), &json!({}))
        .await
        .assert_problem(404, "not_found");
    app.post_as(&enterprise, &confirm(&elsewhere["id"]), &json!({}))
        .await
        .assert_problem(403, "forbidden");
    // The county official confirms the registered person: counted from then on.
    let confirmed = app
        .post_as(&county.token, &confirm(&elsewhere["id"]), &json!({}))
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.text());
    assert_eq!(confirmed.json()["status"], "confirmed");
    assert_eq!(employed(enterprise.clone()).await, 2);
    assert_eq!(total(admin.clone()).await, 2);
    // Someone not registered cannot be confirmed; the official rejects the claim.
    let p = app
        .post_as(&county.token, &confirm(&stranger["id"]), &json!({}))
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["code"], "not_registered");
    let rejected = app
        .post_as(&county.token, &reject(&stranger["id"]), &json!({}))
        .await;
    assert_eq!(rejected.status, 200, "{}", rejected.text());
    assert_eq!(rejected.json()["status"], "rejected");
    app.post_as(&county.token, &reject(&stranger["id"]), &json!({}))
        .await
        .assert_problem(409, "invalid_transition");
    app.post_as(&county.token, &reject(&own["id"]), &json!({}))
        .await
        .assert_problem(409, "invalid_transition");
    assert_eq!(employed(enterprise.clone()).await, 2);
    let decisions = app
        .walk_as(
            &admin,
            &format!(
                "/api/v1/audit-events?object_id={}",
                stranger["id"].as_str().unwrap()
            ),
        )
        .await;
    let actions: Vec<&str> = decisions
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["employment_claim.reject"]);
}
