use tests::{TestApp, both_backends};

both_backends!(
    unknown_route_is_a_problem,
    wrong_method_on_a_known_path_is_405_with_allow,
    problems_follow_accept_language,
    request_id_is_kept_or_made,
    an_idempotency_claim_left_behind_expires_with_its_lease,
);

async fn unknown_route_is_a_problem(app: TestApp) {
    let p = app
        .get("/api/v1/no-such-thing")
        .await
        .assert_problem(404, "not_found");
    assert_eq!(p["instance"], "/api/v1/no-such-thing");
    assert_eq!(p["type"], "urn:fupin:problem:not_found");
    let p = app.get("/").await.assert_problem(404, "not_found");
    assert!(p["request_id"].is_string());
}

async fn wrong_method_on_a_known_path_is_405_with_allow(app: TestApp) {
    let admin = app.admin_token().await;
    let auth = format!("Bearer {admin}");
    let res = app
        .send(
            actix_web::http::Method::DELETE,
            "/api/v1/needs",
            &[("authorization", &auth)],
            None,
        )
        .await;
    let p = res.assert_problem(405, "method_not_allowed");
    assert_eq!(res.header("allow"), Some("GET, HEAD, POST"));
    assert_eq!(p["instance"], "/api/v1/needs");
    // A path with a parameter; the documented methods of every fitting template.
    let res = app
        .send(
            actix_web::http::Method::PUT,
            "/api/v1/donations/0193a6f4/receipt",
            &[("authorization", &auth)],
            None,
        )
        .await;
    res.assert_problem(405, "method_not_allowed");
    // `GET /donations/{id}/receipt` and `POST /donations/{id}/{action}` both fit.
    assert_eq!(res.header("allow"), Some("GET, HEAD, POST"));
    // HEAD is answered wherever GET is: the headers, no body. (Uncompressed: the test
    // client would try to inflate the empty body of a compressed HEAD answer.)
    let identity = [("accept-encoding", "identity")];
    let head = app
        .send(
            actix_web::http::Method::HEAD,
            "/api/v1/regions/210900",
            &identity,
            None,
        )
        .await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(head.header("etag").is_some());
    let live = app
        .send(
            actix_web::http::Method::HEAD,
            "/health/live",
            &identity,
            None,
        )
        .await;
    assert_eq!(live.status, 200);
    // HEAD where there is no GET: 405, and Allow says what there is.
    let post_only = app
        .send(
            actix_web::http::Method::HEAD,
            "/api/v1/auth/token",
            &identity,
            None,
        )
        .await;
    assert_eq!(post_only.status, 405);
    assert_eq!(post_only.header("allow"), Some("POST"));
    // A trailing slash is another path, and not one of ours.
    app.get_as(&admin, "/api/v1/needs/")
        .await
        .assert_problem(404, "not_found");
    // Not a path at all: still 404.
    let res = app
        .send(
            actix_web::http::Method::DELETE,
            "/api/v1/needs/x/y/z/w",
            &[("authorization", &auth)],
            None,
        )
        .await;
    res.assert_problem(404, "not_found");
}

async fn problems_follow_accept_language(app: TestApp) {
    let zh = app.get("/api/v1/regions/210999").await;
    assert_eq!(zh.header("content-language"), Some("zh-CN"));
    assert_eq!(zh.json()["title"], "未找到");
    let en = app
        .get_with(
            "/api/v1/regions/210999",
            &[("accept-language", "en-GB,en;q=0.9")],
        )
        .await;
    assert_eq!(en.header("content-language"), Some("en"));
    assert_eq!(en.json()["title"], "Not found");
    assert_eq!(en.json()["detail"], "No region 210999.");
}

async fn request_id_is_kept_or_made(app: TestApp) {
    let res = app
        .get_with("/health/live", &[("x-request-id", "portal-abc-123")])
        .await;
    assert_eq!(res.header("x-request-id"), Some("portal-abc-123"));
    let made = app.get("/health/live").await;
    let id = made.header("x-request-id").unwrap();
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 7);
    // An unusable id (too long) is replaced, not echoed.
    let long = "x".repeat(300);
    let replaced = app
        .get_with("/health/live", &[("x-request-id", &long)])
        .await;
    assert_ne!(replaced.header("x-request-id"), Some(long.as_str()));
}

/// A claim whose request never answered (the database failed before the claim could be
/// released, or the process died) holds its key only for the lease; one still within it
/// keeps its key.
async fn an_idempotency_claim_left_behind_expires_with_its_lease(app: TestApp) {
    use persistence::idempotency::{Claim, KeyRef, LEASE_SECONDS, claim};
    let donor = app.user("donor", None).await;
    let auth = format!("Bearer {}", donor.token);
    let scope = api::http::idempotency::scope_of(Some(
        &actix_web::http::header::HeaderValue::from_str(&auth).unwrap(),
    ));
    let pool = persistence::connect(&app.db.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let now = chrono::Utc::now().naive_utc();
    let key = |k: &'static str| KeyRef {
        scope: &scope,
        key: k,
    };
    let gone = now - chrono::Duration::seconds(LEASE_SECONDS + 5);
    for (k, at) in [("left-behind", gone), ("still-running", now)] {
        let c = claim(&mut conn, &key(k), "POST", "/api/v1/offers", "lost", at).unwrap();
        assert_eq!(c, Claim::Fresh);
    }
    drop(conn);
    let body = serde_json::json!({"category": "education", "kind": "goods", "title": "冬季校服", "quantity": 10, "unit": "套"});
    let send = |k: &'static str| {
        let headers = [("authorization", auth.as_str()), ("idempotency-key", k)];
        let body = body.clone();
        let app = &app;
        async move { app.post_json("/api/v1/offers", &headers, &body).await }
    };
    // Within its lease the claim keeps its key: this request is not run in its place.
    send("still-running")
        .await
        .assert_problem(422, "idempotency_key_reused");
    let retried = send("left-behind").await;
    assert_eq!(retried.status, 201, "{}", retried.text());
    let replayed = send("left-behind").await;
    assert_eq!(replayed.status, 201);
    assert_eq!(replayed.header("idempotency-replayed"), Some("true"));
    assert_eq!(replayed.json()["id"], retried.json()["id"]);
}
