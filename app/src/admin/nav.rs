use leptos::prelude::*;

use crate::i18n::use_lang;
use crate::nominations::model::FormState;

/// The admin area's navigation.
#[component]
pub fn AdminNav() -> impl IntoView {
    let lang = use_lang();
    view! {
        <nav class="admin-nav" aria-label=lang.t("管理后台", "Admin")>
            <a href="/admin">{lang.t("概览", "Overview")}</a>
            <a href="/admin/nominations">{lang.t("提名", "Nominations")}</a>
            <a href="/admin/settings">{lang.t("设置", "Settings")}</a>
            <a href="/admin/imports">{lang.t("导入", "Imports")}</a>
            <a href="/admin/errata">{lang.t("勘误表", "Errata")}</a>
            <a href="/admin/kiosks">{lang.t("信息亭", "Kiosks")}</a>
            <a href="/notices">{lang.t("公示（公开页面）", "Public notices")}</a>
        </nav>
    }
}

/// Shown instead of an admin page to anonymous visitors: the sign-in form and nothing else.
#[component]
pub fn SignInFirst() -> impl IntoView {
    view! { <super::login_form::LoginForm/> }
}

/// The message about a whole form (a conflict, a refusal) and a summary of the fields at fault.
#[component]
pub fn FormMessage(form: FormState) -> impl IntoView {
    let lang = use_lang();
    let count = form.errors.len();
    view! {
        {form.message.map(|m| view! { <p class="error" role="alert" id="form-message">{m}</p> })}
        {(count > 0).then(|| view! {
            <p class="error" role="alert" id="form-message">
                {lang.t("未保存：请修改下面标出的 ", "Not saved: correct the ")}{count}{lang.t(" 处。", " marked field(s) below.")}
            </p>
        })}
    }
}

/// A confirmation after a successful post (`?done=…`).
#[component]
pub fn DoneMessage(done: Option<String>) -> impl IntoView {
    let lang = use_lang();
    done.map(|d| {
        let text = match d.as_str() {
            "saved" => lang.t("已保存。", "Saved."),
            "action" => lang.t("操作已完成。", "Done."),
            "uploaded" => lang.t("材料已上传。", "File uploaded."),
            "deleted" => lang.t("材料已删除。", "File removed."),
            "resolved" => lang.t("异议处理结果已记录。", "Objection resolved."),
            "check" => lang.t("部门意见已记录。", "Verdict recorded."),
            "published" => lang.t("批次发布状态已更新。", "Batch publication updated."),
            "undone" => lang.t("导入已撤销。", "Import undone."),
            "cut" => lang.t("刻制年份已记录。", "The cutting is recorded."),
            _ => lang.t("完成。", "Done."),
        };
        view! { <p class="notice-ok" role="status">{text}</p> }
    })
}

/// An error in place of a page, with the matching HTTP status.
#[component]
pub fn ErrorMessage(error: crate::error::AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(error.status());
    }
    view! { <p role="alert" class="error">{error.to_string()}</p> }
}

/// Every admin page's frame: its title (never indexed), the data it loads, and then — for a
/// signed-in caller — the navigation and the page; for anyone else the sign-in form; on an error
/// the message, with the error's own HTTP status. (`/admin` itself and every page under it are
/// also `Cache-Control: no-store`, set for the whole path at the HTTP edge.)
#[component]
pub fn AdminShell<T, V>(
    title_zh: &'static str,
    title_en: &'static str,
    /// Tables that want the full width.
    #[prop(optional)]
    wide: bool,
    data: Resource<Result<Option<T>, crate::error::AppError>>,
    page: fn(T) -> V,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    let lang = use_lang();
    view! {
        <leptos_meta::Title text=lang.t(title_zh, title_en)/>
        <leptos_meta::Meta name="robots" content="noindex"/>
        <section class="prose admin" class:wide=wide>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(Some(d)) => view! { <AdminNav/>{page(d)} }.into_any(),
                        Ok(None) => view! { <SignInFirst/> }.into_any(),
                        Err(error) => view! { <AdminNav/><ErrorMessage error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
