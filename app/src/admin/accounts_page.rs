use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::nav::{AdminShell, FormMessage};
use super::server::{load_account_form, load_created_account, CreatedAccount};
use crate::components::field::Field;
use crate::domain::procedure::Role;
use crate::i18n::use_lang;
use crate::nominations::model::FormState;

/// `/admin/users/new`: an administrator creates an account for any role.
#[component]
pub fn NewAccountPage() -> impl IntoView {
    let query = use_query_map();
    let flash = query.read_untracked().get("flash");
    let data = Resource::new(move || flash.clone(), load_account_form);
    view! {
        <AdminShell title_zh="新建账号 · 管理后台" title_en="New account · Admin" data page=|f| view! { <NewAccountForm f/> }/>
    }
}

/// The account form, with what was typed and the messages after a failed save.
#[component]
fn NewAccountForm(f: FormState) -> impl IntoView {
    let lang = use_lang();
    let role = f.value("role");
    let role_error = f.error("role");
    view! {
            <h1>{lang.t("新建账号", "New account")}</h1>
            <FormMessage form=f.clone()/>
            <form class="account-form" method="post" action="/admin/users" novalidate>
                <Field name="username" label=lang.t("用户名", "User name").into() form=f.clone() required=true maxlength=32 autocomplete="off"
                    hint=lang.t("3 至 32 个小写字母、数字或 . _ -", "3–32 lower-case letters, digits, . _ -").to_string()/>
                <Field name="display_name" label=lang.t("姓名", "Name").into() form=f.clone() required=true maxlength=64/>
                <div class="field" class:has-error=role_error.is_some()>
                    <label for="f-role">{lang.t("角色", "Role")}" *"</label>
                    <select id="f-role" name="role">
                        {[
                            ("nominating_unit", Role::NominatingUnit),
                            ("reviewer", Role::Reviewer),
                            ("notice_manager", Role::NoticeManager),
                            ("administrator", Role::Administrator),
                        ].map(|(code, r)| view! { <option value=code selected=role == code>{lang.role(Some(r))}</option> })}
                    </select>
                    {role_error.clone().map(|e| view! { <p class="field-error">{e}</p> })}
                </div>
                <Field name="unit_name" label=lang.t("推荐单位名称（推荐单位账号必填）", "Nominating unit (for unit accounts)").into() form=f.clone() maxlength=60/>
                <Field name="password" label=lang.t("初始密码", "Initial password").into() form=f.clone() kind="password" required=true autocomplete="new-password"
                    hint=lang.t("至少 12 个字符，不能是常见密码", "At least 12 characters, not a common password").to_string()/>
                <Field name="password_again" label=lang.t("再次输入密码", "Password again").into() form=f.clone() kind="password" required=true autocomplete="new-password"/>
                <button type="submit">{lang.t("创建账号", "Create account")}</button>
            </form>
    }
}

/// `/admin/users/created`: the new account's authenticator secret and recovery codes, once.
#[component]
pub fn CreatedAccountPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_created_account());
    view! {
        <AdminShell title_zh="账号已创建 · 管理后台" title_en="Account created · Admin" data page=|c| view! { <Created c/> }/>
    }
}

/// The second factor of the new account, shown once.
#[component]
fn Created(c: CreatedAccount) -> impl IntoView {
    let lang = use_lang();
    view! {
        <h1>{lang.t("账号已创建：", "Account created: ")}<span data-testid="created-username">{c.username}</span></h1>
        <p class="error" role="note">{lang.t(
            "以下信息只显示这一次。请交给账号持有人：用身份验证器应用添加密钥，并妥善保存恢复码。",
            "This is shown once. Give it to the account holder: add the key to an authenticator app and keep the recovery codes safe.",
        )}</p>
        <dl>
            <dt>{lang.t("身份验证器密钥", "Authenticator key")}</dt>
            <dd><code data-testid="totp-secret">{c.totp_secret}</code></dd>
            <dt>{lang.t("添加链接", "Provisioning link")}</dt>
            <dd><code class="wrap">{c.provisioning_url}</code></dd>
            <dt>{lang.t("恢复码（每个只能用一次）", "Recovery codes (each works once)")}</dt>
            <dd><ul class="codes">{c.recovery_codes.into_iter().map(|r| view! { <li><code>{r}</code></li> }).collect_view()}</ul></dd>
        </dl>
        <p><a href="/admin">{lang.t("返回概览", "Back to the overview")}</a></p>
    }
}
