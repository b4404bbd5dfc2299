//! A fresh database per test: a SQLite file in a temporary folder, or a PostgreSQL database
//! created on the server `FUPIN_TEST_POSTGRES_URL` names and dropped afterwards.

use diesel::prelude::*;
use diesel::{Connection, PgConnection};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug)]
pub struct TestDb {
    pub url: String,
    /// Keys and other files the app keeps beside its database.
    pub data_dir: std::path::PathBuf,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Folder(std::path::PathBuf),
    Database { admin_url: String, name: String },
}

fn postgres_admin_url() -> Option<String> {
    match std::env::var("FUPIN_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("FUPIN_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "FUPIN_REQUIRE_POSTGRES=1 but FUPIN_TEST_POSTGRES_URL is not set"
            );
            None
        }
    }
}

/// Replaces the database name (the last path segment) of a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl TestDb {
    /// `None` when the backend is PostgreSQL and no server was configured.
    pub fn create(backend: Backend) -> Option<TestDb> {
        let id = uuid::Uuid::now_v7().simple().to_string();
        let data_dir = std::env::temp_dir().join(format!("fupin-test-{id}"));
        std::fs::create_dir_all(&data_dir).expect("temp folder");
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", data_dir.join("fupin.db").display());
                Some(TestDb {
                    url,
                    data_dir: data_dir.clone(),
                    cleanup: Cleanup::Folder(data_dir),
                })
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url()?;
                let name = format!("fupin_test_{id}");
                let mut admin = PgConnection::establish(&admin_url)
                    .unwrap_or_else(|e| panic!("FUPIN_TEST_POSTGRES_URL cannot be reached: {e}"));
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("create test database");
                Some(TestDb {
                    url: with_database(&admin_url, &name),
                    data_dir,
                    cleanup: Cleanup::Database { admin_url, name },
                })
            }
        }
    }

    /// Makes the database unreachable while the app runs (to test readiness).
    pub fn destroy_now(&self) {
        match &self.cleanup {
            Cleanup::Folder(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Database { admin_url, name } => {
                if let Ok(mut admin) = PgConnection::establish(admin_url) {
                    let _ =
                        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&mut admin);
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        self.destroy_now();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

impl TestDb {
    /// Everything the database stores of `tables`, as bytes to search for clear text: on
    /// SQLite every file of the database (main file, WAL and shared memory), on PostgreSQL
    /// each row of the tables as text.
    pub fn stored_bytes(&self, tables: &[&str]) -> Vec<u8> {
        if !self.url.starts_with("postgres") {
            let mut bytes = Vec::new();
            for entry in std::fs::read_dir(&self.data_dir).expect("the data folder") {
                let path = entry.expect("a folder entry").path();
                if path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("fupin.db"))
                {
                    bytes.extend(std::fs::read(&path).expect("a database file"));
                }
            }
            return bytes;
        }
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            row: String,
        }
        let mut conn = PgConnection::establish(&self.url).expect("PostgreSQL");
        let mut text = String::new();
        for table in tables {
            let rows: Vec<Row> = diesel::sql_query(format!("SELECT t::text AS row FROM {table} t"))
                .load(&mut conn)
                .expect("the rows");
            for r in rows {
                text.push_str(&r.row);
                text.push('\n');
            }
        }
        text.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h/test?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
