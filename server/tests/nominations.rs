//! Nominations, notices, settings and accounts over HTTP against a real server: every endpoint
//! with and without the right role, ownership, validation with kept input, optimistic locking,
//! uploads (oversized, disguised), inert XSS payloads and forged cross-site posts.
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

async fn new_draft(cookie: &str, name: &str) -> i64 {
    let (status, location) =
        post_form(cookie, "/admin/nominations", &nomination_form(name, &[])).await;
    assert_eq!(status, 303, "{location}");
    nomination_id(&location)
}

#[tokio::test]
async fn a_failed_save_keeps_the_input_and_marks_the_fields() {
    let unit = signed_in("unit-v", Role::NominatingUnit, "首钢集团").await;
    let long = "事".repeat(501);
    let form = nomination_form("张三3", &[("deeds_short", long.as_str()), ("year", "1800")]);
    let (status, location) = post_form(&unit, "/admin/nominations", &form).await;
    assert_eq!(status, 303);
    assert!(
        location.starts_with("/admin/nominations/new?flash="),
        "{location}"
    );
    let (_, html) = get_page(&unit, &location).await;
    assert!(
        html.contains("id=\"e-candidate_name\""),
        "error next to the name"
    );
    assert!(html.contains("id=\"e-deeds_short\"") && html.contains("已写 501 字"));
    assert!(html.contains("id=\"e-year\""));
    assert!(
        html.contains("value=\"张三3\""),
        "what was typed is shown again"
    );
    assert!(html.contains("北京公交集团"));
    // Read once: the kept input is not there for a second look, and nothing was stored.
    let (_, again) = get_page(&unit, &location).await;
    assert!(!again.contains("张三3"));
    let all = test_db().await.nominations.nominations().await.unwrap();
    assert!(all.iter().all(|n| n.packet.candidate_name != "张三3"));
}

#[tokio::test]
async fn two_editors_never_overwrite_each_other() {
    let first = signed_in("unit-l1", Role::NominatingUnit, "燕京啤酒").await;
    let second = signed_in("unit-l2", Role::NominatingUnit, "燕京啤酒").await;
    let id = new_draft(&first, "李红").await;
    let read = version(id).await;
    let mine = nomination_form("李红", &[("version", read.as_str()), ("post", "车间主任")]);
    let theirs = nomination_form("李红", &[("version", read.as_str()), ("post", "班组长")]);
    let (_, location) = post_form(&first, &format!("/admin/nominations/{id}"), &mine).await;
    assert_eq!(location, format!("/admin/nominations/{id}?done=saved"));
    let (_, location) = post_form(&second, &format!("/admin/nominations/{id}"), &theirs).await;
    assert!(
        location.starts_with(&format!("/admin/nominations/{id}/edit?flash=")),
        "{location}"
    );
    let (_, html) = get_page(&second, &location).await;
    assert!(html.contains("已被他人修改"), "the conflict is explained");
    assert!(
        html.contains("value=\"班组长\""),
        "the loser's input is kept"
    );
    let stored = server()
        .state
        .db
        .nominations
        .nomination(id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.packet.post.as_deref(), Some("车间主任"));
}

