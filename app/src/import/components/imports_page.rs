use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::admin::nav::{AdminShell, DoneMessage};
use crate::i18n::use_lang;
use crate::import::model::ImportsData;
use crate::import::server::load_imports;

/// `/admin/imports`: upload a list (check it, import it, or get its rows to fix as a workbook),
/// and the imports so far, each of which can be undone as a whole (administrators only).
#[component]
pub fn ImportsPage() -> impl IntoView {
    let query = use_query_map();
    let flash = query.read_untracked().get("flash");
    let data = Resource::new(move || flash.clone(), load_imports);
    view! {
        <AdminShell title_zh="导入 · 管理后台" title_en="Imports · Admin" wide=true data page=|d| view! { <Imports d/> }/>
    }
}

/// The upload form (also on the report, to send the corrected list).
#[component]
pub fn UploadForm() -> impl IntoView {
    let lang = use_lang();
    view! {
        <form class="upload-form import-form" method="post" enctype="multipart/form-data" action="/admin/imports">
            <div class="field">
                <label for="import-file">{lang.t("名单文件（.xlsx 或 UTF-8 CSV，至多 20 MB）", "List (.xlsx or UTF-8 CSV, at most 20 MB)")}</label>
                <input id="import-file" type="file" name="file" required accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>
                <p class="hint">{lang.t(
                    "首行为列名：name、honour、year 必填；带 id 的行更新该人员，不带 id 的行按姓名、荣誉、年份查找，找不到则新增。文件里没有的列保持原值，空单元格清空该项。",
                    "The first row names the columns: name, honour and year are required. A row with an id updates that person; a row without one is matched by name, honour and year, and added if nobody holds that honour. A column the file lacks is left as it is; an empty cell empties the field.",
                )}</p>
            </div>
            <div class="actions">
                <button type="submit" name="action" value="check">{lang.t("检查（不写入）", "Check (writes nothing)")}</button>
                <button type="submit" name="action" value="import" class="secondary">{lang.t("导入", "Import")}</button>
                <button type="submit" name="action" value="bad_rows" class="secondary">{lang.t("下载待修改行（Excel）", "Rows to fix (Excel)")}</button>
            </div>
        </form>
    }
}

#[component]
fn Imports(d: ImportsData) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let done = query.read_untracked().get("done");
    view! {
        <h1>{lang.t("导入名单", "Import a list")}</h1>
        <DoneMessage done/>
        {d.message.map(|e| view! { <p class="error" role="alert">{e}</p> })}
        <p>{lang.t(
            "先检查：会列出新增、更新、不变和有误的行数及每个有误行的原因。导入是全部或全不：有一行有误就什么也不写入。每次导入都可以整体撤销。",
            "Check first: it counts the rows added, updated, unchanged and with problems, and names each problem. An import is all or nothing: one row with a problem and nothing is written. Every import can be undone as a whole.",
        )}</p>
        <UploadForm/>
        <p class="downloads">
            {lang.t("全部记录（所有字段，与导入的列相同，可修改后再导入）：", "All records (every field, in the import's columns; edit and import again): ")}
            <a href="/admin/records.xlsx" download>{lang.t("Excel 下载", "Excel")}</a>" · "
            <a href="/admin/records.csv" download>"CSV"</a>
        </p>
        <h2>{lang.t("历次导入", "Imports so far")}</h2>
        {if d.batches.is_empty() {
            view! { <p>{lang.t("还没有导入。", "No imports yet.")}</p> }.into_any()
        } else {
            view! {
                <table class="admin-table imports">
                    <thead><tr>
                        <th>{lang.t("编号", "No.")}</th><th>{lang.t("时间", "When")}</th><th>{lang.t("操作人", "By")}</th>
                        <th>{lang.t("文件", "File")}</th><th>{lang.t("新增人员", "People added")}</th><th>{lang.t("更新人员", "People updated")}</th>
                        <th>{lang.t("不变的行", "Rows unchanged")}</th><th>{lang.t("状态", "State")}</th>
                    </tr></thead>
                    <tbody>
                        {d.batches.into_iter().map(|b| {
                            let state = match b.undone.clone() {
                                Some((at, by)) => view! { <span>{format!("{}{at} · {by}", lang.t("已撤销 ", "undone "))}</span> }.into_any(),
                                None => view! {
                                    <form method="post" action=format!("/admin/imports/{}/undo", b.id)>
                                        <button type="submit" class="secondary">{lang.t("撤销此次导入", "Undo this import")}</button>
                                    </form>
                                }.into_any(),
                            };
                            view! {
                                <tr data-import=b.id>
                                    <td>{b.id}</td><td>{b.imported_at.clone()}</td><td>{b.actor.clone()}</td><td>{b.source.clone()}</td>
                                    <td>{b.added}</td><td>{b.updated}</td><td>{b.unchanged}</td><td>{state}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}
