//! Passwords people can keep: changed by their owner, reset by whoever manages the account
//! (forcing a change at the next login), set from the command line; the admin's password
//! and the signing secret checked before anything is created.

use diesel::prelude::*;
use serde_json::json;
use tests::{Backend, TestApp, TestDb, USER_PASSWORD, both_backends};

both_backends!(
    changing_ones_password_ends_every_other_session,
    bad_password_changes_are_refused,
    a_reset_forces_a_change_at_the_next_login,
    only_those_who_manage_an_account_may_reset_it,
    the_command_line_sets_a_password,
);

const NEW_PASSWORD: &str = "Liaoning-2027-fp";

async fn refresh(app: &TestApp, token: &str) -> tests::Response {
    app.post_json(
        "/api/v1/auth/token",
        &[],
        &json!({"grant_type": "refresh_token", "refresh_token": token}),
    )
    .await
}

async fn password_login(app: &TestApp, username: &str, password: &str) -> tests::Response {
    app.post_json(
        "/api/v1/auth/token",
        &[],
        &json!({"grant_type": "password", "username": username, "password": password}),
    )
    .await
}

/// The audit events of `action` on account `id`, as the admin reads them.
async fn audited(app: &TestApp, action: &str, id: &str) -> Vec<serde_json::Value> {
    let admin = app.admin_token().await;
    app.walk_as(
        &admin,
        &format!("/api/v1/audit-events?action={action}&object_id={id}"),
    )
    .await
}

