use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::admin::nav::{AdminShell, DoneMessage, FormMessage};
use crate::i18n::use_lang;
use crate::nominations::model::{ActionView, FormState, NominationDetail};
use crate::nominations::server::load_nomination;

/// `/admin/nominations/{id}`: the whole nomination on one page: packet, actions the caller may
/// take, files, objections, departmental checks, quota shares and the full history.
#[component]
pub fn NominationDetailPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = params
        .read_untracked()
        .get("id")
        .and_then(|i| i.parse::<i64>().ok())
        .unwrap_or(0);
    let flash = query.read_untracked().get("flash");
    let data = Resource::new(
        move || (id, flash.clone()),
        |(id, f)| load_nomination(id, f),
    );
    view! {
        <AdminShell title_zh="提名 · 管理后台" title_en="Nomination · Admin" wide=true data page=|d| view! { <Detail d/> }/>
    }
}

#[component]
fn Detail(d: NominationDetail) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let done = query.read_untracked().get("done");
    let flash = d.flash.clone().unwrap_or_default();
    let id = d.id;
    let version = d.version;
    let candidate = d.candidate_name.clone();
    view! {
        <h1>{candidate}" "<span class=format!("stage stage-{}", d.stage_code) data-testid="stage">{lang.stage(d.stage)}</span></h1>
        <p class="meta">{d.category_name.clone()}" · "{d.unit_name.clone()}
            {d.notice.clone().map(|n| view! { " · "{lang.t("公示期 ", "Notice ")}<span data-testid="notice">{n}</span> })}
        </p>
        <DoneMessage done/>
        <FormMessage form=FormState { errors: Default::default(), ..flash.clone() }/>
        {d.decision_note.clone().map(|n| view! {
            <p class="decision-note"><strong>{lang.t("退回或不通过的理由：", "Reasons given: ")}</strong>{n}</p>
        })}
        {d.laureate_id.map(|p| view! {
            <p class="notice-ok">{lang.t("已批准并生成劳模记录：", "Approved; laureate record: ")}
                <a href=format!("/laureates/{p}") rel="external">{format!("/laureates/{p}")}</a>
                {lang.t("（批次发布后公开显示）", " (public once the batch is published)")}
            </p>
        })}
        {(!d.actions.is_empty()).then(|| view! {
            <section class="panel actions-panel" aria-labelledby="actions-h">
                <h2 id="actions-h">{lang.t("可进行的操作", "Actions")}</h2>
                {d.actions.into_iter().map(|a| view! { <ActionForm a id version flash=flash.clone()/> }).collect_view()}
            </section>
        })}
        {d.can_edit.then(|| view! {
            <p><a class="button" href=format!("/admin/nominations/{id}/edit")>{lang.t("修改提名内容", "Edit the nomination")}</a></p>
        })}
        <section class="panel" aria-labelledby="packet-h">
            <h2 id="packet-h">{lang.t("提名材料", "Nomination packet")}</h2>
            <dl class="packet">
                {d.fields.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd class="pre">{v}</dd> }).collect_view()}
            </dl>
        </section>
        <section class="panel" aria-labelledby="files-h">
            <h2 id="files-h">{lang.t("附件", "Attachments")}</h2>
            {if d.attachments.is_empty() {
                view! { <p class="empty">{lang.t("暂无附件。", "No files yet.")}</p> }.into_any()
            } else {
                let can_delete = d.can_edit;
                view! {
                    <table class="admin-table files">
                        <thead><tr><th>{lang.t("类型", "Kind")}</th><th>{lang.t("文件", "File")}</th><th>{lang.t("大小", "Size")}</th><th>{lang.t("上传时间", "Uploaded")}</th><th></th></tr></thead>
                        <tbody>
                            {d.attachments.into_iter().map(|a| view! {
                                <tr>
                                    <td>{a.kind_name}</td>
                                    <td><a href=format!("/admin/attachments/{}", a.id) rel="external">{a.file_name}</a></td>
                                    <td>{a.size_text}</td><td>{a.uploaded_at}</td>
                                    <td>{can_delete.then(|| view! {
                                        <form method="post" action=format!("/admin/attachments/{}/delete", a.id)>
                                            <button type="submit" class="link">{lang.t("删除", "Remove")}</button>
                                        </form>
                                    })}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            {d.can_upload.then(|| view! {
                <form class="upload-form" method="post" enctype="multipart/form-data" action=format!("/admin/nominations/{id}/attachments")>
                    <label>{lang.t("材料类型", "Kind")}" "
                        <select name="kind">
                            {if d.opinions_only {
                                view! { <option value="opinion">"部门意见"</option> }.into_any()
                            } else {
                                view! {
                                    <option value="form">"推荐表"</option>
                                    <option value="evaluation">"民主测评表"</option>
                                    <option value="opinion">"部门意见"</option>
                                    <option value="photo">"照片"</option>
                                    <option value="other">"其他材料"</option>
                                }.into_any()
                            }}
                        </select>
                    </label>
                    <label>{lang.t("文件（PDF、JPEG 或 PNG，不超过 10 MB）", "File (PDF, JPEG or PNG, up to 10 MB)")}" "
                        <input type="file" name="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" required/>
                    </label>
                    <button type="submit">{lang.t("上传", "Upload")}</button>
                </form>
            })}
        </section>
        {(!d.objections.is_empty()).then(|| {
            let can_resolve = d.can_resolve_objections;
            view! {
                <section class="panel" aria-labelledby="objections-h">
                    <h2 id="objections-h">{lang.t("异议", "Objections")}</h2>
                    <ol class="objections">
                        {d.objections.into_iter().map(|o| {
                            let unresolved = o.resolved.is_none();
                            view! {
                                <li data-objection=o.id>
                                    <p class="meta">{lang.stage(o.stage)}" · "{o.filed_at}
                                        {o.name.map(|n| view! { " · "{n}" · "{o.contact.unwrap_or_default()} })}
                                    </p>
                                    {o.body.map(|b| view! { <p class="pre">{b}</p> })}
                                    {match o.resolved {
                                        Some(r) => view! { <p class="resolved">{r}</p> }.into_any(),
                                        None => view! { <p class="unresolved">{lang.t("未处理", "Unresolved")}</p> }.into_any(),
                                    }}
                                    {(unresolved && can_resolve).then(|| view! {
                                        <form class="resolve-form" method="post" action=format!("/admin/objections/{}/resolve", o.id)>
                                            <input type="hidden" name="nomination" value=id/>
                                            <label for=format!("finding-{}", o.id)>{lang.t("核查情况", "Finding")}</label>
                                            <crate::components::field::TextArea id=format!("finding-{}", o.id) name="finding" rows=3 required=true/>
                                            <fieldset class="inline"><legend>{lang.t("处理结果", "Outcome")}</legend>
                                                <label><input type="radio" name="outcome" value="dismissed" required/>" "{lang.t("异议不成立", "Dismissed")}</label>
                                                <label><input type="radio" name="outcome" value="upheld"/>" "{lang.t("异议成立", "Upheld")}</label>
                                            </fieldset>
                                            <button type="submit">{lang.t("记录处理结果", "Record the resolution")}</button>
                                        </form>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                </section>
            }
        })}
        {(!d.checks.is_empty()).then(|| {
            let can_decide = d.can_decide_checks;
            view! {
                <section class="panel" aria-labelledby="checks-h">
                    <h2 id="checks-h">{lang.t("复审部门意见", "Departmental checks")}</h2>
                    <table class="admin-table checks">
                        <thead><tr><th>{lang.t("部门", "Department")}</th><th>{lang.t("意见", "Verdict")}</th><th>{lang.t("说明", "Note")}</th><th></th></tr></thead>
                        <tbody>
                            {d.checks.into_iter().map(|c| view! {
                                <tr data-check=c.department.clone()>
                                    <td>{c.department.clone()}</td>
                                    <td>{c.verdict.clone().unwrap_or_else(|| "待定".into())}</td>
                                    <td>{c.note.clone()}{c.decided.clone().map(|d| format!("（{d}）"))}</td>
                                    <td>{can_decide.then(|| view! {
                                        <form class="check-form" method="post" action=format!("/admin/checks/{}", c.id)>
                                            <input type="hidden" name="nomination" value=id/>
                                            <select name="verdict" aria-label=format!("{} 意见", c.department)>
                                                <option value="pass">"通过"</option>
                                                <option value="fail">"不通过"</option>
                                            </select>
                                            <input name="note" placeholder="说明" aria-label=format!("{} 说明", c.department)/>
                                            <button type="submit">{lang.t("记录", "Record")}</button>
                                        </form>
                                    })}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
            }
        })}
        {(!d.quota.is_empty()).then(|| view! {
            <section class="panel" aria-labelledby="quota-h">
                <h2 id="quota-h">{lang.t("名额比例", "Quotas")}</h2>
                <p class="meta">{d.quota_scope.clone()}</p>
                <ul class="quota">
                    {d.quota.into_iter().map(|q| view! {
                        <li class:unmet=!q.met>{q.label}"："{q.share_text}{(!q.met).then_some(" ⚠ 未达到")}</li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section class="panel" aria-labelledby="history-h">
            <h2 id="history-h">{lang.t("完整记录", "History")}</h2>
            <table class="admin-table history">
                <thead><tr><th>{lang.t("时间", "Time")}</th><th>{lang.t("操作人", "By")}</th><th>{lang.t("操作", "Action")}</th><th>{lang.t("之前", "Before")}</th><th>{lang.t("之后", "After")}</th></tr></thead>
                <tbody>
                    {d.history.into_iter().map(|h| view! {
                        <tr><td>{h.at}</td><td>{h.actor}</td><td>{h.action}</td><td class="json">{h.before}</td><td class="json">{h.after}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn ActionForm(a: ActionView, id: i64, version: i64, flash: FormState) -> impl IntoView {
    let lang = use_lang();
    let note_id = format!("note-{}", a.code);
    let note_error = flash
        .error("note")
        .filter(|_| flash.value("action") == a.code);
    let disabled = a.blocked.is_some();
    let has_error = note_error.is_some();
    view! {
        <form class="action-form" method="post" action=format!("/admin/nominations/{id}/actions") data-action=a.code.clone()>
            <input type="hidden" name="action" value=a.code.clone()/>
            <input type="hidden" name="version" value=version/>
            {a.needs_note.then(|| view! {
                <div class="field" class:has-error=has_error>
                    <label for=note_id.clone()>{lang.t("理由（必填）", "Reasons (required)")}</label>
                    <crate::components::field::TextArea id=note_id.clone() name="note" rows=2 value=flash.value("note") invalid=has_error/>
                    {note_error.map(|e| view! { <p class="field-error">{e}</p> })}
                </div>
            })}
            {(!a.quota_warnings.is_empty()).then(|| view! {
                <div class="quota-warning" role="note">
                    <p><strong>{lang.t("名额比例提醒：", "Quota warning: ")}</strong></p>
                    <ul>{a.quota_warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}</ul>
                    <label><input type="checkbox" name="confirm_quota" value="1"/>" "{lang.t("我已知晓，仍要作此决定", "I understand; decide anyway")}</label>
                </div>
            })}
            <button type="submit" disabled=disabled>{a.label.clone()}</button>
            {a.blocked.map(|b| view! { <span class="blocked">{b}</span> })}
        </form>
    }
}
