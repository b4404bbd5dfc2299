//! 志愿者扶贫: volunteers' service records and certified hours.

use serde_json::json;
use tests::{TestApp, both_backends};

use crate::social_org::verified_member;

both_backends!(uncertified_volunteer_hours_never_count,);

async fn uncertified_volunteer_hours_never_count(app: TestApp) {
    let organiser = verified_member(&app, "organiser", 30, "social_organization").await;
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let start = (today - chrono::Duration::days(10)).to_string();
    let activity = json!({"activity_type": "teaching", "title": "寒假支教", "village_codes": ["210921100202"], "starts_on": start, "ends_on": (today + chrono::Duration::days(30)).to_string()});
    let res = app
        .post_as(&organiser, "/api/v1/volunteer-activities", &activity)
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let id = res.json()["id"].as_str().unwrap().to_owned();
    let volunteer = app.user("volunteer", None).await;
    let auth = format!("Bearer {}", volunteer.token);
    let profile = app
        .send(
            actix_web::http::Method::PUT,
            "/api/v1/volunteers/me",
            &[("authorization", &auth)],
            Some((
                "application/json",
                json!({"kind": "student", "skills": ["数学"]})
                    .to_string()
                    .into_bytes(),
            )),
        )
        .await;
    assert_eq!(profile.status, 200, "{}", profile.text());
    let hours = |h: f64| json!({"hours": h, "date": today.to_string()});
    app.post_as(
        &volunteer.token,
        &format!("/api/v1/volunteer-activities/{id}/hours"),
        &hours(2.0),
    )
    .await
    .assert_problem(422, "validation_failed");
    let signed = app
        .post_as(
            &volunteer.token,
            &format!("/api/v1/volunteer-activities/{id}/signups"),
            &json!({}),
        )
        .await;
    assert_eq!(signed.status, 204, "{}", signed.text());
    let first = app
        .post_as(
            &volunteer.token,
            &format!("/api/v1/volunteer-activities/{id}/hours"),
            &hours(3.5),
        )
        .await
        .json();
    let second = app
        .post_as(
            &volunteer.token,
            &format!("/api/v1/volunteer-activities/{id}/hours"),
            &hours(8.0),
        )
        .await
        .json();
    assert_eq!(
        (first["certified"].as_bool(), second["hours"].as_f64()),
        (Some(false), Some(8.0))
    );
    // 11.5 hours are logged for today: 13 more would make a day of more than 24.
    let over = app
        .post_as(
            &volunteer.token,
            &format!("/api/v1/volunteer-activities/{id}/hours"),
            &hours(13.0),
        )
        .await;
    let p = over.assert_problem(422, "validation_failed");
    assert_eq!(
        (
            p["errors"][0]["field"].as_str(),
            p["errors"][0]["code"].as_str()
        ),
        (Some("hours"), Some("over_daily_limit"))
    );
    // Only the organiser certifies; only certified hours count.
    let stranger = verified_member(&app, "stranger", 31, "social_organization").await;
    app.post_as(
        &stranger,
        &format!(
            "/api/v1/volunteer-activities/{id}/hours/{}/certify",
            first["id"].as_str().unwrap()
        ),
        &json!({}),
    )
    .await
    .assert_problem(403, "forbidden");
    let certified = app
        .post_as(
            &organiser,
            &format!(
                "/api/v1/volunteer-activities/{id}/hours/{}/certify",
                first["id"].as_str().unwrap()
            ),
            &json!({}),
        )
        .await
        .json();
    assert_eq!(certified["certified"], true);
    // The organiser records attendance of those who signed up, and only of them.
    let other_volunteer = app.user("volunteer", None).await;
    let res = app
        .post_as(
            &organiser,
            &format!("/api/v1/volunteer-activities/{id}/attendance"),
            &json!({"volunteer_id": other_volunteer.id}),
        )
        .await;
    assert_eq!(
        res.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "not_signed_up"
    );
    let res = app
        .post_as(
            &organiser,
            &format!("/api/v1/volunteer-activities/{id}/attendance"),
            &json!({"volunteer_id": volunteer.id}),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text());
    let record = app
        .get_as(
            &volunteer.token,
            &format!("/api/v1/volunteers/{}/record", volunteer.id),
        )
        .await
        .json();
    assert_eq!(
        (
            record["certified_hours"].as_f64(),
            record["uncertified_hours"].as_f64()
        ),
        (Some(3.5), Some(8.0))
    );
    assert_eq!(record["entries"].as_array().unwrap().len(), 2);
    assert_eq!(record["activities_attended"], 1);
    let year = crate::individual::participation(&app, &volunteer.token).await;
    assert_eq!(year["volunteer_hours"].as_f64(), Some(3.5));
}
