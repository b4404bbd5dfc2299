//! `TestApp`: the server on an ephemeral port, a client, and helpers to call it.

use std::net::TcpListener;

use actix_web::http::{Method, StatusCode};
use api::settings::{LogFormat, Settings};

use crate::db::{Backend, TestDb};

/// The password of the `admin` account every test app starts with.
pub const ADMIN_PASSWORD: &str = "admin-Secret-2026";
/// The password of every account `TestApp::user` makes.
pub const USER_PASSWORD: &str = "user-Secret-2026";

/// The bearer token `/metrics` asks of a test app (`FUPIN_METRICS_TOKEN`).
pub const METRICS_TOKEN: &str = "test-metrics-token-2026";

/// An account made for a test, with a valid access token.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: String,
    pub username: String,
    pub token: String,
    pub refresh_token: String,
}

impl TestUser {
    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.token)
    }
}

#[derive(Debug)]
pub struct TestApp {
    pub address: String,
    pub backend: Backend,
    /// Shared by every instance started on it ([`TestApp::another_instance`]); removed when
    /// the last one stops.
    pub db: std::sync::Arc<TestDb>,
    /// What this instance was started with.
    pub settings: Settings,
    server: actix_web::dev::ServerHandle,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Response {
    pub status: StatusCode,
    pub headers: actix_web::http::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Response {
    /// The body as JSON (panics with the body text when it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Asserts a problem+json answer with this status and code; returns the problem.
    pub fn assert_problem(&self, status: u16, code: &str) -> serde_json::Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "status; body: {}",
            self.text()
        );
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "content type; body: {}",
            self.text()
        );
        let p = self.json();
        assert_eq!(p["code"], code, "problem code: {p}");
        assert_eq!(p["status"], status, "problem status: {p}");
        assert!(
            p["title"].as_str().is_some_and(|t| !t.is_empty()),
            "problem title: {p}"
        );
        p
    }
}