#[tokio::test]
async fn roles_and_ownership_are_checked_on_the_server() {
    let unit_a = signed_in("unit-ra", Role::NominatingUnit, "北京地铁").await;
    let unit_b = signed_in("unit-rb", Role::NominatingUnit, "北京电力").await;
    let reviewer = signed_in("reviewer-r", Role::Reviewer, "").await;
    let manager = signed_in("notice-r", Role::NoticeManager, "").await;
    let admin = signed_in("admin-r", Role::Administrator, "").await;
    let id = new_draft(&unit_a, "王芳").await;
    let v = version(id).await;

    // Only nominating units create nominations.
    for cookie in [&reviewer, &manager, &admin] {
        let (status, _) =
            post_form(cookie, "/admin/nominations", &nomination_form("赵四", &[])).await;
        assert_eq!(status, 403);
    }
    assert_eq!(
        post_form("", "/admin/nominations", &nomination_form("赵四", &[]))
            .await
            .0,
        401
    );
    // Another unit can neither see nor change it; nobody else sees a draft.
    assert_eq!(
        get_page(&unit_b, &format!("/admin/nominations/{id}"))
            .await
            .0,
        404,
        "reported as missing"
    );
    for cookie in [&unit_b, &reviewer, &manager, &admin] {
        let (status, _) = post_form(
            cookie,
            &format!("/admin/nominations/{id}"),
            &nomination_form("王芳", &[("version", v.as_str())]),
        )
        .await;
        assert_eq!(status, 404, "a draft is invisible to others");
        let (status, _) = post_form(
            cookie,
            &format!("/admin/nominations/{id}/actions"),
            &[("action", "submit"), ("version", v.as_str())],
        )
        .await;
        assert_eq!(status, 404);
    }
    let (_, list) = get_page(&unit_b, "/admin/nominations").await;
    assert!(!list.contains("王芳"));

    // Submitted: each action only for its role.
    assert_eq!(
        post_form(
            &unit_a,
            &format!("/admin/nominations/{id}/actions"),
            &[("action", "submit"), ("version", v.as_str())]
        )
        .await
        .0,
        303
    );
    let v = version(id).await;
    for (cookie, action) in [
        (&unit_a, "open_notice"),
        (&reviewer, "open_notice"),
        (&admin, "open_notice"),
        (&manager, "pass"),
        (&admin, "reject"),
        (&manager, "withdraw"),
        (&reviewer, "withdraw"),
    ] {
        let (status, _) = post_form(
            cookie,
            &format!("/admin/nominations/{id}/actions"),
            &[
                ("action", action),
                ("version", v.as_str()),
                ("note", "理由"),
            ],
        )
        .await;
        assert_eq!(status, 403, "{action}");
    }
    // Reviewers see submitted nominations; the unit may no longer edit.
    assert_eq!(
        get_page(&reviewer, &format!("/admin/nominations/{id}"))
            .await
            .0,
        200
    );
    let (_, location) = post_form(
        &unit_a,
        &format!("/admin/nominations/{id}"),
        &nomination_form("王芳", &[("version", v.as_str())]),
    )
    .await;
    assert!(location.contains("flash="));

    // Objection resolution, check verdicts, settings, batches and accounts are role-bound too.
    for cookie in [&unit_a, &reviewer, &admin] {
        assert_eq!(
            post_form(
                cookie,
                "/admin/objections/1/resolve",
                &[("finding", "核查属实。"), ("outcome", "dismissed")]
            )
            .await
            .0,
            403
        );
    }
    for cookie in [&unit_a, &manager, &admin] {
        assert_eq!(
            post_form(
                cookie,
                "/admin/checks/1",
                &[("nomination", &id.to_string()), ("verdict", "pass")]
            )
            .await
            .0,
            403
        );
    }
    for cookie in [&unit_a, &reviewer, &manager] {
        assert_eq!(
            post_form(cookie, "/admin/settings", &[("unit_notice", "5")])
                .await
                .0,
            403
        );
        assert_eq!(
            post_form(cookie, "/admin/batches/1/publish", &[("publish", "0")])
                .await
                .0,
            403
        );
        assert_eq!(
            post_form(cookie, "/admin/users", &[("username", "mallory")])
                .await
                .0,
            403
        );
        assert_eq!(get_page(cookie, "/admin/settings").await.0, 403);
    }
    for path in [
        "/admin/objections/1/resolve",
        "/admin/checks/1",
        "/admin/settings",
        "/admin/batches/1/publish",
        "/admin/users",
    ] {
        assert_eq!(post_form("", path, &[]).await.0, 401, "{path}");
    }
    // Refusals are audited.
    let log = test_db().await.audit.audit_log().await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "access.refused" && e.actor_name == "unit-rb"),
        "{:?}",
        log.iter().map(|e| &e.action).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn uploads_are_checked_by_content_and_size_and_nothing_is_kept_when_refused() {
    let s = server();
    let unit = signed_in("unit-u", Role::NominatingUnit, "同仁堂").await;
    let id = new_draft(&unit, "孙丽").await;
    let upload = |kind: &'static str, name: &'static str, bytes: Vec<u8>| {
        let unit = unit.clone();
        async move {
            let form = reqwest::multipart::Form::new().text("kind", kind).part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name),
            );
            let res = client()
                .post(format!(
                    "{}/admin/nominations/{id}/attachments",
                    server().base
                ))
                .header("Cookie", &unit)
                .multipart(form)
                .send()
                .await
                .unwrap();
            (
                res.status().as_u16(),
                res.headers()
                    .get("location")
                    .map(|l| l.to_str().unwrap().to_string())
                    .unwrap_or_default(),
            )
        }
    };
    let files_on_disk = || walk(&s.state.uploads_dir);
    // An HTML page named .pdf, a PDF named .png, and 10 MB + 1 byte of PDF: all refused.
    let (_, location) = upload(
        "form",
        "推荐表.pdf",
        b"<html><script>alert(1)</script></html>".to_vec(),
    )
    .await;
    let (_, html) = get_page(&unit, &location).await;
    assert!(html.contains("只接受 PDF、JPEG 或 PNG"), "{location}");
    let (_, location) = upload("photo", "photo.png", b"%PDF-1.7 rest".to_vec()).await;
    assert!(get_page(&unit, &location)
        .await
        .1
        .contains("文件内容是 PDF"));
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize((10 << 20) + 1, b'0');
    let (status, location) = upload("form", "big.pdf", big).await;
    assert_eq!(status, 303);
    assert!(get_page(&unit, &location)
        .await
        .1
        .contains("文件超过 10 MB"));
    assert!(s
        .state
        .db
        .nominations
        .attachments(id)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        files_on_disk(),
        0,
        "nothing stored, not even a temporary file"
    );

    // A real PDF is stored, downloadable by those who may see it, with a safe name.
    let (status, location) =
        upload("form", "../../推荐表.pdf", b"%PDF-1.7\n%%EOF\n".to_vec()).await;
    assert_eq!(
        location,
        format!("/admin/nominations/{id}?done=uploaded"),
        "{status}"
    );
    let stored = test_db().await.nominations.attachments(id).await.unwrap();
    assert_eq!(
        (stored.len(), stored[0].file_name.as_str()),
        (1, "推荐表.pdf")
    );
    assert_eq!(files_on_disk(), 1);

    // The scheduled collection keeps every file a record names, and young files (an upload
    // under way on another instance); it takes settled files no record names.
    let uploads = s.state.uploads_dir.to_path_buf();
    let hour_ago = std::time::SystemTime::now() - server::uploads::SETTLED;
    let age = |path: &std::path::Path| {
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap()
    };
    let named = server::uploads::stored_path(&s.state, &stored[0].sha256);
    age(&named);
    let orphan = uploads.join("ab").join("ab".repeat(32));
    let young = uploads.join("cd").join("cd".repeat(32));
    for path in [&orphan, &young] {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"%PDF-1.7\n").unwrap();
    }
    age(&orphan);
    let removed = server::uploads::collect_garbage(&s.state).await;
    assert!(
        named.exists() && young.exists() && !orphan.exists(),
        "{removed}"
    );
    std::fs::remove_file(&young).unwrap();
    let res = client()
        .get(format!("{}/admin/attachments/{}", s.base, stored[0].id))
        .header("Cookie", &unit)
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let other = signed_in("unit-u2", Role::NominatingUnit, "稻香村").await;
    assert_eq!(
        get_page(&other, &format!("/admin/attachments/{}", stored[0].id))
            .await
            .0,
        404
    );
    assert_eq!(
        get_text(&format!("/admin/attachments/{}", stored[0].id))
            .await
            .0,
        401
    );
}

