//! Kiosks: registration, heartbeats authenticated per kiosk, and the fleet page that flags a
//! silent one. (Its own test binary: it moves the clock.)
mod common;

use app::domain::procedure::Role;
use app::kiosk::service::{register, Registration};
use common::*;

async fn new_kiosk(id: &str) -> String {
    use app::clock::Clock;
    register(
        &test_db().await,
        &Registration {
            id,
            name: "广场北门",
            monument: "plaza-municipal",
            placement: Some((120.0, 40.0, 180)),
            idle_seconds: 90,
        },
        server().clock.now(),
        "test",
    )
    .await
    .unwrap()
}

async fn beat(id: &str, secret: &str, body: &str) -> u16 {
    client()
        .post(format!("{}/kiosk/{id}/heartbeat", server().base))
        .header("Authorization", format!("Bearer {secret}"))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn report(data_version: &str) -> String {
    serde_json::json!({
        "data_version": data_version,
        "page_version": "kiosk-1",
        "offline_since": "2026-05-01T10:00:00+08:00",
        "last_error": "<script>alert(1)</script> fetch failed",
    })
    .to_string()
}

#[tokio::test]
async fn a_kiosk_beats_with_its_own_secret_and_the_fleet_page_shows_it() {
    let secret = new_kiosk("plaza-north-1").await;
    assert_eq!(secret.len(), 64);
    let admin = signed_in("admin-k", Role::Administrator, "").await;
    let (status, page) = get_page(&admin, "/admin/kiosks").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("plaza-north-1") && page.contains("尚未连接"),
        "never seen yet"
    );

    let current = server().state.catalog().version.clone();
    assert_eq!(beat("plaza-north-1", &secret, &report(&current)).await, 200);
    let answer: serde_json::Value = client()
        .post(format!("{}/kiosk/plaza-north-1/heartbeat", server().base))
        .header("Authorization", format!("Bearer {secret}"))
        .body(report(&current))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        answer["data_version"],
        current.as_str(),
        "the answer names what is current"
    );
    assert!(answer["page_version"]
        .as_str()
        .is_some_and(|v| !v.is_empty()));
    let (_, page) = get_page(&admin, "/admin/kiosks").await;
    assert!(page.contains("在线"), "alive");
    assert!(page.contains("最新"), "showing the current data");
    assert!(page.contains("kiosk-1"));
    assert!(
        page.contains("&lt;script&gt;") && !page.contains("<script>alert"),
        "what a kiosk reports is text"
    );
    assert!(!page.contains("silent-kiosks"));

    // An old snapshot is "behind".
    assert_eq!(
        beat("plaza-north-1", &secret, &report("old-version")).await,
        200
    );
    let (_, page) = get_page(&admin, "/admin/kiosks").await;
    assert!(page.contains("落后"));

    // Only administrators see the fleet.
    let reviewer = signed_in("reviewer-k", Role::Reviewer, "").await;
    assert_eq!(get_page(&reviewer, "/admin/kiosks").await.0, 403);

    // Six minutes without a beat: flagged, with how long it has been silent.
    server().clock.advance(chrono::Duration::minutes(6));
    let admin = signed_in("admin-k2", Role::Administrator, "").await;
    let (_, page) = get_page(&admin, "/admin/kiosks").await;
    assert!(page.contains("data-testid=\"silent-kiosks\""), "flagged");
    assert!(page.contains("失联 · 6 分钟前"), "silent for how long");
}

