//! Login limits as configured, and the client address behind trusted proxies only: for the
//! login limit, the request limit and the audit log.

use serde_json::json;
use tests::TestApp;

/// Declares a test run once per backend on an app whose settings `configure` changes.
macro_rules! with_settings {
    ($name:ident, $configure:expr) => {
        mod $name {
            #[actix_web::test]
            async fn sqlite() {
                if let Some(app) =
                    tests::TestApp::spawn_with(tests::Backend::Sqlite, $configure).await
                {
                    super::$name(app).await;
                }
            }

            #[actix_web::test]
            async fn postgres() {
                if let Some(app) =
                    tests::TestApp::spawn_with(tests::Backend::Postgres, $configure).await
                {
                    super::$name(app).await;
                }
            }
        }
    };
}

with_settings!(login_limits_are_configurable, |s| {
    s.login_limit_per_address = 5;
    s.login_limit_per_account = 2;
});
with_settings!(forwarded_addresses_are_believed_from_trusted_proxies, |s| {
    s.login_limit_per_address = 2;
    s.login_limit_per_account = 0;
    s.rate_limit_per_minute = 3;
    s.trusted_proxies = api::http::client_ip::TrustedProxies::parse("127.0.0.0/8").unwrap();
});
with_settings!(forwarded_addresses_are_ignored_from_anyone_else, |s| {
    s.login_limit_per_address = 2;
    s.login_limit_per_account = 0;
    s.rate_limit_per_minute = 3;
    s.trusted_proxies = api::http::client_ip::TrustedProxies::parse("10.0.0.0/8").unwrap();
});

async fn attempt(app: &TestApp, username: &str, headers: &[(&str, &str)]) -> u16 {
    app.post_json(
        "/api/v1/auth/token",
        headers,
        &json!({"grant_type": "password", "username": username, "password": "Wrong-pass-2026"}),
    )
    .await
    .status
    .as_u16()
}

async fn login_limits_are_configurable(app: TestApp) {
    // Two attempts per account...
    assert_eq!(attempt(&app, "alice", &[]).await, 401);
    assert_eq!(attempt(&app, "alice", &[]).await, 401);
    let p = app
        .post_json(
            "/api/v1/auth/token",
            &[],
            &json!({"grant_type": "password", "username": "alice", "password": "x"}),
        )
        .await
        .assert_problem(429, "rate_limited");
    assert!(p["detail"].as_str().is_some());
    // ...and five per address (alice's refused third spent one of the address's too).
    assert_eq!(attempt(&app, "bob", &[]).await, 401);
    assert_eq!(attempt(&app, "carol", &[]).await, 401);
    assert_eq!(attempt(&app, "dave", &[]).await, 429, "address spent");
}

/// A failed login's audited address, as the admin reads it.
async fn audited_address(app: &TestApp, username: &str) -> serde_json::Value {
    let admin = app.admin_token().await;
    let events = app
        .walk_as(
            &admin,
            &format!("/api/v1/audit-events?action=auth.login_failed&actor_id={username}"),
        )
        .await;
    assert_eq!(events.len(), 1, "{events:?}");
    events[0]["ip"].clone()
}

async fn forwarded_addresses_are_believed_from_trusted_proxies(app: TestApp) {
    let first = [("x-forwarded-for", "203.0.113.1")];
    let second = [("forwarded", "for=\"203.0.113.2:4711\";proto=https")];
    // The test client (127.0.0.1) is a trusted proxy: each forwarded client counts alone.
    assert_eq!(attempt(&app, "a1", &first).await, 401);
    assert_eq!(attempt(&app, "a2", &first).await, 401);
    assert_eq!(attempt(&app, "a3", &first).await, 429);
    assert_eq!(attempt(&app, "b1", &second).await, 401);
    assert_eq!(attempt(&app, "b2", &second).await, 401);
    assert_eq!(attempt(&app, "b3", &second).await, 429);
    // What the client wrote left of the proxy's entry does not pick a bucket.
    let forged = [("x-forwarded-for", "198.51.100.7, 203.0.113.1")];
    assert_eq!(attempt(&app, "a4", &forged).await, 429);
    // The audit log records the forwarded client.
    let third = [("x-forwarded-for", "203.0.113.3")];
    assert_eq!(attempt(&app, "c1", &third).await, 401);
    assert_eq!(audited_address(&app, "c1").await, "203.0.113.3");
    // The request limit counts anonymous callers by the same address.
    let path = "/api/v1/public/needs";
    let d = [("x-forwarded-for", "203.0.113.4")];
    let e = [("x-forwarded-for", "203.0.113.5")];
    for _ in 0..3 {
        assert_eq!(app.get_with(path, &d).await.status, 200);
    }
    app.get_with(path, &d)
        .await
        .assert_problem(429, "rate_limited");
    assert_eq!(app.get_with(path, &e).await.status, 200);
}

async fn forwarded_addresses_are_ignored_from_anyone_else(app: TestApp) {
    // 127.0.0.1 is not among the trusted proxies: whatever it claims, it is the client, and
    // the audit log says so.
    let first = [("x-forwarded-for", "203.0.113.1")];
    assert_eq!(attempt(&app, "a1", &first).await, 401);
    assert_eq!(audited_address(&app, "a1").await, "127.0.0.1");
    // The admin's login (reading the log) and a1's were the address's two: a fresh claim
    // does not make a fresh bucket.
    let second = [("forwarded", "for=203.0.113.2")];
    assert_eq!(attempt(&app, "a2", &second).await, 429);
    // Nor for the request limit: this is the address's fourth anonymous request.
    let third = [("x-forwarded-for", "203.0.113.3")];
    app.get_with("/api/v1/public/needs", &third)
        .await
        .assert_problem(429, "rate_limited");
}
