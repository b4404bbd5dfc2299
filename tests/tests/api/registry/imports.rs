//! What a newcomer does with bulk data: generate it, import the villages and then the
//! households, and read jobs whose status says what happened; bodies and rows that carry
//! more than the layout are refused, and row errors never hold a full ID or phone number.

use actix_web::http::Method;
use clap::Parser;
use serde_json::json;
use tests::{TestApp, both_backends};

use super::bulk::import_kind;
use super::{VILLAGE, head_id, household, register_village, spouse_id};

both_backends!(
    generated_data_imports_as_it_is_through_the_cli,
    village_imports_and_what_their_jobs_say,
    a_household_file_that_imports_nothing_failed,
    household_and_village_bodies_refuse_unknown_fields,
    row_errors_never_hold_a_full_id_or_phone_number,
    no_spool_file_outlives_its_import_or_a_restart,
);

/// Runs the `fupin` command line on the test app's database and data folder.
async fn fupin(app: &TestApp, args: &[&str]) -> Result<(), String> {
    let data_dir = app.db.data_dir.display().to_string();
    let mut all = vec![
        "fupin",
        "--database-url",
        &app.db.url,
        "--data-dir",
        &data_dir,
        "--log",
        "off",
    ];
    all.extend_from_slice(args);
    let cli = api::cli::Cli::try_parse_from(all).map_err(|e| e.to_string())?;
    api::cli::run(cli).await
}

async fn count(app: &TestApp, token: &str, path: &str) -> usize {
    app.walk_as(token, path).await.len()
}

async fn generated_data_imports_as_it_is_through_the_cli(app: TestApp) {
    let dir = app.db.data_dir.join("d");
    let d = dir.display().to_string();
    fupin(
        &app,
        &["gen", "households", "300", "--seed", "7", "--out", &d],
    )
    .await
    .unwrap();
    let villages = dir.join("villages.csv").display().to_string();
    let households = dir.join("households.csv").display().to_string();
    // Households first: those that are not scattered have no poor village yet, so the
    // command fails (exits non-zero) and says how many rows it rejected.
    let early = fupin(&app, &["import", "households", &households])
        .await
        .unwrap_err();
    assert!(
        early.contains("completed_with_errors") && early.contains("rows rejected"),
        "{early}"
    );
    let admin = app.admin_token().await;
    let scattered = count(&app, &admin, "/api/v1/households?limit=500").await;
    assert!(scattered > 0 && scattered < 300, "{scattered}");
    // Then the two steps of the README: everything imports, and the commands succeed.
    fupin(&app, &["import", "villages", &villages])
        .await
        .unwrap();
    fupin(&app, &["import", "households", &households])
        .await
        .unwrap();
    assert_eq!(
        count(&app, &admin, "/api/v1/households?limit=500").await,
        300
    );
    let registered = count(&app, &admin, "/api/v1/villages?limit=500").await;
    let listed = std::fs::read_to_string(&villages).unwrap().lines().count() - 1;
    assert_eq!(registered, listed);
    // Again: nothing changes and nothing is rejected.
    fupin(&app, &["import", "villages", &villages])
        .await
        .unwrap();
    fupin(&app, &["import", "households", &households])
        .await
        .unwrap();
    assert_eq!(
        count(&app, &admin, "/api/v1/households?limit=500").await,
        300
    );
}

