//! The Labor Plaza server: configuration, the HTTP application (Leptos pages, server functions,
//! the open-data API, generated media) and the subcommands.

pub mod api;
pub mod changes;
pub mod config;
pub mod database;
pub mod forms;
pub mod handlers;
pub mod health;
pub mod media;
pub mod memory;
pub mod page_cache;
pub mod scheduler;
pub mod security;
pub mod sitemap;
pub mod stats;
pub mod uploads;
pub mod wall;

use std::sync::Arc;

use app::{page_shell, shell, state::AppState, App};
use axum::{
    extract::{DefaultBodyLimit, Path, Query},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::{
    compression::predicate::{DefaultPredicate, NotForContentType, Predicate},
    compression::CompressionLayer,
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
};

/// Memory for rendered pages (compressed): the wall in two languages and encodings is ~0.6 MB,
/// a profile ~2 KB compressed.
pub const PAGE_CACHE_BYTES: usize = 24 << 20;

/// The pages' router state: Leptos puts it in every page's context, so it is one reference count
/// to clone rather than the options' six.
#[derive(Clone)]
struct SiteOptions(Arc<LeptosOptions>);

impl axum::extract::FromRef<SiteOptions> for LeptosOptions {
    fn from_ref(site: &SiteOptions) -> Self {
        (*site.0).clone()
    }
}

/// Builds the whole application for a loaded state.
pub fn router(
    state: AppState,
    options: LeptosOptions,
    proxies: security::TrustedProxies,
) -> Router {
    let routes = generate_route_list(App);
    let pkg_dir = format!("{}/{}", options.site_root, options.site_pkg_dir);
    let state = state.with_page_version(&site_version(&options.site_root, &pkg_dir));
    let context_state = state.clone();
    let site = SiteOptions(Arc::new(options.clone()));
    let pages = Router::new()
        .leptos_routes_with_context(
            &site,
            routes,
            move || provide_context(context_state.clone()),
            {
                // Worked out once: a page clones neither the options nor the loader's paths.
                let paths = app::components::islands_loader::LoaderPaths::of(&options);
                move || page_shell(paths)
            },
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            SiteOptions,
            _,
        >(
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            shell,
        ))
        .with_state(site)
        // Server functions read their whole body themselves (no axum extractor, so the default
        // body limit does not reach them): the stream itself is cut at the forms' limit.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            FORM_BODY_BYTES,
        ));

    let request_ids = security::RequestIds::default();
    let cache_state = page_cache::CacheState {
        cache: Arc::new(page_cache::PageCache::new(PAGE_CACHE_BYTES)),
        app: state.clone(),
        request_ids: request_ids.clone(),
        proxies: proxies.clone(),
    };
    let extras = Router::new()
        .route("/laureates/{id}/qr.svg", get(media::qr_code))
        .route("/wall/{section}/{stone}/names", get(wall::stone_names))
        .route("/sitemap.xml", get(sitemap::sitemap))
        .route("/stats/{file}", get(stats::chart_csv))
        .route("/robots.txt", get(sitemap::robots))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/media/portraits/{file}", get(media::portrait))
        .route("/lang/{code}", get(switch_language))
        .route(
            "/admin/login",
            post(handlers::sessions::login).layer(DefaultBodyLimit::max(LOGIN_BODY_BYTES)),
        )
        .route(
            "/admin/logout",
            axum::routing::post(handlers::sessions::logout),
        )
        .route("/admin/audit.csv", get(handlers::audit::audit_csv))
        .route(
            "/admin/users/{id}/disable",
            axum::routing::post(handlers::accounts::disable_account),
        )
        .route(
            "/admin/users/{id}/enable",
            axum::routing::post(handlers::accounts::enable_account),
        )
        .route(
            "/admin/users/{id}/end-sessions",
            axum::routing::post(handlers::accounts::end_account_sessions),
        )
        .route(
            "/admin/users",
            // Renders the page that shows the new account's secrets as its own answer.
            post(handlers::accounts::create_account).layer(axum::Extension(options.clone())),
        )
        .route(
            "/admin/kiosks",
            // Renders the page that shows the new kiosk's secret as its own answer.
            post(handlers::kiosks::register).layer(axum::Extension(options.clone())),
        )
        .route(
            "/kiosk/{id}/heartbeat",
            post(handlers::kiosks::heartbeat).layer(DefaultBodyLimit::max(KIOSK_BODY_BYTES)),
        )
        .route("/admin/nominations", post(handlers::nominations::create))
        .route(
            "/admin/nominations/{id}",
            post(handlers::nominations::update),
        )
        .route(
            "/admin/nominations/{id}/actions",
            post(handlers::nominations::act),
        )
        .route(
            "/admin/nominations/{id}/attachments",
            post(handlers::attachments::upload).layer(DefaultBodyLimit::max(
                (app::domain::attachments::MAX_UPLOAD_BYTES + (1 << 20)) as usize,
            )),
        )
        .route(
            "/admin/attachments/{id}",
            get(handlers::attachments::download),
        )
        .route(
            "/admin/attachments/{id}/delete",
            post(handlers::attachments::delete_attachment),
        )
        .route(
            "/admin/objections/{id}/resolve",
            post(handlers::notices::resolve_objection),
        )
        .route(
            "/admin/checks/{id}",
            post(handlers::nominations::decide_check),
        )
        .route("/admin/settings", post(handlers::settings::save_settings))
        .route(
            "/admin/imports",
            // Answered with the report page rendered for this upload.
            post(handlers::imports::upload).layer(
                tower::ServiceBuilder::new()
                    .layer(DefaultBodyLimit::max(
                        app::import::service::MAX_UPLOAD_BYTES + (1 << 20),
                    ))
                    .layer(axum::Extension(options.clone())),
            ),
        )
        .route("/admin/imports/{id}/undo", post(handlers::imports::undo))
        .route("/admin/records.xlsx", get(handlers::imports::export_xlsx))
        .route("/admin/records.csv", get(handlers::imports::export_csv))
        .route("/admin/errata.csv", get(handlers::errata::errata_csv))
        .route(
            "/admin/monuments/{code}/cut",
            post(handlers::settings::record_cutting),
        )
        .route(
            "/admin/batches/{id}/publish",
            post(handlers::settings::publish_batch),
        )
        .route(
            "/notices/{id}/objections",
            post(handlers::notices::file_objection)
                .layer(DefaultBodyLimit::max(OBJECTION_BODY_BYTES)),
        )
        .with_state(state.clone());

    Router::new()
        .nest_service("/api/v1", api::router(state.clone()))
        .nest_service(
            "/pkg",
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=600"),
                ))
                .service(
                    ServeDir::new(pkg_dir)
                        .precompressed_br()
                        .precompressed_gzip(),
                ),
        )
        .merge(extras)
        .merge(pages)
        // One stack, outermost first, applied once: every `Router::layer` of its own boxes the
        // routes again, and that box is cloned and dropped for every request.
        .layer(
            tower::ServiceBuilder::new()
                // A kept page is answered before anything else runs. It was kept with the answer
                // every layer below made (security headers included, compressed once per
                // encoding); a page that could differ per visitor is never kept (see
                // `page_cache`).
                .layer(axum::middleware::from_fn_with_state(
                    cache_state,
                    page_cache::middleware,
                ))
                // The id is set before the trace span is made from it.
                .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(
                    request_ids,
                ))
                .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
                .layer(
                    tower_http::trace::TraceLayer::new_for_http()
                        .make_span_with(security::request_span),
                )
                .layer(axum::middleware::from_fn_with_state(
                    security::Edge {
                        proxies,
                        app: state.clone(),
                    },
                    security::edge,
                ))
                // Every form and server function is small; the routes above that need more say so.
                .layer(DefaultBodyLimit::max(FORM_BODY_BYTES))
                // tower-http's default level: brotli 4 (not the brotli crate's 11, which costs
                // seconds for a large document that a request can keep out of the page cache),
                // gzip 6. An Excel workbook is a zip already: compressing it again costs CPU for
                // nothing.
                .layer(CompressionLayer::new().br(true).gzip(true).compress_when(
                    DefaultPredicate::new().and(NotForContentType::const_new(
                        "application/vnd.openxmlformats",
                    )),
                ))
                .layer(axum::middleware::from_fn(finish_answer)),
        )
}

