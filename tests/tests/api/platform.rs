//! The information service platform: the need lifecycle by the right roles, the pledge
//! storm, public views without personal data, matching, pairings.

use serde_json::{Value, json};
use tests::{TestApp, TestUser, both_backends};

use crate::registry::{VILLAGE, head_id, household, register_village, spouse_id};

both_backends!(
    need_lifecycle_walked_by_the_right_roles,
    pledge_storm_never_exceeds_the_need,
    public_views_carry_no_personal_data,
    matches_rank_near_and_same_category_first,
    pairings_need_both_sides,
);

const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

pub struct Place {
    household_id: String,
    cadre: TestUser,
    township: TestUser,
    county: TestUser,
}

/// A registered village with one household, and its cadre, township and county officials.
pub async fn place(app: &TestApp, n: u32) -> Place {
    let county = app.user("county_official", Some("210921")).await;
    register_village(app, &county.token, VILLAGE).await;
    let res = app
        .post_as(
            &county.token,
            "/api/v1/households",
            &household(
                &format!("21092110020200{n:02}"),
                VILLAGE,
                &head_id(n),
                &spouse_id(n),
            ),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    Place {
        household_id: res.json()["id"].as_str().unwrap().to_owned(),
        cadre: app.user("village_cadre", Some(VILLAGE)).await,
        township: app.user("township_official", Some("210921100000")).await,
        county,
    }
}

fn uniforms(household_id: &str, quantity: i64) -> Value {
    json!({
        "household_id": household_id, "category": "education", "target_group": "children",
        "title": "孩子们的冬季校服", "description": "小学在读，每人一套", "quantity": quantity, "unit": "套",
        "urgency": "high", "deadline": (chrono::Utc::now() + chrono::Duration::days(20)).format("%Y-%m-%d").to_string(),
        "evidence": [{"url": "https://files.example.cn/school-letter.jpg", "sha256": SHA}]
    })
}

async fn act(app: &TestApp, token: &str, path: &str, body: Value) -> tests::Response {
    app.post_as(token, path, &body).await
}

/// Drafts, submits, verifies and publishes a need; returns its id.
pub async fn published_need(app: &TestApp, p: &Place, quantity: i64) -> String {
    let res = app
        .post_as(
            &p.cadre.token,
            "/api/v1/needs",
            &uniforms(&p.household_id, quantity),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let id = res.json()["id"].as_str().unwrap().to_owned();
    for (who, action) in [
        (&p.cadre, "submit"),
        (&p.township, "verify"),
        (&p.township, "publish"),
    ] {
        let res = act(
            app,
            &who.token,
            &format!("/api/v1/needs/{id}/{action}"),
            json!({}),
        )
        .await;
        assert_eq!(res.status, 200, "{action}: {}", res.text());
    }
    id
}

async fn need_lifecycle_walked_by_the_right_roles(app: TestApp) {
    let p = place(&app, 1).await;
    let donor = app.user("donor", None).await;
    // Only the place's cadres and officials draft.
    app.post_as(&donor.token, "/api/v1/needs", &uniforms(&p.household_id, 2))
        .await
        .assert_problem(403, "forbidden");
    let other_cadre = app.user("village_cadre", Some("210922100001")).await;
    let res = app
        .post_as(
            &other_cadre.token,
            "/api/v1/needs",
            &uniforms(&p.household_id, 2),
        )
        .await;
    let problem = res.assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["code"], "unknown_household");
    let res = app
        .post_as(
            &p.cadre.token,
            "/api/v1/needs",
            &uniforms(&p.household_id, 2),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let need = res.json();
    let id = need["id"].as_str().unwrap();
    assert_eq!(
        (need["status"].as_str(), need["remaining_quantity"].as_i64()),
        (Some("draft"), Some(2))
    );
    assert_eq!(need["beneficiary"]["cause"], "illness");
    // A draft is not public; publishing now is an illegal transition naming what is allowed.
    app.get(&format!("/api/v1/public/needs/{id}"))
        .await
        .assert_problem(404, "not_found");
    let bad = act(
        &app,
        &p.township.token,
        &format!("/api/v1/needs/{id}/publish"),
        json!({}),
    )
    .await;
    let problem = bad.assert_problem(409, "invalid_transition");
    assert_eq!(problem["current_status"], "draft");
    assert_eq!(problem["allowed_actions"], json!(["submit", "cancel"]));
    assert_eq!(
        act(
            &app,
            &p.cadre.token,
            &format!("/api/v1/needs/{id}/submit"),
            json!({})
        )
        .await
        .status,
        200
    );
    // The cadre cannot verify; another county's official cannot see it; the township can.
    act(
        &app,
        &p.cadre.token,
        &format!("/api/v1/needs/{id}/verify"),
        json!({}),
    )
    .await
    .assert_problem(403, "forbidden");
    let stranger = app.user("township_official", Some("210922100000")).await;
    act(
        &app,
        &stranger.token,
        &format!("/api/v1/needs/{id}/verify"),
        json!({}),
    )
    .await
    .assert_problem(404, "not_found");
    // Rejecting needs a reason; a rejected need is fixed and submitted again.
    act(
        &app,
        &p.township.token,
        &format!("/api/v1/needs/{id}/reject"),
        json!({}),
    )
    .await
    .assert_problem(422, "validation_failed");
    let rejected = act(
        &app,
        &p.township.token,
        &format!("/api/v1/needs/{id}/reject"),
        json!({"reason": "请补充在读证明"}),
    )
    .await
    .json();
    assert_eq!(
        (
            rejected["status"].as_str(),
            rejected["status_reason"].as_str()
        ),
        (Some("rejected"), Some("请补充在读证明"))
    );
    for (who, action) in [
        (&p.cadre, "submit"),
        (&p.county, "verify"),
        (&p.county, "publish"),
    ] {
        let res = act(
            &app,
            &who.token,
            &format!("/api/v1/needs/{id}/{action}"),
            json!({}),
        )
        .await;
        assert_eq!(res.status, 200, "{action}: {}", res.text());
        if action == "submit" {
            assert!(
                res.json()["status_reason"].is_null(),
                "resubmitting clears the rejection's reason"
            );
        }
    }
    let public = app.get(&format!("/api/v1/public/needs/{id}")).await.json();
    assert_eq!(public["status"], "published");
    // Pledge one, deliver with evidence, confirm, thank.
    app.post_as(
        &p.cadre.token,
        "/api/v1/pledges",
        &json!({"need_id": id, "quantity": 1}),
    )
    .await
    .assert_problem(403, "forbidden");
    let res = app
        .post_as(
            &donor.token,
            "/api/v1/pledges",
            &json!({"need_id": id, "quantity": 1, "note": "周五送到"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let pledge = res.json()["id"].as_str().unwrap().to_owned();
    let need = app
        .get_as(&p.county.token, &format!("/api/v1/needs/{id}"))
        .await
        .json();
    assert_eq!(
        (need["status"].as_str(), need["remaining_quantity"].as_i64()),
        (Some("partially_pledged"), Some(1))
    );
    act(
        &app,
        &p.cadre.token,
        &format!("/api/v1/pledges/{pledge}/confirm"),
        json!({}),
    )
    .await
    .assert_problem(409, "invalid_transition");
    act(
        &app,
        &donor.token,
        &format!("/api/v1/pledges/{pledge}/deliver"),
        json!({}),
    )
    .await
    .assert_problem(422, "validation_failed");
    let delivered = act(
        &app,
        &donor.token,
        &format!("/api/v1/pledges/{pledge}/deliver"),
        json!({"evidence": [{"url": "https://files.example.cn/handover.jpg", "sha256": SHA}]}),
    )
    .await;
    assert_eq!(delivered.json()["status"], "delivered");
    act(
        &app,
        &donor.token,
        &format!("/api/v1/pledges/{pledge}/confirm"),
        json!({}),
    )
    .await
    .assert_problem(403, "forbidden");
    assert_eq!(
        act(
            &app,
            &p.cadre.token,
            &format!("/api/v1/pledges/{pledge}/confirm"),
            json!({})
        )
        .await
        .json()["status"],
        "confirmed"
    );
    let year = crate::individual::participation(&app, &donor.token).await;
    assert_eq!(year["confirmed_pledges"].as_i64(), Some(1));
    let thanks = act(&app, &p.cadre.token, &format!("/api/v1/pledges/{pledge}/feedback"), json!({"message": "孩子们穿上了新校服，谢谢！", "rating": 5, "household_acknowledged": true})).await;
    assert_eq!(thanks.status, 201, "{}", thanks.text());
    // The donor sees the whole trail.
    let mine = app.get_as(&donor.token, "/api/v1/me/pledges").await.json();
    let trail = &mine["items"][0];
    assert_eq!(trail["status"], "confirmed");
    assert!(
        trail["pledged_at"].is_string()
            && trail["delivered_at"].is_string()
            && trail["confirmed_at"].is_string()
    );
    assert_eq!(
        trail["feedback"][0]["message"],
        "孩子们穿上了新校服，谢谢！"
    );
    assert_eq!(trail["need"]["title"], "孩子们的冬季校服");
    // The rest is pledged, delivered and confirmed: the need is fulfilled, then closed.
    let second = app.user("volunteer", None).await;
    let res = app
        .post_as(
            &second.token,
            "/api/v1/pledges",
            &json!({"need_id": id, "quantity": 1}),
        )
        .await;
    let p2 = res.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get_as(&p.county.token, &format!("/api/v1/needs/{id}"))
            .await
            .json()["status"],
        "fully_pledged"
    );
    act(
        &app,
        &second.token,
        &format!("/api/v1/pledges/{p2}/deliver"),
        json!({"evidence": [{"url": "https://files.example.cn/h2.jpg", "sha256": SHA}]}),
    )
    .await;
    act(
        &app,
        &p.township.token,
        &format!("/api/v1/pledges/{p2}/confirm"),
        json!({}),
    )
    .await;
    assert_eq!(
        app.get_as(&p.county.token, &format!("/api/v1/needs/{id}"))
            .await
            .json()["status"],
        "fulfilled"
    );
    let closed = act(
        &app,
        &p.county.token,
        &format!("/api/v1/needs/{id}/close"),
        json!({}),
    )
    .await
    .json();
    assert_eq!(closed["status"], "closed");
    // A donor cannot read another's pledge.
    app.get_as(&second.token, &format!("/api/v1/pledges/{pledge}"))
        .await
        .assert_problem(404, "not_found");
}

async fn pledge_storm_never_exceeds_the_need(app: TestApp) {
    let p = place(&app, 2).await;
    let id = published_need(&app, &p, 10).await;
    // The public view is cached for a few seconds; every pledge drops it.
    let before = app.get(&format!("/api/v1/public/needs/{id}")).await.json();
    assert_eq!(before["remaining_quantity"], 10);
    let mut donors = Vec::new();
    for _ in 0..4 {
        donors.push(app.user("donor", None).await);
    }
    let body = json!({"need_id": id, "quantity": 1});
    let storm =
        (0..60).map(|i| app.post_as(&donors[i % donors.len()].token, "/api/v1/pledges", &body));
    let answers = futures_util::future::join_all(storm).await;
    let accepted: Vec<&tests::Response> = answers.iter().filter(|r| r.status == 201).collect();
    let refused = answers.iter().filter(|r| r.status == 409).count();
    assert_eq!(
        (accepted.len(), refused),
        (10, 50),
        "{:?}",
        answers.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    for r in answers.iter().filter(|r| r.status == 409) {
        let problem = r.assert_problem(409, "capacity_exceeded");
        assert_eq!(problem["remaining_quantity"], 0);
    }
    let need = app
        .get_as(&p.county.token, &format!("/api/v1/needs/{id}"))
        .await
        .json();
    assert_eq!(
        (
            need["status"].as_str(),
            need["remaining_quantity"].as_i64(),
            need["pledged"]["quantity"].as_i64()
        ),
        (Some("fully_pledged"), Some(0), Some(10))
    );
    let after = app.get(&format!("/api/v1/public/needs/{id}")).await.json();
    assert_eq!(
        (
            after["status"].as_str(),
            after["remaining_quantity"].as_i64()
        ),
        (Some("fully_pledged"), Some(0))
    );
    // A cancelled pledge frees its capacity; a pledge larger than what is left is refused.
    let first = accepted[0].json();
    let owner = donors
        .iter()
        .find(|d| d.id == first["pledger_id"].as_str().unwrap())
        .unwrap();
    let cancelled = act(
        &app,
        &owner.token,
        &format!("/api/v1/pledges/{}/cancel", first["id"].as_str().unwrap()),
        json!({"reason": "计划有变"}),
    )
    .await;
    assert_eq!(cancelled.json()["status"], "cancelled");
    let need = app
        .get_as(&p.county.token, &format!("/api/v1/needs/{id}"))
        .await
        .json();
    assert_eq!(
        (need["status"].as_str(), need["remaining_quantity"].as_i64()),
        (Some("partially_pledged"), Some(1))
    );
    let too_much = app
        .post_as(
            &donors[1].token,
            "/api/v1/pledges",
            &json!({"need_id": id, "quantity": 2}),
        )
        .await;
    assert_eq!(
        too_much.assert_problem(409, "capacity_exceeded")["remaining_quantity"],
        1
    );
    let wrong_measure = app
        .post_as(
            &donors[1].token,
            "/api/v1/pledges",
            &json!({"need_id": id, "amount_fen": 100}),
        )
        .await;
    assert_eq!(
        wrong_measure.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "wrong_measure"
    );
    assert_eq!(
        app.post_as(
            &donors[1].token,
            "/api/v1/pledges",
            &json!({"need_id": id, "quantity": 1})
        )
        .await
        .status,
        201
    );
    // An idempotent retry does not pledge twice.
    let p2 = place_extra_need(&app, &p).await;
    let auth = format!("Bearer {}", donors[2].token);
    let headers = [
        ("authorization", auth.as_str()),
        ("idempotency-key", "storm-retry-1"),
    ];
    let once = app
        .post_json(
            "/api/v1/pledges",
            &headers,
            &json!({"need_id": p2, "amount_fen": 5000}),
        )
        .await;
    let again = app
        .post_json(
            "/api/v1/pledges",
            &headers,
            &json!({"need_id": p2, "amount_fen": 5000}),
        )
        .await;
    assert_eq!((once.status.as_u16(), again.status.as_u16()), (201, 201));
    assert_eq!(once.json()["id"], again.json()["id"]);
    let need = app
        .get_as(&p.county.token, &format!("/api/v1/needs/{p2}"))
        .await
        .json();
    assert_eq!(need["remaining_fen"], 5000);
}

/// A money need of 10,000 fen on the same household, published.
async fn place_extra_need(app: &TestApp, p: &Place) -> String {
    let mut body = uniforms(&p.household_id, 1);
    body.as_object_mut().unwrap().remove("quantity");
    body.as_object_mut().unwrap().remove("unit");
    body["amount_fen"] = 10_000.into();
    body["category"] = "medical".into();
    let id = app
        .post_as(&p.cadre.token, "/api/v1/needs", &body)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (who, action) in [
        (&p.cadre, "submit"),
        (&p.township, "verify"),
        (&p.township, "publish"),
    ] {
        assert_eq!(
            act(
                app,
                &who.token,
                &format!("/api/v1/needs/{id}/{action}"),
                json!({})
            )
            .await
            .status,
            200
        );
    }
    id
}

/// Whether a text holds an 18-character ID number or an 11-digit mobile number.
fn has_personal_number(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let run = i - start;
            let x = i < chars.len() && matches!(chars[i], 'X' | 'x');
            if run == 18 || (run == 17 && x) || (run == 11 && chars[start] == '1') {
                return true;
            }
        } else {
            i += 1;
        }
    }
    false
}

async fn public_views_carry_no_personal_data(app: TestApp) {
    assert!(
        has_personal_number(&format!("x{}y", head_id(3))) && has_personal_number("tel 13812345678")
    );
    let p = place(&app, 3).await;
    let id = published_need(&app, &p, 3).await;
    // Public text may not carry numbers either.
    let mut leaky = uniforms(&p.household_id, 1);
    leaky["description"] = format!("户主身份证 {}", head_id(3)).into();
    let res = app.post_as(&p.cadre.token, "/api/v1/needs", &leaky).await;
    assert_eq!(
        res.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "personal_data"
    );
    let list = app.get("/api/v1/public/needs?region=210921").await;
    assert_eq!(list.status, 200, "{}", list.text());
    assert_eq!(list.header("cache-control"), Some("public, max-age=60"));
    let one = app.get(&format!("/api/v1/public/needs/{id}")).await;
    assert_eq!(one.header("cache-control"), Some("public, max-age=60"));
    let tag = one.header("etag").unwrap().to_owned();
    assert_eq!(
        app.get_with(
            &format!("/api/v1/public/needs/{id}"),
            &[("if-none-match", &tag)]
        )
        .await
        .status,
        304
    );
    let items = list.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["beneficiary"]["kind"], "household");
    assert!(
        items[0]["beneficiary"]["pseudonym"]
            .as_str()
            .unwrap()
            .starts_with("户-")
    );
    for body in [
        list.text(),
        one.text(),
        app.get("/api/v1/public/needs").await.text(),
    ] {
        assert!(!has_personal_number(&body), "{body}");
        for forbidden in [
            "household_id",
            "张三",
            "李四",
            "\"name\"",
            "id_number",
            "phone",
            "health",
            "income",
            "evidence",
        ] {
            assert!(!body.contains(forbidden), "{forbidden} in {body}");
        }
    }
    // Filters and the keyset.
    assert_eq!(
        app.get("/api/v1/public/needs?region=210922").await.json()["items"],
        json!([])
    );
    assert_eq!(
        app.get("/api/v1/public/needs?category=medical")
            .await
            .json()["items"],
        json!([])
    );
    assert_eq!(
        app.get("/api/v1/public/needs?target_group=children&urgency=high&min_remaining=3")
            .await
            .json()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        app.get("/api/v1/public/needs?min_remaining=4").await.json()["items"],
        json!([])
    );
    app.get("/api/v1/public/needs?category=fun")
        .await
        .assert_problem(400, "invalid_parameter");
    let _second = published_need(&app, &p, 1).await;
    let walked = app.walk("/api/v1/public/needs?limit=1").await;
    assert_eq!(walked.len(), 2);
}

async fn matches_rank_near_and_same_category_first(app: TestApp) {
    let p = place(&app, 4).await;
    let id = published_need(&app, &p, 5).await;
    let near = app.user("donor", None).await;
    let far = app.user("volunteer", None).await;
    let offer = |category: &str, regions: Value| json!({"category": category, "kind": "goods", "title": "冬衣", "quantity": 5, "unit": "套", "region_codes": regions});
    let res = app
        .post_as(
            &near.token,
            "/api/v1/offers",
            &offer("education", json!(["210921"])),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let near_offer = res.json()["id"].as_str().unwrap().to_owned();
    let far_offer = app
        .post_as(&far.token, "/api/v1/offers", &offer("medical", json!([])))
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let elsewhere = app
        .post_as(
            &far.token,
            "/api/v1/offers",
            &offer("education", json!(["211300"])),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ranked = app
        .get_as(&p.county.token, &format!("/api/v1/needs/{id}/matches"))
        .await;
    assert_eq!(ranked.status, 200, "{}", ranked.text());
    let items = ranked.json()["items"].as_array().unwrap().clone();
    let order: Vec<&str> = items
        .iter()
        .map(|m| m["offer"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        vec![near_offer.as_str(), far_offer.as_str()],
        "an offer for another city is no match"
    );
    assert!(!order.contains(&elsewhere.as_str()));
    assert!(items[0]["score"].as_u64() > items[1]["score"].as_u64());
    assert_eq!(items[0]["reasons"][0]["code"], "same_category");
    assert_eq!(items[0]["reasons"][1]["code"], "same_county");
    // The offer's owner sees the need ranked for the offer.
    let for_offer = app
        .get_as(&near.token, &format!("/api/v1/offers/{near_offer}/matches"))
        .await
        .json();
    assert_eq!(for_offer["items"][0]["need"]["id"], id.as_str());
    assert_eq!(for_offer["items"][0]["score"], items[0]["score"]);
    // A withdrawn offer no longer matches.
    let auth = format!("Bearer {}", near.token);
    let withdrawn = app
        .send(
            actix_web::http::Method::DELETE,
            &format!("/api/v1/offers/{near_offer}"),
            &[("authorization", &auth)],
            None,
        )
        .await;
    assert_eq!(withdrawn.json()["status"], "withdrawn");
    let after = app
        .get_as(&p.county.token, &format!("/api/v1/needs/{id}/matches"))
        .await
        .json();
    assert_eq!(after["items"].as_array().unwrap().len(), 1);
}

async fn pairings_need_both_sides(app: TestApp) {
    let p = place(&app, 5).await;
    let donor = app.user("donor", None).await;
    let res = app
        .post_as(
            &donor.token,
            "/api/v1/pairings",
            &json!({"household_id": p.household_id, "kind": "kinship", "note": "每季度走访"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let pairing = res.json();
    let id = pairing["id"].as_str().unwrap();
    assert_eq!(
        (
            pairing["status"].as_str(),
            pairing["household_consented_at"].is_null()
        ),
        (Some("proposed"), true)
    );
    assert!(
        pairing["household_id"].is_null(),
        "a donor is not shown the household id"
    );
    act(
        &app,
        &donor.token,
        &format!("/api/v1/pairings/{id}/accept"),
        json!({}),
    )
    .await
    .assert_problem(403, "forbidden");
    let accepted = act(
        &app,
        &p.cadre.token,
        &format!("/api/v1/pairings/{id}/accept"),
        json!({}),
    )
    .await
    .json();
    assert_eq!(accepted["status"], "active");
    assert!(accepted["household_consented_at"].is_string());
    // Pledges may be made within it, and show on it.
    let need = published_need(&app, &p, 2).await;
    let pledge = app
        .post_as(
            &donor.token,
            "/api/v1/pledges",
            &json!({"need_id": need, "quantity": 1, "pairing_id": id}),
        )
        .await;
    assert_eq!(pledge.status, 201, "{}", pledge.text());
    let seen = app
        .get_as(&donor.token, &format!("/api/v1/pairings/{id}"))
        .await
        .json();
    assert_eq!(seen["pledge_ids"], json!([pledge.json()["id"]]));
    let ended = act(
        &app,
        &donor.token,
        &format!("/api/v1/pairings/{id}/end"),
        json!({"reason": "搬迁"}),
    )
    .await
    .json();
    assert_eq!(ended["status"], "ended");
    // An ended pairing was still in effect this year.
    let year = crate::individual::participation(&app, &donor.token).await;
    assert_eq!(
        (
            year["pairings"].as_i64(),
            year["confirmed_pledges"].as_i64()
        ),
        (Some(1), Some(0))
    );
    act(
        &app,
        &p.cadre.token,
        &format!("/api/v1/pairings/{id}/accept"),
        json!({}),
    )
    .await
    .assert_problem(409, "invalid_transition");
    let other = app.user("donor", None).await;
    app.get_as(&other.token, &format!("/api/v1/pairings/{id}"))
        .await
        .assert_problem(404, "not_found");
}
