use jsonwebtoken::{EncodingKey, Header, encode};
use serde_json::json;
use tests::{ADMIN_PASSWORD, TestApp, USER_PASSWORD, both_backends};

both_backends!(
    password_grant_gives_tokens_and_audits_logins,
    refresh_rotates_and_reuse_revokes_the_family,
    revoke_ends_a_login,
    bad_tokens_are_refused,
    client_credentials_grant,
    logins_are_rate_limited,
    token_endpoint_rejects_bad_input,
);

/// A token signed with the app's development secret, with claims of our choosing.
fn mint(app: &TestApp, claims: &serde_json::Value, kid: &str, secret: Option<&[u8]>) -> String {
    let file = std::fs::read_to_string(app.db.data_dir.join("jwt-secret")).unwrap();
    let own = file.trim().as_bytes().to_vec();
    let mut header = Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = Some(kid.to_owned());
    encode(
        &header,
        claims,
        &EncodingKey::from_secret(secret.unwrap_or(&own)),
    )
    .unwrap()
}

fn claims(sub: &str, offset_exp: i64, offset_nbf: i64, aud: &str, iss: &str) -> serde_json::Value {
    let now = chrono::Utc::now().timestamp();
    json!({
        "sub": sub, "kind": "user", "role": "platform_admin", "iss": iss, "aud": aud,
        "exp": now + offset_exp, "nbf": now + offset_nbf, "iat": now, "jti": uuid::Uuid::now_v7().to_string()
    })
}

