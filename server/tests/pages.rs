//! Server-rendered pages, server functions and generated media against a real server.
mod common;

use common::*;

#[tokio::test]
async fn the_wall_page_carries_outlines_and_each_stone_its_names() {
    let (status, html) = get_text("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("<html lang=\"zh-CN\""));
    assert!(html.contains("示例数据"));
    assert!(html.contains("第1号石"));
    // The first screen is light: the stones' outlines, no names.
    assert_eq!(html.matches("<li data-ids=").count(), 0);
    assert!(
        html.len() < 120_000,
        "the wall page is {} bytes",
        html.len()
    );
    // Every stone says where its names are; together they are every name on the wall, once.
    let catalog = server().state.catalog();
    let mut ids = std::collections::HashSet::new();
    for section in &catalog.outline.sections {
        for stone in &section.stones {
            let src = format!("/wall/{}/{}/names", section.code, stone.number);
            assert!(html.contains(&format!("data-names=\"{src}\"")), "{src}");
            assert!(html.contains(&format!(
                "{}姓 — {}姓",
                stone.first_surname, stone.last_surname
            )));
            let (status, names) = get_text(&src).await;
            assert_eq!(status, 200, "{src}");
            // A row per engraved row, each with its people's ids by column (0 for an empty place).
            assert_eq!(
                names.matches("<li data-ids=").count() as u16,
                stone.rows,
                "{src}"
            );
            let mut here = 0;
            for part in names.split("<li data-ids=\"").skip(1) {
                for id in part[..part.find('"').unwrap()].split_whitespace() {
                    let id: i64 = id.parse().unwrap();
                    if id > 0 {
                        here += 1;
                        assert!(ids.insert(id), "{id} twice");
                    }
                }
            }
            assert_eq!(here, stone.names, "{src}");
        }
    }
    assert_eq!(ids.len(), 13_058);
}

#[tokio::test]
async fn stone_names_are_revalidated_by_etag_and_unknown_stones_are_404() {
    let section = server().state.catalog().outline.sections[0].code.clone();
    let url = format!("{}/wall/{section}/1/names", server().base);
    let first = client().get(&url).send().await.unwrap();
    assert_eq!(first.status(), 200);
    assert!(first.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let tag = first.headers()["etag"].to_str().unwrap().to_string();
    // The page cache answers a repeat with the kept copy; a first conditional request gets 304.
    let other = format!("{}/wall/{section}/2/names", server().base);
    let again = client()
        .get(&other)
        .header("If-None-Match", &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    for path in [
        format!("/wall/{section}/0/names"),
        format!("/wall/{section}/9999/names"),
        format!("/wall/{section}/x/names"),
        format!("/wall/{section}/01/names"),
        "/wall/nowhere/1/names".to_string(),
    ] {
        let (status, _) = get_text(&path).await;
        assert_eq!(status, 404, "{path}");
    }
}

#[tokio::test]
async fn profile_pages_have_title_description_and_open_graph() {
    let profile = server().state.catalog().profile(1).unwrap();
    let (status, html) = get_text("/laureates/1").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!("<title>{} · ", profile.name)),
        "title"
    );
    assert!(html.contains("name=\"description\""));
    assert!(html.contains("property=\"og:title\""));
    assert!(html.contains("/laureates/1/qr.svg"));
    assert!(html.contains("/?focus=1"));
    let place = profile.wall.unwrap();
    assert!(html.contains(&format!(
        "第{}号石 · 第{}行 · 第{}位",
        place.stone, place.row, place.position
    )));
}

#[tokio::test]
async fn unknown_profiles_and_paths_are_404_pages() {
    for path in [
        "/laureates/99999999",
        "/laureates/abc",
        "/laureates/-3",
        "/no/such/page",
    ] {
        let (status, html) = get_text(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("页面不存在"), "{path}");
    }
}

#[tokio::test]
async fn english_by_cookie() {
    let res = client()
        .get(format!("{}/stats", server().base))
        .header("Cookie", "lang=en")
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains(">Statistics<"));
}

