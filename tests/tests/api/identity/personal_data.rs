use serde_json::json;
use tests::{Backend, TestApp, both_backends};

both_backends!(
    personal_data_is_encrypted_at_rest,
    unmasked_reads_are_audited_once_each,
    who_may_reveal
);

const ID_NUMBER: &str = "21092119850312001X";
const PHONE: &str = "13812345678";

async fn sign_up_with_personal_data(app: &TestApp, username: &str) -> serde_json::Value {
    let res = app
        .post_json(
            "/api/v1/accounts",
            &[],
            &json!({"username": username, "password": "Aixin-2026-ln", "role": "volunteer", "real_name": "张三丰", "phone": PHONE, "id_number": ID_NUMBER}),
        )
        .await;
    assert_eq!(res.status, 202, "{}", res.text());
    let tokens = app.login(username, "Aixin-2026-ln").await;
    app.get_as(tokens["access_token"].as_str().unwrap(), "/api/v1/me")
        .await
        .json()
}

async fn personal_data_is_encrypted_at_rest(app: TestApp) {
    let user = sign_up_with_personal_data(&app, "zhang.volunteer").await;
    assert_eq!(user["id_number"], "210921********001X");
    assert_eq!(user["phone"], "138****5678");
    assert_eq!(user["real_name"], "张*");
    // Whatever the database holds, neither number appears in clear text.
    if app.backend == Backend::Sqlite {
        // Let the rows reach the files: any request that needs a caller does.
        let admin = app.admin_token().await;
        assert_eq!(app.get_as(&admin, "/api/v1/me").await.status, 200);
    }
    let haystack = app.db.stored_bytes(&["users"]);
    assert!(haystack.len() > 100, "the stored rows were read");
    assert!(
        haystack
            .windows(b"zhang.volunteer".len())
            .any(|w| w == b"zhang.volunteer"),
        "the row is in what was read"
    );
    for secret in [
        ID_NUMBER.as_bytes(),
        PHONE.as_bytes(),
        "张三丰".as_bytes(),
        b"19850312",
    ] {
        assert!(
            !haystack.windows(secret.len()).any(|w| w == secret),
            "found {} in clear text",
            String::from_utf8_lossy(secret)
        );
    }
}

async fn reveals(app: &TestApp, admin: &str, id: &str) -> usize {
    let page = app
        .get_as(
            admin,
            &format!("/api/v1/audit-events?action=personal_data.reveal&object_id={id}"),
        )
        .await
        .json();
    page["items"].as_array().unwrap().len()
}

async fn unmasked_reads_are_audited_once_each(app: TestApp) {
    let user = sign_up_with_personal_data(&app, "zhang.audited").await;
    let id = user["id"].as_str().unwrap();
    let admin = app.admin_token().await;
    // Masked reads leave nothing.
    let masked = app
        .get_as(&admin, &format!("/api/v1/users/{id}"))
        .await
        .json();
    assert_eq!(masked["id_number"], "210921********001X");
    app.get_as(&admin, &format!("/api/v1/users/{id}?reveal=false"))
        .await;
    assert_eq!(reveals(&app, &admin, id).await, 0);
    // Each unmasked read leaves exactly one event.
    let full = app
        .get_as(&admin, &format!("/api/v1/users/{id}?reveal=true"))
        .await
        .json();
    assert_eq!(full["id_number"], ID_NUMBER);
    assert_eq!(full["phone"], PHONE);
    assert_eq!(full["real_name"], "张三丰");
    assert_eq!(reveals(&app, &admin, id).await, 1);
    app.get_as(&admin, &format!("/api/v1/users/{id}?reveal=true"))
        .await;
    assert_eq!(reveals(&app, &admin, id).await, 2);
    let event = &app
        .get_as(&admin, "/api/v1/audit-events?action=personal_data.reveal")
        .await
        .json()["items"][0];
    assert_eq!(event["actor_role"], "platform_admin");
    assert_eq!(event["object_type"], "user");
    assert!(event["ip"].as_str().unwrap().starts_with("127."));
    assert!(event["request_id"].is_string());
}

async fn who_may_reveal(app: TestApp) {
    let admin = app.admin_token().await;
    let county = app.user("county_official", Some("210921")).await;
    let other = app.user("county_official", Some("210922")).await;
    let cadre = app
        .post_as(
            &county.token,
            "/api/v1/users",
            &json!({"username": "cadre.with.phone", "password": "Cunguan-2026", "role": "village_cadre", "region_code": "210921100202", "phone": "13900001111"}),
        )
        .await
        .json();
    let id = cadre["id"].as_str().unwrap();
    assert_eq!(cadre["phone"], "139****1111");
    let full = app
        .get_as(&county.token, &format!("/api/v1/users/{id}?reveal=true"))
        .await
        .json();
    assert_eq!(full["phone"], "13900001111");
    app.get_as(&other.token, &format!("/api/v1/users/{id}?reveal=true"))
        .await
        .assert_problem(404, "not_found");
    // A donor may reveal only their own data.
    let donor = app.user("donor", None).await;
    assert_eq!(
        app.get_as(&donor.token, "/api/v1/me?reveal=true")
            .await
            .status,
        200
    );
    let events = app
        .get_as(&admin, "/api/v1/audit-events?action=personal_data.reveal")
        .await
        .json();
    let actors: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor_id"].as_str().unwrap())
        .collect();
    assert_eq!(actors, [county.id.as_str(), donor.id.as_str()]);
}
