//! `/stats/{chart}.csv`: the numbers behind each chart of the statistics page, as a file.

use app::state::AppState;
use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

pub async fn chart_csv(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let catalog = state.catalog();
    let Some(chart) = file.strip_suffix(".csv") else {
        return (StatusCode::NOT_FOUND, "no such chart").into_response();
    };
    match app::stats::export::chart_csv(&catalog.stats, chart) {
        Some(csv) => {
            let mut response = crate::api::cached(
                &headers,
                &format!("s{}{chart}", catalog.version),
                "text/csv; charset=utf-8",
                csv,
            );
            if let Ok(name) =
                HeaderValue::from_str(&format!("attachment; filename=\"{chart}.csv\""))
            {
                response
                    .headers_mut()
                    .insert(header::CONTENT_DISPOSITION, name);
            }
            response
        }
        None => (StatusCode::NOT_FOUND, "no such chart").into_response(),
    }
}
