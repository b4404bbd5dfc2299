//! Bulk imports and exports of households: counts, idempotence, jurisdiction, encodings,
//! the round trip through an export, and two importers at once.

use std::time::Duration;

use actix_web::http::Method;
use serde_json::json;
use tests::{TestApp, both_backends};

both_backends!(
    import_creates_reports_and_is_idempotent,
    export_round_trips_through_import,
    officials_import_only_into_their_jurisdiction,
    gb18030_files_import
);

const SEED: u64 = 11;

fn generated(count: u64) -> Vec<u8> {
    let mut out = Vec::new();
    api::r#gen::write_households(&mut out, count, SEED).unwrap();
    out
}

async fn register_poor_villages(app: &TestApp, token: &str, count: u64) {
    for code in api::r#gen::poor_villages(count, SEED).unwrap() {
        let res = app
            .post_as(token, "/api/v1/villages", &json!({"region_code": code, "registered_year": 2014, "population": 2000, "poor_household_count": 150}))
            .await;
        assert!(res.status == 201 || res.status == 409, "{}", res.text());
    }
}

pub async fn import(app: &TestApp, token: &str, body: Vec<u8>) -> serde_json::Value {
    import_kind(app, token, "households", body).await
}

/// Posts a `kind` file and waits for its job to finish; returns the finished job.
pub async fn import_kind(
    app: &TestApp,
    token: &str,
    kind: &str,
    body: Vec<u8>,
) -> serde_json::Value {
    let auth = format!("Bearer {token}");
    let res = app
        .send(
            Method::POST,
            &format!("/api/v1/imports?kind={kind}"),
            &[("authorization", &auth)],
            Some(("text/csv", body)),
        )
        .await;
    assert_eq!(res.status, 202, "{}", res.text());
    let location = res.header("location").unwrap().to_owned();
    assert_eq!(res.json()["status"], "queued");
    for _ in 0..600 {
        let job = app.get_as(token, &location).await.json();
        if ["succeeded", "completed_with_errors", "failed"]
            .contains(&job["status"].as_str().unwrap())
        {
            return job;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("import did not finish");
}

/// Breaks a few rows of a generated file; returns the file, the broken rows' line numbers
/// and how many households they spoil.
fn spoil(file: &[u8]) -> (Vec<u8>, Vec<(u64, &'static str, &'static str)>) {
    let mut reader = csv::Reader::from_reader(file);
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut spoiled = Vec::new();
    // Line numbers: the header is line 1, record i is line i + 2.
    let mut set = |records: &mut Vec<csv::StringRecord>,
                   i: usize,
                   column: &'static str,
                   value: &str,
                   code: &'static str| {
        let mut fields: Vec<String> = records[i].iter().map(str::to_owned).collect();
        fields[col(column)] = value.to_owned();
        records[i] = csv::StringRecord::from(fields);
        spoiled.push((i as u64 + 2, column, code));
    };
    // A wrong check digit on a member row.
    let id = records[10][col("member_id_number")].to_owned();
    let wrong = format!("{}{}", &id[..17], if id.ends_with('0') { '1' } else { '0' });
    set(&mut records, 10, "member_id_number", &wrong, "check_digit");
    // An unknown cause on a household's first row.
    let first = (200..)
        .find(|&i| !records[i][col("region_code")].is_empty())
        .unwrap();
    set(
        &mut records,
        first,
        "main_cause",
        "bad_luck",
        "unknown_value",
    );
    // A person already in another household (copied from the first household's head).
    let head = records[0][col("member_id_number")].to_owned();
    let target = (400..)
        .find(|&i| {
            &records[i][col("member_relation")] != "head"
                && records[i][col("region_code")].is_empty()
        })
        .unwrap();
    let sex_of_head = records[0][col("member_sex")].to_owned();
    let mut fields: Vec<String> = records[target].iter().map(str::to_owned).collect();
    fields[col("member_sex")] = sex_of_head;
    records[target] = csv::StringRecord::from(fields);
    set(
        &mut records,
        target,
        "member_id_number",
        &head,
        "duplicate_person",
    );
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&header).unwrap();
    for r in &records {
        out.write_record(r).unwrap();
    }
    (out.into_inner().unwrap(), spoiled)
}