/// Request bodies: a nomination form with its three long texts fits in 64 KiB; sign-in and
/// objections need far less.
pub const FORM_BODY_BYTES: usize = 64 << 10;
pub const LOGIN_BODY_BYTES: usize = 4 << 10;
pub const OBJECTION_BODY_BYTES: usize = 16 << 10;
/// A kiosk's heartbeat: a few short fields, an error message of at most 500 characters and at
/// most 50 search counts of 40 characters each.
pub const KIOSK_BODY_BYTES: usize = 16 << 10;

/// The answer as it leaves the application, before it is compressed: a server function's error
/// gets its own status, and a page loses Leptos' empty inline scripts.
async fn finish_answer(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let server_fn = req.uri().path().starts_with("/fn/");
    let response = next.run(req).await;
    if server_fn {
        server_fn_status(response).await
    } else {
        security::strip_inline_scripts(response).await
    }
}

/// Server functions answer every error with 500; this gives each its own status, from the one
/// mapping in `AppError::status` (a refusal 403, bad arguments 400, unknown objects 404, …).
async fn server_fn_status(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "error").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status = error.status();
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

#[derive(serde::Deserialize)]
struct LangQuery {
    next: Option<String>,
}

/// Sets the language cookie and goes back to the page the visitor came from.
async fn switch_language(Path(code): Path<String>, Query(q): Query<LangQuery>) -> Response {
    let Some(lang) = app::i18n::Lang::parse(&code) else {
        return (StatusCode::BAD_REQUEST, "unknown language").into_response();
    };
    // Only a path on this site: never an open redirect.
    let next = q
        .next
        .as_deref()
        .and_then(app::domain::local_path::LocalPath::parse)
        .map_or_else(|| "/".to_string(), |p| p.as_str().to_string());
    let mut headers = HeaderMap::new();
    let cookie = format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        headers.insert(header::SET_COOKIE, value);
    }
    (headers, Redirect::to(&next)).into_response()
}

