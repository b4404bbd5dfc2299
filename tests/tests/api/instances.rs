//! Several instances on one database, as behind a load balancer: the work one instance holds
//! (an import under way) survives another's start, and only the work of a stopped instance
//! is failed.

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use domain::registry::{IMPORT_STALE_AFTER, ImportJob, ImportKind};
use persistence::registry::imports as jobs;
use tests::{TestApp, both_backends};

both_backends!(
    two_instances_serve_one_database_and_agree_on_disabled_accounts,
    a_start_leaves_living_imports_running_and_fails_only_stale_ones,
    an_import_names_its_instance_and_beats,
    two_instances_sweeping_at_once_expire_each_need_once,
);

/// Two servers on one database (and one data folder: the same keys) both serve: what one
/// writes the other reads, a token one issued the other accepts, and an account disabled on
/// one is refused by the other within that one's recheck bound (1 s here; 30 s unless
/// `FUPIN_STANDING_RECHECK_SECS` says otherwise), at once by the one that disabled it.
async fn two_instances_serve_one_database_and_agree_on_disabled_accounts(app: TestApp) {
    let second = app
        .another_instance(|s| s.standing_recheck = Duration::from_secs(1))
        .await;
    // An account made on the first logs in on the second, and one made on the second on
    // the first.
    let county = app.user("county_official", Some("210921")).await;
    let relogin = second.login(&county.username, tests::USER_PASSWORD).await;
    assert!(relogin["access_token"].is_string(), "{relogin}");
    let city = second.user("city_official", Some("210900")).await;
    let me = app.get_as(&city.token, "/api/v1/me").await;
    assert_eq!(me.status, 200, "{}", me.text());
    assert_eq!(me.json()["id"], city.id);
    // A village registered through one is read through the other.
    let village =
        crate::registry::register_village(&second, &county.token, crate::registry::VILLAGE).await;
    let path = format!("/api/v1/villages/{}", village["id"].as_str().unwrap());
    let read = app.get_as(&county.token, &path).await;
    assert_eq!(read.status, 200, "{}", read.text());
    assert_eq!(read.json()["region_code"], crate::registry::VILLAGE);

    // The second has seen the county official in good standing (and trusts that for up to
    // its bound); the city official disables them on the first.
    assert_eq!(second.get_as(&county.token, "/api/v1/me").await.status, 200);
    let res = app
        .post_as(
            &city.token,
            &format!("/api/v1/users/{}/disable", county.id),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let refused = app.get_as(&county.token, "/api/v1/me").await;
    assert_eq!(
        refused.assert_problem(401, "unauthorized")["reason"],
        "disabled"
    );
    // Once the second's bound has passed, it refuses the same token too.
    actix_web::rt::time::sleep(Duration::from_millis(1500)).await;
    let refused = second.get_as(&county.token, "/api/v1/me").await;
    assert_eq!(
        refused.assert_problem(401, "unauthorized")["reason"],
        "disabled"
    );
    // And neither instance lets them log in again.
    let login = second
        .post_json(
            "/api/v1/auth/token",
            &[],
            &serde_json::json!({"grant_type": "password", "username": county.username, "password": tests::USER_PASSWORD}),
        )
        .await;
    assert_ne!(login.status, 200, "{}", login.text());
}

/// The import job `id` as an admin reads it.
async fn job(app: &TestApp, admin: &str, id: &str) -> serde_json::Value {
    let res = app.get_as(admin, &format!("/api/v1/imports/{id}")).await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()
}

/// A job as an instance stores it: `running` (started) or `queued`.
fn stored_job(running: bool) -> ImportJob {
    let now = Utc::now();
    let mut job = ImportJob::new(ImportKind::Households, None, None, 1000, now);
    if running {
        job.start("UTF-8", now);
    }
    job
}

async fn a_start_leaves_living_imports_running_and_fails_only_stale_ones(app: TestApp) {
    let admin = app.admin_token().await;
    let pool = persistence::connect(&app.db.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let now = Utc::now().naive_utc();
    let stale = now - TimeDelta::from_std(IMPORT_STALE_AFTER).unwrap() - TimeDelta::seconds(5);
    // The first instance is importing right now (its heartbeat is fresh); an instance that
    // was killed left a running and a queued job whose heartbeats stopped.
    let living = stored_job(true);
    jobs::insert(&mut conn, &living, "instance-1", now).unwrap();
    let dead_running = stored_job(true);
    jobs::insert(&mut conn, &dead_running, "instance-0", stale).unwrap();
    let dead_queued = stored_job(false);
    jobs::insert(&mut conn, &dead_queued, "instance-0", stale).unwrap();
    drop(conn);

    let second = app.another_instance(|_| {}).await;
    let still = job(&second, &admin, &living.id).await;
    assert_eq!(still["status"], "running", "{still}");
    assert_eq!(still["finished_at"], serde_json::Value::Null);
    for dead in [&dead_running, &dead_queued] {
        let failed = job(&second, &admin, &dead.id).await;
        assert_eq!(failed["status"], "failed", "{failed}");
        let message = failed["message"].as_str().unwrap();
        assert!(
            message.contains("server running this import stopped") && message.contains("again"),
            "{message}"
        );
    }

    // The first instance dies: its heartbeat stops, and once it is stale the next start
    // fails the job.
    let mut conn = pool.get().unwrap();
    assert!(jobs::heartbeat(&mut conn, &living.id, "instance-1", stale).unwrap());
    drop(conn);
    let third = app.another_instance(|_| {}).await;
    let failed = job(&third, &admin, &living.id).await;
    assert_eq!(failed["status"], "failed", "{failed}");
    // A late beat of the failed job's instance changes nothing.
    let mut conn = pool.get().unwrap();
    assert!(!jobs::heartbeat(&mut conn, &living.id, "instance-1", now).unwrap());
    assert_eq!(job(&app, &admin, &living.id).await["status"], "failed");
}

/// A real import through the API is stored with the instance running it and a heartbeat.
async fn an_import_names_its_instance_and_beats(app: TestApp) {
    let admin = app.admin_token().await;
    let auth = format!("Bearer {admin}");
    let csv =
        "region_code,registered_year,population,poor_household_count\n210921100203,2014,10,1\n";
    let res = app
        .send(
            actix_web::http::Method::POST,
            "/api/v1/imports?kind=villages",
            &[("authorization", &auth)],
            Some(("text/csv", csv.as_bytes().to_vec())),
        )
        .await;
    assert_eq!(res.status, 202, "{}", res.text());
    let id = res.json()["id"].as_str().unwrap().to_owned();
    let mut done = serde_json::Value::Null;
    for _ in 0..600 {
        done = job(&app, &admin, &id).await;
        if done["status"] != "queued" && done["status"] != "running" {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(done["status"], "succeeded", "{done}");
    let pool = persistence::connect(&app.db.url, 1).unwrap();
    let alive = jobs::liveness(&mut pool.get().unwrap(), &id)
        .unwrap()
        .unwrap();
    let owner = alive.owner.unwrap();
    assert!(
        owner.contains(&format!("/{}/", std::process::id())),
        "{owner}"
    );
    let beat = alive.heartbeat_at.unwrap();
    assert!(beat <= Utc::now().naive_utc(), "{beat}");
}

/// The expiry sweep runs on every instance; two sweeping at the same moment (each on its
/// own connection, released together) expire every overdue need exactly once.
async fn two_instances_sweeping_at_once_expire_each_need_once(app: TestApp) {
    use diesel::prelude::*;
    use persistence::schema::needs as n;

    let p = crate::platform::place(&app, 1).await;
    let mut overdue = Vec::new();
    for _ in 0..5 {
        overdue.push(crate::platform::published_need(&app, &p, 3).await);
    }
    let current = crate::platform::published_need(&app, &p, 3).await;
    let pool = persistence::connect(&app.db.url, 2).unwrap();
    let yesterday = Utc::now().date_naive() - TimeDelta::days(2);
    let mut conn = pool.get().unwrap();
    diesel::update(n::table.filter(n::id.eq_any(&overdue)))
        .set(n::deadline.eq(yesterday))
        .execute(&mut conn)
        .unwrap();
    let versions = |conn: &mut persistence::DbConn| -> Vec<(String, String, i32)> {
        n::table
            .filter(n::id.eq_any(overdue.iter().chain([&current])))
            .select((n::id, n::status, n::version))
            .order(n::id)
            .load(conn)
            .unwrap()
    };
    let before = versions(&mut conn);
    drop(conn);

    let swept = {
        let pool = pool.clone();
        actix_web::rt::task::spawn_blocking(move || {
            let start = std::sync::Barrier::new(2);
            std::thread::scope(|s| {
                let sweeps: Vec<_> = (0..2)
                    .map(|_| {
                        let mut conn = pool.get().unwrap();
                        let start = &start;
                        s.spawn(move || {
                            start.wait();
                            api::service::platform::needs::expire_overdue(&mut conn).unwrap()
                        })
                    })
                    .collect();
                sweeps
                    .into_iter()
                    .map(|t| t.join().unwrap())
                    .collect::<Vec<_>>()
            })
        })
        .await
        .unwrap()
    };
    assert_eq!(swept.iter().sum::<usize>(), overdue.len(), "{swept:?}");
    let after = versions(&mut pool.get().unwrap());
    for ((id, status, version), (_, _, was)) in after.iter().zip(&before) {
        if *id == current {
            assert_eq!((status.as_str(), *version), ("published", *was), "{id}");
        } else {
            assert_eq!(status, "expired", "{id}");
            assert_eq!(*version, was + 1, "{id} expired once");
        }
    }
    // A sweep with nothing left to expire changes nothing.
    let again = api::service::platform::needs::expire_overdue(&mut pool.get().unwrap()).unwrap();
    assert_eq!(again, 0);
}
