//! Admin sign-in, sessions, the audit log and the cross-site check, against a real server.
mod common;

use app::auth::{accounts, second_factor};
use app::clock::Clock;
use app::domain::procedure::Role;
use common::*;

const PASSWORD: &str = TEST_PASSWORD;

async fn account(username: &str, role: Role) -> accounts::FirstSecrets {
    create_account(username, role).await
}

fn code(secrets: &accounts::FirstSecrets) -> String {
    second_factor::code_at(
        &secrets.totp_secret,
        server().clock.now().timestamp() as u64,
    )
    .unwrap()
}

/// The code of the next time step: a second sign-in within one step needs it (a code is good
/// once).
fn next_code(secrets: &accounts::FirstSecrets) -> String {
    second_factor::code_at(
        &secrets.totp_secret,
        server().clock.now().timestamp() as u64 + 30,
    )
    .unwrap()
}

async fn login(username: &str, password: &str, code: &str) -> reqwest::Response {
    client()
        .post(format!("{}/admin/login", server().base))
        .form(&[
            ("username", username),
            ("password", password),
            ("code", code),
        ])
        .send()
        .await
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_string()
}

fn session_cookie(r: &reqwest::Response) -> String {
    let set = r.headers()["set-cookie"].to_str().unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    set.split(';').next().unwrap().to_string()
}

