//! `junkai serve`: the HTTP service for planners, residents and drivers (axum on tokio,
//! SQLite through sqlx). Handlers are thin: they read the store, run the shared planning
//! pipeline in the background, and convert with the same writers as the CLI.

pub mod answers;
pub mod auth;
pub(crate) mod changes;
pub mod config;
pub(crate) mod crew_records;
mod driver;
pub mod error;
mod follow_ups;
mod jobs;
pub mod openapi;
pub mod pages;
pub(crate) mod plan_routes;
pub(crate) mod planner;
pub(crate) mod planning;
pub mod public;
mod remote;
mod report;
pub mod request_status;
pub mod store;
mod unserved;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::io::data_folder::{load_boundary, load_documents};
use crate::io::roads::boundary_polygons;
use crate::lang::Lang;
pub use config::ServeConfig;
use jobs::Jobs;
use store::Store;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<ServeConfig>,
    pub store: Store,
    pub jobs: Arc<Jobs>,
    /// The city boundary for the pages' maps, if the data has one.
    pub boundary: Option<Arc<geojson::GeoJson>>,
    /// The same boundary as polygons, for the warning on places far outside it.
    pub area: Option<Arc<geo::MultiPolygon<f64>>>,
    /// The public routes' snapshot of stops and the published timetable.
    pub public: Arc<std::sync::RwLock<Option<Arc<public::PublicSnapshot>>>>,
    /// Failed sign-ins per client address.
    pub throttle: Arc<auth::throttle::AddressThrottle>,
    /// The sign-in lock of names without an account.
    pub unknown_names: Arc<auth::throttle::UnknownNames>,
    /// Online applications per client address (an hour's window).
    pub applications: Arc<auth::throttle::AddressThrottle>,
    /// Failed status checks ("my request") per client address (an hour's window).
    pub lookups: Arc<auth::throttle::AddressThrottle>,
    /// Failed status checks per request number (an hour's window; never a pause, a delay).
    pub failed_numbers: Arc<auth::throttle::AddressThrottle>,
    /// Status checks of one number take turns.
    pub status_turns: Arc<auth::throttle::Turns>,
    /// The pages' Content-Security-Policy (images also from the map's tile server).
    pub content_policy: axum::http::HeaderValue,
    /// The database's exclusive lock: one server per database.
    _lock: Arc<std::fs::File>,
}

/// Wrong number-and-digits answers from one address in an hour before it must wait.
const LOOKUP_FAILURES_PER_HOUR: usize = 10;

impl AppState {
    /// Opens the database (creating, migrating and importing the data set on first start).
    pub async fn open(config: ServeConfig) -> anyhow::Result<AppState> {
        // Before anything is written: a second server on the same database stops here and
        // leaves the running one's solves alone.
        let lock = Arc::new(store::backup::lock(&config.db)?);
        let store = Store::open(&config.db, config.clock.clone()).await?;
        let problems = |d: Vec<crate::diagnostics::Diagnostic>| {
            anyhow::anyhow!(d.iter().map(|d| d.render(Lang::En)).collect::<Vec<_>>().join("\n"))
        };
        let docs = load_documents(config.data.as_deref()).map_err(problems)?;
        // A new database takes only a data set that passes the checks (`junkai check`).
        if !store.has_dataset().await? {
            let today = config.clock.today();
            crate::io::problem_file::parse(&docs, crate::io::problem_file::HorizonChoice::from_file(today))
                .map_err(problems)?;
        }
        if store.import_if_empty(&docs).await? {
            tracing::info!(label = %docs.problem.0, "imported the data set into a new database");
        }
        let interrupted = store.fail_interrupted().await?;
        if interrupted > 0 {
            tracing::warn!(interrupted, "solves interrupted by the last shutdown were marked failed");
        }
        let jobs = Arc::new(Jobs::new(config.max_concurrent_solves));
        let boundary: Option<Arc<geojson::GeoJson>> =
            load_boundary(config.data.as_deref()).and_then(|text| text.parse().ok()).map(Arc::new);
        let area = boundary.as_deref().and_then(|g| boundary_polygons(g, "boundary.geojson").ok()).map(Arc::new);
        let throttle =
            Arc::new(auth::throttle::AddressThrottle::new(config.address_failures, config.lock_for.as_secs() as i64));
        let hourly = |n: usize| Arc::new(auth::throttle::AddressThrottle::new(n, 3600));
        let (applications, lookups) = (hourly(config.applications_per_hour), hourly(LOOKUP_FAILURES_PER_HOUR));
        let unknown_names =
            Arc::new(auth::throttle::UnknownNames::new(config.lock_after_failures, config.lock_for.as_secs() as i64));
        Ok(AppState {
            failed_numbers: hourly(usize::MAX),
            status_turns: Arc::default(),
            applications,
            unknown_names,
            lookups,
            content_policy: content_policy(&config),
            config: Arc::new(config),
            store,
            jobs,
            boundary,
            area,
            public: Arc::default(),
            throttle,
            _lock: lock,
        })
    }
}

