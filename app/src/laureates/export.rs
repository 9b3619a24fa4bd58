//! The public list as a spreadsheet file: `/api/v1/laureates.csv`, the same filters as the JSON
//! list and only its public fields, every matching row at once.
//!
//! Written for the way offices open such files: UTF-8 with a byte-order mark (without it Excel
//! reads Chinese as another code page), CRLF line ends, every cell quoted (Excel in a locale that
//! separates with `;` would otherwise split a cell there), and no cell that a spreadsheet would
//! run as a formula (a work unit starting with `=` is shown as text, prefixed with `'`, as OWASP's
//! advice on CSV injection says).
use crate::laureates::model::LaureateSummary;

/// The header row: the JSON list's field names, so the two read alike.
pub const CSV_COLUMNS: [&str; 11] = [
    "id",
    "name",
    "pinyin",
    "work_unit",
    "honours",
    "monument",
    "stone",
    "row",
    "position",
    "url",
    "demo",
];

/// The file for `items`; `base_url` makes each profile's address absolute.
pub fn laureates_csv(items: &[LaureateSummary], base_url: &str) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::with_capacity(64 + items.len() * 160);
    out.extend_from_slice("\u{feff}".as_bytes());
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(out);
    writer.write_record(CSV_COLUMNS)?;
    for item in items {
        let honours = item
            .honours
            .iter()
            .map(|h| format!("{}年{}", h.year, h.name))
            .collect::<Vec<_>>()
            .join("；");
        let place = item.wall.as_ref();
        let number = |n: Option<u16>| n.map(|n| n.to_string()).unwrap_or_default();
        writer.write_record([
            item.id.to_string(),
            as_text(&item.name),
            as_text(&item.pinyin),
            as_text(item.work_unit.as_deref().unwrap_or("")),
            as_text(&honours),
            as_text(place.map(|p| p.section_name_zh.as_str()).unwrap_or("")),
            number(place.map(|p| p.stone)),
            number(place.map(|p| p.row)),
            number(place.map(|p| p.position)),
            format!("{base_url}/laureates/{}", item.id),
            // Records made by the demo-data generator, as the JSON list marks them.
            item.demo.to_string(),
        ])?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

/// A cell a spreadsheet would take for a formula (or a command, through DDE) gets a leading `'`,
/// which shows it as the text it is. Looked at after any leading white space (U+3000 included)
/// and with the full-width forms too, which some spreadsheets fold.
fn as_text(value: &str) -> String {
    const STARTS: [char; 11] = ['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠'];
    if value.starts_with(STARTS) || value.trim_start().starts_with(STARTS) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::laureates::model::HonourAward;
    use crate::wall::model::WallPlace;

    fn person(id: i64, name: &str, unit: Option<&str>) -> LaureateSummary {
        LaureateSummary {
            id,
            name: name.into(),
            pinyin: "wang fang".into(),
            work_unit: unit.map(Into::into),
            honours: vec![HonourAward {
                code: "beijing_model".into(),
                name: "北京市劳动模范".into(),
                name_en: "Beijing Model Worker".into(),
                level: "municipal".into(),
                year: 1956,
                engraved: true,
            }],
            wall: Some(WallPlace {
                section: "plaza-municipal".into(),
                section_name_zh: "劳动广场".into(),
                section_name_en: "Labor Plaza".into(),
                stone: 3,
                row: 12,
                position: 7,
            }),
            demo: false,
            misread: false,
        }
    }

    fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
        let text = std::str::from_utf8(bytes).expect("UTF-8");
        let text = text
            .strip_prefix('\u{feff}')
            .expect("a byte-order mark first");
        csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|r| r.expect("a valid row").iter().map(String::from).collect())
            .collect()
    }

    #[test]
    fn every_public_field_in_a_row_that_reads_back() {
        let file = laureates_csv(&[person(600, "王芳", Some("北京同仁医院"))], "https://x.cn")
            .expect("written");
        assert!(file.windows(2).any(|w| w == b"\r\n"), "CRLF line ends");
        // Every cell quoted: a `;` inside one never splits it, whatever the locale.
        assert!(std::str::from_utf8(&file)
            .unwrap()
            .contains("\"600\",\"王芳\""));
        assert_eq!(
            rows(&file),
            vec![vec![
                "600",
                "王芳",
                "wang fang",
                "北京同仁医院",
                "1956年北京市劳动模范",
                "劳动广场",
                "3",
                "12",
                "7",
                "https://x.cn/laureates/600",
                "false"
            ]]
        );
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_text() {
        let hostile = [
            "=HYPERLINK(\"http://evil\",\"x\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\n=1",
            " =1+1",
            "\u{3000}=1",
            "＝1+1",
            "＠SUM(A1)",
        ];
        for unit in hostile {
            let file = laureates_csv(&[person(1, "王芳", Some(unit))], "").expect("written");
            assert_eq!(rows(&file)[0][3], format!("'{unit}"), "{unit:?}");
        }
        // Quotes, commas and line breaks stay inside their cell.
        let file = laureates_csv(&[person(1, "王芳", Some("甲,\"乙\"\n丙"))], "").expect("written");
        assert_eq!(rows(&file)[0][3], "甲,\"乙\"\n丙");
    }

    #[test]
    fn an_empty_list_is_the_header_alone() {
        let file = laureates_csv(&[], "").expect("written");
        assert!(rows(&file).is_empty());
        assert!(std::str::from_utf8(&file)
            .unwrap()
            .contains("\"id\",\"name\",\"pinyin\""));
    }
}