async fn count_households(app: &TestApp, token: &str) -> usize {
    app.walk_as(token, "/api/v1/households?limit=500")
        .await
        .len()
}

async fn import_creates_reports_and_is_idempotent(app: TestApp) {
    let admin = app.admin_token().await;
    register_poor_villages(&app, &admin, 2000).await;
    let (file, spoiled) = spoil(&generated(2000));
    let job = import(&app, &admin, file.clone()).await;
    // Some rows rejected: not a success (this test expected `succeeded` before jobs told
    // the two apart).
    assert_eq!(job["status"], "completed_with_errors", "{job}");
    assert_eq!(job["households_failed"], 3, "{job}");
    assert_eq!(job["households_created"], 1997, "{job}");
    assert_eq!(job["progress"], 1.0);
    assert_eq!(job["encoding"], "UTF-8");
    let errors = job["errors"].as_array().unwrap();
    for (row, column, code) in &spoiled {
        assert!(
            errors
                .iter()
                .any(|e| e["row"] == *row && e["column"] == *column && e["code"] == *code),
            "no {code} error at row {row} column {column}: {errors:?}"
        );
    }
    assert_eq!(count_households(&app, &admin).await, 1997);
    // The same file again changes nothing.
    let again = import(&app, &admin, file).await;
    assert_eq!(
        (
            again["households_created"].as_i64(),
            again["households_updated"].as_i64()
        ),
        (Some(0), Some(0)),
        "{again}"
    );
    assert_eq!(again["households_unchanged"], 1997);
    assert_eq!(again["households_failed"], 3);
    assert_eq!(again["status"], "completed_with_errors");
    assert_eq!(count_households(&app, &admin).await, 1997);
}

async fn export_round_trips_through_import(app: TestApp) {
    let admin = app.admin_token().await;
    register_poor_villages(&app, &admin, 300).await;
    let original = generated(300);
    assert_eq!(
        import(&app, &admin, original.clone()).await["households_created"],
        300
    );
    let export = app
        .get_as(&admin, "/api/v1/exports/households?format=csv&reveal=true")
        .await;
    assert_eq!(export.status, 200);
    assert!(
        export
            .header("content-type")
            .unwrap()
            .starts_with("text/csv")
    );
    // The same people: the ID numbers of the export equal the original file's.
    let ids = |bytes: &[u8]| {
        let mut r = csv::Reader::from_reader(bytes);
        let col = r
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "member_id_number")
            .unwrap();
        let mut v: Vec<String> = r.records().map(|x| x.unwrap()[col].to_owned()).collect();
        v.sort();
        v
    };
    assert_eq!(ids(&export.body), ids(&original));
    // Importing the export changes nothing.
    let back = import(&app, &admin, export.body.clone()).await;
    assert_eq!(back["status"], "succeeded", "{back}");
    assert_eq!(back["households_unchanged"], 300, "{back}");
    assert_eq!(back["households_failed"], 0, "{back}");
    // Masked by default, and the masked export names nobody in clear.
    let masked = app.get_as(&admin, "/api/v1/exports/households").await;
    let text = masked.text();
    assert!(text.contains("********"));
    assert!(!ids(&original).iter().any(|id| text.contains(id.as_str())));
    // NDJSON: one household per line.
    let nd = app
        .get_as(&admin, "/api/v1/exports/households?format=ndjson")
        .await
        .text();
    assert_eq!(nd.lines().count(), 300);
    let first: serde_json::Value = serde_json::from_str(nd.lines().next().unwrap()).unwrap();
    assert!(
        first["members"][0]["id_number"]
            .as_str()
            .unwrap()
            .contains("********")
    );
    // Reveal is audited once per export.
    let events = app
        .get_as(
            &admin,
            "/api/v1/audit-events?action=personal_data.reveal&object_type=household_export",
        )
        .await
        .json();
    assert_eq!(events["items"].as_array().unwrap().len(), 1);
}

