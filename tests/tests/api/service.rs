use tests::{Backend, TestApp, both_backends};

both_backends!(
    liveness_and_readiness,
    metrics_count_requests_by_route,
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
    let text = app.get("/metrics").await.text();
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
