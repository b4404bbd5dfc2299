//! The register: villages and households, their status, and (in `bulk`) imports and exports.

mod bulk;
mod imports;

use serde_json::json;
use tests::{TestApp, TestUser, both_backends};

both_backends!(
    household_lifecycle_with_masking_and_audit,
    bad_check_digit_names_the_member_and_field,
    one_person_cannot_be_registered_twice,
    exit_requires_the_standard,
    household_needs_a_poor_village_or_scattered,
    jurisdiction_holds_on_registry_reads_and_writes,
    list_filters_and_head_name_search,
    member_names_are_encrypted_at_rest,
    villages_are_scoped_and_versioned,
);

pub const VILLAGE: &str = "210921100202";
pub const OTHER_COUNTY_VILLAGE: &str = "210922100001";

pub async fn register_village(app: &TestApp, token: &str, code: &str) -> serde_json::Value {
    let res = app
        .post_as(token, "/api/v1/villages", &json!({"region_code": code, "registered_year": 2014, "population": 1320, "poor_household_count": 86}))
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    res.json()
}

fn id_number(prefix6: &str, birth: &str, seq: &str) -> String {
    let body = format!("{prefix6}{birth}{seq}");
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = "10X98765432".chars().nth((sum % 11) as usize).unwrap();
    format!("{body}{check}")
}

pub fn household(number: &str, village: &str, head_id: &str, spouse_id: &str) -> serde_json::Value {
    json!({
        "household_number": number, "region_code": village, "household_type": "general", "identification_standard": "national",
        "main_cause": "因病", "secondary_causes": ["lack_of_skills"], "income_per_person_fen": 250000, "housing_safe": true,
        "guarantees": {"food_secure": true, "clothing_secure": true, "compulsory_education": true, "basic_medical": false, "housing_security": true, "safe_drinking_water": true},
        "members": [
            {"name": "张三", "sex": "male", "id_number": head_id, "relation": "head", "ethnicity": "蒙古族", "education": "primary", "health": "chronic_illness", "work_capacity": "ordinary", "rural_medical": true, "phone": "13812345678"},
            {"name": "李四", "sex": "女", "id_number": spouse_id, "relation": "spouse", "education": "primary", "health": "healthy", "work_capacity": "ordinary"}
        ]
    })
}

pub fn head_id(n: u32) -> String {
    id_number("210921", "19650312", &format!("{:03}", (n * 2 + 1) % 1000))
}

pub fn spouse_id(n: u32) -> String {
    id_number("210921", "19680315", &format!("{:03}", (n * 2) % 1000))
}

async fn county(app: &TestApp) -> TestUser {
    app.user("county_official", Some("210921")).await
}