impl AppState {
    /// What the pages' maps draw under their routes: the boundary and the tile server.
    pub fn backdrop(&self) -> pages::svg_map::Backdrop<'_> {
        pages::svg_map::Backdrop { boundary: self.boundary.as_deref(), tiles: self.config.map_tiles.as_deref() }
    }
}

/// The language asked for in the query (`?lang=en|ja`).
fn query_lang(req: &Request) -> Option<Lang> {
    let query = req.uri().query().unwrap_or_default();
    query.split('&').find_map(|p| match p {
        "lang=en" => Some(Lang::En),
        "lang=ja" => Some(Lang::Ja),
        _ => None,
    })
}

/// Name of the cookie that keeps the pages' language switch.
const LANG_COOKIE: &str = "junkai_lang";

/// The language of a request. API: `?lang=`, else `Accept-Language` (English when it
/// prefers `en`), else Japanese. Pages are Japanese first: `?lang=`, else the switch's
/// cookie, else Japanese.
pub fn request_lang(req: &Request) -> Lang {
    if let Some(lang) = query_lang(req) {
        return lang;
    }
    let header = |name| req.headers().get(name).and_then(|v: &axum::http::HeaderValue| v.to_str().ok()).unwrap_or("");
    if req.uri().path().starts_with("/api/") {
        let accept = header(axum::http::header::ACCEPT_LANGUAGE);
        return if accept.trim_start().to_ascii_lowercase().starts_with("en") { Lang::En } else { Lang::Ja };
    }
    let cookies = header(axum::http::header::COOKIE);
    let english = cookies.split(';').any(|c| c.trim() == format!("{LANG_COOKIE}=en"));
    if english { Lang::En } else { Lang::Ja }
}

async fn with_lang(State(_): State<AppState>, req: Request, next: Next) -> Response {
    let lang = request_lang(&req);
    let api = req.uri().path().starts_with("/api/");
    let switched = !api && query_lang(&req).is_some();
    let accept = req.headers().get(axum::http::header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let browser = !api && accept.contains("text/html");
    let mut response = error::LANG.scope(lang, next.run(req)).await;
    if switched {
        let code = if lang == Lang::En { "en" } else { "ja" };
        if let Ok(v) = format!("{LANG_COOKIE}={code}; Path=/; SameSite=Lax; Max-Age=31536000").parse() {
            response.headers_mut().append(axum::http::header::SET_COOKIE, v);
        }
    }
    if api {
        uniform_error(response, lang).await
    } else if browser {
        pages::error_page(response, lang).await
    } else {
        response
    }
}

/// Rewrites error answers that did not come from [`error::ApiError`] (a malformed JSON
/// body or query, a body over the size limit, a wrong method, a time-out) into the one
/// `{code, message, hint}` shape. A body of the wrong shape (the framework's 422) is a
/// malformed request like any other: 400 `A400`; 422 stays for data that breaks the rules.
async fn uniform_error(response: Response, lang: Lang) -> Response {
    if error::error_is_json(&response) != Some(false) {
        return response;
    }
    let status = match response.status() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY => axum::http::StatusCode::BAD_REQUEST,
        other => other,
    };
    let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024).await.unwrap_or_default();
    let detail = String::from_utf8_lossy(&bytes).into_owned();
    error::ApiError::from_status(status, &detail).render(lang)
}