fn walk(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            if e.path().is_dir() {
                walk(&e.path())
            } else {
                1
            }
        })
        .sum()
}

#[tokio::test]
async fn xss_payloads_render_inert_everywhere() {
    let s = server();
    let unit = signed_in(
        "unit-x",
        Role::NominatingUnit,
        "<img src=x onerror=alert(1)>单位",
    )
    .await;
    let manager = signed_in("notice-x", Role::NoticeManager, "").await;
    let payload = "<script>alert('x')</script><img src=x onerror=alert(1)>";
    let form = nomination_form(
        "周杰",
        &[
            ("deeds_short", payload),
            ("work_unit", payload),
            ("report", payload),
            ("deeds_full", payload),
        ],
    );
    let (_, location) = post_form(&unit, "/admin/nominations", &form).await;
    let id = nomination_id(&location);
    let v = version(id).await;
    post_form(
        &unit,
        &format!("/admin/nominations/{id}/actions"),
        &[("action", "submit"), ("version", v.as_str())],
    )
    .await;
    let v = version(id).await;
    post_form(
        &manager,
        &format!("/admin/nominations/{id}/actions"),
        &[("action", "open_notice"), ("version", v.as_str())],
    )
    .await;
    post_form(
        "",
        &format!("/notices/{id}/objections"),
        &[
            ("name", "吴<b>敏</b>"),
            ("contact", "13800003333"),
            ("body", payload),
        ],
    )
    .await;
    for (cookie, path) in [
        (unit.as_str(), format!("/admin/nominations/{id}")),
        (manager.as_str(), format!("/admin/nominations/{id}")),
        (unit.as_str(), "/admin/nominations".to_string()),
        ("", "/notices".to_string()),
        ("", format!("/notices/{id}")),
    ] {
        let (_, html) = get_page(cookie, &path).await;
        assert!(!html.contains("<script>alert"), "{path}");
        assert!(!html.contains("<img src=x"), "{path}");
        assert!(
            html.contains("&lt;script&gt;") || html.contains("&lt;img"),
            "{path} shows the text, escaped"
        );
    }
    let _ = s;
}