async fn changing_ones_password_ends_every_other_session(app: TestApp) {
    let donor = app.user("donor", None).await;
    let other_session = app.login(&donor.username, USER_PASSWORD).await;
    let res = app
        .post_as(
            &donor.token,
            "/api/v1/me/password",
            &json!({"current": USER_PASSWORD, "new": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let issued = res.json();
    assert_eq!(issued["token_type"], "Bearer");
    assert!(issued.get("password_change_required").is_none(), "{issued}");
    let fresh_refresh = issued["refresh_token"].as_str().unwrap();
    // Both earlier sessions end; the one the change handed back goes on.
    for old in [
        donor.refresh_token.as_str(),
        other_session["refresh_token"].as_str().unwrap(),
    ] {
        refresh(&app, old).await.assert_problem(401, "unauthorized");
    }
    assert_eq!(refresh(&app, fresh_refresh).await.status, 200);
    let me = app
        .get_as(issued["access_token"].as_str().unwrap(), "/api/v1/me")
        .await;
    assert_eq!(me.json()["username"], donor.username.as_str());
    // The old password no longer opens the account; the new one does.
    password_login(&app, &donor.username, USER_PASSWORD)
        .await
        .assert_problem(401, "unauthorized");
    assert_eq!(
        password_login(&app, &donor.username, NEW_PASSWORD)
            .await
            .status,
        200
    );
    let events = audited(&app, "user.password_change", &donor.id).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["actor_id"], donor.id.as_str());
    assert_eq!(events[0]["outcome"], "success");
    assert_eq!(events[0]["details"]["refresh_tokens_revoked"], 2);
    assert!(!events[0].to_string().contains(NEW_PASSWORD));
}

async fn bad_password_changes_are_refused(app: TestApp) {
    let donor = app.user("donor", None).await;
    let cases = [
        (
            json!({"current": "Wrong-pass-2026", "new": NEW_PASSWORD}),
            "current",
            "incorrect",
        ),
        (
            json!({"current": USER_PASSWORD, "new": "short1"}),
            "new",
            "length",
        ),
        (
            json!({"current": USER_PASSWORD, "new": "abcdefghijklmnop"}),
            "new",
            "too_simple",
        ),
        (
            json!({"current": USER_PASSWORD, "new": USER_PASSWORD}),
            "new",
            "unchanged",
        ),
        (
            json!({"current": "", "new": NEW_PASSWORD}),
            "current",
            "required",
        ),
    ];
    for (body, field, code) in cases {
        let p = app
            .post_as(&donor.token, "/api/v1/me/password", &body)
            .await
            .assert_problem(422, "validation_failed");
        let errors = p["errors"].as_array().unwrap();
        assert!(
            errors
                .iter()
                .any(|e| e["field"] == field && e["code"] == code),
            "{body}: {p}"
        );
    }
    // Unknown fields are refused too, and no token is no change.
    let p = app
        .post_as(
            &donor.token,
            "/api/v1/me/password",
            &json!({"current": USER_PASSWORD, "new": NEW_PASSWORD, "user_id": "x"}),
        )
        .await;
    assert!(matches!(p.status.as_u16(), 400 | 422), "{}", p.text());
    app.post_json(
        "/api/v1/me/password",
        &[],
        &json!({"current": USER_PASSWORD, "new": NEW_PASSWORD}),
    )
    .await
    .assert_problem(401, "unauthorized");
    // Nothing changed: the old password still works, and the wrong guess was audited.
    assert_eq!(
        password_login(&app, &donor.username, USER_PASSWORD)
            .await
            .status,
        200
    );
    let events = audited(&app, "user.password_change", &donor.id).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["outcome"], "failure");
}

async fn a_reset_forces_a_change_at_the_next_login(app: TestApp) {
    let county = app.user("county_official", Some("210921")).await;
    let cadre = app
        .user_by(&county.token, "village_cadre", Some("210921100202"), None)
        .await;
    let res = app
        .post_as(
            &county.token,
            &format!("/api/v1/users/{}/password", cadre.id),
            &json!({"new": "Temp-2026-reset"}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["password_change_required"], true);
    assert_eq!(res.json()["id"], cadre.id.as_str());
    // Every session of the account ends; its old password is gone.
    refresh(&app, &cadre.refresh_token)
        .await
        .assert_problem(401, "unauthorized");
    password_login(&app, &cadre.username, USER_PASSWORD)
        .await
        .assert_problem(401, "unauthorized");
    // The temporary password gives a token that may only change it.
    let login = password_login(&app, &cadre.username, "Temp-2026-reset").await;
    assert_eq!(login.status, 200, "{}", login.text());
    let login = login.json();
    assert_eq!(login["password_change_required"], true);
    assert!(login.get("refresh_token").is_none(), "{login}");
    let limited = login["access_token"].as_str().unwrap();
    let p = app
        .get_as(limited, "/api/v1/me")
        .await
        .assert_problem(403, "password_change_required");
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("/api/v1/me/password"),
        "{p}"
    );
    app.get_as(limited, "/api/v1/needs")
        .await
        .assert_problem(403, "password_change_required");
    let changed = app
        .post_as(
            limited,
            "/api/v1/me/password",
            &json!({"current": "Temp-2026-reset", "new": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text());
    let changed = changed.json();
    assert!(changed["refresh_token"].is_string(), "{changed}");
    let me = app
        .get_as(changed["access_token"].as_str().unwrap(), "/api/v1/me")
        .await;
    assert_eq!(me.status, 200, "{}", me.text());
    assert_eq!(me.json()["password_change_required"], false);
    let next = password_login(&app, &cadre.username, NEW_PASSWORD)
        .await
        .json();
    assert!(next.get("password_change_required").is_none(), "{next}");
    assert!(next["refresh_token"].is_string());
    // The reset and the login it forced are in the audit log.
    let resets = audited(&app, "user.password_reset", &cadre.id).await;
    assert_eq!(resets.len(), 1, "{resets:?}");
    assert_eq!(resets[0]["actor_id"], county.id.as_str());
    assert_eq!(resets[0]["region_code"], "210921100202");
    let logins = audited(&app, "auth.login", &cadre.id).await;
    assert!(
        logins
            .iter()
            .any(|e| e["details"]["password_change_required"] == true),
        "{logins:?}"
    );
}

async fn only_those_who_manage_an_account_may_reset_it(app: TestApp) {
    let admin = app.admin_token().await;
    let county = app.user("county_official", Some("210921")).await;
    let peer = app.user("county_official", Some("210921")).await;
    let elsewhere = app.user("county_official", Some("210102")).await;
    let donor = app.user("donor", None).await;
    let cadre = app
        .user_by(&county.token, "village_cadre", Some("210921100202"), None)
        .await;
    let reset = |who: String, id: String| {
        let app = &app;
        async move {
            app.post_as(
                &who,
                &format!("/api/v1/users/{id}/password"),
                &json!({"new": "Temp-2026-reset"}),
            )
            .await
        }
    };
    // Another county's official does not see the account at all.
    reset(elsewhere.token.clone(), cadre.id.clone())
        .await
        .assert_problem(404, "not_found");
    // A peer official sees it but may not manage it; a donor may manage no account.
    reset(county.token.clone(), peer.id.clone())
        .await
        .assert_problem(403, "forbidden");
    reset(donor.token.clone(), cadre.id.clone())
        .await
        .assert_problem(403, "forbidden");
    // Nobody resets their own: they change it knowing the current one.
    let me = app.get_as(&admin, "/api/v1/me").await.json();
    reset(admin.clone(), me["id"].as_str().unwrap().to_owned())
        .await
        .assert_problem(403, "forbidden");
    // A weak password is refused, naming the field.
    let p = app
        .post_as(
            &admin,
            &format!("/api/v1/users/{}/password", cadre.id),
            &json!({"new": "abc"}),
        )
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "new");
    assert_eq!(p["errors"][0]["code"], "length");
    reset(admin.clone(), "no-such-account".into())
        .await
        .assert_problem(404, "not_found");
    // None of that touched the cadre: their password still works.
    assert_eq!(
        password_login(&app, &cadre.username, USER_PASSWORD)
            .await
            .status,
        200
    );
    // The admin may.
    assert_eq!(reset(admin.clone(), cadre.id.clone()).await.status, 200);
}

async fn the_command_line_sets_a_password(app: TestApp) {
    let donor = app.user("donor", None).await;
    let prepared = {
        let settings = TestApp::settings(&app.db);
        actix_web::rt::task::spawn_blocking(move || api::startup::prepare(&settings))
            .await
            .unwrap()
            .unwrap()
    };
    let new = api::cli::read_new_password(None, &mut "Console-2026-set\n".as_bytes()).unwrap();
    let user = api::cli::set_password(&prepared, donor.username.to_uppercase(), new, false)
        .await
        .unwrap();
    assert_eq!(user.id, donor.id);
    assert!(!user.password_change_required);
    refresh(&app, &donor.refresh_token)
        .await
        .assert_problem(401, "unauthorized");
    let login = password_login(&app, &donor.username, "Console-2026-set").await;
    assert_eq!(login.status, 200, "{}", login.text());
    assert!(login.json().get("password_change_required").is_none());
    // A temporary one forces a change; an unknown account is an error that says so.
    let new = api::cli::read_new_password(None, &mut "Console-2026-tmp\n".as_bytes()).unwrap();
    api::cli::set_password(&prepared, donor.username.clone(), new, true)
        .await
        .unwrap();
    let login = password_login(&app, &donor.username, "Console-2026-tmp")
        .await
        .json();
    assert_eq!(login["password_change_required"], true);
    let new = api::cli::read_new_password(None, &mut "Console-2026-set\n".as_bytes()).unwrap();
    let err = api::cli::set_password(&prepared, "nobody.here".into(), new, false)
        .await
        .unwrap_err();
    assert!(err.contains("nobody.here"), "{err}");
    let events = audited(&app, "user.password_set", &donor.id).await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0]["actor_kind"], "system");
}