async fn household_lifecycle_with_masking_and_audit(app: TestApp) {
    let official = county(&app).await;
    register_village(&app, &official.token, VILLAGE).await;
    let res = app
        .post_as(
            &official.token,
            "/api/v1/households",
            &household("2109211002020001", VILLAGE, &head_id(1), &spouse_id(1)),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let h = res.json();
    let id = h["id"].as_str().unwrap();
    assert_eq!(h["status"], "poor");
    assert_eq!(h["main_cause"], "illness");
    assert_eq!(h["guarantees_met"], false);
    assert_eq!(h["members"][0]["name"], "张*");
    assert_eq!(
        h["members"][0]["id_number"],
        format!("210921********{}", &head_id(1)[14..])
    );
    assert_eq!(h["members"][0]["phone"], "138****5678");
    assert_eq!(h["members"][1]["sex"], "female");
    // Reading unmasked is audited, once per read.
    let full = app
        .get_as(
            &official.token,
            &format!("/api/v1/households/{id}?reveal=true"),
        )
        .await
        .json();
    assert_eq!(full["members"][0]["id_number"], head_id(1));
    let admin = app.admin_token().await;
    let events = app
        .get_as(
            &admin,
            &format!("/api/v1/audit-events?action=personal_data.reveal&object_id={id}"),
        )
        .await
        .json();
    assert_eq!(events["items"].as_array().unwrap().len(), 1);
    // PATCH with If-Match; a stale tag is 412.
    let current = app
        .get_as(&official.token, &format!("/api/v1/households/{id}"))
        .await;
    let tag = current.header("etag").unwrap().to_owned();
    let auth = format!("Bearer {}", official.token);
    let patched = app
        .send(
            actix_web::http::Method::PATCH,
            &format!("/api/v1/households/{id}"),
            &[("authorization", &auth), ("if-match", &tag)],
            Some((
                "application/json",
                json!({"income_per_person_fen": 310000, "guarantees": {"basic_medical": true}})
                    .to_string()
                    .into_bytes(),
            )),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text());
    assert_eq!(patched.json()["guarantees_met"], true);
    assert_eq!(patched.json()["version"], 2);
    let stale = app
        .send(
            actix_web::http::Method::PATCH,
            &format!("/api/v1/households/{id}"),
            &[("authorization", &auth), ("if-match", &tag)],
            Some((
                "application/json",
                json!({"income_per_person_fen": 1}).to_string().into_bytes(),
            )),
        )
        .await;
    stale.assert_problem(412, "precondition_failed");
    // Status may not be set directly.
    let p = app
        .send(
            actix_web::http::Method::PATCH,
            &format!("/api/v1/households/{id}"),
            &[("authorization", &auth)],
            Some((
                "application/json",
                json!({"status": "exited"}).to_string().into_bytes(),
            )),
        )
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "status");
    // Exit, then history shows who and why.
    let exited = app
        .post_as(
            &official.token,
            &format!("/api/v1/households/{id}/transitions"),
            &json!({"action": "exit", "year": 2020, "reason": "稳定脱贫"}),
        )
        .await;
    assert_eq!(exited.status, 200, "{}", exited.text());
    assert_eq!(exited.json()["status"], "exited");
    assert_eq!(exited.json()["exit_year"], 2020);
    let history = app
        .get_as(&official.token, &format!("/api/v1/households/{id}/history"))
        .await
        .json();
    let steps: Vec<(&str, &str)> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["to_status"].as_str().unwrap(),
                c["actor_id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("poor", official.id.as_str()),
            ("exited", official.id.as_str())
        ]
    );
    assert_eq!(history["items"][1]["reason"], "稳定脱贫");
    let again = app
        .post_as(
            &official.token,
            &format!("/api/v1/households/{id}/transitions"),
            &json!({"action": "exit"}),
        )
        .await;
    let p = again.assert_problem(409, "invalid_transition");
    assert_eq!(p["current_status"], "exited");
    let del = app
        .send(
            actix_web::http::Method::DELETE,
            &format!("/api/v1/households/{id}"),
            &[("authorization", &auth)],
            None,
        )
        .await;
    assert_eq!(del.status, 204);
    app.get_as(&official.token, &format!("/api/v1/households/{id}"))
        .await
        .assert_problem(404, "not_found");
}

async fn bad_check_digit_names_the_member_and_field(app: TestApp) {
    let official = county(&app).await;
    register_village(&app, &official.token, VILLAGE).await;
    let mut bad = spouse_id(2);
    let last = bad.pop().unwrap();
    bad.push(if last == '0' { '1' } else { '0' });
    let p = app
        .post_as(
            &official.token,
            "/api/v1/households",
            &household("2109211002020002", VILLAGE, &head_id(2), &bad),
        )
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(p["errors"].as_array().unwrap().len(), 1, "{p}");
    assert_eq!(p["errors"][0]["field"], "members[1].id_number");
    assert_eq!(p["errors"][0]["code"], "check_digit");
    assert!(
        !p.to_string().contains(&bad),
        "the problem must not echo the number"
    );
}

