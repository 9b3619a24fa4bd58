use leptos::prelude::*;

use super::imports_page::UploadForm;
use crate::admin::nav::AdminShell;
use crate::i18n::use_lang;
use crate::import::model::ImportReportView;
use crate::import::server::load_import_report;

/// `/admin/imports/report`: the answer to an upload — what the list would do or did, and every
/// problem (the first 200 listed here; all of them in the workbook of rows to fix).
#[component]
pub fn ImportReportPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_import_report());
    view! {
        <AdminShell title_zh="导入报告 · 管理后台" title_en="Import report · Admin" wide=true data page=|r| view! { <Report r/> }/>
    }
}

#[component]
fn Report(r: ImportReportView) -> impl IntoView {
    let lang = use_lang();
    let t = r.tally;
    let headline = match (r.written, r.checked_only, r.problems_total) {
        (Some(id), _, _) => format!(
            "{}{id}",
            lang.t("已导入，导入编号 ", "Imported: import no. ")
        ),
        (None, _, n) if n > 0 => lang
            .t(
                "名单有误，未写入任何内容",
                "The list has problems: nothing was written",
            )
            .to_string(),
        (None, true, _) => lang
            .t("检查通过，尚未写入", "Checked: nothing written yet")
            .to_string(),
        (None, false, _) => lang.t("未写入", "Nothing written").to_string(),
    };
    let clean = r.problems_total == 0;
    view! {
        <h1>{lang.t("导入报告：", "Import report: ")}<span class="file-name">{r.source.clone()}</span></h1>
        <p class:notice-ok=clean class:error=!clean role="status" data-testid="import-headline">{headline}</p>
        <p class="tally" data-testid="import-tally">{format!(
            "{} {} · {} {} · {} {} · {} {}",
            lang.t("新增", "added"), t.added, lang.t("更新", "updated"), t.updated,
            lang.t("不变", "unchanged"), t.unchanged, lang.t("有误", "with problems"), t.bad,
        )}{format!(" ({} {})", r.rows, lang.t("行", "rows"))}</p>
        {(r.problems_total > 0).then(|| view! {
            <h2>{lang.t("有误的行", "Problems")}</h2>
            <table class="admin-table problems">
                <thead><tr><th>{lang.t("行号", "Row")}</th><th>{lang.t("原因", "Reason")}</th></tr></thead>
                <tbody>
                    {r.problems.iter().map(|p| view! {
                        <tr><td>{p.line.map(|l| l.to_string()).unwrap_or_else(|| lang.t("文件", "file").to_string())}</td><td>{p.reason.clone()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(r.problems_total > r.problems.len()).then(|| view! {
                <p>{format!("{} {} {}", lang.t("另有", "and"), r.problems_total - r.problems.len(), lang.t("处问题：全部列在待修改行的 Excel 文件里。", "more: every one is in the workbook of rows to fix."))}</p>
            })}
        })}
        {(r.updates_total > 0).then(|| view! {
            <h2>{if r.written.is_some() { lang.t("已更新的人员", "People updated") } else { lang.t("将更新的人员", "People to update") }}</h2>
            <table class="admin-table updates">
                <thead><tr><th>{lang.t("行号", "Row")}</th><th>{lang.t("人员", "Person")}</th><th>{lang.t("改动的项", "Fields changed")}</th></tr></thead>
                <tbody>
                    {r.updates.iter().map(|u| view! {
                        <tr><td>{u.line}</td><td><a href=format!("/laureates/{}", u.person_id)>{u.name.clone()}</a>{format!(" ({})", u.person_id)}</td><td>{u.fields.join(", ")}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(r.updates_total > r.updates.len()).then(|| view! {
                <p>{format!("{} {} {}", lang.t("另有", "and"), r.updates_total - r.updates.len(), lang.t("人", "more"))}</p>
            })}
        })}
        <h2>{lang.t("再次上传", "Upload again")}</h2>
        <UploadForm/>
        <p><a href="/admin/imports">{lang.t("返回导入列表", "Back to the imports")}</a></p>
    }
}
