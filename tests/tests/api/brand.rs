//! 扶贫品牌: the brand catalogue, campaigns and programme records.

use serde_json::json;
use tests::{TestApp, both_backends};

use crate::social_org::{organization, refreshed, sign_up_member, verified_member};

both_backends!(
    the_eight_brands_exist_on_a_fresh_install,
    campaigns_need_a_verified_organisation_and_sum_their_donations,
    programme_records_and_new_brands,
);

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
    // Gifts count once the organisation (its member) confirms them.
    for fen in [30_000, 12_000] {
        let gift = json!({"amount_fen": fen, "organization_id": created["organization_id"], "campaign_id": created["id"]});
        let gift = crate::donation::give(&app, &donor.token, &gift).await;
        crate::donation::confirm(&app, &org, gift["id"].as_str().unwrap()).await;
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
    let year = crate::individual::participation(&app, &donor.token).await;
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