async fn one_person_cannot_be_registered_twice(app: TestApp) {
    let official = county(&app).await;
    register_village(&app, &official.token, VILLAGE).await;
    let first = app
        .post_as(
            &official.token,
            "/api/v1/households",
            &household("2109211002020003", VILLAGE, &head_id(3), &spouse_id(3)),
        )
        .await;
    assert_eq!(first.status, 201);
    let first_id = first.json()["id"].as_str().unwrap().to_owned();
    let p = app
        .post_as(
            &official.token,
            "/api/v1/households",
            &household("2109211002020004", VILLAGE, &head_id(4), &spouse_id(3)),
        )
        .await
        .assert_problem(409, "duplicate_person");
    assert_eq!(p["field"], "members[1].id_number");
    assert_eq!(p["conflicting_household_id"], first_id.as_str());
    // An official of another county gets the conflict without the other household's id.
    let other = app.user("county_official", Some("210922")).await;
    register_village(&app, &other.token, OTHER_COUNTY_VILLAGE).await;
    let mut elsewhere = household(
        "2109221000010001",
        OTHER_COUNTY_VILLAGE,
        &id_number("210922", "19700101", "001"),
        &spouse_id(3),
    );
    elsewhere["members"][1]["id_number"] = spouse_id(3).into();
    let p = app
        .post_as(&other.token, "/api/v1/households", &elsewhere)
        .await
        .assert_problem(409, "duplicate_person");
    assert!(p.get("conflicting_household_id").is_none(), "{p}");
}

async fn exit_requires_the_standard(app: TestApp) {
    let official = county(&app).await;
    register_village(&app, &official.token, VILLAGE).await;
    let h = app
        .post_as(
            &official.token,
            "/api/v1/households",
            &household("2109211002020005", VILLAGE, &head_id(5), &spouse_id(5)),
        )
        .await
        .json();
    let id = h["id"].as_str().unwrap();
    let p = app
        .post_as(
            &official.token,
            &format!("/api/v1/households/{id}/transitions"),
            &json!({"action": "exit", "year": 2020}),
        )
        .await
        .assert_problem(409, "exit_conditions_unmet");
    let unmet: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(unmet, ["income_below_line", "basic_medical"]);
    // Nothing changed.
    assert_eq!(
        app.get_as(&official.token, &format!("/api/v1/households/{id}"))
            .await
            .json()["status"],
        "poor"
    );
    let p = app
        .post_as(
            &official.token,
            &format!("/api/v1/households/{id}/transitions"),
            &json!({"action": "flag_risk"}),
        )
        .await
        .assert_problem(409, "invalid_transition");
    assert_eq!(p["allowed_actions"], json!(["exit"]));
}

async fn household_needs_a_poor_village_or_scattered(app: TestApp) {
    let official = county(&app).await;
    let body = household("2109211002020006", VILLAGE, &head_id(6), &spouse_id(6));
    let p = app
        .post_as(&official.token, "/api/v1/households", &body)
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["code"], "not_a_poor_village");
    let mut scattered = body.clone();
    scattered["scattered"] = true.into();
    assert_eq!(
        app.post_as(&official.token, "/api/v1/households", &scattered)
            .await
            .status,
        201
    );
    let mut township = household(
        "2109211002020007",
        "210921100000",
        &head_id(7),
        &spouse_id(7),
    );
    township["scattered"] = true.into();
    let p = app
        .post_as(&official.token, "/api/v1/households", &township)
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["code"], "not_a_village");
}