async fn password_grant_gives_tokens_and_audits_logins(app: TestApp) {
    let tokens = app.login("admin", ADMIN_PASSWORD).await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    assert!(tokens["refresh_token"].as_str().unwrap().len() >= 40);
    let admin = tokens["access_token"].as_str().unwrap();
    assert_eq!(
        app.get_as(admin, "/api/v1/me").await.json()["role"],
        "platform_admin"
    );

    let wrong = app
        .post_json(
            "/api/v1/auth/token",
            &[],
            &json!({"grant_type": "password", "username": "admin", "password": "nope-nope-1"}),
        )
        .await;
    let p = wrong.assert_problem(401, "unauthorized");
    assert_eq!(p["reason"], "invalid_credentials");
    assert!(
        wrong
            .header("www-authenticate")
            .unwrap()
            .starts_with("Bearer")
    );
    // An unknown user gets exactly the same answer.
    let unknown = app
        .post_json(
            "/api/v1/auth/token",
            &[],
            &json!({"grant_type": "password", "username": "ghost", "password": "nope-nope-1"}),
        )
        .await;
    assert_eq!(
        unknown.assert_problem(401, "unauthorized")["reason"],
        "invalid_credentials"
    );

    let failed = app
        .get_as(admin, "/api/v1/audit-events?action=auth.login_failed")
        .await
        .json();
    let actors: Vec<&str> = failed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor_id"].as_str().unwrap())
        .collect();
    assert_eq!(actors, ["admin", "ghost"]);
    assert!(
        failed["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["outcome"] == "failure")
    );
    let ok = app
        .get_as(admin, "/api/v1/audit-events?action=auth.login")
        .await
        .json();
    assert_eq!(ok["items"].as_array().unwrap().len(), 1);

    // The form encoding of OAuth 2.0 works too.
    let form = app
        .send(
            actix_web::http::Method::POST,
            "/api/v1/auth/token",
            &[],
            Some((
                "application/x-www-form-urlencoded",
                format!("grant_type=password&username=admin&password={ADMIN_PASSWORD}")
                    .into_bytes(),
            )),
        )
        .await;
    assert_eq!(form.status, 200, "{}", form.text());
}

async fn refresh_rotates_and_reuse_revokes_the_family(app: TestApp) {
    let user = app.user("donor", None).await;
    let refresh = |token: String| {
        let app = &app;
        async move {
            app.post_json(
                "/api/v1/auth/token",
                &[],
                &json!({"grant_type": "refresh_token", "refresh_token": token}),
            )
            .await
        }
    };
    let first = refresh(user.refresh_token.clone()).await;
    assert_eq!(first.status, 200, "{}", first.text());
    let second_token = first.json()["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(second_token, user.refresh_token);
    assert_eq!(
        app.get_as(first.json()["access_token"].as_str().unwrap(), "/api/v1/me")
            .await
            .json()["id"],
        user.id
    );

    // The spent token again: refused, and the live one descended from it dies too.
    let reuse = refresh(user.refresh_token.clone()).await;
    assert_eq!(
        reuse.assert_problem(401, "unauthorized")["reason"],
        "refresh_token_reused"
    );
    let after = refresh(second_token).await;
    assert_eq!(
        after.assert_problem(401, "unauthorized")["reason"],
        "invalid_refresh_token"
    );

    // Another login is another family, unaffected.
    let again = app.login(&user.username, USER_PASSWORD).await;
    assert_eq!(
        refresh(again["refresh_token"].as_str().unwrap().to_owned())
            .await
            .status,
        200
    );

    let admin = app.admin_token().await;
    let events = app
        .get_as(&admin, "/api/v1/audit-events?action=auth.refresh_reused")
        .await
        .json();
    assert_eq!(events["items"].as_array().unwrap().len(), 1);
    assert_eq!(events["items"][0]["object_id"], user.id);
    let refreshes = app
        .get_as(
            &admin,
            &format!(
                "/api/v1/audit-events?action=auth.refresh&actor_id={}",
                user.id
            ),
        )
        .await
        .json();
    assert_eq!(refreshes["items"].as_array().unwrap().len(), 2);
}

async fn revoke_ends_a_login(app: TestApp) {
    let user = app.user("volunteer", None).await;
    let res = app
        .post_json(
            "/api/v1/auth/revoke",
            &[],
            &json!({"token": user.refresh_token}),
        )
        .await;
    assert_eq!(res.status, 204);
    let refresh = app
        .post_json(
            "/api/v1/auth/token",
            &[],
            &json!({"grant_type": "refresh_token", "refresh_token": user.refresh_token}),
        )
        .await;
    assert_eq!(
        refresh.assert_problem(401, "unauthorized")["reason"],
        "invalid_refresh_token"
    );
    // Unknown tokens get the same answer (RFC 7009).
    assert_eq!(
        app.post_json("/api/v1/auth/revoke", &[], &json!({"token": "unknown"}))
            .await
            .status,
        204
    );
}

async fn bad_tokens_are_refused(app: TestApp) {
    let admin_id = app
        .get_as(&app.admin_token().await, "/api/v1/me")
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Positive control: a hand-made token with the right key and claims works, so the
    // refusals below are about the one thing each changes.
    let good = mint(
        &app,
        &claims(&admin_id, 600, 0, "fupin-api", "fupin"),
        "default",
        None,
    );
    assert_eq!(app.get_as(&good, "/api/v1/me").await.status, 200);

    let cases = [
        ("no token", None, "missing"),
        (
            "expired",
            Some(mint(
                &app,
                &claims(&admin_id, -600, -900, "fupin-api", "fupin"),
                "default",
                None,
            )),
            "expired",
        ),
        (
            "not yet valid",
            Some(mint(
                &app,
                &claims(&admin_id, 1200, 600, "fupin-api", "fupin"),
                "default",
                None,
            )),
            "not_yet_valid",
        ),
        (
            "wrong audience",
            Some(mint(
                &app,
                &claims(&admin_id, 600, 0, "someone-else", "fupin"),
                "default",
                None,
            )),
            "bad_audience",
        ),
        (
            "wrong issuer",
            Some(mint(
                &app,
                &claims(&admin_id, 600, 0, "fupin-api", "evil"),
                "default",
                None,
            )),
            "bad_issuer",
        ),
        (
            "wrong key",
            Some(mint(
                &app,
                &claims(&admin_id, 600, 0, "fupin-api", "fupin"),
                "default",
                Some(b"another-secret-of-at-least-32-bytes!!"),
            )),
            "bad_signature",
        ),
        (
            "unknown kid",
            Some(mint(
                &app,
                &claims(&admin_id, 600, 0, "fupin-api", "fupin"),
                "k9",
                None,
            )),
            "unknown_key",
        ),
        ("garbage", Some("not.a.jwt".to_owned()), "malformed"),
    ];
    for (what, token, reason) in cases {
        for path in [
            "/api/v1/me",
            "/api/v1/users",
            "/api/v1/clients",
            "/api/v1/audit-events",
        ] {
            let res = match &token {
                Some(t) => app.get_as(t, path).await,
                None => app.get(path).await,
            };
            let p = res.assert_problem(401, "unauthorized");
            assert_eq!(p["reason"], reason, "{what} on {path}");
        }
    }
    // alg "none": header and claims, no signature.
    use base64::Engine;
    let b64 = |v: &serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT", "kid": "default"})),
        b64(&claims(&admin_id, 600, 0, "fupin-api", "fupin"))
    );
    app.get_as(&none, "/api/v1/me")
        .await
        .assert_problem(401, "unauthorized");
    app.get_with("/api/v1/me", &[("authorization", "Basic YWRtaW46eA==")])
        .await
        .assert_problem(401, "unauthorized");
}

async fn client_credentials_grant(app: TestApp) {
    let admin = app.admin_token().await;
    let created = app
        .post_as(&admin, "/api/v1/clients", &json!({"name": "阜新市扶贫数据交换", "scopes": "registry:read,audit:read", "region_code": "210900", "rate_limit_per_minute": 6000}))
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let c = created.json();
    let (id, secret) = (
        c["id"].as_str().unwrap(),
        c["client_secret"].as_str().unwrap(),
    );
    assert_eq!(c["scopes"], "registry:read audit:read");
    // The secret is never shown again.
    let shown = app
        .get_as(&admin, &format!("/api/v1/clients/{id}"))
        .await
        .json();
    assert!(shown.get("client_secret").is_none());
    assert_eq!(shown["region_code"], "210900");

    let res = app
        .post_json(
            "/api/v1/auth/token",
            &[],
            &json!({"grant_type": "client_credentials", "client_id": id, "client_secret": secret}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let t = res.json();
    assert_eq!(t["scope"], "registry:read audit:read");
    assert!(t.get("refresh_token").is_none());
    // A narrower scope may be asked for; a wider one may not.
    let narrow = app
        .post_json("/api/v1/auth/token", &[], &json!({"grant_type": "client_credentials", "client_id": id, "client_secret": secret, "scope": "audit:read"}))
        .await;
    assert_eq!(narrow.json()["scope"], "audit:read");
    let wide = app
        .post_json("/api/v1/auth/token", &[], &json!({"grant_type": "client_credentials", "client_id": id, "client_secret": secret, "scope": "registry:write"}))
        .await;
    // RFC 6749 §5.2: a scope not granted, or unknown, is `invalid_scope`, never narrowed.
    let p = wide.assert_problem(400, "invalid_scope");
    assert_eq!(p["errors"][0]["field"], "scope", "{p}");
    assert_eq!(p["errors"][0]["code"], "not_granted", "{p}");
    let mixed = app
        .post_json("/api/v1/auth/token", &[], &json!({"grant_type": "client_credentials", "client_id": id, "client_secret": secret, "scope": "audit:read registry:write"}))
        .await;
    mixed.assert_problem(400, "invalid_scope");
    let form = format!(
        "grant_type=client_credentials&client_id={id}&client_secret={secret}&scope=stats%3Aread"
    );
    let p = app
        .send(
            actix_web::http::Method::POST,
            "/api/v1/auth/token",
            &[],
            Some(("application/x-www-form-urlencoded", form.into_bytes())),
        )
        .await
        .assert_problem(400, "invalid_scope");
    assert_eq!(p["errors"][0]["code"], "not_granted", "{p}");
    let p = app
        .post_json("/api/v1/auth/token", &[], &json!({"grant_type": "client_credentials", "client_id": id, "client_secret": secret, "scope": "everything"}))
        .await
        .assert_problem(400, "invalid_scope");
    assert_eq!(p["errors"][0]["field"], "scope", "{p}");
    assert_eq!(p["errors"][0]["code"], "unknown_scope", "{p}");
    // HTTP Basic works as OAuth 2.0 clients send it.
    use base64::Engine;
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    );
    let via_basic = app
        .post_json(
            "/api/v1/auth/token",
            &[("authorization", basic.as_str())],
            &json!({"grant_type": "client_credentials"}),
        )
        .await;
    assert_eq!(via_basic.status, 200, "{}", via_basic.text());

    // A client may not manage users, whatever its scopes.
    let token = t["access_token"].as_str().unwrap();
    app.get_as(token, "/api/v1/users")
        .await
        .assert_problem(403, "forbidden");
    // Disabled: no more tokens.
    assert_eq!(
        app.send(
            actix_web::http::Method::DELETE,
            &format!("/api/v1/clients/{id}"),
            &[("authorization", &format!("Bearer {admin}"))],
            None
        )
        .await
        .status,
        204
    );
    let refused = app
        .post_json(
            "/api/v1/auth/token",
            &[],
            &json!({"grant_type": "client_credentials", "client_id": id, "client_secret": secret}),
        )
        .await;
    refused.assert_problem(401, "unauthorized");
}

async fn logins_are_rate_limited(app: TestApp) {
    let body =
        json!({"grant_type": "password", "username": "target", "password": "wrong-password-1"});
    for _ in 0..10 {
        assert_eq!(
            app.post_json("/api/v1/auth/token", &[], &body).await.status,
            401
        );
    }
    let limited = app.post_json("/api/v1/auth/token", &[], &body).await;
    limited.assert_problem(429, "rate_limited");
    let wait: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!(wait >= 1);
    // Another account is still allowed (until the address limit).
    assert_eq!(
        app.post_json(
            "/api/v1/auth/token",
            &[],
            &json!({"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD})
        )
        .await
        .status,
        200
    );
}

async fn token_endpoint_rejects_bad_input(app: TestApp) {
    let p = app
        .post_json("/api/v1/auth/token", &[], &json!({"grant_type": "magic"}))
        .await
        .assert_problem(400, "invalid_parameter");
    assert_eq!(p["errors"][0]["code"], "unsupported_grant_type");
    let p = app
        .post_json(
            "/api/v1/auth/token",
            &[],
            &json!({"grant_type": "password"}),
        )
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(p["errors"].as_array().unwrap().len(), 2);
    let bad_json = app
        .send(
            actix_web::http::Method::POST,
            "/api/v1/auth/token",
            &[],
            Some(("application/json", b"{\"grant_type\":".to_vec())),
        )
        .await;
    assert_eq!(bad_json.status, 400);
    assert_eq!(
        bad_json.header("content-type"),
        Some("application/problem+json")
    );
    let huge = format!(
        "{{\"grant_type\":\"password\",\"username\":\"{}\"}}",
        "a".repeat(2 * 1024 * 1024)
    );
    let too_large = app
        .send(
            actix_web::http::Method::POST,
            "/api/v1/accounts",
            &[],
            Some(("application/json", huge.into_bytes())),
        )
        .await;
    too_large.assert_problem(413, "payload_too_large");
}
