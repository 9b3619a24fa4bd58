use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::use_lang;
use crate::notices::server::open_notices;

/// `/notices`: who is on public notice now (name, unit, short deeds; nothing private), each
/// with the way to object.
#[component]
pub fn NoticesPage() -> impl IntoView {
    let lang = use_lang();
    let notices = Resource::new(|| (), |_| open_notices());
    view! {
        <Title text=lang.t("公示 · 劳动广场数字名录墙", "Public notices · Labor Plaza")/>
        <section class="prose">
            <h1>{lang.t("劳动模范评选公示", "Public notices of nominees")}</h1>
            <p>{lang.t(
                "以下候选人正在公示。对候选人有异议的，请在公示期内实名提出；匿名意见不予受理。",
                "These nominees are on public notice. Objections may be filed, under your real name, until the notice ends.",
            )}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match notices.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty">{lang.t("目前没有正在公示的候选人。", "No nominee is on notice now.")}</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="notices">
                                {list.into_iter().map(|n| view! {
                                    <li class="notice-card" data-nominee=n.id>
                                        <h2><a href=format!("/notices/{}", n.id)>{n.candidate_name}</a></h2>
                                        <p class="meta">{n.category_name}" "{n.year}" · "{lang.stage(n.stage)}" · "{n.work_unit}" · "{lang.t("推荐单位：", "Nominated by ")}{n.unit_name}</p>
                                        <p class="pre">{n.deeds_short}</p>
                                        <p class="meta">{lang.t("公示期：", "Notice: ")}{n.period}" · "
                                            <a href=format!("/notices/{}#objection", n.id)>{lang.t("提出异议", "File an objection")}</a>
                                        </p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
