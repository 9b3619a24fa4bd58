use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::use_lang;

/// Header, navigation, language switch and footer around every page.
#[component]
pub fn PageFrame(children: Children) -> AnyView {
    let lang = use_lang();
    let location = use_location();
    // The switch is a plain link to a server route that sets the cookie and comes back here: it
    // works without JavaScript, and `rel=external` keeps the client router out of it.
    let switch_href = move || {
        let here = location.pathname.get();
        let query = location.search.get();
        let next = if query.is_empty() {
            here
        } else {
            format!("{here}?{query}")
        };
        format!(
            "/lang/{}?next={}",
            lang.other().code(),
            encode_component(&next)
        )
    };
    // A kiosk's page is the whole screen: no site header, no links off the kiosk.
    if location.pathname.get_untracked().starts_with("/kiosk/") {
        return view! { <main id="main" class="kiosk-main">{children()}</main> }.into_any();
    }
    view! {
        <a class="skip" href="#main">{lang.t("跳到主要内容", "Skip to content")}</a>
        <header class="site-header">
            <a class="brand" href="/" rel="external">
                <span class="brand-mark" aria-hidden="true">"劳"</span>
                <span class="brand-text">
                    <strong>{lang.t("劳动广场数字名录墙", "Labor Plaza Name Wall")}</strong>
                    <small>{lang.t("北京市劳动模范 · 1952—2015", "Beijing model workers · 1952–2015")}</small>
                </span>
            </a>
            <nav aria-label=lang.t("主导航", "Main")>
                <a href="/" rel="external">{lang.t("名录墙", "Wall")}</a>
                <a href="/stats">{lang.t("统计", "Statistics")}</a>
                <a href="/notices">{lang.t("公示", "Notices")}</a>
                <a href="/open-data">{lang.t("开放数据", "Open data")}</a>
                <a class="lang-switch" href=switch_href rel="external" hreflang=lang.other().html_lang()>
                    {lang.t("English", "中文")}
                </a>
            </nav>
        </header>
        <main id="main">{children()}</main>
        <footer class="site-footer">
            <p>{lang.t(
                "北京市总工会 · 劳动广场。名录按批次年份、再按姓氏笔画排列。",
                "Beijing Federation of Trade Unions · Labor Plaza. Names are ordered by year, then by surname stroke count.",
            )}</p>
        </footer>
    }
    .into_any()
}

/// Percent-encodes a URL component (the few characters that matter in a path and query).
pub fn encode_component(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The 示例数据 banner shown wherever demo records appear.
#[component]
pub fn DemoBadge() -> impl IntoView {
    let lang = use_lang();
    view! {
        <span class="demo-badge" title=lang.t(
            "这些记录由演示数据生成器生成，并非真实人物。",
            "These records come from the demo-data generator; they are not real people.",
        )>{lang.t("示例数据", "Demo data")}</span>
    }
}

/// The site's public address: `PUBLIC_BASE_URL`, or the scheme-less Host of this request.
pub fn public_base_url() -> String {
    #[cfg(feature = "ssr")]
    {
        with_context::<axum::http::request::Parts, _>(|parts| {
            crate::site::public_base_url(&parts.headers)
        })
        .unwrap_or_else(|| crate::site::public_base_url(&Default::default()))
    }
    #[cfg(not(feature = "ssr"))]
    {
        window().location().origin().unwrap_or_default()
    }
}