/// Opens the database, migrates it, loads the demo data into an empty one when asked, and loads
/// the catalogue (what the tests start).
pub async fn prepare_state(database_url: &str, seed_if_empty: bool) -> anyhow::Result<AppState> {
    let db = database::open(database_url, database::Migrations::Apply).await?;
    load_state(db, seed_if_empty).await
}

/// A hash of the scripts, styles and WebAssembly the browser loads (the site's root and its
/// package folder), so a kiosk can tell that a new release is served. Without a built site (the
/// tests) it is the crate's version.
fn site_version(site_root: &str, pkg_dir: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut files: Vec<std::path::PathBuf> = [site_root, pkg_dir]
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "js" || e == "wasm" || e == "css")
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return env!("CARGO_PKG_VERSION").to_string();
    }
    let mut hash = Sha256::new();
    for file in files {
        // Names relative to the site's root: instances installed in other folders agree.
        let name = file.strip_prefix(site_root).unwrap_or(&file);
        hash.update(name.to_string_lossy().as_bytes());
        hash.update(std::fs::read(&file).unwrap_or_default());
    }
    let digest = hash.finalize();
    format!(
        "{}-{}",
        env!("CARGO_PKG_VERSION"),
        digest[..6]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

/// Loads the demo data into an empty database when asked, then the catalogue.
pub async fn load_state(db: app::db::Stores, seed_if_empty: bool) -> anyhow::Result<AppState> {
    if seed_if_empty && db.catalogue.count_people().await? == 0 {
        tracing::info!("empty database: loading the demo data");
        let data = tokio::task::spawn_blocking(|| {
            app::import::demo::generate(app::import::demo::DEFAULT_SEED)
        })
        .await?;
        db.catalogue.replace_all(&data).await?;
    }
    let uploads = config::uploads_dir();
    uploads::clean_unfinished_uploads(&uploads);
    #[cfg_attr(not(feature = "test-clock"), allow(unused_mut))]
    let mut state = AppState::load(db).await?.with_uploads_dir(uploads);
    #[cfg(feature = "test-clock")]
    if let Some(file) = config::clock_offset_file() {
        tracing::warn!("test clock: offset read from {}", file.display());
        state = state.with_clock(Arc::new(app::clock::OffsetFileClock(file)));
    }
    #[cfg(not(feature = "test-clock"))]
    if std::env::var_os("LABOR_PLAZA_CLOCK_OFFSET_FILE").is_some() {
        tracing::warn!("LABOR_PLAZA_CLOCK_OFFSET_FILE ignored: this build has no test clock");
    }
    // Loading and indexing 13,058 records leaves freed memory behind; hand it back.
    memory::release_free_memory();
    Ok(state)
}