/// The Content-Security-Policy: only this origin's stylesheet and script (no inline
/// script, no framing, forms only to this origin); images also from the tile server.
fn content_policy(config: &ServeConfig) -> axum::http::HeaderValue {
    let policy = |tiles: &str| {
        format!(
            "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; manifest-src 'self'; \
             worker-src 'self'; img-src 'self' data:{tiles}; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        )
    };
    let tiles = config.map_tiles_origin().map(|o| format!(" {o}")).unwrap_or_default();
    // The origin was checked at load (visible ASCII, no quotes or semicolons), so the first
    // always holds; the second keeps the service strict if it ever did not.
    axum::http::HeaderValue::from_str(&policy(&tiles))
        .or_else(|_| axum::http::HeaderValue::from_str(&policy("")))
        .unwrap_or(axum::http::HeaderValue::from_static("default-src 'none'"))
}

/// Headers on every answer: the Content-Security-Policy above, and
/// the usual hardening headers; HSTS when the service is reached over https.
async fn security_headers(State(s): State<AppState>, req: Request, next: Next) -> Response {
    use axum::http::{HeaderValue, header};
    let path = req.uri().path();
    // Staff pages and the private API may show passwords, tokens or residents: never cached.
    let private = ["/login", "/logout", "/account", "/admin", "/planner", "/driver", "/remote"]
        .iter()
        .any(|p| path.starts_with(p))
        || (path.starts_with("/api/") && !path.starts_with("/api/public/"));
    let mut response = next.run(req).await;
    if private {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, s.content_policy.clone());
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"));
    if s.config.secure_cookies() {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    response
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
}

/// The whole application with `extra` routes under the same layers (tests add routes that
/// misbehave, to show what the layers make of them).
pub fn router_with(state: AppState, extra: Router<AppState>) -> Router {
    let limits = (
        RequestBodyLimitLayer::new(state.config.max_body_bytes),
        TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, state.config.request_timeout),
    );
    Router::new()
        .merge(public::routes())
        .merge(planner::routes())
        .merge(plan_routes::routes())
        .merge(driver::routes())
        .merge(crew_records::routes())
        .merge(follow_ups::routes())
        .merge(report::routes())
        .merge(remote::routes())
        .merge(pages::routes())
        .route("/api/openapi.json", axum::routing::get(openapi::document))
        .merge(extra)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), auth::authenticate))
        .layer(limits)
        .layer(CatchPanicLayer::custom(panic_answer))
        .layer(middleware::from_fn_with_state(state.clone(), with_lang))
        .layer(middleware::from_fn_with_state(state.clone(), security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// A handler that panicked: a logged 500 in the error shape, never a dropped connection.
fn panic_answer(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a handler panicked");
    error::ApiError::internal(&format!("handler panicked: {detail}")).render(error::current_lang())
}

async fn not_found() -> error::ApiError {
    error::ApiError::not_found("ページ", "page")
}

/// Serves until Ctrl-C or SIGTERM, then lets running requests finish.
pub async fn serve(config: ServeConfig, lang: Lang) -> anyhow::Result<()> {
    let bind = config.bind.clone();
    let state = AppState::open(config).await?;
    if state.store.users().await?.is_empty() {
        let msg = match lang {
            Lang::Ja => {
                "スタッフのアカウントがありません。最初の管理者を junkai users add 名前 --role admin で作ってください"
            }
            Lang::En => "no staff account yet: create the first admin with `junkai users add NAME --role admin`",
        };
        tracing::warn!("{msg}");
    }
    let listener = tokio::net::TcpListener::bind(&bind).await?;
    tracing::info!(address = %listener.local_addr()?, "junkai serve: listening");
    tokio::spawn(purge_daily(state.clone()));
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
    tracing::info!("junkai serve: stopped");
    Ok(())
}

/// Erases expired personal data and sessions at start and then every hour (cheap when
/// there is none; the date, not the hour, decides what personal data expires).
async fn purge_daily(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        let (idle, max) = (state.config.session_idle.as_secs() as i64, state.config.session_max.as_secs() as i64);
        if let Err(e) = state.store.delete_expired_sessions(idle, max).await {
            tracing::error!(error = %e, "removing expired sessions failed");
        }
        match state.store.purge(state.config.retention_days, false, "system").await {
            Ok(r) if !r.erased_nothing() => {
                tracing::info!(requests = r.requests.len(), days = r.itinerary_days, applications = r.applications,
                    cancellations = r.cancellations, cutoff = %r.cutoff, "personal data erased");
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "purging personal data failed"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received");
}
