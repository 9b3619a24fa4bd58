//! The security review's defects (issue 7), each tried the way an attacker would, against a real
//! server. Requests come through a trusted proxy (the test server trusts 127.0.0.2) with their
//! own `X-Forwarded-For`, so each test is its own source address and the limits of one test do
//! not touch another.
mod common;

use app::clock::Clock;
use app::domain::procedure::Role;
use common::*;

/// A client that connects from the trusted proxy's address.
fn via_proxy() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .local_address("127.0.0.2".parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap()
}

async fn login_from(source: &str, username: &str, password: &str, code: &str) -> String {
    let res = via_proxy()
        .post(format!("{}/admin/login", server().base))
        .header("x-forwarded-for", source)
        .form(&[
            ("username", username),
            ("password", password),
            ("code", code),
        ])
        .send()
        .await
        .unwrap();
    if res.headers().get("set-cookie").is_some() {
        return "ok".into();
    }
    let location = res.headers()["location"].to_str().unwrap().to_string();
    if location.contains("error=limited") {
        "limited".into()
    } else if location.contains("error=invalid") {
        "invalid".into()
    } else {
        location
    }
}

fn code_now(secrets: &app::auth::accounts::FirstSecrets) -> String {
    app::auth::second_factor::code_at(
        &secrets.totp_secret,
        server().clock.now().timestamp() as u64,
    )
    .unwrap()
}

/// A nomination on its first notice, open for objections.
async fn nomination_on_notice(tag: &str) -> i64 {
    let unit = signed_in(&format!("unit-{tag}"), Role::NominatingUnit, "北京公交集团").await;
    let manager = signed_in(&format!("notice-{tag}"), Role::NoticeManager, "").await;
    let (_, location) = post_form(&unit, "/admin/nominations", &nomination_form("邓琳", &[])).await;
    let id = nomination_id(&location);
    for (cookie, action) in [(&unit, "submit"), (&manager, "open_notice")] {
        let row = server()
            .state
            .db
            .nominations
            .nomination(id)
            .await
            .unwrap()
            .unwrap();
        let (status, location) = post_form(
            cookie,
            &format!("/admin/nominations/{id}/actions"),
            &[("action", action), ("version", &row.version.to_string())],
        )
        .await;
        assert_eq!(status, 303);
        assert!(location.contains("done=action"), "{action}: {location}");
    }
    id
}

const PAYLOAD: &str =
    "</textarea><script>document.title='pwned'</script><img src=x onerror=alert(1)>";

async fn object_from(source: &str, id: i64, cookie: Option<&str>, body: &str) -> reqwest::Response {
    let mut req = via_proxy()
        .post(format!("{}/notices/{id}/objections", server().base))
        .header("x-forwarded-for", source)
        .form(&[("name", "冯刚"), ("contact", "13800001111"), ("body", body)]);
    if let Some(c) = cookie {
        req = req.header("Cookie", c);
    }
    req.send().await.unwrap()
}