#[tokio::test]
async fn language_switch_never_redirects_off_site() {
    let res = client()
        .get(format!("{}/lang/en?next=//evil.example/x", server().base))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection());
    assert_eq!(res.headers()["location"], "/");
    assert!(res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("lang=en"));
    let res = client()
        .get(format!("{}/lang/en?next=/stats", server().base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/stats");
    let res = client()
        .get(format!("{}/lang/xx", server().base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn server_functions_return_data_and_clear_errors() {
    let res = client()
        .post(format!("{}/fn/search", server().base))
        .form(&[("q", "zwm")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body[0].as_u64().unwrap() > 0, "{body}");
    let res = client()
        .post(format!("{}/fn/open_notice", server().base))
        .form(&[("id", "424242")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        404,
        "an unknown nominee is not found, not a server error"
    );
    let text = res.text().await.unwrap();
    assert!(text.contains("NotFound"), "{text}");
    let res = client()
        .post(format!("{}/fn/search", server().base))
        .form(&[("q", &"张".repeat(100))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let text = res.text().await.unwrap();
    assert!(text.contains("BadRequest"), "{text}");
}

#[tokio::test]
async fn qr_codes_and_portraits() {
    let (status, svg) = get_text("/laureates/1/qr.svg").await;
    assert_eq!(status, 200);
    assert!(svg.contains("<svg"));
    let (status, _) = get_text("/laureates/99999999/qr.svg").await;
    assert_eq!(status, 404);
    let catalog = server().state.catalog();
    let (with, without) = {
        let mut with = None;
        let mut without = None;
        for id in 1..=1197 {
            let p = catalog.profile(id).unwrap();
            if p.media
                .iter()
                .any(|m| m.kind == app::laureates::model::MediaKind::Portrait)
            {
                with.get_or_insert(id);
            } else {
                without.get_or_insert(id);
            }
        }
        (with.unwrap(), without.unwrap())
    };
    let (status, svg) = get_text(&format!("/media/portraits/{with}.svg")).await;
    assert_eq!(status, 200);
    assert!(svg.contains("示意"));
    let (status, _) = get_text(&format!("/media/portraits/{without}.svg")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn search_page_without_javascript() {
    let (status, html) = get_text("/search?q=zwm").await;
    assert_eq!(status, 200);
    assert!(html.contains("class=\"result-list\""));
    assert!(html.contains("href=\"/laureates/"));
}

#[tokio::test]
async fn rendered_pages_are_cached_per_language_and_encoding() {
    let url = format!("{}/laureates/2", server().base);
    let first = client().get(&url).send().await.unwrap();
    let first_state = first.headers()["x-page-cache"]
        .to_str()
        .unwrap()
        .to_string();
    let first_body = first.text().await.unwrap();
    let second = client().get(&url).send().await.unwrap();
    assert_eq!(
        second.headers()["x-page-cache"],
        "hit",
        "first was {first_state}"
    );
    assert_eq!(second.text().await.unwrap(), first_body);
    // Another language is another page.
    let english = client()
        .get(&url)
        .header("Cookie", "lang=en")
        .send()
        .await
        .unwrap();
    let english_body = english.text().await.unwrap();
    assert_ne!(english_body, first_body);
    assert!(english_body.contains("<html lang=\"en\""));
    // The API and server functions are never cached.
    let api = client()
        .get(format!("{}/api/v1/stats", server().base))
        .send()
        .await
        .unwrap();
    assert!(api.headers().get("x-page-cache").is_none());
}

#[tokio::test]
async fn every_stone_has_its_own_page_with_its_names_in_order() {
    let catalog = server().state.catalog();
    let outline = &catalog.outline;
    let mut seen = 0;
    let stones: Vec<(String, u16, u32)> = outline
        .sections
        .iter()
        .flat_map(|s| {
            s.stones
                .iter()
                .map(move |st| (s.code.clone(), st.number, st.names))
        })
        .collect();
    let (first, last) = (stones.first().unwrap(), stones.last().unwrap());
    for (i, (code, number, names)) in stones.iter().enumerate() {
        // Every stone answers; a sample is read closely (the whole wall is 13,058 names).
        let (status, html) = get_text(&format!("/wall/{code}/{number}")).await;
        assert_eq!(status, 200, "{code}/{number}");
        let listed = html.matches("<li><a href=\"/laureates/").count();
        assert_eq!(listed as u32, *names, "{code}/{number}");
        seen += listed;
        if i == 0 || i + 1 == stones.len() || i == stones.len() / 2 {
            let page = catalog.stone_page(code, *number).unwrap();
            // Stone order: each name appears after the one before it.
            let mut at = 0;
            for n in &page.names {
                let link = format!("<a href=\"/laureates/{}\">", n.id);
                let found = html[at..].find(&link).map(|p| p + at);
                assert!(
                    found.is_some(),
                    "{} out of order on {code}/{number}",
                    n.name
                );
                at = found.unwrap();
            }
            assert!(html.contains(&format!("第{number}号石")));
            assert!(html.contains(&format!("href=\"/#stone-{code}-{number}\"")));
            let canonical = html
                .split("<link")
                .find(|tag| tag.contains("rel=\"canonical\""))
                .expect("a canonical link");
            assert!(
                canonical.contains(&format!("href=\"{}/wall/{code}/{number}\"", server().base)),
                "{canonical}"
            );
        }
    }
    assert_eq!(seen as u32, outline.total);
    // Neighbours: the first stone has no previous one, the last no next one.
    let (_, html) = get_text(&format!("/wall/{}/{}", first.0, first.1)).await;
    assert!(!html.contains("rel=\"prev\""));
    assert!(html.contains(&format!(
        "rel=\"next\" href=\"/wall/{}/{}\"",
        stones[1].0, stones[1].1
    )));
    let (_, html) = get_text(&format!("/wall/{}/{}", last.0, last.1)).await;
    assert!(!html.contains("rel=\"next\""));
    // The wall links to every stone's page.
    let (_, wall) = get_text("/").await;
    for (code, number, _) in &stones {
        assert!(wall.contains(&format!("href=\"/wall/{code}/{number}\"")));
    }
}

#[tokio::test]
async fn unknown_stones_are_404_pages() {
    let code = server().state.catalog().outline.sections[0].code.clone();
    for path in [
        format!("/wall/{code}/0"),
        format!("/wall/{code}/9999"),
        format!("/wall/{code}/abc"),
        // One address per stone.
        format!("/wall/{code}/01"),
        format!("/wall/{code}/+1"),
        "/wall/no-such-section/1".to_string(),
        "/wall/%3Cscript%3E/1".to_string(),
    ] {
        let (status, html) = get_text(&path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("页面不存在"), "{path}");
        assert!(!html.contains("<script>"), "{path}");
    }
}

#[tokio::test]
async fn the_sitemap_lists_pages_stones_and_profiles_and_robots_point_to_it() {
    let res = client()
        .get(format!("{}/sitemap.xml", server().base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/xml"));
    let xml = res.text().await.unwrap();
    let catalog = server().state.catalog();
    let stones: usize = catalog
        .outline
        .sections
        .iter()
        .map(|s| s.stones.len())
        .sum();
    let profiles = catalog.profile_ids().count();
    assert_eq!(profiles, 13_058);
    assert_eq!(xml.matches("<loc>").count(), 4 + stones + profiles);
    assert!(xml.contains(&format!("<loc>{}/laureates/1</loc>", server().base)));
    let section = &catalog.outline.sections[0];
    assert!(xml.contains(&format!(
        "<loc>{}/wall/{}/{}</loc>",
        server().base,
        section.code,
        section.stones[0].number
    )));
    let (status, robots) = get_text("/robots.txt").await;
    assert_eq!(status, 200);
    assert!(robots.contains("Disallow: /admin"));
    assert!(robots.contains(&format!("Sitemap: {}/sitemap.xml", server().base)));
}

/// A wrong reading of a polyphonic surname still finds the person, below the right reading and
/// marked, in the API and on the page without JavaScript as in the browser (one engine).
#[tokio::test]
async fn wrong_surname_reading_is_found_and_marked_everywhere() {
    let (status, right) = get_json("/api/v1/laureates?q=zeng&per_page=100").await;
    assert_eq!(status, 200);
    let right = right["items"].as_array().unwrap();
    assert!(right
        .iter()
        .any(|i| i["name"].as_str().unwrap().starts_with('曾')));
    assert!(right.iter().all(|i| i["misread"] == false));

    let (_, wrong) = get_json("/api/v1/laureates?q=ceng&per_page=100").await;
    let marked: Vec<&serde_json::Value> = wrong["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["misread"] == true)
        .collect();
    assert!(!marked.is_empty(), "ceng finds 曾 by its wrong reading");
    assert!(marked
        .iter()
        .all(|i| i["name"].as_str().unwrap().starts_with('曾')
            && i["pinyin"].as_str().unwrap().starts_with("zeng")));

    let (status, html) = get_text("/search?q=ceng").await;
    assert_eq!(status, 200);
    let first = marked[0]["pinyin"].as_str().unwrap();
    assert!(
        html.contains(&format!("读作 {first}")),
        "the page says how the name is read"
    );
}

/// Only the pages themselves are kept: not a query string's variant, not an invented path's 404,
/// not a page asked for under an absurd Host (anybody could fill the cache with those).
#[tokio::test]
async fn the_page_cache_keeps_only_real_pages() {
    let state = |res: &reqwest::Response| {
        res.headers()
            .get("x-page-cache")
            .map(|v| v.to_str().unwrap().to_string())
    };
    for _ in 0..2 {
        let res = client()
            .get(format!("{}/laureates/3?utm=x", server().base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(state(&res), None, "a query string bypasses the cache");
        let res = client()
            .get(format!("{}/no-such-page-7f3a", server().base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        assert_ne!(state(&res).as_deref(), Some("hit"), "a 404 is never kept");
        let res = client()
            .get(format!("{}/laureates/4", server().base))
            .header("host", "h".repeat(300))
            .send()
            .await
            .unwrap();
        assert_eq!(state(&res), None, "an absurd Host bypasses the cache");
    }
}