async fn village_imports_and_what_their_jobs_say(app: TestApp) {
    let admin = app.admin_token().await;
    app.get_as(&admin, "/api/v1/regions/210921100998")
        .await
        .assert_problem(404, "not_found");
    let file = "region_code,registered_year,population,poor_household_count,notes\n\
                210921100202,2014,1320,86,\n\
                210921100203,2014,900,40,玉米\n\
                210921100998,2014,100,10,\n\
                210921100204,2014,500,10,x,13812345678\n\
                210921100202,2015,1320,86,\n\
                210921100205,2012,500,10,\n";
    let job = import_kind(&app, &admin, "villages", file.into()).await;
    assert_eq!(job["kind"], "villages");
    assert_eq!(job["status"], "completed_with_errors", "{job}");
    assert_eq!(job["households_created"], 2, "{job}");
    assert_eq!(job["households_failed"], 4, "{job}");
    assert_eq!(job["rows_processed"], 6, "{job}");
    let errors: Vec<(i64, String, String)> = job["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["column"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        (4, "region_code", "unknown_region"),
        (5, "", "extra_fields"),
        (6, "region_code", "duplicate_village"),
        (7, "registered_year", "out_of_range"),
    ];
    for (row, column, code) in expected {
        assert!(
            errors
                .iter()
                .any(|e| e == &(row, column.to_owned(), code.to_owned())),
            "no {code} at row {row} column {column:?}: {errors:?}"
        );
    }
    assert_eq!(errors.len(), 4, "{errors:?}");
    let listed = app.walk_as(&admin, "/api/v1/villages").await;
    let codes: Vec<&str> = listed
        .iter()
        .map(|v| v["region_code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["210921100202", "210921100203"]);
    // A clean file: two villages changed (the population; the notes left out), one new.
    let clean = "region_code,registered_year,population,poor_household_count\n\
                 210921100202,2014,1400,86\n\
                 210921100203,2014,900,40\n\
                 210921100204,2014,500,10\n";
    let job = import_kind(&app, &admin, "villages", clean.into()).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(
        [
            &job["households_created"],
            &job["households_updated"],
            &job["households_unchanged"],
            &job["households_failed"],
        ],
        [1, 2, 0, 0].map(serde_json::Value::from).each_ref(),
        "{job}"
    );
    let v = app.walk_as(&admin, "/api/v1/villages").await;
    assert_eq!(v[0]["population"], 1400);
    assert_eq!(v[1]["notes"], serde_json::Value::Null);
    // The same file again changes nothing.
    let job = import_kind(&app, &admin, "villages", clean.into()).await;
    assert_eq!(
        (job["status"].as_str(), job["households_unchanged"].as_i64()),
        (Some("succeeded"), Some(3)),
        "{job}"
    );
    // A county official imports only into the county; the other rows are row errors.
    let county = app.user("county_official", Some("210921")).await;
    let mixed = "region_code,registered_year,population,poor_household_count\n\
                 210921100205,2014,500,10\n\
                 210922100001,2014,500,10\n";
    let job = import_kind(&app, &county.token, "villages", mixed.into()).await;
    assert_eq!(job["status"], "completed_with_errors", "{job}");
    assert_eq!(job["errors"][0]["row"], 3);
    assert_eq!(job["errors"][0]["code"], "outside_jurisdiction");
    // Every row outside: nothing imported, the job failed.
    let outside = "region_code,registered_year,population,poor_household_count\n\
                   210922100001,2014,500,10\n";
    let job = import_kind(&app, &county.token, "villages", outside.into()).await;
    assert_eq!(job["status"], "failed", "{job}");
    // Who may not import, may not import villages either; an unknown kind is refused.
    let donor = app.user("donor", None).await;
    let send = |token: String, kind: &'static str| {
        let app = &app;
        async move {
            let auth = format!("Bearer {token}");
            app.send(
                Method::POST,
                &format!("/api/v1/imports?kind={kind}"),
                &[("authorization", &auth)],
                Some(("text/csv", clean.as_bytes().to_vec())),
            )
            .await
        }
    };
    send(donor.token.clone(), "villages")
        .await
        .assert_problem(403, "forbidden");
    let p = send(admin.clone(), "members")
        .await
        .assert_problem(400, "invalid_parameter");
    assert_eq!(p["errors"][0]["field"], "kind");
}

async fn a_household_file_that_imports_nothing_failed(app: TestApp) {
    let admin = app.admin_token().await;
    // Two households in a village that is not a registered poor village.
    let mut rows = String::from(
        "household_number,region_code,household_type,identification_standard,main_cause,income_per_person_fen,housing_safe,food_secure,clothing_secure,compulsory_education,basic_medical,housing_security,safe_drinking_water,member_name,member_sex,member_id_number,member_relation,member_education,member_health,member_work_capacity\n",
    );
    for n in 1..=2 {
        rows.push_str(&format!(
            "21092110020600{n:02},210921100206,general,national,illness,250000,true,true,true,true,true,true,true,张三,male,{},head,primary,healthy,ordinary\n",
            head_id(n)
        ));
    }
    let job = import_kind(&app, &admin, "households", rows.into()).await;
    assert_eq!(job["status"], "failed", "{job}");
    assert_eq!(job["households_failed"], 2, "{job}");
    assert!(
        job["message"]
            .as_str()
            .unwrap()
            .starts_with("every row was rejected"),
        "{job}"
    );
    assert!(
        job["errors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["code"] == "not_a_poor_village"),
        "{job}"
    );
}

async fn household_and_village_bodies_refuse_unknown_fields(app: TestApp) {
    let county = app.user("county_official", Some("210921")).await;
    register_village(&app, &county.token, VILLAGE).await;
    let mut body = household("2109211002020001", VILLAGE, &head_id(1), &spouse_id(1));
    body["nickname"] = json!("老张家");
    let p = app
        .post_as(&county.token, "/api/v1/households", &body)
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "nickname", "{p}");
    assert_eq!(p["errors"][0]["code"], "unknown_field", "{p}");
    let mut body = household("2109211002020001", VILLAGE, &head_id(1), &spouse_id(1));
    body["members"][1]["hobby"] = json!("fishing");
    let p = app
        .post_as(&county.token, "/api/v1/households", &body)
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "hobby", "{p}");
    let mut body = household("2109211002020001", VILLAGE, &head_id(1), &spouse_id(1));
    body["guarantees"]["good_roads"] = json!(true);
    app.post_as(&county.token, "/api/v1/households", &body)
        .await
        .assert_problem(422, "validation_failed");
    // Nothing was registered; the well-formed body still is.
    let body = household("2109211002020001", VILLAGE, &head_id(1), &spouse_id(1));
    let res = app
        .post_as(&county.token, "/api/v1/households", &body)
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let p = app
        .post_as(
            &county.token,
            "/api/v1/villages",
            &json!({"region_code": "210921100203", "registered_year": 2014, "population": 10, "poor_household_count": 1, "mayor": "王五"}),
        )
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "mayor", "{p}");
}