#[tokio::test]
async fn forged_cross_site_posts_are_refused_and_change_nothing() {
    let s = server();
    let unit = signed_in("unit-c", Role::NominatingUnit, "全聚德").await;
    let before = test_db()
        .await
        .nominations
        .nominations()
        .await
        .unwrap()
        .len();
    for headers in [
        [("sec-fetch-site", "cross-site")],
        [("origin", "https://evil.example")],
    ] {
        let mut req = client()
            .post(format!("{}/admin/nominations", s.base))
            .header("Cookie", &unit)
            .form(&nomination_form("钱七", &[]));
        for (k, v) in headers {
            req = req.header(k, v);
        }
        assert_eq!(req.send().await.unwrap().status().as_u16(), 403);
    }
    let res = client()
        .post(format!("{}/notices/1/objections", s.base))
        .header("sec-fetch-site", "cross-site")
        .form(&[
            ("name", "某某"),
            ("contact", "13800000000"),
            ("body", "伪造的跨站异议内容……"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    assert_eq!(
        test_db()
            .await
            .nominations
            .nominations()
            .await
            .unwrap()
            .len(),
        before
    );
}

#[tokio::test]
async fn objections_are_validated_and_rate_limited() {
    let unit = signed_in("unit-o", Role::NominatingUnit, "王府井百货").await;
    let manager = signed_in("notice-o", Role::NoticeManager, "").await;
    let id = new_draft(&unit, "郑洁").await;
    let v = version(id).await;
    post_form(
        &unit,
        &format!("/admin/nominations/{id}/actions"),
        &[("action", "submit"), ("version", v.as_str())],
    )
    .await;
    let v = version(id).await;
    post_form(
        &manager,
        &format!("/admin/nominations/{id}/actions"),
        &[("action", "open_notice"), ("version", v.as_str())],
    )
    .await;
    // Anonymous, unreachable or empty objections are refused with the reason next to each field.
    let mut visitor = String::new();
    let (_, location) = post_as_visitor(
        &mut visitor,
        &format!("/notices/{id}/objections"),
        &[("name", ""), ("contact", "abc"), ("body", "短")],
    )
    .await;
    let (_, html) = get_page(&visitor, &location).await;
    for field in ["e-name", "e-contact", "e-body"] {
        assert!(html.contains(field), "{field}");
    }
    // Five an hour from one address, then a clear refusal.
    let body = "该候选人事迹材料中的获奖情况有误，请核实。";
    let mut refused = false;
    for i in 0..6 {
        let name = format!("证人{}", ["甲", "乙", "丙", "丁", "戊", "己"][i]);
        let (_, location) = post_as_visitor(
            &mut visitor,
            &format!("/notices/{id}/objections"),
            &[
                ("name", name.as_str()),
                ("contact", "13800004444"),
                ("body", body),
            ],
        )
        .await;
        if location.contains("flash=") {
            assert!(get_page(&visitor, &location)
                .await
                .1
                .contains("提交过于频繁"));
            refused = true;
        }
    }
    assert!(refused);
    assert!(
        test_db()
            .await
            .objections
            .objections(id)
            .await
            .unwrap()
            .len()
            <= 5
    );
}

#[tokio::test]
async fn quota_warnings_need_confirmation() {
    let s = server();
    let unit = signed_in("unit-q", Role::NominatingUnit, "中关村科技").await;
    let manager = signed_in("notice-q", Role::NoticeManager, "").await;
    let reviewer = signed_in("reviewer-q", Role::Reviewer, "").await;
    // A manager (企业负责人) in a round with nobody yet: passing the first review makes managers
    // 100 % against "≤ 8 %".
    let form = nomination_form(
        "冯刚",
        &[
            ("frontline", ""),
            ("manager", "1"),
            ("category", "beijing_advanced"),
        ],
    );
    let (_, location) = post_form(&unit, "/admin/nominations", &form).await;
    let id = nomination_id(&location);
    s.state
        .db
        .settings
        .save_settings(
            &[],
            &app::domain::review::parse_rules(
                "beijing_advanced 2025 manager <= 8",
                &["beijing_advanced"],
            )
            .unwrap(),
            &app::db::AuditEntry::new(
                "2026-01-01T00:00:00.000Z".into(),
                "test",
                "quotas",
                "settings",
            ),
        )
        .await
        .unwrap();
    let v = version(id).await;
    post_form(
        &unit,
        &format!("/admin/nominations/{id}/actions"),
        &[("action", "submit"), ("version", v.as_str())],
    )
    .await;
    let v = version(id).await;
    post_form(
        &manager,
        &format!("/admin/nominations/{id}/actions"),
        &[("action", "open_notice"), ("version", v.as_str())],
    )
    .await;
    // Move the notice's end into the past directly (this binary's clock is shared).
    let mut row = s
        .state
        .db
        .nominations
        .nomination(id)
        .await
        .unwrap()
        .unwrap();
    row.notice_end = Some("2000-01-01".into());
    let change = app::db::NominationChange {
        audit: app::db::AuditEntry::new(
            "2026-01-01T00:00:00.000Z".into(),
            "test",
            "test.notice_end",
            "nomination",
        ),
        open_checks: vec![],
        approval: None,
    };
    assert!(s
        .state
        .db
        .nominations
        .save_nomination(&row, &change)
        .await
        .unwrap());
    let v = version(id).await;
    post_form(
        &manager,
        &format!("/admin/nominations/{id}/actions"),
        &[("action", "close_notice"), ("version", v.as_str())],
    )
    .await;
    assert_eq!(
        s.state
            .db
            .nominations
            .nomination(id)
            .await
            .unwrap()
            .unwrap()
            .stage,
        Stage::FirstReview
    );

    let (_, page) = get_page(&reviewer, &format!("/admin/nominations/{id}")).await;
    assert!(
        page.contains("名额比例提醒") && page.contains("经营管理者占比将为 100.0%"),
        "the warning is shown before the decision"
    );
    let v = version(id).await;
    let (_, location) = post_form(
        &reviewer,
        &format!("/admin/nominations/{id}/actions"),
        &[("action", "pass"), ("version", v.as_str())],
    )
    .await;
    assert!(get_page(&reviewer, &location)
        .await
        .1
        .contains("此决定将突破名额比例"));
    assert_eq!(
        s.state
            .db
            .nominations
            .nomination(id)
            .await
            .unwrap()
            .unwrap()
            .stage,
        Stage::FirstReview
    );
    let (_, location) = post_form(
        &reviewer,
        &format!("/admin/nominations/{id}/actions"),
        &[
            ("action", "pass"),
            ("version", v.as_str()),
            ("confirm_quota", "1"),
        ],
    )
    .await;
    assert!(location.contains("done=action"), "{location}");
    assert_eq!(
        s.state
            .db
            .nominations
            .nomination(id)
            .await
            .unwrap()
            .unwrap()
            .stage,
        Stage::CityNotice
    );
}

#[tokio::test]
async fn administrators_create_accounts_and_see_the_second_factor_once() {
    let admin = signed_in("admin-a", Role::Administrator, "").await;
    let (_, location) = post_form(
        &admin,
        "/admin/users",
        &[
            ("username", "Bad Name"),
            ("display_name", "审核员甲"),
            ("role", "reviewer"),
            ("password", "short"),
            ("password_again", "short"),
        ],
    )
    .await;
    let (_, html) = get_page(&admin, &location).await;
    assert!(html.contains("e-username"));
    assert!(html.contains("value=\"Bad Name\""));
    assert!(
        !html.contains("value=\"short\""),
        "passwords are never kept"
    );
    // The secrets come back as the answer to the post itself (nothing stored to fetch later).
    let res = client()
        .post(format!("{}/admin/users", server().base))
        .header("Cookie", &admin)
        .form(&[
            ("username", "reviewer-new"),
            ("display_name", "审核员甲"),
            ("role", "reviewer"),
            ("password", TEST_PASSWORD),
            ("password_again", TEST_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let html = res.text().await.unwrap();
    let secret = html
        .split("data-testid=\"totp-secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert!(secret.len() >= 16);
    assert!(html.contains("reviewer-new"));
    // Shown once: the page alone, or with any old-style key, shows nothing.
    for path in [
        "/admin/users/created",
        "/admin/users/created?flash=000000000000000000000000",
    ] {
        let (status, again) = get_page(&admin, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(!again.contains(&secret));
    }
    // The new reviewer can sign in with it.
    let secrets = app::auth::accounts::FirstSecrets {
        totp_secret: secret,
        provisioning_url: String::new(),
        recovery_codes: vec![],
    };
    let cookie = sign_in("reviewer-new", &secrets).await;
    assert_eq!(get_page(&cookie, "/admin/nominations").await.0, 200);
}

#[tokio::test]
async fn settings_are_validated_and_drive_notice_lengths() {
    let admin = signed_in("admin-s", Role::Administrator, "").await;
    let (_, location) = post_form(
        &admin,
        "/admin/settings",
        &[
            ("unit_notice", "0"),
            ("city_notice", "7"),
            ("public_notice", "5"),
            ("holidays", "2026-13-01 holiday"),
            ("quotas", "beijing_model 2025 frontline >= 45"),
        ],
    )
    .await;
    let (_, html) = get_page(&admin, &location).await;
    assert!(html.contains("e-unit_notice") && html.contains("e-holidays"));
    assert!(html.contains("2026-13-01 holiday"), "input kept");
    let (_, location) = post_form(&admin, "/admin/settings", &[
        ("unit_notice", "5"), ("city_notice", "7"), ("public_notice", "5"),
        ("holidays", "2026-10-01 holiday\n"), ("quotas", "beijing_model 2025 frontline >= 45\nbeijing_model 2025 scitech >= 25\nbeijing_model 2025 manager <= 8\nbeijing_advanced 2025 manager <= 8"),
    ]).await;
    assert_eq!(location, "/admin/settings?done=saved");
    let settings = test_db().await.settings.settings().await.unwrap();
    assert_eq!(settings["notice_days.city_notice"], "7");
}

/// Calls a server function as the holder of `cookie`; returns (status, body).
async fn server_fn(cookie: &str, name: &str, args: &[(&str, &str)]) -> (u16, String) {
    let res = client()
        .post(format!("{}/fn/{name}", server().base))
        .header("Cookie", cookie)
        .form(args)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn server_functions_check_the_caller_too() {
    let unit = signed_in("unit-f", Role::NominatingUnit, "北京烤鸭").await;
    let other = signed_in("unit-f2", Role::NominatingUnit, "北京同仁堂").await;
    let reviewer = signed_in("reviewer-f", Role::Reviewer, "").await;
    let id = new_draft(&unit, "陈静").await;
    let id_text = id.to_string();
    // Anonymous callers get nothing (the page shows the sign-in link).
    for (name, args) in [
        ("load_nominations", vec![]),
        ("load_nomination", vec![("id", id_text.as_str())]),
        ("load_nomination_form", vec![]),
        ("load_settings", vec![]),
        ("load_account_form", vec![]),
    ] {
        let (status, body) = server_fn("", name, &args).await;
        assert_eq!((status, body.as_str()), (200, "null"), "{name}");
    }
    // The owner sees the draft; another unit and a reviewer are told it does not exist.
    let (_, body) = server_fn(&unit, "load_nomination", &[("id", &id_text)]).await;
    assert!(body.contains("陈静"));
    for cookie in [&other, &reviewer] {
        let (status, body) = server_fn(cookie, "load_nomination", &[("id", &id_text)]).await;
        assert!(
            status == 404 && body.contains("NotFound") && !body.contains("陈静"),
            "{status} {body}"
        );
        let (_, list) = server_fn(cookie, "load_nominations", &[]).await;
        assert!(!list.contains("陈静"));
    }
    // Only units get the nomination form; only administrators the settings and account forms.
    assert_eq!(
        server_fn(&reviewer, "load_nomination_form", &[]).await.0,
        403
    );
    for name in ["load_settings", "load_account_form"] {
        let (status, body) = server_fn(&unit, name, &[]).await;
        assert!(
            status == 403 && body.contains("Forbidden"),
            "{name}: {body}"
        );
    }
    // Another account cannot read someone's kept form input or new secrets.
    let (_, body) = server_fn(
        &other,
        "load_created_account",
        &[("flash", "0123456789abcdef01234567")],
    )
    .await;
    assert!(body.contains("NotFound"));
}

#[tokio::test]
async fn returned_nominations_come_back_with_reasons_and_units_may_withdraw() {
    let s = server();
    let unit = signed_in("unit-w", Role::NominatingUnit, "北京协和医院").await;
    let reviewer = signed_in("reviewer-w", Role::Reviewer, "").await;
    let id = new_draft(&unit, "林梅").await;
    let act = |cookie: String, action: &'static str, note: &'static str| async move {
        let v = server()
            .state
            .db
            .nominations
            .nomination(id)
            .await
            .unwrap()
            .unwrap()
            .version
            .to_string();
        post_form(
            &cookie,
            &format!("/admin/nominations/{id}/actions"),
            &[("action", action), ("version", v.as_str()), ("note", note)],
        )
        .await
    };
    act(unit.clone(), "submit", "").await;
    // Files are fixed once submitted: the refusal comes back to the nomination page.
    let form = reqwest::multipart::Form::new().text("kind", "form").part(
        "file",
        reqwest::multipart::Part::bytes(b"%PDF-1.4\n".to_vec()).file_name("a.pdf"),
    );
    let res = client()
        .post(format!("{}/admin/nominations/{id}/attachments", s.base))
        .header("Cookie", &unit)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with(&format!("/admin/nominations/{id}?flash=")),
        "{location}"
    );
    assert!(get_page(&unit, &location)
        .await
        .1
        .contains("提交后不能再更改材料"));
    // Returning needs reasons, which the unit then reads.
    let (_, location) = act(reviewer.clone(), "return", "").await;
    assert!(get_page(&reviewer, &location)
        .await
        .1
        .contains("请写明理由"));
    act(reviewer.clone(), "return", "请补充民主测评表。").await;
    let row = s
        .state
        .db
        .nominations
        .nomination(id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.stage.code(), row.decision_note.as_deref()),
        ("returned", Some("请补充民主测评表。"))
    );
    let (_, page) = get_page(&unit, &format!("/admin/nominations/{id}")).await;
    assert!(page.contains("请补充民主测评表。") && page.contains("修改提名内容"));
    // Edited and submitted again, then withdrawn; after that nothing moves it.
    let v = row.version.to_string();
    let (_, location) = post_form(
        &unit,
        &format!("/admin/nominations/{id}"),
        &nomination_form("林梅", &[("version", v.as_str()), ("post", "护士长")]),
    )
    .await;
    assert!(location.ends_with("done=saved"), "{location}");
    act(unit.clone(), "submit", "").await;
    assert_eq!(
        s.state
            .db
            .nominations
            .nomination(id)
            .await
            .unwrap()
            .unwrap()
            .stage,
        Stage::Recommended
    );
    act(unit.clone(), "withdraw", "").await;
    assert_eq!(
        s.state
            .db
            .nominations
            .nomination(id)
            .await
            .unwrap()
            .unwrap()
            .stage,
        Stage::Withdrawn
    );
    let (_, location) = act(unit.clone(), "submit", "").await;
    assert!(get_page(&unit, &location).await.1.contains("不能"));
    assert_eq!(
        s.state
            .db
            .nominations
            .nomination(id)
            .await
            .unwrap()
            .unwrap()
            .stage,
        Stage::Withdrawn
    );
}

#[tokio::test]
async fn anonymous_visitors_get_the_sign_in_form_on_every_admin_page() {
    for path in [
        "/admin/nominations",
        "/admin/nominations/new",
        "/admin/nominations/1",
        "/admin/settings",
        "/admin/users/new",
    ] {
        let (status, html) = get_text(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains("action=\"/admin/login\""), "{path}");
        assert!(!html.contains("admin-nav"), "{path}: nothing else");
    }
}