impl TestApp {
    /// Starts the app on a fresh database of `backend`; `None` when that backend is not
    /// configured for this run.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, |_| {}).await
    }

    /// The settings a test app starts with on `db`.
    pub fn settings(db: &TestDb) -> Settings {
        Settings {
            database_url: db.url.clone(),
            bind: "127.0.0.1:0".to_owned(),
            log: std::env::var("FUPIN_TEST_LOG").unwrap_or_else(|_| "off".to_owned()),
            log_format: LogFormat::Pretty,
            pool_size: 8,
            data_dir: db.data_dir.clone(),
            admin_password: Some(ADMIN_PASSWORD.to_owned()),
            rate_limit_per_minute: 100_000,
            metrics_token: Some(METRICS_TOKEN.to_owned()),
            ..Settings::default()
        }
    }

    /// Like [`TestApp::spawn`], with the settings changed by `configure` first.
    pub async fn spawn_with(
        backend: Backend,
        configure: impl FnOnce(&mut Settings),
    ) -> Option<TestApp> {
        let db = TestDb::create(backend)?;
        let mut settings = Self::settings(&db);
        configure(&mut settings);
        Some(Self::start(backend, std::sync::Arc::new(db), settings).await)
    }

    /// A second server on this one's database, data folder and keys (as several instances
    /// behind a load balancer run), with this one's settings changed by `configure`. Its
    /// start-up runs in full, as a real second start would.
    pub async fn another_instance(&self, configure: impl FnOnce(&mut Settings)) -> TestApp {
        let mut settings = self.settings.clone();
        configure(&mut settings);
        Self::start(self.backend, self.db.clone(), settings).await
    }

    async fn start(backend: Backend, db: std::sync::Arc<TestDb>, settings: Settings) -> TestApp {
        api::telemetry::init(&settings.log, settings.log_format);
        let state = {
            let settings = settings.clone();
            actix_web::rt::task::spawn_blocking(move || api::startup::prepare(&settings))
                .await
                .expect("prepare task")
                .unwrap_or_else(|e| panic!("app could not start: {e}"))
        };
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let server = api::startup::serve(state, listener).expect("server");
        let handle = server.handle();
        actix_web::rt::spawn(server);
        TestApp {
            address: format!("http://127.0.0.1:{port}"),
            backend,
            db,
            settings,
            server: handle,
        }
    }

    fn client() -> awc::Client {
        awc::Client::builder()
            .disable_redirects()
            .timeout(std::time::Duration::from_secs(60))
            .finish()
    }

    /// Sends a request; `body` is sent as given with its content type.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, Vec<u8>)>,
    ) -> Response {
        let mut req = Self::client().request(method, format!("{}{path}", self.address));
        for (name, value) in headers {
            req = req.insert_header((*name, *value));
        }
        let sent = match body {
            Some((content_type, bytes)) => {
                req.insert_header(("content-type", content_type))
                    .send_body(bytes)
                    .await
            }
            None => req.send().await,
        };
        let mut res = sent.unwrap_or_else(|e| panic!("request to {path} failed: {e}"));
        let body = res
            .body()
            .limit(64 * 1024 * 1024)
            .await
            .expect("response body")
            .to_vec();
        Response {
            status: res.status(),
            headers: res.headers().clone(),
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send(Method::GET, path, &[], None).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        self.send(Method::GET, path, headers, None).await
    }

    pub async fn post_json(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        body: &serde_json::Value,
    ) -> Response {
        self.send(
            Method::POST,
            path,
            headers,
            Some(("application/json", body.to_string().into_bytes())),
        )
        .await
    }

    /// Sends with `Authorization: Bearer TOKEN`.
    pub async fn get_as(&self, token: &str, path: &str) -> Response {
        let auth = format!("Bearer {token}");
        self.send(Method::GET, path, &[("authorization", auth.as_str())], None)
            .await
    }

    pub async fn post_as(&self, token: &str, path: &str, body: &serde_json::Value) -> Response {
        let auth = format!("Bearer {token}");
        self.post_json(path, &[("authorization", auth.as_str())], body)
            .await
    }

    /// Logs in with the password grant; panics unless it succeeds.
    pub async fn login(&self, username: &str, password: &str) -> serde_json::Value {
        let res = self
            .post_json(
                "/api/v1/auth/token",
                &[],
                &serde_json::json!({"grant_type": "password", "username": username, "password": password}),
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::OK,
            "login of {username}: {}",
            res.text()
        );
        res.json()
    }

    pub async fn admin_token(&self) -> String {
        self.login("admin", ADMIN_PASSWORD).await["access_token"]
            .as_str()
            .expect("token")
            .to_owned()
    }

    /// Makes an account of `role` bound to `region` (created by the admin) and logs it in.
    pub async fn user(&self, role: &str, region: Option<&str>) -> TestUser {
        let admin = self.admin_token().await;
        self.user_by(&admin, role, region, None).await
    }

    /// Makes an account through `creator`'s token (for `org_member`, pass an organisation id).
    pub async fn user_by(
        &self,
        creator: &str,
        role: &str,
        region: Option<&str>,
        org: Option<&str>,
    ) -> TestUser {
        let username = format!("{role}.{}", uuid::Uuid::now_v7().simple()).replace('_', "-");
        let mut body =
            serde_json::json!({"username": username, "password": USER_PASSWORD, "role": role});
        if let Some(region) = region {
            body["region_code"] = region.into();
        }
        if let Some(org) = org {
            body["organization_id"] = org.into();
        }
        let res = self.post_as(creator, "/api/v1/users", &body).await;
        assert_eq!(
            res.status,
            StatusCode::CREATED,
            "create {role}: {}",
            res.text()
        );
        let id = res.json()["id"].as_str().expect("id").to_owned();
        let tokens = self.login(&username, USER_PASSWORD).await;
        TestUser {
            id,
            username,
            token: tokens["access_token"].as_str().expect("token").to_owned(),
            refresh_token: tokens["refresh_token"]
                .as_str()
                .expect("refresh")
                .to_owned(),
        }
    }

    /// Collects every item of a keyset-paginated list by following `next_cursor`.
    pub async fn walk(&self, path: &str) -> Vec<serde_json::Value> {
        self.walk_with(None, path).await
    }

    /// `walk` with a bearer token.
    pub async fn walk_as(&self, token: &str, path: &str) -> Vec<serde_json::Value> {
        self.walk_with(Some(token), path).await
    }

    async fn walk_with(&self, token: Option<&str>, path: &str) -> Vec<serde_json::Value> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        let sep = if path.contains('?') { '&' } else { '?' };
        for _ in 0..10_000 {
            let url = match &cursor {
                Some(c) => format!("{path}{sep}cursor={c}"),
                None => path.to_owned(),
            };
            let res = match token {
                Some(t) => self.get_as(t, &url).await,
                None => self.get(&url).await,
            };
            assert_eq!(res.status, StatusCode::OK, "{url}: {}", res.text());
            let page = res.json();
            items.extend(page["items"].as_array().expect("items").iter().cloned());
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => return items,
            }
        }
        panic!("pagination of {path} did not end");
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop accepting and close the pool's sockets before the database is removed.
        drop(self.server.stop(false));
    }
}
