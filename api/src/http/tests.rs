//! The conventions wired exactly as the server wires them, around a small JSON echo route,
//! on a real SQLite database (the idempotency store needs one).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::middleware::from_fn;
use actix_web::test::{self, TestRequest};
use actix_web::{App, HttpResponse, web};

use crate::http::{
    extract, idempotency::idempotency, problem::problem_details, request_id::request_context,
};
use crate::settings::{LogFormat, Settings};
use crate::state::AppState;

fn state() -> AppState {
    let dir = std::env::temp_dir().join(format!("fupin-api-test-{}", uuid::Uuid::now_v7()));
    let settings = Settings {
        database_url: format!("sqlite://{}", dir.join("t.db").display()),
        bind: String::new(),
        log: "off".into(),
        log_format: LogFormat::Pretty,
        pool_size: 4,
        data_dir: dir.clone(),
        admin_password: Some("admin-Secret-2026".into()),
        rate_limit_per_minute: 0,
        ..Settings::default()
    };
    crate::startup::prepare(&settings).expect("prepare")
}

#[derive(serde::Deserialize)]
struct Echo {
    #[expect(
        dead_code,
        reason = "only its type matters: a wrong type must be a 422"
    )]
    n: u32,
}

macro_rules! app {
    ($counter:expr) => {{
        let counter: Arc<AtomicUsize> = $counter;
        test::init_service(
            App::new()
                .app_data(web::Data::new(state()))
                .app_data(extract::json_config())
                .app_data(extract::query_config())
                .route(
                    "/echo",
                    web::post().to(move |body: web::Json<serde_json::Value>| {
                        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                        async move { HttpResponse::Created().insert_header(("Location", format!("/echo/{n}"))).json(serde_json::json!({"call": n, "got": body.into_inner()})) }
                    }),
                )
                .route("/typed", web::post().to(|_: web::Json<Echo>| async { HttpResponse::Ok().finish() }))
                .default_service(web::to(extract::unknown_route))
                .wrap(from_fn(problem_details))
                .wrap(from_fn(idempotency))
                .wrap(from_fn(problem_details))
                .wrap(from_fn(request_context)),
        )
        .await
    }};
}

async fn problem<B: actix_web::body::MessageBody>(
    res: actix_web::dev::ServiceResponse<B>,
) -> (u16, serde_json::Value) {
    let status = res.status().as_u16();
    assert_eq!(
        res.headers().get("content-type").unwrap(),
        "application/problem+json"
    );
    (status, test::read_body_json(res).await)
}

#[actix_web::test]
async fn framework_errors_are_problems() {
    let app = app!(Arc::default());
    let bad_json = TestRequest::post()
        .uri("/echo")
        .insert_header(("content-type", "application/json"))
        .set_payload("{\"a\":")
        .to_request();
    let (status, p) = problem(test::call_service(&app, bad_json).await).await;
    assert_eq!((status, p["code"].as_str()), (400, Some("bad_request")));
    assert_eq!(p["instance"], "/echo");

    let wrong_type = TestRequest::post()
        .uri("/echo")
        .insert_header(("content-type", "text/plain"))
        .set_payload("{}")
        .to_request();
    let (status, p) = problem(test::call_service(&app, wrong_type).await).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (415, Some("unsupported_media_type"))
    );

    let big = format!("{{\"x\":\"{}\"}}", "a".repeat(extract::JSON_LIMIT + 10));
    let too_large = TestRequest::post()
        .uri("/echo")
        .insert_header(("content-type", "application/json"))
        .set_payload(big)
        .to_request();
    let (status, p) = problem(test::call_service(&app, too_large).await).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (413, Some("payload_too_large"))
    );

    let typed = TestRequest::post()
        .uri("/typed")
        .set_json(serde_json::json!({"n": "seven"}))
        .to_request();
    let (status, p) = problem(test::call_service(&app, typed).await).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (422, Some("validation_failed"))
    );
    assert_eq!(p["errors"][0]["field"], "body");

    let en = TestRequest::get()
        .uri("/nowhere")
        .insert_header(("accept-language", "en"))
        .to_request();
    let (status, p) = problem(test::call_service(&app, en).await).await;
    assert_eq!((status, p["title"].as_str()), (404, Some("Not found")));
}

#[actix_web::test]
async fn idempotency_key_replays_the_first_response() {
    let calls = Arc::new(AtomicUsize::new(0));
    let app = app!(calls.clone());
    let send = |key: &str, body: serde_json::Value| {
        TestRequest::post()
            .uri("/echo")
            .insert_header(("idempotency-key", key.to_owned()))
            .set_json(body)
            .to_request()
    };
    let first = test::call_service(&app, send("k-1", serde_json::json!({"a": 1}))).await;
    assert_eq!(first.status(), 201);
    assert_eq!(first.headers().get("location").unwrap(), "/echo/1");
    let first_body: serde_json::Value = test::read_body_json(first).await;

    let replay = test::call_service(&app, send("k-1", serde_json::json!({"a": 1}))).await;
    assert_eq!(replay.status(), 201);
    assert_eq!(
        replay.headers().get("idempotency-replayed").unwrap(),
        "true"
    );
    assert_eq!(replay.headers().get("location").unwrap(), "/echo/1");
    let replay_body: serde_json::Value = test::read_body_json(replay).await;
    assert_eq!(replay_body, first_body);
    assert_eq!(calls.load(Ordering::SeqCst), 1, "the handler ran once");

    let (status, p) =
        problem(test::call_service(&app, send("k-1", serde_json::json!({"a": 2}))).await).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (422, Some("idempotency_key_reused"))
    );

    // Another caller's identical key is its own.
    let other = TestRequest::post()
        .uri("/echo")
        .insert_header(("idempotency-key", "k-1"))
        .insert_header(("authorization", "Bearer someone-else"))
        .set_json(serde_json::json!({"a": 1}))
        .to_request();
    assert_eq!(test::call_service(&app, other).await.status(), 201);
    assert_eq!(calls.load(Ordering::SeqCst), 2);

    let (status, _) =
        problem(test::call_service(&app, send(&"k".repeat(300), serde_json::json!({}))).await)
            .await;
    assert_eq!(status, 400);
}
