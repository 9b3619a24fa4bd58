//! The open-data API against a real server and a fresh demo database.
mod common;

use common::*;
use serde_json::Value;

#[tokio::test]
async fn list_defaults_and_totals() {
    let (status, body) = get_json("/api/v1/laureates").await;
    assert_eq!(status, 200);
    assert_eq!(body["total"], 13_058);
    assert_eq!(body["page"], 1);
    assert_eq!(body["per_page"], 20);
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    for key in [
        "id",
        "name",
        "pinyin",
        "work_unit",
        "honours",
        "wall",
        "demo",
    ] {
        assert!(items[0].get(key).is_some(), "item has {key}");
    }
    assert_eq!(items[0]["demo"], true);
    let wall = &items[0]["wall"];
    for key in ["section", "stone", "row", "position"] {
        assert!(wall.get(key).is_some(), "wall has {key}");
    }
    // Wall order: the first name is on stone 1, row 1, position 1 of the first section.
    assert_eq!(
        (
            wall["stone"].as_i64(),
            wall["row"].as_i64(),
            wall["position"].as_i64()
        ),
        (Some(1), Some(1), Some(1))
    );
}

#[tokio::test]
async fn filters_by_level_batch_and_honour() {
    let (_, national) = get_json("/api/v1/laureates?level=national&per_page=1").await;
    assert_eq!(national["total"], 1_197);
    let (_, municipal) = get_json("/api/v1/laureates?level=municipal&per_page=1").await;
    assert_eq!(municipal["total"], 11_861);
    let (_, y1952) = get_json("/api/v1/laureates?batch=1952&level=municipal&per_page=100").await;
    assert_eq!(y1952["total"], 310);
    for item in y1952["items"].as_array().unwrap() {
        assert!(item["honours"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["year"] == 1952));
    }
    let (_, advanced) = get_json("/api/v1/laureates?honour=national_advanced&per_page=5").await;
    let total = advanced["total"].as_u64().unwrap();
    assert!(total > 0 && total < 1_197);
    let (_, page2) = get_json("/api/v1/laureates?level=national&per_page=100&page=12").await;
    assert_eq!(
        page2["items"].as_array().unwrap().len(),
        97,
        "1,197 = 11 × 100 + 97"
    );
}