/// A signing secret that is too short stops the start before the database is touched: no
/// migration, no admin account.
fn a_bad_jwt_secret_is_refused_before_anything_is_created(backend: Backend) {
    let Some(db) = TestDb::create(backend) else {
        return;
    };
    let mut settings = TestApp::settings(&db);
    settings.jwt.secret = Some("too-short".into());
    let err = api::startup::prepare(&settings).unwrap_err();
    assert!(err.contains("FUPIN_JWT_SECRET"), "{err}");
    assert!(
        !err.contains("too-short"),
        "the secret is never shown: {err}"
    );
    match backend {
        Backend::Sqlite => {
            let path = db.url.trim_start_matches("sqlite://");
            assert!(
                !std::path::Path::new(path).exists(),
                "no database file may be created"
            );
        }
        Backend::Postgres => {
            let mut conn = diesel::PgConnection::establish(&db.url).unwrap();
            #[derive(QueryableByName)]
            struct Count {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            let tables: Count = diesel::sql_query(
                "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'",
            )
            .get_result(&mut conn)
            .unwrap();
            assert_eq!(tables.n, 0, "nothing may be migrated");
        }
    }
    // With a good secret the same settings start.
    settings.jwt.secret = Some("a-secret-of-at-least-32-bytes-0123456789".into());
    assert!(api::startup::prepare(&settings).is_ok());
}

#[test]
fn a_bad_jwt_secret_is_refused_before_anything_is_created_sqlite() {
    a_bad_jwt_secret_is_refused_before_anything_is_created(Backend::Sqlite);
}

#[test]
fn a_bad_jwt_secret_is_refused_before_anything_is_created_postgres() {
    a_bad_jwt_secret_is_refused_before_anything_is_created(Backend::Postgres);
}
