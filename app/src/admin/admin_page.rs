use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::nav::AdminShell;
use super::server::{admin_overview, AdminHome};
use crate::i18n::use_lang;

/// `/admin`: the login form, or the signed-in account's overview.
#[component]
pub fn AdminPage() -> impl IntoView {
    let query = use_query_map();
    let audit_before = query
        .read_untracked()
        .get("audit_before")
        .and_then(|b| b.parse::<i64>().ok());
    let overview = Resource::new(move || audit_before, admin_overview);
    view! {
        <AdminShell title_zh="管理后台 · 劳动广场数字名录墙" title_en="Admin · Labor Plaza" data=overview page=|o| view! { <Overview o/> }/>
    }
}

#[component]
fn Overview(o: AdminHome) -> impl IntoView {
    let lang = use_lang();
    let user = o.user;
    view! {
        <h1>{lang.t("管理后台", "Admin")}</h1>
        <p class="signed-in" data-testid="signed-in">
            {user.display_name.clone()}" （"{user.username.clone()}"） · "{lang.role(user.role)}
            {user.unit_name.clone().map(|u| format!(" · {u}"))}
        </p>
        <form method="post" action="/admin/logout"><button type="submit">{lang.t("退出登录", "Sign out")}</button></form>
        {(!o.waiting.is_empty()).then(|| view! {
            <h2>{lang.t("待您处理", "Waiting for you")}</h2>
            <ul class="waiting">
                {o.waiting.into_iter().map(|w| view! {
                    <li><a href=format!("/admin/nominations?stage={}", w.code)>{lang.stage(Some(w.stage))}</a>" "<span class="count">{w.count}</span></li>
                }).collect_view()}
            </ul>
        })}
        {o.accounts.map(|rows| view! {
            <h2>{lang.t("账号", "Accounts")}</h2>
            <p><a class="button" href="/admin/users/new">{lang.t("新建账号", "New account")}</a></p>
            <table class="admin-table accounts">
                <thead><tr>
                    <th>{lang.t("用户名", "User name")}</th><th>{lang.t("姓名", "Name")}</th>
                    <th>{lang.t("角色", "Role")}</th><th>{lang.t("状态", "State")}</th>
                    <th>{lang.t("会话", "Sessions")}</th><th>{lang.t("操作", "Actions")}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|a| {
                        let state = if a.disabled { lang.t("已停用", "disabled") } else { lang.t("正常", "active") };
                        let toggle = if a.disabled { ("enable", lang.t("启用", "Enable")) } else { ("disable", lang.t("停用", "Disable")) };
                        view! {
                            <tr data-account=a.username.clone()>
                                <td>{a.username.clone()}</td>
                                <td>{a.display_name.clone()}{a.unit_name.clone().map(|u| format!(" · {u}"))}</td>
                                <td>{lang.role(a.role)}</td>
                                <td>{state}</td>
                                <td>{a.live_sessions}</td>
                                <td><div class="actions">
                                    {(!a.is_self).then(|| view! {
                                        <form method="post" action=format!("/admin/users/{}/{}", a.id, toggle.0)>
                                            <button type="submit">{toggle.1}</button>
                                        </form>
                                    })}
                                    <form method="post" action=format!("/admin/users/{}/end-sessions", a.id)>
                                        <button type="submit">{lang.t("结束会话", "End sessions")}</button>
                                    </form>
                                </div></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        })}
        {o.recent_audit.map(|page| view! {
            <h2 id="audit">{lang.t("审计日志", "Audit log")}</h2>
            <p><a href="/admin/audit.csv" rel="external">{lang.t("导出全部（CSV）", "Export all (CSV)")}</a></p>
            <table class="admin-table audit">
                <thead><tr>
                    <th>{lang.t("时间", "Time")}</th><th>{lang.t("操作人", "Actor")}</th>
                    <th>{lang.t("操作", "Action")}</th><th>{lang.t("对象", "Object")}</th><th>{lang.t("地址", "Address")}</th>
                    <th>{lang.t("次数", "Times")}</th>
                </tr></thead>
                <tbody>
                    {page.rows.into_iter().map(|r| view! {
                        <tr><td>{r.at}{r.last_at.map(|l| format!(" – {l}"))}</td><td>{r.actor}</td><td>{r.action}</td><td>{r.object}</td><td>{r.address}</td><td>{r.count}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <nav class="pager" aria-label=lang.t("审计日志分页", "Audit log pages")>
                <a href="/admin#audit">{lang.t("最新", "Newest")}</a>
                {page.older.map(|id| view! {
                    " · "<a href=format!("/admin?audit_before={id}#audit")>{lang.t("更早 →", "Older →")}</a>
                })}
            </nav>
        })}
    }
}
