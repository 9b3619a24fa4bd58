use crate::i18n::use_lang;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The sign-in form, all that anonymous visitors see of the admin area.
#[component]
pub fn LoginForm() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let error = query.read_untracked().get("error");
    let username = query.read_untracked().get("username").unwrap_or_default();
    let message = error.map(|e| match e.as_str() {
        "limited" => lang.t(
            "尝试次数过多，请 15 分钟后再试。",
            "Too many attempts: try again in 15 minutes.",
        ),
        "unavailable" => lang.t(
            "服务暂时不可用，请稍后再试。",
            "The service is unavailable; try again later.",
        ),
        _ => lang.t(
            "用户名、密码或验证码不正确。",
            "Wrong user name, password or code.",
        ),
    });
    view! {
        <h1>{lang.t("管理后台登录", "Admin sign-in")}</h1>
        <form class="login-form" method="post" action="/admin/login">
            {message.map(|m| view! { <p class="error" role="alert" id="login-error">{m}</p> })}
            <label>
                <span>{lang.t("用户名", "User name")}</span>
                <input name="username" autocomplete="username" required value=username
                    aria-describedby="login-error"/>
            </label>
            <label>
                <span>{lang.t("密码", "Password")}</span>
                <input name="password" type="password" autocomplete="current-password" required/>
            </label>
            <label>
                <span>{lang.t("动态验证码或恢复码", "Authenticator code or recovery code")}</span>
                <input name="code" autocomplete="one-time-code" required inputmode="text"/>
            </label>
            <button type="submit">{lang.t("登录", "Sign in")}</button>
        </form>
    }
}
