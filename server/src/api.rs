//! The public read API (open data), JSON under `/api/v1`. Its OpenAPI 3 document is
//! `openapi.json` beside this file; the integration tests hold the two together.
//!
//! Errors are `{"error": {"code", "message"}}` with the matching status: 400 for bad parameters,
//! 404 for unknown ids and paths. Internal errors never reach this layer's output in detail.

use std::collections::HashMap;

use app::{catalog::ListQuery, error::AppError, state::AppState};
use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use serde_json::json;

pub const OPENAPI: &str = include_str!("openapi.json");
pub const MAX_PER_PAGE: usize = 100;
pub const DEFAULT_PER_PAGE: usize = 20;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/laureates", get(list_laureates))
        .route("/laureates.csv", get(export_laureates_csv))
        .route("/laureates.xlsx", get(export_laureates_xlsx))
        .route("/laureates/{id}", get(get_laureate))
        .route("/wall", get(wall))
        .route("/search-index", get(search_index))
        .route("/kiosk-snapshot", get(kiosk_snapshot))
        .route("/stats", get(stats))
        .route("/openapi.json", get(openapi))
        .fallback(|| async {
            ApiError(AppError::NotFound("no such endpoint".into())).into_response()
        })
        .with_state(state)
}

/// The API's error response.
pub struct ApiError(pub AppError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let message = match &self.0 {
            AppError::NotFound(what) => format!("not found: {what}"),
            AppError::BadRequest(why) => why.clone(),
            other => other.to_string(),
        };
        (
            self.0.status(),
            Json(json!({"error": {"code": self.0.code(), "message": message}})),
        )
            .into_response()
    }
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError(AppError::BadRequest(message.into()))
}

/// The highest page number asked for (the OpenAPI document says the same).
pub const MAX_PAGE: usize = 1_000_000;

/// Parses and checks the list parameters, naming the parameter at fault.
pub fn parse_list_params(
    params: &HashMap<String, String>,
    state: &AppState,
) -> Result<(ListQuery, usize, usize), ApiError> {
    let known = ["q", "level", "batch", "honour", "page", "per_page"];
    if let Some(unknown) = params.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(bad(format!(
            "unknown parameter `{unknown}`; allowed: {}",
            known.join(", ")
        )));
    }
    let get = |k: &str| params.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let q = get("q").map(str::to_string);
    if q.as_ref()
        .is_some_and(|q| q.chars().count() > app::search::server::MAX_QUERY_CHARS)
    {
        return Err(bad(format!(
            "`q` is longer than {} characters",
            app::search::server::MAX_QUERY_CHARS
        )));
    }
    let level = match get("level") {
        None => None,
        Some(l @ ("national" | "municipal")) => Some(l.to_string()),
        Some(other) => {
            return Err(bad(format!(
                "`level` must be national or municipal, not {other:?}"
            )))
        }
    };
    let batch = match get("batch") {
        None => None,
        Some(v) => match v.parse::<i32>() {
            Ok(y) if (1949..=2100).contains(&y) => Some(y),
            _ => {
                return Err(bad(format!(
                    "`batch` must be a year such as 1952, not {v:?}"
                )))
            }
        },
    };
    let honour = match get("honour") {
        None => None,
        Some(code) if state.catalog().honour_exists(code) => Some(code.to_string()),
        Some(code) => return Err(bad(format!("unknown `honour` code {code:?}"))),
    };
    // The numbers are integers when present: `page=` with nothing is as wrong as `page=x`.
    let number = |k: &str| params.get(k).map(|v| v.trim());
    let page = match number("page") {
        None => 1,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|p| (1..=MAX_PAGE).contains(p))
            .ok_or_else(|| {
                bad(format!(
                    "`page` must be a whole number from 1 to {MAX_PAGE}, not {v:?}"
                ))
            })?,
    };
    let per_page = match number("per_page") {
        None => DEFAULT_PER_PAGE,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|p| (1..=MAX_PER_PAGE).contains(p))
            .ok_or_else(|| {
                bad(format!(
                    "`per_page` must be from 1 to {MAX_PER_PAGE}, not {v:?}"
                ))
            })?,
    };
    Ok((
        ListQuery {
            q,
            level,
            batch,
            honour,
        },
        page,
        per_page,
    ))
}

async fn list_laureates(
    State(state): State<AppState>,
    params: Result<Query<HashMap<String, String>>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params.map_err(|e| bad(format!("malformed query string: {e}")))?;
    let (query, page, per_page) = parse_list_params(&params, &state)?;
    let (total, items) = state.catalog().list(&query, page, per_page);
    Ok(
        Json(json!({"total": total, "page": page, "per_page": per_page, "items": items}))
            .into_response(),
    )
}