async fn row_errors_never_hold_a_full_id_or_phone_number(app: TestApp) {
    let admin = app.admin_token().await;
    register_village(&app, &admin, VILLAGE).await;
    let id = head_id(3);
    let wrong = format!("{}{}", &id[..17], if id.ends_with('0') { '1' } else { '0' });
    let phone = "13812345678";
    let header = "household_number,region_code,household_type,identification_standard,main_cause,income_per_person_fen,housing_safe,food_secure,clothing_secure,compulsory_education,basic_medical,housing_security,safe_drinking_water,member_name,member_sex,member_id_number,member_relation,member_education,member_health,member_work_capacity,member_ethnicity,member_phone";
    let row = |n: u32, id: &str, relation: &str, ethnicity: &str, phone: &str| {
        format!(
            "21092110020200{n:02},{VILLAGE},general,national,illness,250000,true,true,true,true,true,true,true,张三,male,{id},{relation},primary,healthy,ordinary,{ethnicity},{phone}\n"
        )
    };
    let mut file = format!("{header}\n");
    // A phone number typed into the ethnicity column, an ID number into the relation,
    // a wrong check digit, a malformed phone number and an ID number as a phone number.
    file.push_str(&row(1, &head_id(1), "head", phone, ""));
    file.push_str(&row(2, &head_id(2), &id, "汉族", ""));
    file.push_str(&row(3, &wrong, "head", "汉族", ""));
    file.push_str(&row(4, &head_id(4), "head", "汉族", "1381234567"));
    file.push_str(&row(5, &head_id(5), "head", "汉族", &head_id(6)));
    let auth = format!("Bearer {admin}");
    let res = app
        .send(
            Method::POST,
            "/api/v1/imports?kind=households",
            &[("authorization", &auth)],
            Some(("text/csv", file.into_bytes())),
        )
        .await;
    assert_eq!(res.status, 202, "{}", res.text());
    let location = res.header("location").unwrap().to_owned();
    let mut job = serde_json::Value::Null;
    for _ in 0..300 {
        job = app.get_as(&admin, &location).await.json();
        if job["status"] == "failed" {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(job["status"], "failed", "{job}");
    assert_eq!(job["households_failed"], 5, "{job}");
    for lang in ["zh-CN", "en"] {
        let answer = app
            .get_with(
                &location,
                &[("authorization", &auth), ("accept-language", lang)],
            )
            .await
            .text();
        for secret in [phone, &id, &wrong, "1381234567", &head_id(6)] {
            assert!(!answer.contains(secret), "{secret} in {answer}");
        }
        // The masked forms are there, so a clerk can still find the cell.
        assert!(answer.contains("138****5678"), "{answer}");
        assert!(
            answer.contains(&format!("210921********{}", &id[14..])),
            "{answer}"
        );
    }
    let codes: Vec<String> = job["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}:{}", e["row"], e["column"].as_str().unwrap()))
        .collect();
    for expected in [
        "2:member_ethnicity",
        "3:member_relation",
        "4:member_id_number",
        "5:member_phone",
        "6:member_phone",
    ] {
        assert!(
            codes.contains(&expected.to_owned()),
            "{expected}: {codes:?}"
        );
    }
}

/// The files in the app's spool folder.
fn spooled(app: &TestApp) -> Vec<String> {
    match std::fs::read_dir(app.db.data_dir.join("imports")) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

async fn no_spool_file_outlives_its_import_or_a_restart(app: TestApp) {
    let admin = app.admin_token().await;
    register_village(&app, &admin, VILLAGE).await;
    // A failed import (a bad header) and a good one: neither leaves its upload behind.
    let failed = import_kind(
        &app,
        &admin,
        "households",
        b"household_number,nonsense\n1,2\n".to_vec(),
    )
    .await;
    assert_eq!(failed["status"], "failed");
    let good =
        "region_code,registered_year,population,poor_household_count\n210921100203,2014,10,1\n";
    let done = import_kind(&app, &admin, "villages", good.into()).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(spooled(&app), Vec::<String>::new());
    // A refused upload (empty) leaves nothing either.
    let auth = format!("Bearer {admin}");
    app.send(
        Method::POST,
        "/api/v1/imports?kind=households",
        &[("authorization", &auth)],
        Some(("text/csv", Vec::new())),
    )
    .await
    .assert_problem(400, "bad_request");
    assert_eq!(spooled(&app), Vec::<String>::new());
    // A process killed during an import leaves its upload (and an older version left
    // `.tmp` files); another instance sharing the folder is importing right now.
    let dir = app.db.data_dir.join("imports");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("upload-killed.spool"),
        format!("{},13812345678\n", head_id(1)),
    )
    .unwrap();
    std::fs::write(dir.join(".tmpK1LL3D"), "household_number\n").unwrap();
    let living = std::fs::File::create(dir.join("upload-living.spool")).unwrap();
    living.lock().unwrap();
    // A restart on the same database and folder removes the left-overs, keeps the living.
    let settings = TestApp::settings(&app.db);
    actix_web::rt::task::spawn_blocking(move || api::startup::prepare(&settings))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(spooled(&app), ["upload-living.spool"]);
    drop(living);
    let settings = TestApp::settings(&app.db);
    actix_web::rt::task::spawn_blocking(move || api::startup::prepare(&settings))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(spooled(&app), Vec::<String>::new());
}