async fn admin_page(cookie: &str) -> String {
    client()
        .get(format!("{}/admin", server().base))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn anonymous_visitors_get_the_login_form_only() {
    let (status, html) = get_text("/admin").await;
    assert_eq!(status, 200);
    assert!(html.contains("action=\"/admin/login\""));
    assert!(!html.contains("审计日志"));
    let (status, _) = get_text("/admin/audit.csv").await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn errors_never_tell_whether_the_account_exists() {
    let secrets = account("t-exists", Role::Reviewer).await;
    let wrong_password = login("t-exists", "not-the-password-at-all", &code(&secrets)).await;
    let unknown = login("t-nobody", PASSWORD, "123456").await;
    let wrong_code = login("t-exists", PASSWORD, "000000").await;
    for (r, name) in [
        (&wrong_password, "t-exists"),
        (&unknown, "t-nobody"),
        (&wrong_code, "t-exists"),
    ] {
        assert_eq!(r.status(), 303);
        assert_eq!(location(r), format!("/admin?error=invalid&username={name}"));
        assert!(r.headers().get("set-cookie").is_none());
    }
    let html = client()
        .get(format!("{}{}", server().base, location(&unknown)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("用户名、密码或验证码不正确"));
    assert!(
        html.contains("value=\"t-nobody\""),
        "the name typed is kept"
    );
}

#[tokio::test]
async fn a_full_login_gives_a_session_that_logout_ends() {
    let secrets = account("t-admin", Role::Administrator).await;
    let r = login("t-admin", PASSWORD, &code(&secrets)).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/admin");
    let cookie = session_cookie(&r);
    let html = admin_page(&cookie).await;
    assert!(html.contains("系统管理员") && html.contains("t-admin"));
    assert!(html.contains("审计日志") && html.contains("auth.login"));
    // A second login gets a new session id.
    let again = session_cookie(&login("t-admin", PASSWORD, &next_code(&secrets)).await);
    assert_ne!(again, cookie);
    // The export holds the failed and successful logins.
    let csv = client()
        .get(format!("{}/admin/audit.csv", server().base))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.unwrap();
    assert!(csv.contains("auth.login") && csv.lines().next().unwrap().contains("action"));
    // Logout ends the session on the server, not only in the browser.
    let out = client()
        .post(format!("{}/admin/logout", server().base))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert!(out.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert!(admin_page(&cookie)
        .await
        .contains("action=\"/admin/login\""));
    assert!(
        !admin_page(&again).await.contains("action=\"/admin/login\""),
        "other sessions stay"
    );
}

#[tokio::test]
async fn recovery_codes_work_once() {
    let secrets = account("t-recovery", Role::NoticeManager).await;
    let code = secrets.recovery_codes[3].to_uppercase();
    assert_eq!(
        location(&login("t-recovery", PASSWORD, &code).await),
        "/admin"
    );
    assert!(location(&login("t-recovery", PASSWORD, &code).await).contains("error=invalid"));
}

#[tokio::test]
async fn only_administrators_export_the_audit_log() {
    let secrets = account("t-reviewer", Role::Reviewer).await;
    let cookie = session_cookie(&login("t-reviewer", PASSWORD, &code(&secrets)).await);
    assert!(!admin_page(&cookie).await.contains("审计日志"));
    let r = client()
        .get(format!("{}/admin/audit.csv", server().base))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let log = test_db().await.audit.audit_log().await.unwrap();
    assert!(log
        .iter()
        .any(|e| e.action == "access.refused" && e.actor_name == "t-reviewer"));
}

#[tokio::test]
async fn failed_logins_are_limited_per_account() {
    let secrets = account("t-limited", Role::Reviewer).await;
    for _ in 0..5 {
        assert!(
            location(&login("t-limited", "wrong-password-guess", "000000").await)
                .contains("error=invalid")
        );
    }
    // Even the right password and code are refused for a while, with a clear message.
    let r = login("t-limited", PASSWORD, &code(&secrets)).await;
    assert_eq!(location(&r), "/admin?error=limited&username=t-limited");
    let html = client()
        .get(format!("{}{}", server().base, location(&r)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("尝试次数过多"));
    let log = test_db().await.audit.audit_log().await.unwrap();
    assert!(log
        .iter()
        .any(|e| e.action == "auth.login_rate_limited" && e.actor_name == "t-limited"));
}

async fn post_with(path: &str, header: (&str, &str), form: &[(&str, &str)]) -> reqwest::StatusCode {
    client()
        .post(format!("{}{}", server().base, path))
        .header(header.0, header.1)
        .form(form)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let login_form = [("username", "x"), ("password", "y"), ("code", "z")];
    assert_eq!(
        post_with(
            "/admin/login",
            ("Sec-Fetch-Site", "cross-site"),
            &login_form
        )
        .await,
        403
    );
    assert_eq!(
        post_with(
            "/fn/search",
            ("Origin", "https://evil.example"),
            &[("q", "zwm")]
        )
        .await,
        403
    );
    // The same request from the site itself goes through.
    assert_eq!(
        post_with(
            "/fn/search",
            ("Sec-Fetch-Site", "same-origin"),
            &[("q", "zwm")]
        )
        .await,
        200
    );
}

async fn post_as(cookie: &str, path: &str) -> reqwest::Response {
    client()
        .post(format!("{}{}", server().base, path))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn administrators_disable_accounts_and_end_sessions_at_once() {
    let admin = account("t-boss", Role::Administrator).await;
    let worker = account("t-worker", Role::Reviewer).await;
    let admin_cookie = session_cookie(&login("t-boss", PASSWORD, &code(&admin)).await);
    let worker_cookie = session_cookie(&login("t-worker", PASSWORD, &code(&worker)).await);
    let worker_id = server()
        .state
        .db
        .accounts
        .user_by_name("t-worker")
        .await
        .unwrap()
        .unwrap()
        .id;
    let admin_id = server()
        .state
        .db
        .accounts
        .user_by_name("t-boss")
        .await
        .unwrap()
        .unwrap()
        .id;
    assert!(admin_page(&admin_cookie)
        .await
        .contains("data-account=\"t-worker\""));

    // A reviewer may not do it, and the attempt is recorded.
    let refused = post_as(&worker_cookie, &format!("/admin/users/{admin_id}/disable")).await;
    assert_eq!(refused.status(), 403);

    // Disabling ends the worker's live session at once and blocks new logins.
    let r = post_as(&admin_cookie, &format!("/admin/users/{worker_id}/disable")).await;
    assert_eq!(location(&r), "/admin");
    assert!(admin_page(&worker_cookie)
        .await
        .contains("action=\"/admin/login\""));
    assert!(
        location(&login("t-worker", PASSWORD, &next_code(&worker)).await).contains("error=invalid")
    );

    // Enabled again, the worker signs in; ending sessions signs them out.
    post_as(&admin_cookie, &format!("/admin/users/{worker_id}/enable")).await;
    let again = session_cookie(&login("t-worker", PASSWORD, &next_code(&worker)).await);
    assert!(admin_page(&again)
        .await
        .contains("data-testid=\"signed-in\""));
    post_as(
        &admin_cookie,
        &format!("/admin/users/{worker_id}/end-sessions"),
    )
    .await;
    assert!(admin_page(&again).await.contains("action=\"/admin/login\""));

    // An administrator cannot lock themselves out; every change is in the audit log.
    assert!(
        location(&post_as(&admin_cookie, &format!("/admin/users/{admin_id}/disable")).await)
            .contains("error=self")
    );
    let log = test_db().await.audit.audit_log().await.unwrap();
    let disabled = log
        .iter()
        .find(|e| {
            e.action == "account.disable" && e.object_id.as_deref() == Some(&worker_id.to_string())
        })
        .unwrap();
    assert_eq!(disabled.actor_name, "t-boss");
    assert_eq!(disabled.after_json.as_deref(), Some(r#"{"disabled":true}"#));
    assert!(log.iter().any(|e| e.action == "account.end_sessions"));
    assert!(log
        .iter()
        .any(|e| e.action == "access.refused" && e.actor_name == "t-worker"));
    assert_eq!(
        post_as(&admin_cookie, "/admin/users/999999/enable")
            .await
            .status(),
        404
    );
}

/// Uploads a list to `/admin/imports` as the holder of `cookie`: (status, body, content type).
async fn upload_list(
    cookie: &str,
    action: &str,
    name: &str,
    bytes: &[u8],
) -> (u16, String, String) {
    let form = reqwest::multipart::Form::new()
        .text("action", action.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()),
        );
    let res = client()
        .post(format!("{}/admin/imports", server().base))
        .header("Cookie", cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let kind = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = res.bytes().await.unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned(), kind)
}

/// The import page end to end: only administrators; a check writes nothing and counts the rows; a
/// list with a problem names its row and comes back as a workbook of rows to fix; an import is
/// written, listed and undone; a file's name is shown as text.
#[tokio::test]
async fn administrators_check_import_and_undo_lists_through_the_form() {
    let admin = signed_in("import-admin", Role::Administrator, "").await;
    let unit = signed_in("import-unit", Role::NominatingUnit, "同仁堂").await;
    let good = "name,honour,year,work_unit\n导入甲,beijing_model,2031,北京导入测试厂\n".as_bytes();
    assert_eq!(upload_list(&unit, "check", "a.csv", good).await.0, 403);
    let db = test_db().await;
    let before = db.imports.import_batches().await.unwrap().len();

    let hostile = "<img src=x onerror=alert(1)>.csv";
    let (status, page, _) = upload_list(&admin, "check", hostile, good).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("新增 1 · 更新 0 · 不变 0 · 有误 0"), "{page}");
    assert!(!page.contains("<img src=x"), "the file name is escaped");
    assert!(page.contains("&lt;img src=x"));
    assert_eq!(db.imports.import_batches().await.unwrap().len(), before);

    let bad = "name,honour,year\nAlice,beijing_model,2031\n".as_bytes();
    let (status, page, _) = upload_list(&admin, "import", "bad.csv", bad).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("有误 1") && page.contains("not a Chinese character"),
        "{page}"
    );
    assert_eq!(db.imports.import_batches().await.unwrap().len(), before);
    let (status, workbook, kind) = upload_list(&admin, "bad_rows", "bad.csv", bad).await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("application/vnd.openxmlformats"), "{kind}");
    assert!(workbook.starts_with("PK"));

    let (status, page, _) = upload_list(&admin, "import", "good.csv", good).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("已导入") || page.contains("Imported"),
        "{page}"
    );
    let batches = db.imports.import_batches().await.unwrap();
    assert_eq!(batches.len(), before + 1);
    let id = batches[0].id;
    let (_, list) = get_page(&admin, "/admin/imports").await;
    assert!(list.contains("good.csv") && list.contains(&format!("/admin/imports/{id}/undo")));
    let added = db.catalogue.load().await.unwrap();
    assert!(added.people.iter().any(|p| p.name_engraved == "导入甲"));

    // Every field of every record: administrators only, and audited.
    let export = |cookie: String| async move { get_page(&cookie, "/admin/records.csv").await };
    assert_eq!(export(unit.clone()).await.0, 403);
    let (status, csv) = export(admin.clone()).await;
    assert_eq!(status, 200);
    assert!(csv.contains("北京导入测试厂") && csv.starts_with("\u{feff}\"id\",\"name\""));
    assert!(db
        .audit
        .audit_log()
        .await
        .unwrap()
        .iter()
        .any(|e| e.action == "export_records"));

    // A unit account may not undo; the administrator may, once.
    assert_eq!(
        post_form(&unit, &format!("/admin/imports/{id}/undo"), &[])
            .await
            .0,
        403
    );
    let (status, location) = post_form(&admin, &format!("/admin/imports/{id}/undo"), &[]).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/admin/imports?done=undone")
    );
    let undone = db.catalogue.load().await.unwrap();
    assert!(!undone.people.iter().any(|p| p.name_engraved == "导入甲"));
    let (status, location) = post_form(&admin, &format!("/admin/imports/{id}/undo"), &[]).await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/admin/imports?flash="), "{location}");
    let (_, page) = get_page(&admin, &location).await;
    assert!(page.contains("already undone"), "{page}");

    // Run here, after the import above: imports in parallel would disturb its counts.
    the_errata_list_follows_the_records(&admin, &unit).await;
}

/// A record that corrects its stone's name puts the place on the errata list (page and CSV);
/// undoing the correction takes it off. Administrators only.
async fn the_errata_list_follows_the_records(admin: &str, unit: &str) {
    let db = test_db().await;
    let data = db.catalogue.load().await.unwrap();
    let slot = data
        .slots
        .iter()
        .find(|slot| {
            data.honours
                .iter()
                .filter(|h| h.person_id == Some(slot.person_id))
                .count()
                == 1
        })
        .unwrap();
    let person = data.people.iter().find(|p| p.id == slot.person_id).unwrap();
    let honour = data
        .honours
        .iter()
        .find(|h| h.id == slot.honour_id)
        .unwrap();
    let correct = format!("{}勘", person.name_engraved);
    let list = format!(
        "id,name,name_correct,honour,year\n{},{},{correct},{},{}\n",
        person.id, person.name_engraved, honour.category, honour.year
    );
    let csv = |cookie: String| async move { get_page(&cookie, "/admin/errata.csv").await };
    assert_eq!(csv(unit.to_string()).await.0, 403);
    let (status, _) = post_form(
        unit,
        "/admin/monuments/plaza-municipal/cut",
        &[("through", "2020")],
    )
    .await;
    assert_eq!(status, 403);
    let (status, page) = get_page(unit, "/admin/errata").await;
    assert_eq!(status, 403, "{page}");
    let (_, before) = csv(admin.to_string()).await;
    assert!(!before.contains(&correct));

    let (status, page, _) = upload_list(admin, "import", "errata.csv", list.as_bytes()).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("更新 1"), "{page}");
    let line = format!(
        "\"{}\",\"{}\",\"{}\",\"{}\",\"{}\",\"{}\",\"{correct}\",\"{}\"",
        "北京市劳动模范名录墙",
        slot.stone,
        slot.row_no,
        slot.position,
        slot.year,
        person.name_engraved,
        person.id
    );
    let (status, after) = csv(admin.to_string()).await;
    assert_eq!(status, 200);
    assert!(after.lines().any(|l| l == line), "{line} in {after}");
    let (status, page) = get_page(admin, "/admin/errata").await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&correct) && page.contains(&format!("/laureates/{}", person.id)),
        "{page}"
    );

    let id = db.imports.import_batches().await.unwrap()[0].id;
    let (status, _) = post_form(admin, &format!("/admin/imports/{id}/undo"), &[]).await;
    assert_eq!(status, 303);
    let (_, undone) = csv(admin.to_string()).await;
    assert!(!undone.contains(&correct), "{undone}");

    not_yet_engraved_names_say_where_they_are_expected(admin).await;
}

