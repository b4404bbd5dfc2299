//! Test harness: the whole Fupin app started in-process on a fresh database, reached over
//! real HTTP. Every test runs on SQLite, and again on PostgreSQL when
//! `FUPIN_TEST_POSTGRES_URL` is set (`FUPIN_REQUIRE_POSTGRES=1` turns its absence into a
//! failure). Each test gets its own database, removed afterwards.

mod app;
mod db;

pub use app::{ADMIN_PASSWORD, METRICS_TOKEN, Response, TestApp, TestUser, USER_PASSWORD};
pub use db::{Backend, TestDb};

/// Declares tests that run once per backend. Each name is an `async fn(TestApp)` in the
/// calling module; this generates a module of that name with `sqlite` and `postgres` tests.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[actix_web::test]
                async fn sqlite() {
                    if let Some(app) = $crate::TestApp::spawn($crate::Backend::Sqlite).await {
                        super::$name(app).await;
                    }
                }

                #[actix_web::test]
                async fn postgres() {
                    if let Some(app) = $crate::TestApp::spawn($crate::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
}