#[tokio::test]
async fn forged_unknown_malformed_and_oversized_heartbeats_are_refused() {
    let secret = new_kiosk("plaza-south-1").await;
    let other = new_kiosk("plaza-south-2").await;
    let body = report("v1");
    assert_eq!(beat("plaza-south-1", &"0".repeat(64), &body).await, 401);
    assert_eq!(
        beat("plaza-south-1", &other, &body).await,
        401,
        "another kiosk's secret"
    );
    assert_eq!(beat("plaza-south-1", "", &body).await, 401);
    assert_eq!(beat("no-such-kiosk", &secret, &body).await, 401);
    assert_eq!(beat("Bad Id", &secret, &body).await, 401);
    assert_eq!(beat("plaza-south-1", &secret, "not json").await, 400);
    assert_eq!(
        beat(
            "plaza-south-1",
            &secret,
            r#"{"data_version":"","page_version":"1"}"#
        )
        .await,
        400
    );
    let huge = serde_json::json!({"data_version": "v", "page_version": "1", "last_error": "x".repeat(20_000)});
    assert_eq!(beat("plaza-south-1", &secret, &huge.to_string()).await, 413);
    // Nothing of the refused beats was kept.
    let kiosk = test_db()
        .await
        .kiosks
        .kiosk("plaza-south-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kiosk.last_seen_at, None);

    // Fifty forged beats at once: all refused, and counted into one audit entry, not fifty.
    let before = test_db().await.audit.audit_log().await.unwrap().len();
    let forged: Vec<_> = (0..50)
        .map(|i| {
            let body = body.clone();
            tokio::spawn(async move { beat("plaza-south-1", &format!("{i:064}"), &body).await })
        })
        .collect();
    for f in forged {
        assert_eq!(f.await.unwrap(), 401);
    }
    let after = test_db().await.audit.audit_log().await.unwrap().len();
    // (Two at most: the other test may move the clock across a 15-minute window meanwhile.)
    assert!(
        after - before <= 2,
        "{} audit entries for 50 forged beats",
        after - before
    );
}

/// The kiosk page: a name found by the stones' own order (year, surname strokes, surname) and by
/// typing, answered with its stone, row and position and the stone drawn with it lit; a name on
/// the other monument says where it is; an unknown kiosk is a 404; nothing links off the kiosk.
#[tokio::test]
async fn the_kiosk_page_finds_a_name_by_the_stones_order_and_by_typing() {
    assert_eq!(get_text("/kiosk/no-such-kiosk").await.0, 404);
    assert_eq!(get_text("/kiosk/Bad%20Id").await.0, 404);
    new_kiosk("plaza-page-1").await;
    let catalog = server().state.catalog();
    let stone = catalog.stone_page("plaza-municipal", 1).unwrap();
    let first = &stone.names[0];
    let surname: String = first.name.chars().take(1).collect();
    let strokes = app::wall::strokes::stroke_count(surname.chars().next().unwrap()).unwrap();

    let (status, home) = get_text("/kiosk/plaza-page-1").await;
    assert_eq!(status, 200);
    assert!(home.contains(&format!("href=\"/kiosk/plaza-page-1?year={}\"", first.year)));
    for outbound in [
        "href=\"/stats\"",
        "href=\"/open-data\"",
        "site-header",
        "http://",
        "https://",
    ] {
        assert!(!home.contains(outbound), "no way off the kiosk: {outbound}");
    }
    let (_, step) = get_text(&format!("/kiosk/plaza-page-1?year={}", first.year)).await;
    assert!(
        step.contains(&format!("strokes={strokes}\"")),
        "{strokes} strokes offered"
    );
    let (_, step) = get_text(&format!(
        "/kiosk/plaza-page-1?year={}&strokes={strokes}",
        first.year
    ))
    .await;
    let surname_link = format!(
        "surname={}",
        surname
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect::<String>()
    );
    assert!(step.contains(&surname_link), "{surname} offered");
    let (_, step) = get_text(&format!(
        "/kiosk/plaza-page-1?year={}&strokes={strokes}&{surname_link}",
        first.year
    ))
    .await;
    assert!(step.contains(&format!("?person={}\"", first.id)));
    let (_, answer) = get_text(&format!("/kiosk/plaza-page-1?person={}", first.id)).await;
    assert!(answer.contains(&format!(
        "第1号石 · 第{}行 · 第{}位",
        first.row, first.position
    )));
    assert_eq!(answer.matches("slot lit").count(), 1, "one slot lit");

    // Typing finds the same person.
    let (_, found) = get_text(&format!(
        "/kiosk/plaza-page-1?q={}",
        first
            .name
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect::<String>()
    ))
    .await;
    assert!(found.contains(&format!("?person={}\"", first.id)));
    // What is typed is text.
    let (status, hostile) =
        get_text("/kiosk/plaza-page-1?q=%3Cscript%3Ealert(1)%3C/script%3E").await;
    assert_eq!(status, 200);
    assert!(!hostile.contains("<script>alert"));

    // A name on the national stones, asked at the plaza: where it is instead.
    let national = catalog.stone_page("national", 1).unwrap().names[0].id;
    let (_, elsewhere) = get_text(&format!("/kiosk/plaza-page-1?person={national}")).await;
    assert!(elsewhere.contains("这个名字不在这里"), "says where it is");
}

/// An administrator registers a kiosk in the admin UI: the secret is in the answer to the post,
/// and nowhere afterwards; a bad form comes back with what was typed and the field at fault;
/// another role is refused.
#[tokio::test]
async fn administrators_register_kiosks_in_the_admin_ui() {
    let admin = signed_in("admin-ui-k", Role::Administrator, "").await;
    let (status, page) = get_page(&admin, "/admin/kiosks/new").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("plaza-municipal"),
        "the monuments to choose from"
    );

    let res = client()
        .post(format!("{}/admin/kiosks", server().base))
        .header("Cookie", &admin)
        .form(&[
            ("id", "ui-kiosk-1"),
            ("name", "南门亭"),
            ("monument", "plaza-municipal"),
            ("x", "60"),
            ("y", "78"),
            ("facing", "0"),
            ("idle_seconds", "120"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    let secret = page
        .split("data-testid=\"kiosk-secret\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_string();
    assert_eq!(secret.len(), 64, "{page}");
    assert!(page.contains(&format!("/kiosk/ui-kiosk-1#secret={secret}")));
    let current = server().state.catalog().version.clone();
    assert_eq!(
        beat("ui-kiosk-1", &secret, &report(&current)).await,
        200,
        "the secret works"
    );
    let (status, again) = get_page(&admin, "/admin/kiosks/created").await;
    assert_eq!(status, 404);
    assert!(!again.contains(&secret), "shown once");

    // A bad id and a half place: back to the form, with what was typed.
    let (status, location) = post_form(
        &admin,
        "/admin/kiosks",
        &[
            ("id", "Bad Id"),
            ("name", "东门亭"),
            ("monument", "plaza-municipal"),
            ("x", "5"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    assert!(
        location.starts_with("/admin/kiosks/new?flash="),
        "{location}"
    );
    let (_, form) = get_page(&admin, &location).await;
    assert!(form.contains("东门亭"), "what was typed is kept");
    assert!(form.contains("x、y"), "the place's fields are named");

    let reviewer = signed_in("reviewer-ui-k", Role::Reviewer, "").await;
    let (status, _) = post_form(
        &reviewer,
        "/admin/kiosks",
        &[
            ("id", "sneaky-1"),
            ("name", "x"),
            ("monument", "plaza-municipal"),
        ],
    )
    .await;
    assert_eq!(status, 403);
    let db = test_db().await;
    assert!(db.kiosks.kiosk("sneaky-1").await.unwrap().is_none());
}

/// What visitors looked for arrives with the heartbeat and shows on the fleet page, counted by
/// query with nothing about who; a malformed count is refused.
#[tokio::test]
async fn search_counts_arrive_with_the_heartbeat() {
    let secret = new_kiosk("plaza-counts-1").await;
    let current = server().state.catalog().version.clone();
    let with_searches = |searches: serde_json::Value| {
        serde_json::json!({
            "data_version": current,
            "page_version": "kiosk-1",
            "searches": searches,
        })
        .to_string()
    };
    let body = with_searches(serde_json::json!([["ZhangWei", 3, 2], ["甯无此人", 1, 0]]));
    assert_eq!(beat("plaza-counts-1", &secret, &body).await, 200);
    let admin = signed_in("admin-counts", Role::Administrator, "").await;
    let (_, page) = get_page(&admin, "/admin/kiosks").await;
    let most = page.split("data-testid=\"kiosk-searches\"").nth(1).unwrap();
    assert!(most.contains("zhangwei"), "folded to lower case");
    let not_found = page
        .split("data-testid=\"kiosk-not-found\"")
        .nth(1)
        .unwrap();
    assert!(not_found.contains("甯无此人"));
    let bad = with_searches(serde_json::json!([["wang", 1, 2]]));
    assert_eq!(beat("plaza-counts-1", &secret, &bad).await, 400);
    let too_many = with_searches(serde_json::Value::Array(
        (0..51)
            .map(|i| serde_json::json!([format!("q{i}"), 1, 1]))
            .collect(),
    ));
    assert_eq!(beat("plaza-counts-1", &secret, &too_many).await, 400);
}