/// A name honoured after the stones were cut (2015) is imported with a planned place but is on
/// no stone: its profile says where it is expected, and the wall says how many wait.
async fn not_yet_engraved_names_say_where_they_are_expected(admin: &str) {
    let db = test_db().await;
    let list = "name,honour,year\n待刻甲,beijing_model,2020\n";
    let (status, page, _) = upload_list(admin, "import", "2020.csv", list.as_bytes()).await;
    assert_eq!(status, 200, "{page}");
    let data = db.catalogue.load().await.unwrap();
    let person = data
        .people
        .iter()
        .find(|p| p.name_engraved == "待刻甲")
        .unwrap();
    assert!(
        data.slots.iter().any(|s| s.person_id == person.id),
        "a planned place is kept"
    );

    let (status, profile) = get_page("", &format!("/laureates/{}", person.id)).await;
    assert_eq!(status, 200);
    assert!(
        profile.contains("尚未镌刻：2020年表彰，预计刻于北京市劳动广场的北京市劳动模范名录墙。"),
        "{profile}"
    );
    assert!(!profile.contains("data-testid=\"wall-place\""), "{profile}");
    let (_, wall) = get_page("", "/").await;
    assert!(
        wall.contains("石碑刻至2015年；") && wall.contains("2020年的1人"),
        "the wall says who waits"
    );

    // Once the stones are cut again up to 2020, the name is on its planned place.
    let cut = "/admin/monuments/plaza-municipal/cut";
    let (status, location) = post_form(admin, cut, &[("through", "二〇二〇")]).await;
    assert_eq!(status, 303);
    let (_, page) = get_page(admin, &location).await;
    assert!(
        page.contains("the year cut must be between 1949 and"),
        "{page}"
    );
    let (status, location) = post_form(admin, cut, &[("through", "2020")]).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/admin/settings?done=cut")
    );
    let (_, profile) = get_page("", &format!("/laureates/{}", person.id)).await;
    assert!(profile.contains("data-testid=\"wall-place\""), "{profile}");
    assert!(!profile.contains("尚未镌刻："), "{profile}");
    assert!(db
        .audit
        .audit_log()
        .await
        .unwrap()
        .iter()
        .any(|e| e.action == "stones.cut" && e.object_id.as_deref() == Some("plaza-municipal")));
    // Back to 2015: lowering is refused unless confirmed (it takes names off the stones).
    let (status, location) = post_form(admin, cut, &[("through", "2015")]).await;
    assert_eq!(status, 303);
    let (_, page) = get_page(admin, &location).await;
    assert!(page.contains("tick the confirmation"), "{page}");
    let (status, location) = post_form(admin, cut, &[("through", "2015"), ("confirm", "1")]).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/admin/settings?done=cut")
    );
    let (_, profile) = get_page("", &format!("/laureates/{}", person.id)).await;
    assert!(profile.contains("尚未镌刻：2020年表彰"), "{profile}");

    let id = db.imports.import_batches().await.unwrap()[0].id;
    let (status, _) = post_form(admin, &format!("/admin/imports/{id}/undo"), &[]).await;
    assert_eq!(status, 303);
}
