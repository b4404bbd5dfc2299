//! Individuals (task 3): work units named, confirmed by the unit or an official of its
//! place, and the "lead by example" tally by work unit; officials' reads of donations and
//! volunteers in their jurisdiction.

use serde_json::{Value, json};
use tests::{TestApp, both_backends};

use crate::social_org::{organization, this_year, verified_member, verified_org};

both_backends!(
    staff_participation_is_counted_by_work_unit,
    two_deciders_at_once_decide_a_claim_once,
    officials_read_the_donations_and_volunteers_of_their_jurisdiction,
);

/// The caller's participation this year.
pub(crate) async fn participation(app: &TestApp, token: &str) -> Value {
    let res = app
        .get_as(
            token,
            &format!("/api/v1/me/participation?year={}", this_year()),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()
}

/// A government department of Fuxin (210900), registered and verified by the admin.
async fn department(app: &TestApp, admin: &str, n: u32) -> String {
    let mut body = organization(n, &[]);
    body["kind"] = "government_department".into();
    body["name"] = format!("阜新市直单位{n}").into();
    body.as_object_mut().unwrap().remove("subtype");
    let res = app.post_as(admin, "/api/v1/organizations", &body).await;
    assert_eq!(res.status, 201, "{}", res.text());
    let id = res.json()["id"].as_str().unwrap().to_owned();
    let res = app
        .post_as(
            admin,
            &format!("/api/v1/organizations/{id}/verify"),
            &json!({}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    id
}

async fn claim(app: &TestApp, token: &str, unit: &str) -> tests::Response {
    let auth = format!("Bearer {token}");
    app.send(
        actix_web::http::Method::PUT,
        "/api/v1/me/work-unit",
        &[("authorization", &auth)],
        Some((
            "application/json",
            json!({"organization_id": unit}).to_string().into_bytes(),
        )),
    )
    .await
}

fn decide_path(unit: &str, user: &str, action: &str) -> String {
    format!("/api/v1/organizations/{unit}/staff/{user}/{action}")
}

fn units_of(page: &Value) -> Vec<(String, i64, i64, i64, i64, i64)> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["organization_id"].as_str().unwrap().to_owned(),
                u["staff"].as_i64().unwrap(),
                u["participating_staff"].as_i64().unwrap(),
                u["participation_per_mille"].as_i64().unwrap(),
                u["donations"].as_i64().unwrap(),
                u["donated_fen"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn staff_participation_is_counted_by_work_unit(app: TestApp) {
    let admin = app.admin_token().await;
    let unit = department(&app, &admin, 40).await;
    let charity = verified_org(&app, &admin, 41, &[this_year()]).await;
    let city = app.user("city_official", Some("210900")).await;
    let dalian = app.user("city_official", Some("210200")).await;
    let county = app.user("county_official", Some("210921")).await;
    let li = app.user("donor", None).await;
    let wang = app.user("donor", None).await;
    let zhao = app.user("donor", None).await;

    // A charity is not a work unit; an unknown one is named as such.
    let res = claim(&app, &li.token, &charity).await;
    assert_eq!(
        res.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "not_a_public_body"
    );
    let res = claim(&app, &li.token, "no-such-unit").await;
    assert_eq!(
        res.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "unknown_organization"
    );
    // Officials do not name work units: they oversee.
    claim(&app, &city.token, &unit)
        .await
        .assert_problem(403, "forbidden");
    for person in [&li, &wang, &zhao] {
        let res = claim(&app, &person.token, &unit).await;
        assert_eq!(res.status, 200, "{}", res.text());
        assert_eq!(res.json()["status"], "pending");
    }
    // Nothing counts before the unit confirms.
    let before = app
        .get_as(&city.token, "/api/v1/individuals/work-units")
        .await;
    assert_eq!(before.status, 200, "{}", before.text());
    assert_eq!(units_of(&before.json()), vec![]);

    // Only officials whose jurisdiction holds the unit decide; the county below the city does not.
    for outsider in [&dalian, &county, &wang] {
        app.post_as(
            &outsider.token,
            &decide_path(&unit, &li.id, "confirm"),
            &json!({}),
        )
        .await
        .assert_problem(404, "not_found");
    }
    let ok = app
        .post_as(
            &city.token,
            &decide_path(&unit, &li.id, "confirm"),
            &json!({}),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(ok.json()["status"], "confirmed");
    // Naming the same unit again (a retried PUT) keeps the confirmation.
    let again = claim(&app, &li.token, &unit).await;
    assert_eq!(again.json()["status"], "confirmed");
    app.post_as(
        &city.token,
        &decide_path(&unit, &li.id, "reject"),
        &json!({"reason": "x"}),
    )
    .await
    .assert_problem(409, "invalid_transition");
    app.post_as(
        &city.token,
        &decide_path(&unit, &wang.id, "reject"),
        &json!({}),
    )
    .await
    .assert_problem(422, "validation_failed");
    let rejected = app
        .post_as(
            &city.token,
            &decide_path(&unit, &wang.id, "reject"),
            &json!({"reason": "本单位无此人"}),
        )
        .await;
    assert_eq!(rejected.json()["status"], "rejected");
    assert_eq!(
        app.post_as(
            &city.token,
            &decide_path(&unit, &zhao.id, "confirm"),
            &json!({})
        )
        .await
        .status,
        200
    );

    // Li gives twice, Wang (rejected) gives too; Zhao does nothing. The charity confirms
    // each gift, else none would count; Li's third gift it never confirms.
    let receiver = crate::donation::receiver(&app, &charity).await;
    for (who, fen) in [(&li, 30_000), (&li, 20_000), (&wang, 99_900)] {
        let gift = crate::donation::give(
            &app,
            &who.token,
            &json!({"amount_fen": fen, "organization_id": charity}),
        )
        .await;
        crate::donation::confirm(&app, &receiver, gift["id"].as_str().unwrap()).await;
    }
    crate::donation::give(
        &app,
        &li.token,
        &json!({"amount_fen": 70_000, "organization_id": charity}),
    )
    .await;
    let mine = app
        .get_as(
            &li.token,
            &format!("/api/v1/me/participation?year={}", this_year()),
        )
        .await
        .json();
    assert_eq!(
        (
            mine["donations"].as_i64(),
            mine["donated_fen"].as_i64(),
            mine["pairings"].as_i64()
        ),
        (Some(2), Some(50_000), Some(0))
    );
    let page = app
        .get_as(
            &city.token,
            &format!("/api/v1/individuals/work-units?year={}", this_year()),
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert_eq!(
        units_of(&page.json()),
        vec![(unit.clone(), 2, 1, 500, 2, 50_000)]
    );
    // Last year nobody took part; Dalian's official sees no unit of Fuxin; donors may not look.
    let last = app
        .get_as(
            &city.token,
            &format!("/api/v1/individuals/work-units?year={}", this_year() - 1),
        )
        .await
        .json();
    assert_eq!(units_of(&last), vec![(unit.clone(), 2, 0, 0, 0, 0)]);
    let far = app
        .get_as(&dalian.token, "/api/v1/individuals/work-units")
        .await
        .json();
    assert_eq!(units_of(&far), vec![]);
    app.get_as(&li.token, "/api/v1/individuals/work-units")
        .await
        .assert_problem(403, "forbidden");
    app.get_as(&city.token, "/api/v1/individuals/work-units?year=1900")
        .await
        .assert_problem(400, "invalid_parameter");

    // The unit's staff list; withdrawing takes a person out of the count.
    let staff = app
        .get_as(
            &city.token,
            &format!("/api/v1/organizations/{unit}/staff?status=confirmed"),
        )
        .await
        .json();
    let mut confirmed: Vec<&str> = staff["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["user_id"].as_str().unwrap())
        .collect();
    confirmed.sort_unstable();
    let mut expected = vec![li.id.as_str(), zhao.id.as_str()];
    expected.sort_unstable();
    assert_eq!(confirmed, expected);
    let auth = format!("Bearer {}", li.token);
    let gone = app
        .send(
            actix_web::http::Method::DELETE,
            "/api/v1/me/work-unit",
            &[("authorization", &auth)],
            None,
        )
        .await;
    assert_eq!(gone.status, 204, "{}", gone.text());
    let after = app
        .get_as(&city.token, "/api/v1/individuals/work-units")
        .await
        .json();
    assert_eq!(units_of(&after), vec![(unit.clone(), 1, 0, 0, 0, 0)]);
    app.get_as(&li.token, "/api/v1/me/work-unit")
        .await
        .assert_problem(404, "not_found");
}

async fn two_deciders_at_once_decide_a_claim_once(app: TestApp) {
    let member = verified_member(&app, "dept.member", 50, "government_department").await;
    let unit = app.get_as(&member, "/api/v1/me").await.json()["organization_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let city = app.user("city_official", Some("210900")).await;
    for round in 0..4 {
        let volunteer = app.user("volunteer", None).await;
        let res = claim(&app, &volunteer.token, &unit).await;
        assert_eq!(res.status, 200, "{}", res.text());
        // The unit's member confirms while the official rejects.
        let confirm_path = decide_path(&unit, &volunteer.id, "confirm");
        let reject_path = decide_path(&unit, &volunteer.id, "reject");
        let confirm_body = json!({});
        let reject_body = json!({"reason": "不是本单位职工"});
        let (a, b) = futures_util::future::join(
            app.post_as(&member, &confirm_path, &confirm_body),
            app.post_as(&city.token, &reject_path, &reject_body),
        )
        .await;
        let mut statuses = [a.status.as_u16(), b.status.as_u16()];
        statuses.sort_unstable();
        assert_eq!(
            statuses,
            [200, 409],
            "round {round}: {} / {}",
            a.text(),
            b.text()
        );
        let winner = if a.status == 200 {
            "confirmed"
        } else {
            "rejected"
        };
        let now = app
            .get_as(&volunteer.token, "/api/v1/me/work-unit")
            .await
            .json();
        assert_eq!(now["status"], winner, "round {round}");
    }
}

async fn officials_read_the_donations_and_volunteers_of_their_jurisdiction(app: TestApp) {
    let admin = app.admin_token().await;
    let fuxin_org = verified_org(&app, &admin, 60, &[]).await;
    let mut dalian = organization(61, &[]);
    dalian["region_code"] = "210200".into();
    let dalian_org = app
        .post_as(&admin, "/api/v1/organizations", &dalian)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post_as(
        &admin,
        &format!("/api/v1/organizations/{dalian_org}/verify"),
        &json!({}),
    )
    .await;
    let donor = app.user("donor", None).await;
    let mut gifts = Vec::new();
    for org in [&fuxin_org, &dalian_org] {
        let res = app
            .post_as(
                &donor.token,
                "/api/v1/donations",
                &json!({"amount_fen": 10_000, "organization_id": org}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text());
        gifts.push(res.json()["id"].as_str().unwrap().to_owned());
    }
    let fuxin = app.user("city_official", Some("210900")).await;
    let listed = app.walk_as(&fuxin.token, "/api/v1/donations").await;
    let ids: Vec<&str> = listed.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![gifts[0].as_str()]);
    assert_eq!(
        app.get_as(&fuxin.token, &format!("/api/v1/donations/{}", gifts[0]))
            .await
            .status,
        200
    );
    // The receipt names the donor: it stays the donor's and the receiver's.
    app.get_as(
        &fuxin.token,
        &format!("/api/v1/donations/{}/receipt", gifts[0]),
    )
    .await
    .assert_problem(404, "not_found");
    app.get_as(&fuxin.token, &format!("/api/v1/donations/{}", gifts[1]))
        .await
        .assert_problem(404, "not_found");
    let none = app
        .get_as(&fuxin.token, "/api/v1/donations?region=210200")
        .await
        .json();
    assert_eq!(none["items"], json!([]));
    let other_year = app
        .get_as(
            &fuxin.token,
            &format!("/api/v1/donations?year={}", this_year() - 1),
        )
        .await
        .json();
    assert_eq!(other_year["items"], json!([]));
    app.get_as(&fuxin.token, "/api/v1/donations?year=99999")
        .await
        .assert_problem(400, "invalid_parameter");
    // The donor still sees both of their own gifts.
    assert_eq!(
        app.walk_as(&donor.token, "/api/v1/donations").await.len(),
        2
    );

    // Volunteers: by the region they gave.
    let mut volunteers = Vec::new();
    for region in ["210921", "210200"] {
        let v = app.user("volunteer", None).await;
        let auth = format!("Bearer {}", v.token);
        let res = app
            .send(
                actix_web::http::Method::PUT,
                "/api/v1/volunteers/me",
                &[("authorization", &auth)],
                Some((
                    "application/json",
                    json!({"kind": "retiree", "skills": ["医疗"], "region_code": region})
                        .to_string()
                        .into_bytes(),
                )),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text());
        volunteers.push(v);
    }
    let seen = app.walk_as(&fuxin.token, "/api/v1/volunteers").await;
    let seen: Vec<(&str, &str)> = seen
        .iter()
        .map(|v| (v["user_id"].as_str().unwrap(), v["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(seen, vec![(volunteers[0].id.as_str(), "retiree")]);
    let record = app
        .get_as(
            &fuxin.token,
            &format!("/api/v1/volunteers/{}/record", volunteers[0].id),
        )
        .await;
    assert_eq!(record.status, 200, "{}", record.text());
    assert_eq!(record.json()["certified_hours"].as_f64(), Some(0.0));
    app.get_as(
        &fuxin.token,
        &format!("/api/v1/volunteers/{}/record", volunteers[1].id),
    )
    .await
    .assert_problem(404, "not_found");
    app.get_as(&donor.token, "/api/v1/volunteers")
        .await
        .assert_problem(403, "forbidden");
    assert_eq!(app.walk_as(&admin, "/api/v1/volunteers").await.len(), 2);
}