/// Defect 1: a failed anonymous objection cannot be turned into a link that shows planted text
/// to someone else, and shown to its own author it is inert.
#[tokio::test]
async fn a_failed_objection_is_shown_only_to_its_author_and_escaped() {
    let id = nomination_on_notice("xss").await;
    // Invalid (no contact), so the input is kept and shown again.
    let res = via_proxy()
        .post(format!("{}/notices/{id}/objections", server().base))
        .header("x-forwarded-for", "198.51.100.1")
        .form(&[("name", ""), ("contact", ""), ("body", PAYLOAD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.contains("flash="), "{location}");
    let visitor = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        visitor.starts_with("visitor=") && visitor.contains("HttpOnly"),
        "{visitor}"
    );
    let visitor = visitor.split(';').next().unwrap().to_string();

    // Anyone else who follows the link sees an empty form: nothing of the payload.
    let (status, html) = get_text(&location).await;
    assert_eq!(status, 200);
    assert!(!html.contains("pwned"), "the link must not carry the input");

    // The author sees their text again, escaped inside the textarea: no markup gets out.
    let (_, html) = get_page(&visitor, &location).await;
    assert!(
        html.contains("&lt;/textarea&gt;&lt;script&gt;"),
        "kept and escaped"
    );
    assert!(!html.contains("</textarea><script>"));
    assert!(!html.contains("<img src=x"));
    // Read once.
    let (_, again) = get_page(&visitor, &location).await;
    assert!(!again.contains("pwned"));
}

/// Defect 1, the admin side: every textarea of the nomination form shows a stored payload as
/// text, on the edit page and after a failed save.
#[tokio::test]
async fn nomination_textareas_keep_payloads_as_text() {
    let unit = signed_in("unit-ta", Role::NominatingUnit, "首钢集团").await;
    let form = nomination_form(
        "韩梅",
        &[
            ("report", PAYLOAD),
            ("deeds_short", PAYLOAD),
            ("deeds_full", PAYLOAD),
        ],
    );
    let (_, location) = post_form(&unit, "/admin/nominations", &form).await;
    let id = nomination_id(&location);
    let (_, html) = get_page(&unit, &format!("/admin/nominations/{id}/edit")).await;
    assert!(!html.contains("</textarea><script>"));
    assert_eq!(
        html.matches("&lt;/textarea&gt;&lt;script&gt;").count(),
        3,
        "three textareas"
    );
    // A failed save (no name) shows the input again, as text.
    let bad = nomination_form("", &[("deeds_full", PAYLOAD), ("version", "1")]);
    let (_, location) = post_form(&unit, &format!("/admin/nominations/{id}"), &bad).await;
    assert!(location.contains("flash="), "{location}");
    let (_, html) = get_page(&unit, &location).await;
    assert!(!html.contains("</textarea><script>"));
    assert!(html.contains("&lt;/textarea&gt;&lt;script&gt;"));
}

/// Defect 9 and the CSP of defect 1: every page carries the security headers, and no page has
/// an inline script (the islands' loader is a file).
#[tokio::test]
async fn pages_carry_security_headers_and_no_inline_script() {
    let unit = signed_in("unit-h", Role::NominatingUnit, "同仁堂").await;
    for (cookie, path) in [
        ("", "/"),
        ("", "/stats"),
        ("", "/laureates/1"),
        ("", "/search?q=zhang"),
        ("", "/notices"),
        ("", "/admin"),
        (unit.as_str(), "/admin/nominations"),
        (unit.as_str(), "/admin/nominations/new"),
    ] {
        let res = client()
            .get(format!("{}{}", server().base, path))
            .header("Cookie", cookie)
            .send()
            .await
            .unwrap();
        let h = res.headers().clone();
        let csp = h["content-security-policy"].to_str().unwrap();
        let script_src = csp
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src"))
            .unwrap();
        assert!(!script_src.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert!(h.contains_key("referrer-policy"));
        if path.starts_with("/admin") {
            assert_eq!(h["cache-control"], "no-store", "{path}");
        }
        let html = res.text().await.unwrap();
        for tag in html.split("<script").skip(1) {
            let open = &tag[..tag.find('>').unwrap()];
            assert!(
                open.contains(" src="),
                "{path}: inline script <script{open}>"
            );
        }
    }
    // HSTS only when a trusted proxy says the site is served over TLS.
    let res = via_proxy()
        .get(format!("{}/", server().base))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert!(res.headers().contains_key("strict-transport-security"));
    let res = client()
        .get(format!("{}/", server().base))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert!(!res.headers().contains_key("strict-transport-security"));
}

/// Defect 8: the page that shows a new account's second factor is never cached.
#[tokio::test]
async fn the_page_with_secrets_is_not_stored() {
    let admin = signed_in("admin-ns", Role::Administrator, "").await;
    let res = client()
        .post(format!("{}/admin/users", server().base))
        .header("Cookie", &admin)
        .form(&[
            ("username", "reviewer-ns"),
            ("display_name", "审核员"),
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
    assert!(html.contains("otpauth://"), "the secret is shown once");
}

/// Defect 5: only a path on this site is a redirect target; control characters never reach the
/// header (nor a 500).
#[tokio::test]
async fn language_switch_never_redirects_elsewhere() {
    for (next, expected) in [
        ("/stats", "/stats"),
        ("/%09/evil.example", "/"),
        ("//evil.example", "/"),
        ("/%5Cevil.example", "/"),
        ("/%0d%0aSet-Cookie:%20x=1", "/"),
        ("/%0a/evil.example", "/"),
        ("https://evil.example", "/"),
    ] {
        let res = client()
            .get(format!("{}/lang/en?next={next}", server().base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303, "{next}");
        assert_eq!(res.headers()["location"], expected, "{next}");
    }
}

/// Defect 6: a TOTP code is good once.
#[tokio::test]
async fn a_totp_code_is_accepted_once() {
    let secrets = create_account("t-replay", Role::Reviewer).await;
    let code = code_now(&secrets);
    assert_eq!(
        login_from("198.51.100.6", "t-replay", TEST_PASSWORD, &code).await,
        "ok"
    );
    assert_eq!(
        login_from("198.51.100.6", "t-replay", TEST_PASSWORD, &code).await,
        "invalid",
        "the same code again, in its window"
    );
    // The next step's code works.
    server().clock.advance(chrono::Duration::seconds(30));
    assert_eq!(
        login_from(
            "198.51.100.6",
            "t-replay",
            TEST_PASSWORD,
            &code_now(&secrets)
        )
        .await,
        "ok"
    );
}

/// Defect 7: limits hold under parallel requests, and someone guessing cannot lock the owner out.
#[tokio::test]
async fn sign_in_limits_hold_in_parallel_and_spare_the_owner() {
    let secrets = create_account("t-parallel", Role::Reviewer).await;
    let attempts = (0..40).map(|_| {
        login_from(
            "198.51.100.7",
            "t-parallel",
            "wrong-password-guess",
            "000000",
        )
    });
    let outcomes = futures_join_all(attempts).await;
    let invalid = outcomes.iter().filter(|o| *o == "invalid").count();
    let limited = outcomes.iter().filter(|o| *o == "limited").count();
    assert_eq!(
        invalid,
        app::auth::session::MAX_FAILS_PER_ACCOUNT_AND_ADDRESS as usize,
        "{outcomes:?}"
    );
    assert_eq!(invalid + limited, 40);
    // The attacker's address is locked out of this account…
    assert_eq!(
        login_from(
            "198.51.100.7",
            "t-parallel",
            TEST_PASSWORD,
            &code_now(&secrets)
        )
        .await,
        "limited"
    );
    // …the owner, elsewhere, is not.
    assert_eq!(
        login_from(
            "203.0.113.70",
            "t-parallel",
            TEST_PASSWORD,
            &code_now(&secrets)
        )
        .await,
        "ok"
    );

    // One address guessing many accounts in parallel meets the per-address limit.
    let attempts = (0..64).map(|i| async move {
        login_from(
            "198.51.100.8",
            &format!("nobody-{i}"),
            "wrong-password-guess",
            "000000",
        )
        .await
    });
    let outcomes = futures_join_all(attempts).await;
    let invalid = outcomes.iter().filter(|o| *o == "invalid").count();
    assert_eq!(
        invalid,
        app::auth::session::MAX_FAILS_PER_ADDRESS as usize,
        "{outcomes:?}"
    );
}

/// Defect 7: the objection limit holds under parallel posts.
#[tokio::test]
async fn the_objection_limit_holds_in_parallel() {
    let id = nomination_on_notice("par").await;
    let body = "该候选人的获奖情况与事实不符，请予以核实。";
    let posts = (0..20).map(|_| object_from("198.51.100.9", id, None, body));
    let responses = futures_join_all(posts).await;
    let filed = responses
        .iter()
        .filter(|r| {
            r.headers()
                .get("location")
                .is_some_and(|l| l.to_str().unwrap().contains("filed=1"))
        })
        .count();
    assert_eq!(
        filed,
        app::domain::objection::MAX_PER_ADDRESS_PER_HOUR as usize
    );
    let stored = server()
        .state
        .db
        .objections
        .objections(id)
        .await
        .unwrap()
        .len();
    assert_eq!(stored, filed);
}

/// Defect 2: what a refused sign-in stores is bounded, and a flood from one source is one entry
/// with a count.
#[tokio::test]
async fn refused_sign_ins_cannot_fill_the_audit_log() {
    let db = &server().state.db;
    let before = db.audit.audit_log().await.unwrap().len();
    let long_name = "管".repeat(300); // 2.7 KB posted: under the body limit, far over any name
    let attempts = (0..50).map(|_| {
        let name = long_name.clone();
        async move { login_from("198.51.100.10", &name, "wrong-password-guess", "000000").await }
    });
    let outcomes = futures_join_all(attempts).await;
    assert!(
        outcomes.iter().all(|o| o == "invalid" || o == "limited"),
        "{outcomes:?}"
    );
    let log = db.audit.audit_log().await.unwrap();
    let new: Vec<_> = log[before..]
        .iter()
        .filter(|e| e.address.as_deref() == Some("198.51.100.10"))
        .collect();
    assert!(
        new.len() <= 2,
        "one entry per kind of refusal: {}",
        new.len()
    );
    let tail: Vec<_> = log.iter().rev().take(5).collect();
    assert!(!new.is_empty(), "{outcomes:?} {tail:#?}");
    assert_eq!(new.iter().map(|e| e.repeat_count).sum::<i64>(), 50);
    for e in &new {
        assert!(e.actor_name.chars().count() <= app::db::AUDIT_NAME_CHARS);
    }
    // A body far over the sign-in form's size is refused before anything is read or stored.
    let huge = "x".repeat(1 << 20);
    let res = via_proxy()
        .post(format!("{}/admin/login", server().base))
        .header("x-forwarded-for", "198.51.100.11")
        .form(&[
            ("username", huge.as_str()),
            ("password", "p"),
            ("code", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 413);
    let log = db.audit.audit_log().await.unwrap();
    assert!(!log
        .iter()
        .any(|e| e.address.as_deref() == Some("198.51.100.11")));
}

/// Defect 2: the audit view is paged.
#[tokio::test]
async fn the_audit_view_is_paged() {
    let admin = signed_in("admin-page", Role::Administrator, "").await;
    let db = test_db().await;
    for i in 0..120 {
        let entry = app::db::AuditEntry::new(
            app::auth::session::timestamp(server().clock.now()),
            &format!("filler-{i}"),
            "test.filler",
            "test",
        );
        db.audit.append_audit(&entry).await.unwrap();
    }
    let (_, html) = get_page(&admin, "/admin").await;
    let rows = html.matches("test.filler").count();
    assert_eq!(rows, app::admin::server::AUDIT_PAGE as usize);
    let older = html
        .split("audit_before=")
        .nth(1)
        .and_then(|s| s.split(['"', '#']).next())
        .expect("a link to older entries");
    let (_, html) = get_page(&admin, &format!("/admin?audit_before={older}")).await;
    assert!(
        html.contains("filler-0"),
        "the oldest filler is on the next page"
    );
}

/// Defect 3: request bodies are limited per route.
#[tokio::test]
async fn request_bodies_are_limited_per_route() {
    let id = nomination_on_notice("body").await;
    let big = "异".repeat(20_000); // 60 KB: more than any objection
    let res = object_from("198.51.100.12", id, None, &big).await;
    assert_eq!(res.status().as_u16(), 413);
    let unit = signed_in("unit-big", Role::NominatingUnit, "燕京啤酒").await;
    let huge = "事".repeat(100_000); // 300 KB
    let form = nomination_form("孔明", &[("deeds_full", huge.as_str())]);
    let (status, _) = post_form(&unit, "/admin/nominations", &form).await;
    assert_eq!(status, 413);
}

/// Defect 9: a server function given malformed arguments answers 400, and a refusal 401/403,
/// not 500.
#[tokio::test]
async fn server_function_errors_have_their_status() {
    let res = call_server_fn("open_notice", "", "id=not-a-number").await;
    assert_eq!(res.status().as_u16(), 400);
    let res = call_server_fn("open_notice", "", "id=987654").await;
    assert_eq!(res.status().as_u16(), 404);
    let unit = signed_in("unit-sf", Role::NominatingUnit, "北京饭店").await;
    let res = call_server_fn("load_settings", &unit, "").await;
    assert_eq!(res.status().as_u16(), 403);
}

/// Defect 9: an upload with two file parts is refused and leaves no temporary file.
#[tokio::test]
async fn an_upload_with_two_files_leaves_nothing_behind() {
    let unit = signed_in("unit-2f", Role::NominatingUnit, "北京电力").await;
    let (_, location) = post_form(&unit, "/admin/nominations", &nomination_form("马超", &[])).await;
    let id = nomination_id(&location);
    let pdf = b"%PDF-1.4\n%test\n".to_vec();
    let form = reqwest::multipart::Form::new()
        .text("kind", "form")
        .part(
            "file",
            reqwest::multipart::Part::bytes(pdf.clone()).file_name("a.pdf"),
        )
        .part(
            "file",
            reqwest::multipart::Part::bytes(pdf).file_name("b.pdf"),
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
    assert_eq!(res.status().as_u16(), 303);
    let tmp = server().state.uploads_dir.join("tmp");
    let left = std::fs::read_dir(&tmp).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "temporary files left in {}", tmp.display());
    assert!(server()
        .state
        .db
        .nominations
        .attachments(id)
        .await
        .unwrap()
        .is_empty());
}

/// Defect 9: a QR code built from the request's Host is not kept by shared caches.
#[tokio::test]
async fn qr_codes_from_the_host_header_are_private() {
    let res = client()
        .get(format!("{}/laureates/1/qr.svg", server().base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let cache = res.headers()["cache-control"].to_str().unwrap();
    assert!(
        cache.contains("private") && !cache.contains("public"),
        "{cache}"
    );
}

/// Defect 9: the API and its OpenAPI document agree on `page`.
#[tokio::test]
async fn the_page_parameter_matches_the_openapi_document() {
    let (_, spec) = get_json("/api/v1/openapi.json").await;
    let page = spec["paths"]["/laureates"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "page")
        .unwrap()
        .clone();
    let max = page["schema"]["maximum"].as_u64().unwrap();
    assert_eq!(
        get_json(&format!("/api/v1/laureates?page={max}")).await.0,
        200
    );
    assert_eq!(
        get_json(&format!("/api/v1/laureates?page={}", max + 1))
            .await
            .0,
        400
    );
    assert_eq!(get_json("/api/v1/laureates?page=").await.0, 400);
    assert_eq!(get_json("/api/v1/laureates?page=0").await.0, 400);
}

/// Defect 7: `X-Forwarded-For` counts only from a trusted proxy.
#[tokio::test]
async fn forwarded_addresses_only_from_trusted_proxies() {
    let _ = create_account("t-xff", Role::Reviewer).await;
    // Directly (not via the proxy): the header is ignored, the peer is recorded.
    client()
        .post(format!("{}/admin/login", server().base))
        .header("x-forwarded-for", "192.0.2.77")
        .form(&[
            ("username", "t-xff"),
            ("password", "wrong-password-guess"),
            ("code", "1"),
        ])
        .send()
        .await
        .unwrap();
    login_from("192.0.2.88", "t-xff", "wrong-password-guess", "1").await;
    let log = test_db().await.audit.audit_log().await.unwrap();
    let addresses: Vec<_> = log
        .iter()
        .filter(|e| e.actor_name == "t-xff")
        .filter_map(|e| e.address.clone())
        .collect();
    assert!(
        addresses.contains(&"127.0.0.1".to_string()),
        "{addresses:?}"
    );
    assert!(
        addresses.contains(&"192.0.2.88".to_string()),
        "{addresses:?}"
    );
    assert!(
        !addresses.contains(&"192.0.2.77".to_string()),
        "{addresses:?}"
    );
}

/// Runs futures at once and collects their results in order (50 parallel requests).
async fn futures_join_all<
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
>(
    futures: impl IntoIterator<Item = F>,
) -> Vec<T> {
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

/// Defect 9: approvals at the same moment never take the same ids or wall slot: the store plans
/// each inside its own write transaction.
#[tokio::test]
async fn concurrent_approvals_get_their_own_records_and_slots() {
    let db = test_db().await;
    let mut ids = Vec::new();
    for (i, name) in ["甘露", "甘霖", "甘棠", "甘泉", "甘雨", "甘草"]
        .iter()
        .enumerate()
    {
        let row = app::db::NominationRow {
            unit_name: "测试单位".into(),
            created_by: 1,
            packet: app::domain::packet::Packet {
                category: "beijing_model".into(),
                year: 2030,
                candidate_kind: "person".into(),
                candidate_name: name.to_string(),
                report: "推荐报告".into(),
                deeds_short: "事迹".into(),
                deeds_full: "事迹全文".into(),
                ..Default::default()
            },
            stage: app::domain::procedure::Stage::PublicNotice,
            created_at: format!("2026-01-01T00:00:0{i}.000Z"),
            updated_at: format!("2026-01-01T00:00:0{i}.000Z"),
            ..Default::default()
        };
        let audit = app::db::AuditEntry::new(
            row.created_at.clone(),
            "test",
            "nomination.create",
            "nomination",
        );
        ids.push(
            db.nominations
                .create_nomination(&row, &audit)
                .await
                .unwrap(),
        );
    }
    let approvals = ids.iter().map(|&id| {
        let db = db.clone();
        async move {
            let row = db.nominations.nomination(id).await.unwrap().unwrap();
            let p = &row.packet;
            let plan = app::db::ApprovalPlan {
                people: vec![(
                    app::db::PersonRow {
                        name_engraved: p.candidate_name.clone(),
                        name_correct: p.candidate_name.clone(),
                        surname: "甘".into(),
                        ..Default::default()
                    },
                    p.category.clone(),
                    p.year,
                )],
                organisations: Vec::new(),
                plan: app::import::csv::plan_additions,
            };
            let changed = app::db::NominationRow {
                stage: app::domain::procedure::Stage::Approved,
                ..row.clone()
            };
            let change = app::db::NominationChange {
                audit: app::db::AuditEntry::new(
                    row.created_at.clone(),
                    "test",
                    "nomination.approve",
                    "nomination",
                ),
                open_checks: Vec::new(),
                approval: Some(plan),
            };
            db.nominations.save_nomination(&changed, &change).await
        }
    });
    let results = futures_join_all(approvals).await;
    assert!(results.iter().all(|r| matches!(r, Ok(true))), "{results:?}");
    let data = db.catalogue.load().await.unwrap();
    let mut people = Vec::new();
    for id in &ids {
        let row = db.nominations.nomination(*id).await.unwrap().unwrap();
        people.push(row.person_id.expect("linked to its laureate"));
    }
    let distinct: std::collections::HashSet<_> = people.iter().collect();
    assert_eq!(distinct.len(), ids.len());
    let slots: std::collections::HashSet<_> = data
        .slots
        .iter()
        .filter(|s| people.contains(&s.person_id))
        .map(|s| (s.section_id, s.stone, s.row_no, s.position))
        .collect();
    assert_eq!(slots.len(), ids.len(), "each has its own wall slot");
}

/// Server functions read their body themselves: the limit is on the stream, so a huge post to
/// one is refused before it is held in memory.
#[tokio::test]
async fn server_function_bodies_are_limited() {
    let huge = format!("id=1&flash={}", "x".repeat(1 << 20));
    let res = call_server_fn("open_notice", "", huge).await;
    assert_eq!(res.status().as_u16(), 413);
}

/// The per-account ceiling spares an address the owner signed in from: someone guessing from
/// many addresses cannot lock the owner out at their usual place.
#[tokio::test]
async fn guessing_from_many_addresses_spares_the_owners_own() {
    let secrets = create_account("t-ceiling", Role::Reviewer).await;
    assert_eq!(
        login_from(
            "198.51.100.20",
            "t-ceiling",
            TEST_PASSWORD,
            &code_now(&secrets)
        )
        .await,
        "ok"
    );
    // 21 addresses × 5 guesses pass the ceiling of 100 for the account.
    let guesses = (0..21).flat_map(|a| {
        (0..5).map(move |_| async move {
            login_from(
                &format!("203.0.113.{a}"),
                "t-ceiling",
                "wrong-password-guess",
                "000000",
            )
            .await
        })
    });
    let outcomes = futures_join_all(guesses).await;
    assert_eq!(
        outcomes.iter().filter(|o| *o == "invalid").count(),
        app::auth::session::MAX_FAILS_PER_ACCOUNT as usize
    );
    // A new address is now refused for this account…
    assert_eq!(
        login_from(
            "203.0.113.99",
            "t-ceiling",
            TEST_PASSWORD,
            &code_now(&secrets)
        )
        .await,
        "limited"
    );
    // …the owner's own address is not.
    server().clock.advance(chrono::Duration::seconds(30));
    assert_eq!(
        login_from(
            "198.51.100.20",
            "t-ceiling",
            TEST_PASSWORD,
            &code_now(&secrets)
        )
        .await,
        "ok"
    );
}

/// Every answer carries its request id (the same id is on the request's log lines).
#[tokio::test]
async fn answers_carry_a_request_id() {
    let ids: Vec<String> = futures_join_all((0..3).map(|_| async {
        let res = client()
            .get(format!("{}/stats", server().base))
            .send()
            .await
            .unwrap();
        res.headers()["x-request-id"].to_str().unwrap().to_string()
    }))
    .await;
    let distinct: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(distinct.len(), 3, "{ids:?}");
}

/// POSTs a url-encoded body to a server function as the holder of `cookie`.
async fn call_server_fn(
    name: &str,
    cookie: &str,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    client()
        .post(format!("{}/fn/{name}", server().base))
        .header("Cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
}