/// Every laureate the filters match, as a CSV file (the same filters as the JSON list; no pages).
async fn export_laureates_csv(
    state: State<AppState>,
    headers: HeaderMap,
    params: Result<Query<HashMap<String, String>>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    export_laureates(state, headers, params, ExportFormat::Csv).await
}

async fn export_laureates_xlsx(
    state: State<AppState>,
    headers: HeaderMap,
    params: Result<Query<HashMap<String, String>>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    export_laureates(state, headers, params, ExportFormat::Xlsx).await
}

#[derive(Clone, Copy)]
enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }

    fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }
}

/// The public list as a file, with the JSON list's filters (`laureates::export`).
async fn export_laureates(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<HashMap<String, String>>, axum::extract::rejection::QueryRejection>,
    format: ExportFormat,
) -> Result<Response, ApiError> {
    let Query(params) = params.map_err(|e| bad(format!("malformed query string: {e}")))?;
    if let Some(paging) = ["page", "per_page"]
        .iter()
        .find(|k| params.contains_key(**k))
    {
        return Err(bad(format!(
            "`{paging}` does not apply to an export: it holds every matching row"
        )));
    }
    let (query, _, _) = parse_list_params(&params, &state)?;
    let base_url = app::site::public_base_url(&headers);
    let catalog = state.catalog();
    let etag = format!(
        "{}-{}-{}",
        catalog.version,
        format.extension(),
        query_key(&params, &base_url)
    );
    if etag_matches(&headers, &etag) {
        return Ok(cached(&headers, &etag, format.content_type(), ""));
    }
    // A file is up to every name on the wall: one is made at a time, on the blocking pool, and a
    // request meanwhile is told to come back (the unfiltered files are kept by the page cache).
    let Ok(_one_at_a_time) = EXPORTS.try_acquire() else {
        let mut busy = ApiError(AppError::TooManyRequests(
            "another export is being made; try again in a few seconds".into(),
        ))
        .into_response();
        busy.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        return Ok(busy);
    };
    let file = tokio::task::spawn_blocking(move || {
        let (_, items) = catalog.list(&query, 1, usize::MAX);
        match format {
            ExportFormat::Csv => app::laureates::export::laureates_csv(&items, &base_url)
                .map_err(|e| AppError::internal("export", e)),
            ExportFormat::Xlsx => app::laureates::export::laureates_xlsx(&items, &base_url)
                .map_err(|e| AppError::internal("export", e)),
        }
    })
    .await
    .map_err(|e| ApiError(AppError::internal("export", e)))?
    .map_err(ApiError)?;
    let mut response = cached(&headers, &etag, format.content_type(), file);
    let disposition = format!("attachment; filename=\"laureates.{}\"", format.extension());
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// Files being made at once (see `export_laureates_csv`).
static EXPORTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// A short stable key of a query's parameters and the site's address (the file's links), for an
/// ETag.
fn query_key(params: &HashMap<String, String>, base_url: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut pairs: Vec<_> = params.iter().collect();
    pairs.sort();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    pairs.hash(&mut hasher);
    base_url.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

async fn get_laureate(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| bad(format!("laureate id must be a whole number, not {id:?}")))?;
    let profile = state
        .catalog()
        .profile(id)
        .ok_or_else(|| ApiError(AppError::NotFound(format!("laureate {id}"))))?;
    Ok(Json(profile).into_response())
}

/// A large, rarely changing JSON document with an ETag; `If-None-Match` gets a 304.
fn cached_json(headers: &HeaderMap, etag: &str, body: String) -> Response {
    cached(headers, etag, "application/json", body)
}

/// A document that changes only with the catalogue: revalidated by its ETag (304 when unchanged).
pub fn cached(
    headers: &HeaderMap,
    etag: &str,
    content_type: &'static str,
    body: impl Into<axum::body::Body>,
) -> Response {
    let tag = format!("\"{etag}\"");
    let mut response = if etag_matches(headers, etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, content_type)], body.into()).into_response()
    };
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60, must-revalidate"),
    );
    response
}

/// Whether the client holds this version already (`If-None-Match`).
fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    let tag = format!("\"{etag}\"");
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"))
}

async fn wall(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let catalog = state.catalog();
    cached_json(
        &headers,
        &format!("w{}", catalog.version),
        catalog.wall_json.clone(),
    )
}

async fn search_index(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let catalog = state.catalog();
    cached_json(
        &headers,
        &format!("s{}", catalog.version),
        catalog.search_payload_json.clone(),
    )
}

/// What a kiosk keeps to answer offline (`kiosk::snapshot`), revalidated by its ETag.
async fn kiosk_snapshot(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let catalog = state.catalog_with_kiosk().await;
    let json = catalog.kiosk().json.clone();
    cached_json(&headers, &format!("k{}", catalog.version), json)
}

async fn stats(State(state): State<AppState>) -> Response {
    Json(state.catalog().stats.clone()).into_response()
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}
