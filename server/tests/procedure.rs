//! The whole procedure 一报告两审核三公示 against a real server, from the draft to the name on
//! the wall: an objection blocks the notice until it is resolved; notice periods pass by moving
//! the server's clock; the departmental checks gate the second review; the name appears publicly
//! once its batch is published. (Its own test binary: it moves the clock.)
mod common;

use app::domain::procedure::Role;
use app::domain::procedure::Stage;
use common::*;

async fn version(id: i64) -> String {
    server()
        .state
        .db
        .nominations
        .nomination(id)
        .await
        .unwrap()
        .unwrap()
        .version
        .to_string()
}

async fn stage(id: i64) -> String {
    server()
        .state
        .db
        .nominations
        .nomination(id)
        .await
        .unwrap()
        .unwrap()
        .stage
        .code()
        .to_string()
}

async fn act(cookie: &str, id: i64, action: &str, extra: &[(&str, &str)]) -> (u16, String) {
    let v = version(id).await;
    let mut form = vec![("action", action), ("version", v.as_str())];
    form.extend_from_slice(extra);
    post_form(cookie, &format!("/admin/nominations/{id}/actions"), &form).await
}

/// The message a refused action left on the page it went back to.
async fn message_after(cookie: &str, location: &str) -> String {
    let (_, html) = get_page(cookie, location).await;
    html
}