#[tokio::test]
async fn search_uses_the_page_search() {
    let (_, body) = get_json("/api/v1/laureates?q=zwm&per_page=50").await;
    let items = body["items"].as_array().unwrap();
    assert!(!items.is_empty());
    for item in items {
        let syllables: Vec<&str> = item["pinyin"].as_str().unwrap().split(' ').collect();
        assert!(syllables[0].starts_with('z'), "{item}");
    }
    // Exact name first.
    let name = items[0]["name"].as_str().unwrap().to_string();
    let (_, exact) = get_json(&format!("/api/v1/laureates?q={}", urlencode(&name))).await;
    assert_eq!(exact["items"][0]["name"], name.as_str());
    // Traditional form of 张 finds 张.
    let (_, trad) = get_json(&format!("/api/v1/laureates?q={}", urlencode("張"))).await;
    assert!(trad["items"][0]["name"].as_str().unwrap().starts_with('张'));
    // A lone h never finds 许 by its surname.
    let (_, h) = get_json("/api/v1/laureates?q=h&per_page=100").await;
    assert!(h["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| !i["name"].as_str().unwrap().starts_with('许')));
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn bad_parameters_get_clear_json_errors() {
    for (query, fragment) in [
        ("level=city", "`level`"),
        ("batch=abc", "`batch`"),
        ("page=0", "`page`"),
        ("per_page=1000", "`per_page`"),
        ("honour=nope", "`honour`"),
        ("colour=red", "unknown parameter"),
    ] {
        let (status, body) = get_json(&format!("/api/v1/laureates?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(body["error"]["code"], "bad_request");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains(fragment),
            "{query}: {body}"
        );
    }
    let long = "张".repeat(65);
    let (status, _) = get_json(&format!("/api/v1/laureates?q={}", urlencode(&long))).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn one_laureate() {
    let (status, body) = get_json("/api/v1/laureates/1").await;
    assert_eq!(status, 200);
    assert_eq!(body["id"], 1);
    assert!(
        body["deeds_full"].as_str().unwrap().contains("主要事迹"),
        "national laureates have deeds"
    );
    assert!(!body["placements"].as_array().unwrap().is_empty());
    let (status, body) = get_json("/api/v1/laureates/99999999").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
    let (status, body) = get_json("/api/v1/laureates/abc").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "bad_request");
    let (status, body) = get_json("/api/v1/nothing-here").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn wall_layout_is_complete_and_cacheable() {
    let res = client()
        .get(format!("{}/api/v1/wall", server().base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let body: Value = res.json().await.unwrap();
    let mut names = 0;
    let mut ids = std::collections::HashSet::new();
    for section in body["sections"].as_array().unwrap() {
        for stone in section["stones"].as_array().unwrap() {
            for row in stone["rows"].as_array().unwrap() {
                for name in row["names"].as_array().unwrap() {
                    names += 1;
                    ids.insert((
                        section["code"].as_str().unwrap().to_string(),
                        name["id"].as_i64().unwrap(),
                    ));
                }
            }
        }
    }
    assert_eq!(names, 13_058);
    assert_eq!(ids.len(), 13_058);
    let again = client()
        .get(format!("{}/api/v1/wall", server().base))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
}

#[tokio::test]
async fn stats_counts() {
    let (status, body) = get_json("/api/v1/stats").await;
    assert_eq!(status, 200);
    assert_eq!(body["engraved"]["national"], 1_197);
    assert_eq!(body["engraved"]["municipal"], 11_861);
    assert_eq!(body["engraved"]["total"], 13_058);
    let municipal_batches: Vec<&Value> = body["by_batch"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["level"] == "municipal")
        .collect();
    assert_eq!(municipal_batches.len(), 13);
    assert!(body["by_honour"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["code"] == "beijing_model"));
}

/// Each chart's numbers download as CSV, the same figures as the JSON; the page links them.
#[tokio::test]
async fn each_chart_downloads_as_csv() {
    let (_, stats) = get_json("/api/v1/stats").await;
    let (status, csv) = get_text("/stats/batches.csv").await;
    assert_eq!(status, 200);
    let first = &stats["by_batch"][0];
    assert!(csv.starts_with("\u{feff}level,year,names\r\n"), "{csv}");
    assert!(csv.contains(&format!(
        "{},{},{}",
        first["level"].as_str().unwrap(),
        first["year"],
        first["count"]
    )));
    for chart in ["shares", "honours", "industries", "districts"] {
        assert_eq!(
            get_text(&format!("/stats/{chart}.csv")).await.0,
            200,
            "{chart}"
        );
    }
    assert_eq!(get_text("/stats/nope.csv").await.0, 404);
    assert_eq!(get_text("/stats/batches").await.0, 404);
    let (_, page) = get_text("/stats").await;
    assert_eq!(
        page.matches("href=\"/stats/").count(),
        5,
        "a data link under each chart"
    );
}

/// Every `required` property of the documented schemas is present in real responses.
#[tokio::test]
async fn openapi_document_matches_the_responses() {
    let (status, doc) = get_json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/laureates",
        "/laureates.csv",
        "/laureates.xlsx",
        "/laureates/{id}",
        "/wall",
        "/stats",
        "/search-index",
        "/kiosk-snapshot",
        "/openapi.json",
    ] {
        assert!(doc["paths"].get(path).is_some(), "documented {path}");
    }
    let schemas = &doc["components"]["schemas"];
    let required = |name: &str| -> Vec<String> {
        schemas[name]["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let check = |name: &str, value: &Value| {
        for key in required(name) {
            assert!(value.get(&key).is_some(), "{name}.{key} missing in {value}");
        }
    };
    let (_, page) = get_json("/api/v1/laureates?per_page=3").await;
    check("LaureatePage", &page);
    check("LaureateSummary", &page["items"][0]);
    check("Honour", &page["items"][0]["honours"][0]);
    check("WallPlace", &page["items"][0]["wall"]);
    let (_, one) = get_json("/api/v1/laureates/1").await;
    check("Laureate", &one);
    let (_, stats) = get_json("/api/v1/stats").await;
    check("Stats", &stats);
    let (_, wall) = get_json("/api/v1/wall").await;
    check("Wall", &wall);
    let (_, snapshot) = get_json("/api/v1/kiosk-snapshot").await;
    check("KioskSnapshot", &snapshot);
    check("SearchIndex", &snapshot["search"]);
    assert_eq!(
        snapshot["people"].as_array().unwrap().len(),
        snapshot["search"]["people"].as_array().unwrap().len()
    );
    let (_, err) = get_json("/api/v1/laureates/0").await;
    check("Error", &err);
    // Documented enum of levels is what the API accepts.
    let params = doc["paths"]["/laureates"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let level = params.iter().find(|p| p["name"] == "level").unwrap();
    assert_eq!(
        level["schema"]["enum"],
        serde_json::json!(["national", "municipal"])
    );
}

/// The kiosk snapshot: one per data version, kept compressed like a page (the second answer is
/// the same bytes), revalidated by its ETag; every public name is in it.
#[tokio::test]
async fn the_kiosk_snapshot_is_kept_compressed_and_revalidated() {
    let get = |etag: Option<String>| async move {
        let mut request = client()
            .get(format!("{}/api/v1/kiosk-snapshot", server().base))
            .header("Accept-Encoding", "br");
        if let Some(etag) = etag {
            request = request.header("If-None-Match", etag);
        }
        request.send().await.unwrap()
    };
    let first = get(None).await;
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let encoding = first.headers().get("content-encoding").cloned();
    let first = first.bytes().await.unwrap();
    let second = get(None).await;
    assert_eq!(second.headers().get("content-encoding").cloned(), encoding);
    assert_eq!(second.bytes().await.unwrap(), first, "the same bytes, kept");
    assert_eq!(get(Some(etag)).await.status(), 304);
    let (_, snapshot) = get_json("/api/v1/kiosk-snapshot").await;
    assert_eq!(
        snapshot["search"]["people"].as_array().unwrap().len(),
        13_058
    );
}

/// The CSV export: every matching row (the list's filters, no pages), the list's public fields,
/// a file Excel opens (BOM, attachment), revalidated by its ETag.
#[tokio::test]
async fn the_list_exports_as_csv_with_the_same_filters() {
    // Another test may be making an export at the same moment: a 429 is asked again.
    let get = |query: &'static str, etag: Option<String>| async move {
        loop {
            let mut request =
                client().get(format!("{}/api/v1/laureates.csv{query}", server().base));
            if let Some(etag) = &etag {
                request = request.header("If-None-Match", etag);
            }
            let response = request.send().await.unwrap();
            if response.status() != 429 {
                return response;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    };
    let all = get("", None).await;
    assert_eq!(all.status(), 200);
    assert!(all.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(all.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let etag = all.headers()["etag"].to_str().unwrap().to_string();
    let body = all.bytes().await.unwrap();
    assert!(body.starts_with("\u{feff}".as_bytes()), "a byte-order mark");
    let read = |bytes: &[u8]| -> Vec<csv::StringRecord> {
        csv::Reader::from_reader(&bytes[3..])
            .records()
            .map(|r| r.unwrap())
            .collect()
    };
    let rows = read(&body);
    assert_eq!(rows.len(), 13_058);
    // In wall order, as the JSON list, with the same people.
    let (_, first) = get_json("/api/v1/laureates?per_page=2").await;
    assert_eq!(rows[0][0], first["items"][0]["id"].to_string());
    assert_eq!(&rows[1][1], first["items"][1]["name"].as_str().unwrap());
    assert!(rows[0][9].ends_with(&format!("/laureates/{}", &rows[0][0])));
    assert_eq!(get("", Some(etag)).await.status(), 304);

    let national = get("?level=national", None).await.bytes().await.unwrap();
    assert_eq!(read(&national).len(), 1_197);
    let batch = get("?batch=1952&level=municipal", None)
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(read(&batch).len(), 310);
    assert!(read(&batch).iter().all(|r| r[4].contains("1952年")));
    let (_, found) = get_json("/api/v1/laureates?q=zhang&per_page=1").await;
    let searched = get("?q=zhang", None).await.bytes().await.unwrap();
    assert_eq!(
        read(&searched).len() as u64,
        found["total"].as_u64().unwrap()
    );

    // Bad parameters get the list's clear errors; paging does not apply.
    for query in ["?page=2", "?per_page=5", "?level=city", "?nope=1"] {
        let response = get(query, None).await;
        assert_eq!(response.status(), 400, "{query}");
        let error: Value = response.json().await.unwrap();
        assert!(error["error"]["message"].as_str().unwrap().len() > 5);
    }
}

/// The workbook holds the same rows as the CSV file for the same filters, numbers as numbers,
/// and is not compressed again on the way (it is a zip already).
#[tokio::test]
async fn the_list_exports_as_an_excel_workbook() {
    use calamine::{Data, Reader};
    let get = |query: &'static str| async move {
        loop {
            let response = client()
                .get(format!("{}/api/v1/laureates.xlsx{query}", server().base))
                .header("Accept-Encoding", "br, gzip")
                .send()
                .await
                .unwrap();
            if response.status() != 429 {
                return response;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    };
    let response = get("?level=national").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(!response.headers().contains_key("content-encoding"));
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("laureates.xlsx"));
    let bytes = response.bytes().await.unwrap();
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(sheet.height(), 1 + 1_197);
    assert_eq!(sheet.get((0, 1)), Some(&Data::String("name".into())));
    let (_, first) = get_json("/api/v1/laureates?level=national&per_page=1").await;
    assert_eq!(
        sheet.get((1, 0)),
        Some(&Data::Float(first["items"][0]["id"].as_f64().unwrap()))
    );
    // The unfiltered workbook is kept by the page cache like the CSV file, though sent
    // uncompressed.
    assert_eq!(get("").await.status(), 200);
    let again = get("").await;
    assert_eq!(again.headers()["x-page-cache"], "hit");
    assert!(!again.headers().contains_key("content-encoding"));
    assert_eq!(get("?page=2").await.status(), 400);
}

/// Exports (CSV and Excel alike) are made one at a time: under 50 parallel requests each answer is
/// the file or a clear "try again" (429 with Retry-After), never an error or a pile of work.
#[tokio::test]
async fn parallel_exports_are_made_one_at_a_time() {
    let requests: Vec<_> = (0..50)
        .map(|i| {
            tokio::spawn(async move {
                client()
                    .get(format!(
                        "{}/api/v1/laureates.{}?q=zhang&batch={}",
                        server().base,
                        // Both kinds share the one slot.
                        ["csv", "xlsx"][i % 2],
                        1952 + i % 4
                    ))
                    .send()
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut made = 0;
    for request in requests {
        let answer = request.await.unwrap();
        match answer.status().as_u16() {
            200 => made += 1,
            429 => assert!(answer.headers().contains_key("retry-after")),
            other => panic!("unexpected status {other}"),
        }
    }
    assert!(made >= 1, "at least the first is made");
}
