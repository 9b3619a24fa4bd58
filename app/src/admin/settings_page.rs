use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::nav::{AdminShell, DoneMessage, FormMessage};
use super::server::{load_settings, SettingsData};
use crate::components::field::Field;
use crate::i18n::use_lang;

/// `/admin/settings`: notice lengths per stage, the holiday calendar, quota rules, and batch
/// publishing (administrators only).
#[component]
pub fn SettingsPage() -> impl IntoView {
    let query = use_query_map();
    let flash = query.read_untracked().get("flash");
    let data = Resource::new(move || flash.clone(), load_settings);
    view! {
        <AdminShell title_zh="设置 · 管理后台" title_en="Settings · Admin" data page=|d| view! { <Settings d/> }/>
    }
}

#[component]
fn Settings(d: SettingsData) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let done = query.read_untracked().get("done");
    let f = d.form;
    view! {
        <h1>{lang.t("设置", "Settings")}</h1>
        <DoneMessage done/>
        <FormMessage form=f.clone()/>
        <form class="settings-form" method="post" action="/admin/settings" novalidate>
            <fieldset>
                <legend>{lang.t("公示期（工作日）", "Notice periods (working days)")}</legend>
                <Field name="unit_notice" label=lang.t("基层公示", "Notice at the unit").into() form=f.clone() kind="number" required=true/>
                <Field name="city_notice" label=lang.t("市级公示", "Municipal notice").into() form=f.clone() kind="number" required=true/>
                <Field name="public_notice" label=lang.t("社会公示", "Final public notice").into() form=f.clone() kind="number" required=true/>
            </fieldset>
            <Field name="holidays" label=lang.t("节假日与调休日历", "Holidays and worked weekend days").into() form=f.clone() kind="textarea"
                hint=lang.t("每行一个日期：2026-10-01 holiday 或 2026-09-27 workday；# 后为注释", "One date a line: 2026-10-01 holiday or 2026-09-27 workday; # starts a comment").to_string()/>
            <Field name="quotas" label=lang.t("名额比例规则", "Quota rules").into() form=f.clone() kind="textarea"
                hint=lang.t("每行一条：荣誉代码 年度 指标 >= 或 <= 百分比，如 beijing_model 2025 frontline >= 45；指标为 frontline、scitech、manager、female", "One a line: honour year attribute >= or <= percent, e.g. beijing_model 2025 frontline >= 45").to_string()/>
            <button type="submit">{lang.t("保存设置", "Save settings")}</button>
        </form>
        <h2>{lang.t("石碑刻制", "Cutting the stones")}</h2>
        <p>{lang.t(
            "石碑刻到哪一年，由这里记录。之后表彰的人员保留预排位置，在名录墙和人物页上显示为“尚未镌刻”；重新刻制后，把年份改为新刻到的年份。",
            "Record here up to which year each monument's stones are cut. People honoured later keep their planned place and show as \"not yet engraved\" on the wall and their profiles; after the stones are cut again, set the year they are cut to.",
        )}</p>
        <table class="admin-table monuments">
            <thead><tr><th>{lang.t("碑", "Monument")}</th><th>{lang.t("尚未镌刻", "Not yet engraved")}</th><th>{lang.t("刻至（年）", "Cut up to (year)")}</th></tr></thead>
            <tbody>
                {d.monuments.into_iter().map(|m| {
                    let field = format!("through-{}", m.code);
                    let waiting: u32 = m.not_yet_engraved.iter().map(|p| p.names).sum();
                    view! {
                        <tr data-monument=m.code.clone()>
                            <td>{lang.t(&m.name_zh, &m.name_en).to_string()}</td>
                            <td>{waiting}</td>
                            <td>
                                <form class="inline-form" method="post" action=format!("/admin/monuments/{}/cut", m.code)>
                                    <label class="visually-hidden" for=field.clone()>{lang.t("刻至（年）", "Cut up to (year)")}</label>
                                    <input id=field type="number" name="through" inputmode="numeric" min="1949" max="2200" required
                                        value=m.engraved_through.map(|y| y.to_string()).unwrap_or_default()/>
                                    <label class="check"><input type="checkbox" name="confirm" value="1"/>{lang.t("确认（同一年或更早）", "confirm (the same year or earlier)")}</label>
                                    <button type="submit" class="secondary">{lang.t("记录", "Record")}</button>
                                </form>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <h2>{lang.t("批次发布", "Batch publication")}</h2>
        <p>{lang.t("批准的劳模进入其年度批次；批次发布后才在名录墙和开放数据中公开。", "Approved laureates join the batch of their year; a batch is public on the wall and in the open data once published.")}</p>
        <table class="admin-table batches">
            <thead><tr><th>{lang.t("批次", "Batch")}</th><th>{lang.t("荣誉数", "Honours")}</th><th>{lang.t("状态", "State")}</th><th></th></tr></thead>
            <tbody>
                {d.batches.into_iter().map(|b| view! {
                    <tr data-batch=b.label.clone()>
                        <td>{b.label.clone()}</td><td>{b.honours}</td>
                        <td>{if b.published { lang.t("已发布", "published") } else { lang.t("未发布", "not published") }}</td>
                        <td>
                            <form method="post" action=format!("/admin/batches/{}/publish", b.id)>
                                <input type="hidden" name="publish" value=if b.published { "0" } else { "1" }/>
                                <button type="submit" class:secondary=b.published>{if b.published { lang.t("撤回发布", "Unpublish") } else { lang.t("发布", "Publish") }}</button>
                            </form>
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
