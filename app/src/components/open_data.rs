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
            <h2>{lang.t("下载名录表格", "Download the list as a spreadsheet")}</h2>
            <p>{lang.t(
                "全部公开名录为 CSV 文件（UTF-8，可用 Excel 或 WPS 打开），筛选条件与上面的列表接口相同：",
                "The whole public list as a CSV file (UTF-8; opens in Excel or WPS), with the same filters as the list above:",
            )}</p>
            <ul>
                <li><a href="/api/v1/laureates.csv" download>{lang.t("全部名录（CSV）", "Everyone (CSV)")}</a></li>
                <li><a href="/api/v1/laureates.csv?level=national" download>{lang.t("全国劳动模范（CSV）", "National model workers (CSV)")}</a></li>
                <li><a href="/api/v1/laureates.xlsx" download>{lang.t("全部名录（Excel 工作簿）", "Everyone (Excel workbook)")}</a></li>
                <li><code>"GET /api/v1/laureates.csv?q=&level=&batch=&honour="</code>" · "<code>"laureates.xlsx"</code></li>
            </ul>
        </section>
    }
}