async fn officials_import_only_into_their_jurisdiction(app: TestApp) {
    let admin = app.admin_token().await;
    register_poor_villages(&app, &admin, 400).await;
    let file = generated(400);
    let city = app.user("city_official", Some("210900")).await;
    let job = import(&app, &city.token, file.clone()).await;
    let created = job["households_created"].as_i64().unwrap();
    let failed = job["households_failed"].as_i64().unwrap();
    assert_eq!(created + failed, 400);
    assert!(created > 0 && failed > 0, "{job}");
    assert_eq!(job["status"], "completed_with_errors");
    assert!(
        job["errors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["code"] == "outside_jurisdiction")
    );
    // What the city official imported is what it sees; another city sees none of it.
    assert_eq!(count_households(&app, &city.token).await as i64, created);
    let other = app.user("city_official", Some("210100")).await;
    let theirs = count_households(&app, &other.token).await;
    let exported = app
        .get_as(&other.token, "/api/v1/exports/households?format=ndjson")
        .await
        .text();
    assert_eq!(exported.lines().count(), theirs);
    assert!(
        exported
            .lines()
            .all(|l| l.contains("\"county_code\":\"2101"))
    );
    // Jobs are private to their importer.
    let job_id = job["id"].as_str().unwrap();
    app.get_as(&other.token, &format!("/api/v1/imports/{job_id}"))
        .await
        .assert_problem(404, "not_found");
    // Roles without registry rights cannot import.
    let donor = app.user("donor", None).await;
    let auth = format!("Bearer {}", donor.token);
    app.send(
        Method::POST,
        "/api/v1/imports?kind=households",
        &[("authorization", &auth)],
        Some(("text/csv", file)),
    )
    .await
    .assert_problem(403, "forbidden");
}

async fn gb18030_files_import(app: TestApp) {
    let admin = app.admin_token().await;
    register_poor_villages(&app, &admin, 50).await;
    let text = String::from_utf8(generated(50)).unwrap();
    let (gb, _, _) = encoding_rs::GB18030.encode(&text);
    let job = import(&app, &admin, gb.into_owned()).await;
    assert_eq!(job["encoding"], "gb18030");
    assert_eq!(job["households_created"], 50, "{job}");
    let auth = format!("Bearer {admin}");
    let bad = app
        .send(
            Method::POST,
            "/api/v1/imports?kind=households",
            &[("authorization", &auth)],
            Some(("application/json", b"{}".to_vec())),
        )
        .await;
    bad.assert_problem(415, "unsupported_media_type");
    let header_only = import(&app, &admin, b"household_number,nonsense\n".to_vec()).await;
    assert_eq!(header_only["status"], "failed");
    assert!(
        header_only["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["code"] == "unknown_column")
    );
}

both_backends!(two_importers_at_once_never_duplicate);

async fn two_importers_at_once_never_duplicate(app: TestApp) {
    let admin = app.admin_token().await;
    register_poor_villages(&app, &admin, 600).await;
    let file = generated(600);
    let (a, b) = futures_util::future::join(
        import(&app, &admin, file.clone()),
        import(&app, &admin, file),
    )
    .await;
    let created =
        a["households_created"].as_i64().unwrap() + b["households_created"].as_i64().unwrap();
    // Every household exists once, whoever wrote it; the loser of a race reports it as
    // unchanged, updated or a row it lost, never as a second copy.
    assert_eq!(created, 600, "{a}\n{b}");
    // A loser says it lost: its row errors, its message and its status.
    for job in [&a, &b] {
        let lost = job["errors"].as_array().unwrap();
        assert!(
            lost.iter()
                .all(|e| e["code"] == "lost_to_concurrent_import"),
            "{}",
            job["message"]
        );
        let failed = job["households_failed"].as_i64().unwrap();
        let done = 600 - failed;
        let expected = match (failed, done) {
            (0, _) => "succeeded",
            (_, 0) => "failed",
            _ => "completed_with_errors",
        };
        assert_eq!(job["status"], expected, "{}", job["message"]);
        if failed > 0 {
            let message = job["message"].as_str().unwrap();
            assert!(
                message.contains(&format!("this import lost {failed} to another import")),
                "{message}"
            );
        }
    }
    assert_eq!(count_households(&app, &admin).await, 600);
}