async fn jurisdiction_holds_on_registry_reads_and_writes(app: TestApp) {
    let official = county(&app).await;
    register_village(&app, &official.token, VILLAGE).await;
    let h = app
        .post_as(
            &official.token,
            "/api/v1/households",
            &household("2109211002020008", VILLAGE, &head_id(8), &spouse_id(8)),
        )
        .await
        .json();
    let id = h["id"].as_str().unwrap();
    let other = app.user("county_official", Some("210922")).await;
    let city = app.user("city_official", Some("210900")).await;
    let shenyang = app.user("city_official", Some("210100")).await;
    let donor = app.user("donor", None).await;
    for t in [&other.token, &shenyang.token] {
        app.get_as(t, &format!("/api/v1/households/{id}"))
            .await
            .assert_problem(404, "not_found");
        app.get_as(t, &format!("/api/v1/households/{id}/history"))
            .await
            .assert_problem(404, "not_found");
        app.post_as(
            t,
            &format!("/api/v1/households/{id}/transitions"),
            &json!({"action": "exit"}),
        )
        .await
        .assert_problem(404, "not_found");
        let auth = format!("Bearer {t}");
        let del = app
            .send(
                actix_web::http::Method::DELETE,
                &format!("/api/v1/households/{id}"),
                &[("authorization", &auth)],
                None,
            )
            .await;
        del.assert_problem(404, "not_found");
        assert!(
            app.get_as(t, "/api/v1/households").await.json()["items"]
                .as_array()
                .unwrap()
                .is_empty()
        );
    }
    assert_eq!(
        app.get_as(&city.token, &format!("/api/v1/households/{id}"))
            .await
            .status,
        200
    );
    assert_eq!(
        app.get_as(&city.token, "/api/v1/households").await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Creating in another county: refused as a field error.
    let p = app
        .post_as(
            &other.token,
            "/api/v1/households",
            &household("2109211002020009", VILLAGE, &head_id(9), &spouse_id(9)),
        )
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["code"], "outside_jurisdiction");
    // Donors never read the registry.
    app.get_as(&donor.token, "/api/v1/households")
        .await
        .assert_problem(403, "forbidden");
    app.get_as(&donor.token, &format!("/api/v1/households/{id}"))
        .await
        .assert_problem(403, "forbidden");
    // A county official cannot reveal another county's household either.
    app.get_as(
        &other.token,
        &format!("/api/v1/households/{id}?reveal=true"),
    )
    .await
    .assert_problem(404, "not_found");
    app.get("/api/v1/households")
        .await
        .assert_problem(401, "unauthorized");
}

async fn list_filters_and_head_name_search(app: TestApp) {
    let official = county(&app).await;
    register_village(&app, &official.token, VILLAGE).await;
    for n in 10..14u32 {
        let mut body = household(
            &format!("21092110020200{n}"),
            VILLAGE,
            &head_id(n),
            &spouse_id(n),
        );
        if n == 11 {
            body["members"][0]["name"] = "王五".into();
            body["guarantees"]["basic_medical"] = true.into();
            body["main_cause"] = "disability".into();
            body["income_per_person_fen"] = 500000.into();
        }
        assert_eq!(
            app.post_as(&official.token, "/api/v1/households", &body)
                .await
                .status,
            201
        );
    }
    let count = |q: &str| {
        let app = &app;
        let token = official.token.clone();
        let q = q.to_owned();
        async move {
            app.walk_as(&token, &format!("/api/v1/households?{q}"))
                .await
                .len()
        }
    };
    assert_eq!(count("limit=1").await, 4);
    assert_eq!(count("main_cause=disability").await, 1);
    assert_eq!(count("guarantee_unmet=true").await, 3);
    assert_eq!(count("income_min=400000").await, 1);
    assert_eq!(count("income_max=400000").await, 3);
    // Names are stored encrypted: a household is found by its head's whole name (as the
    // domain normalises it), never by a part of it.
    assert_eq!(count("head_name=%E7%8E%8B%E4%BA%94").await, 1);
    assert_eq!(count("head_name=%20%E7%8E%8B%E4%BA%94%20").await, 1);
    assert_eq!(count("head_name=%E5%BC%A0%E4%B8%89").await, 3);
    assert_eq!(count("head_name=%E7%8E%8B").await, 0);
    assert_eq!(count("head_name=%E6%9D%8E%E5%9B%9B").await, 0);
    assert_eq!(count("head_name=").await, 4);
    assert_eq!(count("region=210921100202&status=poor").await, 4);
    assert_eq!(count("region=210922").await, 0);
    let page = app
        .get_as(
            &official.token,
            "/api/v1/households?head_name=%E7%8E%8B%E4%BA%94",
        )
        .await
        .json();
    assert_eq!(page["items"][0]["head_name"], "王*");
    app.get_as(&official.token, "/api/v1/households?head_name=%E7%8E%8B5")
        .await
        .assert_problem(400, "invalid_parameter");
    app.get_as(&official.token, "/api/v1/households?status=rich")
        .await
        .assert_problem(400, "invalid_parameter");
}

