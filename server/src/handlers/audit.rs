//! The audit log export for administrators.

use app::domain::procedure::Role;
use app::state::AppState;
use axum::{
    extract::State,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};

use crate::forms::Caller;

fn csv_field(s: &str) -> String {
    // Quote every field; a leading =, +, - or @ is neutralised so spreadsheets do not run it.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// `GET /admin/audit.csv`: the whole audit log, for administrators only.
pub async fn audit_csv(State(state): State<AppState>, caller: Caller) -> Response {
    if let Err(refused) = caller
        .require(&state, Role::Administrator, "/admin/audit.csv")
        .await
    {
        return refused;
    }
    match state.db.audit.audit_log().await {
        Ok(entries) => {
            let mut csv = String::from(
                "\u{feff}at,actor_id,actor,action,object_type,object_id,before,after,address,times,last_at\n",
            );
            for e in entries {
                let fields = [
                    e.at,
                    e.actor_id.map(|i| i.to_string()).unwrap_or_default(),
                    e.actor_name,
                    e.action,
                    e.object_type,
                    e.object_id.unwrap_or_default(),
                    e.before_json.unwrap_or_default(),
                    e.after_json.unwrap_or_default(),
                    e.address.unwrap_or_default(),
                    e.repeat_count.to_string(),
                    e.last_at.unwrap_or_default(),
                ];
                csv.push_str(
                    &fields
                        .iter()
                        .map(|f| csv_field(f))
                        .collect::<Vec<_>>()
                        .join(","),
                );
                csv.push('\n');
            }
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"audit-log.csv\"",
                    ),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                csv,
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!("audit export: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("a\"b"), "\"a\"\"b\"");
        assert_eq!(csv_field("=cmd()"), "\"'=cmd()\"");
    }
}
