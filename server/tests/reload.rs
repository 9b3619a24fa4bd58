//! Records written by another process (the import command) reach the running server.
mod common;

use common::*;

#[tokio::test]
async fn imported_records_show_without_a_restart() {
    let state = &server().state;
    assert!(
        !state.refresh_if_changed().await.unwrap(),
        "nothing changed yet"
    );
    let existing = state.db.catalogue.load().await.unwrap();
    let additions = app::import::csv::plan_import(
        "name,honour,year,sex\n李新,beijing_model,2020,女\n",
        &existing,
    )
    .unwrap();
    state.db.catalogue.add(&additions).await.unwrap();
    assert!(state.refresh_if_changed().await.unwrap());
    let (_, body) = get_json("/api/v1/stats").await;
    // Honoured in 2020, after the stones were cut: counted in its batch, not yet engraved.
    assert_eq!(body["engraved"]["total"], 13_058);
    assert!(body["by_batch"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["year"] == 2020 && b["count"] == 1));
    let (_, found) = get_json("/api/v1/laureates?batch=2020").await;
    assert_eq!(found["items"][0]["name"], "李新");
    assert!(!found["items"][0]["demo"].as_bool().unwrap());
}
