//! `/wall/{section}/{stone}/names`: one stone's names as list items, for the wall page to put in
//! when that stone comes into view at a zoom where names can be read. The page itself carries
//! only the stones' outlines, so a phone never receives 13,000 names it cannot show.

use app::state::AppState;
use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

pub async fn stone_names(
    State(state): State<AppState>,
    Path((section, number)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let catalog = state.catalog();
    let found = app::wall::model::parse_stone_number(&number).and_then(|number| {
        let index = catalog
            .outline
            .sections
            .iter()
            .position(|s| s.code == section)?;
        catalog.outline.sections[index]
            .stones
            .iter()
            .any(|s| s.number == number)
            .then(|| catalog.stone_html(index, number).to_string())
    });
    match found {
        // Built from escaped names only (`catalog::render_stone`).
        Some(html) => crate::api::cached(
            &headers,
            &format!("n{}", catalog.version),
            "text/html; charset=utf-8",
            html,
        ),
        None => (StatusCode::NOT_FOUND, "no such stone").into_response(),
    }
}