#[tokio::test]
async fn draft_to_wall_with_an_objection_that_blocks_until_resolved() {
    let s = server();
    let unit_secrets = create_account_in("unit-p", Role::NominatingUnit, "北京公交集团").await;
    let manager_secrets = create_account("notice-p", Role::NoticeManager).await;
    let reviewer_secrets = create_account("reviewer-p", Role::Reviewer).await;
    let admin_secrets = create_account("admin-p", Role::Administrator).await;
    let unit = sign_in("unit-p", &unit_secrets).await;

    // A draft, its photo, and the report submitted.
    let (status, location) =
        post_form(&unit, "/admin/nominations", &nomination_form("高秀兰", &[])).await;
    assert_eq!(status, 303, "{location}");
    let id = nomination_id(&location);
    let png = [
        &[0x89u8, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..],
        &[0u8; 64],
    ]
    .concat();
    let form = reqwest::multipart::Form::new().text("kind", "photo").part(
        "file",
        reqwest::multipart::Part::bytes(png).file_name("照片.png"),
    );
    let res = client()
        .post(format!("{}/admin/nominations/{id}/attachments", s.base))
        .header("Cookie", &unit)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["location"],
        format!("/admin/nominations/{id}?done=uploaded")
    );
    assert_eq!(act(&unit, id, "submit", &[]).await.0, 303);
    assert_eq!(stage(id).await, "recommended");

    // 基层公示 opens; the public sees the nominee and objects.
    let manager = sign_in("notice-p", &manager_secrets).await;
    let (_, overview) = get_page(&manager, "/admin").await;
    assert!(
        overview.contains(
            r#"href="/admin/nominations?stage=recommended">已推荐</a> <span class="count">1</span>"#
        ),
        "the overview says what waits for the notice manager"
    );
    let (status, location) = act(&manager, id, "open_notice", &[]).await;
    assert_eq!(
        (status, location.contains("done=action")),
        (303, true),
        "{location}"
    );
    assert_eq!(stage(id).await, "unit_notice");
    let (status, html) = get_text("/notices").await;
    assert_eq!(status, 200);
    assert!(html.contains("高秀兰") && html.contains("安全行驶一百万公里"));
    assert!(
        !html.contains("本单位经民主推荐"),
        "the report is not public"
    );
    let (status, location) = post_form(
        "",
        &format!("/notices/{id}/objections"),
        &[
            ("name", "赵明"),
            ("contact", "13800001111"),
            ("body", "该候选人所述安全里程与单位记录不符，请核实。"),
        ],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("/notices/{id}?filed=1").as_str())
    );

    // The notice cannot close: it is still running, and then the objection is open.
    let (_, location) = act(&manager, id, "close_notice", &[]).await;
    assert!(message_after(&manager, &location)
        .await
        .contains("公示期尚未结束"));
    s.clock.advance(chrono::Duration::days(8));
    let manager = sign_in("notice-p", &manager_secrets).await;
    let (_, location) = act(&manager, id, "close_notice", &[]).await;
    assert!(message_after(&manager, &location)
        .await
        .contains("1 件异议未处理"));
    // The unit may not see who objected.
    let unit = sign_in("unit-p", &unit_secrets).await;
    let (_, html) = get_page(&unit, &format!("/admin/nominations/{id}")).await;
    assert!(!html.contains("赵明") && !html.contains("13800001111"));
    // Objections after the notice ended are refused.
    let (_, location) = post_form(
        "",
        &format!("/notices/{id}/objections"),
        &[
            ("name", "钱红"),
            ("contact", "13800002222"),
            ("body", "补充意见：请再次核实安全里程。"),
        ],
    )
    .await;
    assert!(location.contains("flash="), "{location}");

    // Resolved: who, when, finding and outcome recorded; then the notice closes.
    let objection = test_db().await.objections.objections(id).await.unwrap()[0].id;
    let (status, _) = post_form(
        &manager,
        &format!("/admin/objections/{objection}/resolve"),
        &[
            ("nomination", &id.to_string()),
            ("finding", "经核查调度记录，安全里程属实。"),
            ("outcome", "dismissed"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let resolved = test_db().await.objections.objections(id).await.unwrap()[0]
        .resolution
        .clone()
        .unwrap();
    assert_eq!(
        (resolved.outcome.code(), resolved.resolver_name.as_str()),
        ("dismissed", "测试账号")
    );
    assert_eq!(act(&manager, id, "close_notice", &[]).await.0, 303);
    assert_eq!(stage(id).await, "first_review");

    // 初审 → 市级公示 (opens at once) → 复审.
    // The round's first candidate has no science and technology staff beside her: the reviewer
    // is warned (≥ 25 %) and confirms.
    let reviewer = sign_in("reviewer-p", &reviewer_secrets).await;
    let (_, location) = act(&reviewer, id, "pass", &[]).await;
    assert!(message_after(&reviewer, &location)
        .await
        .contains("科技人员占比将为 0.0%"));
    assert_eq!(
        act(&reviewer, id, "pass", &[("confirm_quota", "1")])
            .await
            .0,
        303
    );
    assert_eq!(stage(id).await, "city_notice");
    s.clock.advance(chrono::Duration::days(8));
    let manager = sign_in("notice-p", &manager_secrets).await;
    act(&manager, id, "close_notice", &[]).await;
    assert_eq!(stage(id).await, "second_review");

    // The departmental checks gate the second review.
    let reviewer = sign_in("reviewer-p", &reviewer_secrets).await;
    let (_, location) = act(&reviewer, id, "pass", &[]).await;
    assert!(message_after(&reviewer, &location)
        .await
        .contains("项部门意见未给出"));
    let checks = test_db().await.nominations.checks(id).await.unwrap();
    assert_eq!(checks.len(), 2, "纪检监察 and 劳动保障 for a non-manager");
    // The reviewer files the departments' written opinions; nothing else.
    for (kind, expected) in [("opinion", "done=uploaded"), ("form", "flash=")] {
        let form = reqwest::multipart::Form::new().text("kind", kind).part(
            "file",
            reqwest::multipart::Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec())
                .file_name("纪检监察意见.pdf"),
        );
        let res = client()
            .post(format!("{}/admin/nominations/{id}/attachments", s.base))
            .header("Cookie", &reviewer)
            .multipart(form)
            .send()
            .await
            .unwrap();
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert!(location.contains(expected), "{kind}: {location}");
    }
    assert_eq!(
        test_db()
            .await
            .nominations
            .attachments(id)
            .await
            .unwrap()
            .len(),
        2
    );
    for c in &checks {
        let (status, _) = post_form(
            &reviewer,
            &format!("/admin/checks/{}", c.id),
            &[
                ("nomination", &id.to_string()),
                ("verdict", "pass"),
                ("note", "无异常"),
            ],
        )
        .await;
        assert_eq!(status, 303);
    }
    assert_eq!(act(&reviewer, id, "pass", &[]).await.0, 303);
    assert_eq!(stage(id).await, "public_notice");

    // 社会公示, then approval: a laureate with an honour and a wall slot, not yet public.
    s.clock.advance(chrono::Duration::days(8));
    let reviewer = sign_in("reviewer-p", &reviewer_secrets).await;
    assert_eq!(act(&reviewer, id, "approve", &[]).await.0, 303);
    let row = s
        .state
        .db
        .nominations
        .nomination(id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.stage, Stage::Approved);
    let person = row.person_id.expect("a laureate record");
    let data = test_db().await.catalogue.load().await.unwrap();
    assert!(data.slots.iter().any(|slot| slot.person_id == person));
    let batch = data
        .batches
        .iter()
        .find(|b| b.year == 2025 && b.level == "municipal")
        .unwrap()
        .clone();
    assert!(!batch.published);
    assert_eq!(get_text(&format!("/laureates/{person}")).await.0, 404);

    // Published: on the wall and in the open data.
    let admin = sign_in("admin-p", &admin_secrets).await;
    let (status, _) = post_form(
        &admin,
        &format!("/admin/batches/{}/publish", batch.id),
        &[("publish", "1")],
    )
    .await;
    assert_eq!(status, 303);
    let (status, html) = get_text(&format!("/laureates/{person}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("高秀兰"));
    let (_, json) = get_json("/api/v1/laureates?q=高秀兰").await;
    assert_eq!(json["total"], 1, "{json}");

    // The history holds every step, before → after.
    let history = s
        .state
        .db
        .audit
        .audit_for("nomination", &id.to_string())
        .await
        .unwrap();
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    for expected in [
        "nomination.create",
        "attachment.add",
        "nomination.submit",
        "nomination.open_notice",
        "objection.file",
        "objection.resolve",
        "nomination.close_notice",
        "nomination.pass",
        "check.decide",
        "nomination.approve",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    let approve = history
        .iter()
        .find(|e| e.action == "nomination.approve")
        .unwrap();
    assert_eq!(
        approve.before_json.as_deref(),
        Some(r#"{"stage":"public_notice"}"#)
    );
}
