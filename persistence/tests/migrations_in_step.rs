//! The SQLite migrations are the PostgreSQL ones in SQLite's dialect. Kept by hand, they
//! could drift; this check fails when a table, column or index exists on one backend only.
//! Dialect differences are normalised away (`COLLATE "C"`, `BYTEA`, boolean defaults, the
//! `NOT NULL` SQLite needs on text primary keys); statements only one dialect has — triggers,
//! functions, data backfills, `ALTER COLUMN` (SQLite has none) — are not compared.

use std::fs;
use std::path::{Path, PathBuf};

const SCHEMA_STATEMENTS: [&str; 6] = [
    "CREATE TABLE",
    "CREATE INDEX",
    "CREATE UNIQUE INDEX",
    "ALTER TABLE",
    "DROP TABLE",
    "DROP INDEX",
];

fn folders(backend: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|entry| entry.map(|e| e.path()).unwrap_or_default())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The schema statements of a file, comments dropped, whitespace and dialect normalised.
fn schema_statements(file: &Path) -> Vec<String> {
    let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let without_comments: String = text
        .lines()
        .map(|l| l.split("--").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    without_comments
        .split(';')
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| SCHEMA_STATEMENTS.iter().any(|k| s.starts_with(k)))
        .filter(|s| !s.contains(" ALTER COLUMN "))
        .map(|s| {
            s.replace(" COLLATE \"C\"", "")
                .replace("PRIMARY KEY NOT NULL", "PRIMARY KEY")
                .replace("BYTEA", "BLOB")
                .replace("DEFAULT FALSE", "DEFAULT 0")
                .replace("DEFAULT TRUE", "DEFAULT 1")
        })
        .collect()
}

fn name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn both_backends_have_the_same_migrations_with_the_same_schema() {
    let postgres = folders("postgres");
    let sqlite = folders("sqlite");
    assert_eq!(
        postgres.iter().map(|d| name(d)).collect::<Vec<_>>(),
        sqlite.iter().map(|d| name(d)).collect::<Vec<_>>(),
        "the two migration folders list different versions"
    );
    assert!(postgres.len() >= 10, "migrations not found");
    for (pg, lite) in postgres.iter().zip(&sqlite) {
        for file in ["up.sql", "down.sql"] {
            let a = schema_statements(&pg.join(file));
            let b = schema_statements(&lite.join(file));
            assert!(
                !a.is_empty() || file == "down.sql",
                "{}/{file} has no schema statement",
                name(pg)
            );
            for (i, (x, y)) in a.iter().zip(&b).enumerate() {
                assert_eq!(x, y, "{}/{file}, statement {i}", name(pg));
            }
            assert_eq!(a.len(), b.len(), "{}/{file}: statement count", name(pg));
        }
    }
}
