//! 捐赠: donations with receipts under the deduction qualification.

use serde_json::json;
use tests::{TestApp, both_backends};

use crate::social_org::{credit_code, organization, this_year, verified_org};

both_backends!(
    receipts_follow_the_deduction_qualification,
    receipt_numbers_are_unique_under_concurrent_donations,
);

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
