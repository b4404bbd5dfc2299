use tests::{Backend, METRICS_TOKEN, TestApp, both_backends};

both_backends!(
    liveness_and_readiness,
    metrics_count_requests_by_route,
    metrics_are_served_only_to_the_token,
    every_answer_says_nosniff_and_personal_ones_no_store,
    a_new_sqlite_database_is_private_to_its_owner,
    docs_and_spec_are_served,
    readiness_fails_when_the_database_is_gone,
);

async fn liveness_and_readiness(app: TestApp) {
    let live = app.get("/health/live").await;
    assert_eq!(live.status, 200);
    assert_eq!(live.json()["status"], "ok");
    let ready = app.get("/health/ready").await.json();
    assert_eq!(ready["status"], "ok");
    let expected = match app.backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(ready["database"], expected);
}

async fn metrics_count_requests_by_route(app: TestApp) {
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/regions/210900").await.status, 200);
    }
    app.get("/api/v1/regions/210999").await;
    let auth = format!("Bearer {METRICS_TOKEN}");
    let text = app
        .get_with("/metrics", &[("authorization", auth.as_str())])
        .await
        .text();
    assert!(
        text.contains(r#"fupin_http_requests_total{method="GET",route="/api/v1/regions/{code}",status="200"} 3"#),
        "{text}"
    );
    assert!(text.contains(
        r#"fupin_http_requests_total{method="GET",route="/api/v1/regions/{code}",status="404"} 1"#
    ));
    assert!(text.contains(r#"fupin_db_pool_connections{state="max"} 8"#));
    assert!(text.contains(
        "fupin_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/regions/{code}\""
    ));
}

async fn docs_and_spec_are_served(app: TestApp) {
    let spec = app.get("/openapi.json").await.json();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(spec["paths"]["/api/v1/regions/{code}"]["get"]["operationId"] == "get_region");
    let docs = app.get("/docs/").await;
    assert_eq!(docs.status, 200);
    assert!(
        docs.text().contains("swagger-ui"),
        "docs page: {}",
        docs.text()
    );
    let redirect = app.get("/docs").await;
    assert_eq!(redirect.status, 308);
    assert_eq!(redirect.header("location"), Some("/docs/"));
}

async fn readiness_fails_when_the_database_is_gone(app: TestApp) {
    if app.backend != Backend::Postgres {
        // A SQLite file cannot be taken away from open connections; PostgreSQL can.
        return;
    }
    assert_eq!(app.get("/health/ready").await.status, 200);
    app.db.destroy_now();
    let res = app.get("/health/ready").await;
    res.assert_problem(503, "unavailable");
    assert_eq!(res.header("retry-after"), Some("5"));
    assert_eq!(app.get("/health/live").await.status, 200);
}

async fn metrics_are_served_only_to_the_token(app: TestApp) {
    app.get("/metrics")
        .await
        .assert_problem(401, "unauthorized");
    let wrong = app
        .get_with(
            "/metrics",
            &[("authorization", "Bearer test-metrics-token-2025")],
        )
        .await;
    wrong.assert_problem(401, "unauthorized");
    assert_eq!(
        wrong.header("www-authenticate"),
        Some("Bearer realm=\"fupin\"")
    );
    // An access token of the platform's admin is not the metrics token either.
    let admin = app.admin_token().await;
    app.get_as(&admin, "/metrics")
        .await
        .assert_problem(401, "unauthorized");
    let auth = format!("Bearer {METRICS_TOKEN}");
    let ok = app
        .get_with("/metrics", &[("authorization", auth.as_str())])
        .await;
    assert_eq!(ok.status, 200);
    assert!(
        ok.text().contains("fupin_http_requests_total"),
        "{}",
        ok.text()
    );
    // With no token configured the metrics are not served at all.
    let closed = TestApp::spawn_with(app.backend, |s| s.metrics_token = None)
        .await
        .unwrap();
    closed
        .get_with("/metrics", &[("authorization", auth.as_str())])
        .await
        .assert_problem(404, "not_found");
    closed
        .get("/metrics")
        .await
        .assert_problem(404, "not_found");
}

async fn every_answer_says_nosniff_and_personal_ones_no_store(app: TestApp) {
    let admin = app.admin_token().await;
    // Personal data: the caller's own account, and a list of accounts.
    for path in ["/api/v1/me", "/api/v1/users"] {
        let res = app.get_as(&admin, path).await;
        assert_eq!(res.status, 200, "{path}: {}", res.text());
        assert_eq!(res.header("cache-control"), Some("no-store"), "{path}");
        assert_eq!(
            res.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
    }
    // Tokens are never kept either.
    let token = app
        .post_json(
            "/api/v1/auth/token",
            &[],
            &serde_json::json!({"grant_type": "password", "username": "admin", "password": tests::ADMIN_PASSWORD}),
        )
        .await;
    assert_eq!(token.header("cache-control"), Some("no-store"));
    // A problem answer of the API, too.
    let missing = app.get_as(&admin, "/api/v1/users/nobody").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("cache-control"), Some("no-store"));
    assert_eq!(missing.header("x-content-type-options"), Some("nosniff"));
    // Public pages keep the caching they declare.
    for path in [
        "/api/v1/public/needs",
        "/api/v1/public/organizations",
        "/api/v1/public/campaigns",
        "/api/v1/public/brands",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status, 200, "{path}: {}", res.text());
        assert_eq!(
            res.header("cache-control"),
            Some("public, max-age=60"),
            "{path}"
        );
        assert_eq!(
            res.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
    }
    // The documentation and the probes are outside the API and keep their own headers.
    for path in ["/openapi.json", "/docs/", "/health/live"] {
        let res = app.get(path).await;
        assert_eq!(res.status, 200, "{path}");
        assert_ne!(res.header("cache-control"), Some("no-store"), "{path}");
        assert_eq!(
            res.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
    }
    // A client may still ask whether its own copy is current: 304, without a body.
    let me = app.get_as(&admin, "/api/v1/me").await;
    let etag = me.header("etag").unwrap().to_owned();
    let auth = format!("Bearer {admin}");
    let again = app
        .get_with(
            "/api/v1/me",
            &[
                ("authorization", auth.as_str()),
                ("if-none-match", etag.as_str()),
            ],
        )
        .await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
}

async fn a_new_sqlite_database_is_private_to_its_owner(app: TestApp) {
    if app.backend != Backend::Sqlite {
        return;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The test app started on a path where no file existed.
        let path = app.db.data_dir.join("fupin.db");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", path.display());
        let wal = app.db.data_dir.join("fupin.db-wal");
        let mode = std::fs::metadata(&wal).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", wal.display());
    }
}
