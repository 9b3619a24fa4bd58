use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::layout::DemoBadge;
use crate::i18n::{use_lang, Lang};
use crate::search::server::search_laureates;

/// `/search?q=`: server-rendered results, for visitors without JavaScript.
#[component]
pub fn SearchResultsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let results = Resource::new(q, search_laureates);
    view! {
        <Title text=lang.t("搜索 · 劳动广场数字名录墙", "Search · Labor Plaza")/>
        <section class="prose">
            <h1>{lang.t("搜索劳模姓名", "Search names")}</h1>
            <form method="get" action="/search" role="search" class="search-page-form">
                <input type="search" name="q" value=q maxlength="64" aria-label=lang.t("姓名、拼音或首字母", "Name, pinyin or initials")/>
                <button type="submit">{lang.t("搜索", "Search")}</button>
            </form>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok((total, items)) => view! {
                            <p>{match lang { Lang::Zh => format!("找到 {total} 人"), Lang::En => format!("{total} found") }}</p>
                            <ol class="result-list">
                                {items.into_iter().map(|item| {
                                    let honours = item.honours.iter().filter(|h| h.engraved)
                                        .map(|h| format!("{} {}", h.year, lang.t(&h.name, &h.name_en)))
                                        .collect::<Vec<_>>().join("、");
                                    let place = item.wall.as_ref().map(|w| w.describe(lang)).unwrap_or_default();
                                    view! {
                                        <li>
                                            <a href=format!("/laureates/{}", item.id)>{item.name.clone()}</a>
                                            " " <span class="muted">{
                                                // Found by a wrong reading of the surname: say how the name is read.
                                                if item.misread {
                                                    match lang { Lang::Zh => format!("读作 {}", item.pinyin), Lang::En => format!("read {}", item.pinyin) }
                                                } else {
                                                    item.pinyin.clone()
                                                }
                                            }</span>
                                            {item.demo.then(|| view! { " " <DemoBadge/> })}
                                            <div class="muted">{honours} " · " {item.work_unit.clone().unwrap_or_default()}</div>
                                            <div class="muted">{place}</div>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(e) => {
                            #[cfg(feature = "ssr")]
                            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                                response.set_status(e.status());
                            }
                            let message = match &e {
                                crate::error::AppError::BadRequest(_) => lang.t("查询过长，请输入姓名、拼音或首字母。", "The query is too long: type a name, pinyin or initials.").to_string(),
                                other => other.to_string(),
                            };
                            view! { <p class="error" role="alert">{message}</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
