//! Building the application: database preparation (migrations, reference data), the actix
//! app with its middleware and routes, and the HTTP server.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, scope};
use utoipa_swagger_ui::SwaggerUi;

use persistence::crypto::DataKeys;

use crate::auth::jwt::TokenIssuer;
use crate::http::head::head_as_get;
use crate::http::known_paths::KnownPaths;
use crate::http::metrics::Metrics;
use crate::http::rate_limit::{LoginLimiter, RequestLimiter, rate_limit};
use crate::http::security_headers::security_headers;
use crate::http::text::refuse_control_characters;
use crate::http::{
    extract, idempotency::idempotency, problem::problem_details, request_id::request_context,
};
use crate::openapi::ApiDoc;
use crate::routes;
use crate::settings::Settings;
use crate::state::AppState;

/// Connects, migrates and loads reference data: everything before the first request.
pub fn prepare(settings: &Settings) -> Result<AppState, String> {
    // Everything that can be refused without the database is checked first: a bad secret
    // must not leave a migrated database or a created admin behind.
    let tokens = TokenIssuer::from_config(&settings.jwt, &settings.data_dir)?;
    let data_keys = DataKeys::from_settings(
        settings.data_key.as_deref(),
        settings.data_index_key.as_deref(),
        &settings.data_dir,
    )
    .map_err(|e| e.to_string())?;
    let poverty_lines = match settings.poverty_lines.as_deref() {
        Some(v) => domain::registry::PovertyLines::parse(v)
            .map_err(|e| format!("FUPIN_POVERTY_LINES: {}", e.message_en))?,
        None => domain::registry::PovertyLines::default(),
    };
    let metrics = Metrics::new().map_err(|e| e.to_string())?;
    let pool = persistence::connect(&settings.database_url, settings.pool_size)
        .map_err(|e| e.to_string())?;
    let mut conn = pool
        .get()
        .map_err(|e| format!("cannot get a database connection: {e}"))?;
    let applied =
        persistence::migrations::run_pending(&mut conn, &data_keys).map_err(|e| e.to_string())?;
    if !applied.is_empty() {
        tracing::info!(migrations = ?applied, "applied migrations");
    }
    if let Some(n) = persistence::region::load_reference(&mut conn).map_err(|e| e.to_string())? {
        tracing::info!(regions = n, "loaded the embedded Liaoning divisions");
    }
    crate::bootstrap::admin(&mut conn, &data_keys, settings)?;
    drop(conn);
    // Only the imports of stopped instances: another instance on this database may be
    // running its own, and its heartbeat says so.
    let failed =
        crate::service::registry::imports::fail_stale(&mut *pool.get().map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    if failed > 0 {
        tracing::info!(jobs = failed, "failed the imports of stopped instances");
    }
    let swept = crate::service::registry::imports::sweep_spool(&settings.data_dir)?;
    if swept > 0 {
        tracing::info!(
            files = swept,
            "removed the spool files of interrupted imports"
        );
    }
    Ok(AppState {
        poverty_lines,
        data_dir: settings.data_dir.clone(),
        public_needs: Default::default(),
        standing: crate::auth::standing::Standing::new(settings.standing_recheck),
        donation_max_age_days: settings.donation_max_age_days,
        metrics_token: settings.metrics_token.as_deref().map(Arc::from),
        instance: crate::instance::new_id(),
        pool,
        metrics,
        tokens: Arc::new(tokens),
        data_keys: Arc::new(data_keys),
        request_limiter: Arc::new(
            RequestLimiter::with_key_fn(settings.rate_limit_per_minute, rate_limit_key)
                .trusting(settings.trusted_proxies.clone()),
        ),
        login_limiter: Arc::new(LoginLimiter::new(
            settings.login_limit_per_account,
            LoginLimiter::DEFAULT_ACCOUNT_WINDOW,
            settings.login_limit_per_address,
        )),
        trusted_proxies: Arc::new(settings.trusted_proxies.clone()),
    })
}

/// Rate-limit key of a request: the verified token's subject (with a client's raised
/// limit); `None` (counted by address) for anonymous requests and tokens that fail.
fn rate_limit_key(req: &actix_web::dev::ServiceRequest) -> Option<(String, Option<u32>)> {
    let state = req.app_data::<web::Data<AppState>>()?;
    let token = crate::auth::caller::bearer(req.headers())?.ok()?;
    let claims = state.tokens.verify(token).ok()?;
    let kind = match claims.kind {
        crate::auth::jwt::SubjectKind::User => "user",
        crate::auth::jwt::SubjectKind::Client => "client",
    };
    let key = (format!("{kind}:{}", claims.sub), claims.rl);
    // The caller extractor reuses this verification instead of repeating it.
    actix_web::HttpMessage::extensions_mut(req).insert(crate::auth::caller::Verified(claims));
    Some(key)
}

/// The documented routes, with the OpenAPI document they produce.
fn documented_app() -> utoipa_actix_web::UtoipaApp<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::operations::configure)
        .service(scope("/api/v1").configure(routes::api_v1))
}

/// The OpenAPI document, exactly as the server serves it at `/openapi.json`.
pub fn documented_routes() -> utoipa::openapi::OpenApi {
    documented_app().split_for_parts().1
}

/// Starts serving on `listener`. Stops gracefully on SIGTERM or SIGINT: in-flight requests
/// are finished (up to 30 s) before the process exits.
pub fn serve(state: AppState, listener: TcpListener) -> std::io::Result<Server> {
    let limiter = web::Data::from(state.request_limiter.clone());
    let state = web::Data::new(state);
    actix_web::rt::spawn(crate::jobs::expire_overdue_needs(state.clone()));
    actix_web::rt::spawn(crate::jobs::fail_stale_imports(state.clone()));
    let known_paths = web::Data::new(KnownPaths::from_openapi(&documented_routes()));
    let server = HttpServer::new(move || {
        let (app, api) = documented_app().split_for_parts();
        app.app_data(state.clone())
            .app_data(limiter.clone())
            .app_data(known_paths.clone())
            .app_data(extract::json_config())
            .app_data(extract::query_config())
            .app_data(extract::path_config())
            .app_data(web::PayloadConfig::default().limit(extract::JSON_LIMIT))
            .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", api))
            .route(
                "/docs",
                web::get().to(|| async {
                    HttpResponse::PermanentRedirect()
                        .insert_header(("Location", "/docs/"))
                        .finish()
                }),
            )
            .default_service(web::to(extract::unknown_route))
            // Outermost last: request id and logs around everything; problems rendered both
            // inside the idempotency layer (so stored answers are final) and outside it;
            // request text checked before any handler or extractor reads it.
            .wrap(from_fn(refuse_control_characters))
            .wrap(from_fn(head_as_get))
            .wrap(from_fn(problem_details))
            .wrap(from_fn(idempotency))
            .wrap(from_fn(rate_limit))
            .wrap(from_fn(problem_details))
            .wrap(from_fn(security_headers))
            .wrap(Compress::default())
            .wrap(from_fn(request_context))
    })
    .shutdown_timeout(30)
    .listen(listener)?
    .run();
    Ok(server)
}
