//! The errata list as a use case: read from the catalogue (it is public data, the profiles show
//! each difference), for administrators, as a page and as a CSV to print or send to the masons.
use super::model::{Erratum, ERRATA_COLUMNS};
use crate::auth::session::{audit_refusal, SessionUser};
use crate::domain::procedure::Role;
use crate::nominations::service::ServiceError;
use crate::state::AppState;

/// Every erratum in wall order (administrators only).
pub async fn errata(
    state: &AppState,
    user: &SessionUser,
    address: &str,
) -> Result<Vec<Erratum>, ServiceError> {
    if user.role != Role::Administrator {
        audit_refusal(state, Some(user), "errata list", address).await;
        return Err(ServiceError::Forbidden);
    }
    Ok(state.catalog().errata())
}

/// The list as a CSV download (administrators only).
pub async fn errata_download(
    state: &AppState,
    user: &SessionUser,
    address: &str,
) -> Result<Vec<u8>, ServiceError> {
    let list = errata(state, user, address).await?;
    errata_csv(&list).map_err(|e| {
        tracing::error!("errata export: {e}");
        ServiceError::Unavailable
    })
}

/// The list as CSV, written as the other exports are (byte-order mark for Excel, CRLF, every cell
/// quoted, a cell a spreadsheet would run as a formula shown as text).
pub fn errata_csv(errata: &[Erratum]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Always)
        .from_writer("\u{feff}".as_bytes().to_vec());
    writer.write_record(ERRATA_COLUMNS)?;
    for e in errata {
        writer.write_record([
            crate::laureates::export::as_text(&e.section_name_zh),
            e.stone.to_string(),
            e.row.to_string(),
            e.position.to_string(),
            e.year.to_string(),
            crate::laureates::export::as_text(&e.engraved),
            crate::laureates::export::as_text(&e.correct),
            e.person_id.to_string(),
        ])?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_names_each_place_and_guards_formulas() {
        let e = Erratum {
            section_code: "municipal".into(),
            section_name_zh: "北京市劳动模范".into(),
            section_name_en: "Beijing".into(),
            stone: 3,
            row: 12,
            position: 5,
            year: 1956,
            person_id: 42,
            engraved: "甯未公".into(),
            correct: "=宁未公".into(),
        };
        let text = String::from_utf8(errata_csv(&[e]).unwrap()).unwrap();
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(
            lines[0],
            "\"monument\",\"stone\",\"row\",\"position\",\"year\",\"engraved\",\"correct\",\"person_id\""
        );
        assert_eq!(
            lines[1],
            "\"北京市劳动模范\",\"3\",\"12\",\"5\",\"1956\",\"甯未公\",\"'=宁未公\",\"42\""
        );
    }
}
