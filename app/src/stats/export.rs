//! Each chart of `/stats` as a CSV file of its numbers (`/stats/{chart}.csv`): the figures behind
//! a drawing, for a report or a spreadsheet. Columns are codes and numbers, the same in either
//! language; labels come in Chinese and English.
use super::model::Stats;

/// The charts that can be downloaded, by the name in their address.
pub const CHARTS: [&str; 5] = ["batches", "shares", "honours", "industries", "districts"];

/// The chart's numbers as CSV (UTF-8 with a byte-order mark, as the other exports), or `None` for
/// a chart that does not exist.
pub fn chart_csv(stats: &Stats, chart: &str) -> Option<Vec<u8>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    match chart {
        "batches" => {
            rows.push(vec!["level".into(), "year".into(), "names".into()]);
            for b in &stats.by_batch {
                rows.push(vec![
                    b.level.clone(),
                    b.year.to_string(),
                    b.count.to_string(),
                ]);
            }
        }
        "shares" => {
            rows.push(
                [
                    "level",
                    "year",
                    "people",
                    "women",
                    "minority",
                    "frontline",
                    "scitech",
                    "women_percent",
                    "minority_percent",
                    "frontline_percent",
                    "scitech_percent",
                ]
                .map(String::from)
                .to_vec(),
            );
            for b in &stats.shares_by_batch {
                let percent = |n: u32| format!("{:.1}", b.percent(n));
                rows.push(vec![
                    b.level.clone(),
                    b.year.to_string(),
                    b.people.to_string(),
                    b.women.to_string(),
                    b.minority.to_string(),
                    b.frontline.to_string(),
                    b.scitech.to_string(),
                    percent(b.women),
                    percent(b.minority),
                    percent(b.frontline),
                    percent(b.scitech),
                ]);
            }
        }
        "honours" => {
            rows.push(
                ["honour", "name_zh", "name_en", "recipients"]
                    .map(String::from)
                    .to_vec(),
            );
            for h in &stats.by_honour {
                rows.push(vec![
                    h.code.clone(),
                    h.name.clone(),
                    h.name_en.clone(),
                    h.recipients.to_string(),
                ]);
            }
        }
        "industries" | "districts" => {
            let (column, counts) = if chart == "industries" {
                ("industry", &stats.by_industry)
            } else {
                ("district", &stats.by_district)
            };
            rows.push(vec![column.into(), "people".into()]);
            for c in counts {
                rows.push(vec![c.label.clone(), c.count.to_string()]);
            }
        }
        _ => return None,
    }
    let mut out = "\u{feff}".as_bytes().to_vec();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(&mut out);
    for row in &rows {
        writer
            .write_record(
                row.iter()
                    .map(|cell| crate::laureates::export::as_text(cell)),
            )
            .ok()?;
    }
    writer.flush().ok()?;
    drop(writer);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chart_has_its_numbers_and_no_other_exists() {
        let catalog = crate::catalog::Catalog::build(&crate::import::demo::generate(
            crate::import::demo::DEFAULT_SEED,
        ));
        let stats = &catalog.stats;
        for chart in CHARTS {
            let csv = String::from_utf8(chart_csv(stats, chart).unwrap()).unwrap();
            assert!(csv.starts_with('\u{feff}'), "{chart}");
            assert!(csv.lines().count() > 2, "{chart}: {csv}");
        }
        let batches = String::from_utf8(chart_csv(stats, "batches").unwrap()).unwrap();
        let first = &stats.by_batch[0];
        assert!(batches.contains(&format!("{},{},{}", first.level, first.year, first.count)));
        assert!(chart_csv(stats, "nope").is_none());
    }
}
