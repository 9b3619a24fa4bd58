use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::use_lang;

/// How to use the public read API.
#[component]
pub fn OpenDataPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=lang.t("开放数据 · 劳动广场数字名录墙", "Open data · Labor Plaza")/>
        <section class="prose">
            <h1>{lang.t("开放数据", "Open data")}</h1>
            <p>{lang.t(
                "名录数据以 JSON 形式公开，接口说明见 OpenAPI 3 文档。",
                "The name list is public as JSON; the OpenAPI 3 document describes every endpoint.",
            )}</p>
            <ul>
                <li><a href="/api/v1/openapi.json" rel="external"><code>"GET /api/v1/openapi.json"</code></a></li>
                <li><a href="/api/v1/laureates?q=zhang&per_page=5" rel="external"><code>"GET /api/v1/laureates?q=&level=&batch=&honour=&page=&per_page="</code></a></li>
                <li><a href="/api/v1/laureates/1" rel="external"><code>"GET /api/v1/laureates/{id}"</code></a></li>
                <li><a href="/api/v1/wall" rel="external"><code>"GET /api/v1/wall"</code></a></li>
                <li><a href="/api/v1/stats" rel="external"><code>"GET /api/v1/stats"</code></a></li>
            </ul>
        </section>
    }
}