async fn villages_are_scoped_and_versioned(app: TestApp) {
    let official = county(&app).await;
    let v = register_village(&app, &official.token, VILLAGE).await;
    let id = v["id"].as_str().unwrap();
    assert_eq!(v["county_code"], "210921");
    let again = app
        .post_as(&official.token, "/api/v1/villages", &json!({"region_code": VILLAGE, "registered_year": 2014, "population": 10, "poor_household_count": 1}))
        .await;
    again.assert_problem(409, "conflict");
    let other = app.user("county_official", Some("210922")).await;
    app.get_as(&other.token, &format!("/api/v1/villages/{id}"))
        .await
        .assert_problem(404, "not_found");
    let p = app
        .post_as(&other.token, "/api/v1/villages", &json!({"region_code": VILLAGE, "registered_year": 2014, "population": 10, "poor_household_count": 1}))
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["code"], "outside_jurisdiction");
    let auth = format!("Bearer {}", official.token);
    let exited = app
        .send(
            actix_web::http::Method::PATCH,
            &format!("/api/v1/villages/{id}"),
            &[("authorization", &auth)],
            Some((
                "application/json",
                json!({"status": "exited", "exit_year": 2019})
                    .to_string()
                    .into_bytes(),
            )),
        )
        .await;
    assert_eq!(exited.status, 200, "{}", exited.text());
    assert_eq!(exited.json()["version"], 2);
    let bad = app
        .send(
            actix_web::http::Method::PATCH,
            &format!("/api/v1/villages/{id}"),
            &[("authorization", &auth)],
            Some((
                "application/json",
                json!({"status": "exited", "exit_year": 2010})
                    .to_string()
                    .into_bytes(),
            )),
        )
        .await;
    bad.assert_problem(422, "validation_failed");
    let list = app
        .get_as(&official.token, "/api/v1/villages?status=exited")
        .await
        .json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

async fn member_names_are_encrypted_at_rest(app: TestApp) {
    let official = county(&app).await;
    register_village(&app, &official.token, VILLAGE).await;
    let mut body = household("2109211002020031", VILLAGE, &head_id(31), &spouse_id(31));
    body["members"][0]["name"] = "欧阳春花".into();
    body["members"][1]["name"] = "司马秋月".into();
    let res = app
        .post_as(&official.token, "/api/v1/households", &body)
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let id = res.json()["id"].as_str().unwrap().to_owned();
    // Read back whole, found by the head's full name.
    let full = app
        .get_as(
            &official.token,
            &format!("/api/v1/households/{id}?reveal=true"),
        )
        .await
        .json();
    assert_eq!(full["members"][0]["name"], "欧阳春花");
    assert_eq!(full["members"][1]["name"], "司马秋月");
    let found = app
        .walk_as(
            &official.token,
            "/api/v1/households?head_name=%E6%AC%A7%E9%98%B3%E6%98%A5%E8%8A%B1",
        )
        .await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["id"], id.as_str());
    assert_eq!(found[0]["head_name"], "欧阳*"); // a compound surname stays whole
    // Whatever the database holds, neither name appears in clear text.
    let stored = app.db.stored_bytes(&["households", "household_members"]);
    assert!(
        stored
            .windows(b"2109211002020031".len())
            .any(|w| w == b"2109211002020031"),
        "the household's row is in what was read"
    );
    for name in ["欧阳春花", "司马秋月"] {
        assert!(
            !stored.windows(name.len()).any(|w| w == name.as_bytes()),
            "found {name} in clear text"
        );
    }
}
