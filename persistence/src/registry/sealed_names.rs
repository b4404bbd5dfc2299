//! The one-time step that seals the names stored in clear before names were encrypted: the
//! migration runner calls [`seal_clear_names`] between the migration that adds the sealed
//! columns and the one that drops the clear ones (the data key is the server's, not the
//! database's, so SQL alone cannot do it). Rows are sealed in batches; a run cut off midway
//! leaves the clear columns in place and the next start goes on where it stopped.

use diesel::prelude::*;

use super::columns;
use crate::crypto::DataKeys;
use crate::{DbConn, PersistenceError};

/// The migration whose clear columns must be sealed before it runs.
pub const DROPS_CLEAR_NAMES: &str = "20261202200100";

/// The two tables as they are between the two migrations.
mod between {
    diesel::table! {
        households (id) {
            id -> Text,
            head_name -> Text,
            head_name_enc -> Nullable<Text>,
            head_name_index -> Nullable<Text>,
        }
    }

    diesel::table! {
        household_members (id) {
            id -> Text,
            name -> Text,
            name_enc -> Nullable<Text>,
        }
    }
}

use between::{household_members as m, households as h};

const BATCH: i64 = 1_000;

/// Encrypts every clear name not yet sealed; returns how many rows were sealed.
pub fn seal_clear_names(conn: &mut DbConn, keys: &DataKeys) -> Result<usize, PersistenceError> {
    let mut sealed = 0;
    loop {
        let n = conn.transaction::<_, PersistenceError, _>(|conn| {
            let rows: Vec<(String, String)> = h::table
                .filter(h::head_name_enc.is_null())
                .select((h::id, h::head_name))
                .order(h::id)
                .limit(BATCH)
                .load(conn)?;
            for (id, name) in &rows {
                diesel::update(h::table.find(id))
                    .set((
                        h::head_name_enc.eq(columns::encrypt_head_name(keys, name)),
                        h::head_name_index.eq(columns::head_name_index(keys, name)),
                    ))
                    .execute(conn)?;
            }
            Ok(rows.len())
        })?;
        sealed += n;
        if n < BATCH as usize {
            break;
        }
    }
    loop {
        let n = conn.transaction::<_, PersistenceError, _>(|conn| {
            let rows: Vec<(String, String)> = m::table
                .filter(m::name_enc.is_null())
                .select((m::id, m::name))
                .order(m::id)
                .limit(BATCH)
                .load(conn)?;
            for (id, name) in &rows {
                diesel::update(m::table.find(id))
                    .set(m::name_enc.eq(columns::encrypt_member_name(keys, name)))
                    .execute(conn)?;
            }
            Ok(rows.len())
        })?;
        sealed += n;
        if n < BATCH as usize {
            break;
        }
    }
    Ok(sealed)
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::pg::PgConnection;
    use diesel::sqlite::SqliteConnection;
    use diesel_migrations::MigrationHarness;

    use super::*;
    use crate::migrations::{POSTGRES, SQLITE};
    use crate::page::PageRequest;
    use crate::registry::households::{HouseholdFilter, list};
    use domain::identity::PersonName;

    /// The step that adds the sealed columns.
    const ADDS_SEALED_NAMES: &str = "20261202200000";

    /// Applies migrations up to and including `version`.
    fn migrate_until(conn: &mut DbConn, version: &str) {
        loop {
            let next = match conn {
                DbConn::Postgresql(c) => c.run_next_migration(POSTGRES),
                DbConn::Sqlite(c) => c.run_next_migration(SQLITE),
            }
            .expect("migration")
            .to_string();
            if next == version {
                return;
            }
        }
    }

    /// A database as the previous release left it: migrated up to the step that adds the
    /// sealed columns, with one household whose names are in clear (its region not loaded:
    /// foreign keys are off for the set-up).
    fn with_clear_names(mut conn: DbConn, keys: &DataKeys) -> DbConn {
        migrate_until(&mut conn, ADDS_SEALED_NAMES);
        let no_foreign_keys = match conn {
            DbConn::Postgresql(_) => "SET session_replication_role = replica;",
            DbConn::Sqlite(_) => "PRAGMA foreign_keys = OFF;",
        };
        let id_number = "21092119850312001X";
        conn.batch_execute(&format!(
            "{no_foreign_keys} \
             INSERT INTO households (id, household_number, region_code, county_code, scattered, \
             household_type, identification_standard, main_cause, secondary_causes, \
             income_per_person_fen, housing_safe, food_secure, clothing_secure, \
             compulsory_education, basic_medical, housing_security, safe_drinking_water, \
             guarantees_met, status, head_name, member_count, content_hash, version, created_at, \
             updated_at) VALUES ('h1', '2109211002020001', '210921100202', '210921', FALSE, \
             'general', 'national', 'illness', '', 250000, TRUE, TRUE, TRUE, TRUE, TRUE, TRUE, \
             TRUE, TRUE, 'poor', '王五', 1, 'x', 1, '2026-01-01 00:00:00', \
             '2026-01-01 00:00:00'); \
             INSERT INTO household_members (id, household_id, county_code, position, name, sex, \
             id_number_enc, id_number_index, relation, ethnicity, education, schooling, health, \
             work_capacity, migrant_worker, rural_medical, rural_pension, dibao, \
             critical_illness) VALUES ('m1', 'h1', '210921', 0, '王五', 'male', '{}', '{}', \
             'head', 'han', 'primary', 'none', 'healthy', 'ordinary', FALSE, FALSE, FALSE, \
             FALSE, FALSE);",
            columns::encrypt_id_number(keys, id_number),
            columns::id_index(keys, id_number),
        ))
        .expect("rows of the previous release");
        conn
    }

    fn the_runner_seals_clear_names_before_dropping_them(conn: DbConn) {
        let keys = DataKeys::from_parts([("k1", [7u8; 32])], [9u8; 32]).expect("keys");
        let mut conn = with_clear_names(conn, &keys);
        let applied = crate::migrations::run_pending(&mut conn, &keys).expect("migrations");
        assert!(
            applied.iter().any(|v| v == DROPS_CLEAR_NAMES),
            "{applied:?}"
        );
        // The names are sealed: found by the head's full name, opened with the key ...
        let filter = HouseholdFilter {
            head_name: Some(PersonName::parse("王五").expect("a name")),
            ..HouseholdFilter::default()
        };
        let page = list(
            &mut conn,
            &keys,
            &filter,
            &PageRequest {
                limit: 10,
                after: None,
            },
        )
        .expect("list");
        assert_eq!(page.items.len(), 1);
        assert_eq!(page.items[0].id, "h1");
        assert_eq!(
            page.items[0].head_name.as_ref().map(|n| n.expose()),
            Some("王五")
        );
        let sealed: Vec<String> = crate::schema::household_members::table
            .select(crate::schema::household_members::name_enc)
            .load(&mut conn)
            .expect("members");
        assert_eq!(sealed.len(), 1);
        assert_ne!(sealed[0], "王五");
        assert_eq!(
            columns::decrypt_member_name(&keys, &sealed[0]).expect("opens"),
            "王五"
        );
        // ... and no clear column is left: reading one fails.
        let clear = diesel::sql_query("SELECT head_name FROM households").execute(&mut conn);
        assert!(clear.is_err(), "households.head_name still exists");
        let clear = diesel::sql_query("SELECT name FROM household_members").execute(&mut conn);
        assert!(clear.is_err(), "household_members.name still exists");
        // A second start finds nothing left to do.
        assert!(
            crate::migrations::run_pending(&mut conn, &keys)
                .expect("again")
                .is_empty()
        );
    }

    #[test]
    fn sqlite_upgrade_seals_clear_names() {
        let conn = SqliteConnection::establish(":memory:").expect("SQLite");
        the_runner_seals_clear_names_before_dropping_them(DbConn::Sqlite(conn));
    }

    /// On the PostgreSQL server `FUPIN_TEST_POSTGRES_URL` names (skipped without it), in a
    /// database of its own.
    #[test]
    fn postgres_upgrade_seals_clear_names() {
        let Ok(admin_url) = std::env::var("FUPIN_TEST_POSTGRES_URL") else {
            assert!(
                std::env::var("FUPIN_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "FUPIN_REQUIRE_POSTGRES=1 but FUPIN_TEST_POSTGRES_URL is not set"
            );
            eprintln!("skipped: FUPIN_TEST_POSTGRES_URL is not set");
            return;
        };
        let name = format!("fupin_seal_{}", uuid::Uuid::now_v7().simple());
        let mut admin = PgConnection::establish(&admin_url).expect("PostgreSQL");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("a database");
        let (base, _) = admin_url.rsplit_once('/').expect("a database URL");
        let conn = PgConnection::establish(&format!("{base}/{name}")).expect("the new database");
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            the_runner_seals_clear_names_before_dropping_them(DbConn::Postgresql(conn))
        }));
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .expect("dropped");
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic);
        }
    }
}
