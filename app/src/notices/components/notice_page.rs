use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::admin::nav::FormMessage;
use crate::components::field::Field;
use crate::i18n::use_lang;
use crate::notices::server::open_notice;

/// `/notices/{id}`: one nominee on notice and the objection form (实名).
#[component]
pub fn NoticePage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let id = params
        .read_untracked()
        .get("id")
        .and_then(|i| i.parse::<i64>().ok())
        .unwrap_or(0);
    let flash = query.read_untracked().get("flash");
    let filed = query.read_untracked().get("filed").is_some();
    let data = Resource::new(move || (id, flash.clone()), |(id, f)| open_notice(id, f));
    view! {
        <Title text=lang.t("公示 · 劳动广场数字名录墙", "Public notice · Labor Plaza")/>
        <section class="prose">
            <p><a href="/notices">{lang.t("← 全部公示", "← All notices")}</a></p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((n, form)) => {
                            let form = form.unwrap_or_default();
                            view! {
                                <h1>{n.candidate_name.clone()}</h1>
                                <p class="meta">{n.category_name}" "{n.year}" · "{lang.stage(n.stage)}" · "{n.work_unit}" · "{lang.t("推荐单位：", "Nominated by ")}{n.unit_name}</p>
                                <h2>{lang.t("简要事迹", "Short deeds")}</h2>
                                <p class="pre">{n.deeds_short}</p>
                                <p class="meta">{lang.t("公示期：", "Notice: ")}{n.period}</p>
                                {filed.then(|| view! {
                                    <p class="notice-ok" role="status">{lang.t("您的异议已收到，我们将核查并记录处理结果。", "Your objection was received; it will be investigated.")}</p>
                                })}
                                <h2 id="objection">{lang.t("提出异议（实名）", "File an objection (real name)")}</h2>
                                <FormMessage form=form.clone()/>
                                <form class="objection-form" method="post" action=format!("/notices/{}/objections", n.id) novalidate>
                                    <Field name="name" label=lang.t("您的姓名", "Your name").into() form=form.clone() required=true maxlength=30 autocomplete="name"/>
                                    <Field name="contact" label=lang.t("联系电话或电子邮箱", "Phone or e-mail").into() form=form.clone() required=true maxlength=100
                                        hint=lang.t("仅用于核查，不会公开", "Used only to investigate; never published").to_string()/>
                                    <Field name="body" label=lang.t("异议内容", "Objection").into() form=form.clone() kind="textarea" required=true maxlength=1000
                                        hint=lang.t("10 至 1000 字，请写明事实和依据", "10 to 1,000 characters: the facts and how you know them").to_string()/>
                                    <button type="submit">{lang.t("提交异议", "Submit")}</button>
                                </form>
                            }.into_any()
                        }
                        Err(crate::error::AppError::NotFound(_)) => {
                            #[cfg(feature = "ssr")]
                            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                                response.set_status(axum::http::StatusCode::NOT_FOUND);
                            }
                            view! { <h1>{lang.t("该公示不存在或已结束", "This notice does not exist or has ended")}</h1> }.into_any()
                        }
                        Err(error) => view! { <crate::admin::nav::ErrorMessage error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
