use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::use_lang;

/// The 404 page; on the server it also sets the status code.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let lang = use_lang();
    view! {
        <Title text=lang.t("页面不存在 · 劳动广场数字名录墙", "Not found · Labor Plaza")/>
        <section class="message-page">
            <h1>{lang.t("页面不存在", "Page not found")}</h1>
            <p>{lang.t("您要找的页面不存在或已移动。", "The page you are looking for does not exist.")}</p>
            <p><a href="/" rel="external">{lang.t("返回名录墙", "Back to the wall")}</a></p>
        </section>
    }
}
