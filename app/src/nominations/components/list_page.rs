use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::admin::nav::AdminShell;
use crate::i18n::use_lang;
use crate::nominations::model::NominationList;
use crate::nominations::server::load_nominations;

/// `/admin/nominations`: every nomination the caller may see, with counts per stage and filters.
#[component]
pub fn NominationListPage() -> impl IntoView {
    let query = use_query_map();
    let q = query.read_untracked();
    let (stage, category, text) = (q.get("stage"), q.get("category"), q.get("q"));
    let list = Resource::new(
        move || (stage.clone(), category.clone(), text.clone()),
        |(s, c, t)| load_nominations(s, c, t),
    );
    view! {
        <AdminShell title_zh="提名 · 管理后台" title_en="Nominations · Admin" wide=true data=list page=|l| view! { <ListView l/> }/>
    }
}

#[component]
fn ListView(l: NominationList) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let current = query.read_untracked().get("stage").unwrap_or_default();
    let category = query.read_untracked().get("category").unwrap_or_default();
    let text = query.read_untracked().get("q").unwrap_or_default();
    let link = {
        let category = category.clone();
        let text = text.clone();
        move |stage: &str| {
            let mut parts = Vec::new();
            if !stage.is_empty() {
                parts.push(format!("stage={stage}"));
            }
            if !category.is_empty() {
                parts.push(format!("category={category}"));
            }
            if !text.is_empty() {
                parts.push(format!(
                    "q={}",
                    crate::components::layout::encode_component(&text)
                ));
            }
            if parts.is_empty() {
                "/admin/nominations".to_string()
            } else {
                format!("/admin/nominations?{}", parts.join("&"))
            }
        }
    };
    let total = l.total;
    view! {
        <h1>{lang.t("提名", "Nominations")}</h1>
        {l.can_create.then(|| view! {
            <p><a class="button" href="/admin/nominations/new">{lang.t("新建提名", "New nomination")}</a></p>
        })}
        <nav class="stage-tabs" aria-label=lang.t("按阶段", "By stage")>
            <a href=link("") aria-current=current.is_empty().then_some("page")>
                {lang.t("全部", "All")}" "<span class="count">{total}</span>
            </a>
            {l.counts.into_iter().map(|c| view! {
                <a href=link(&c.code) data-stage=c.code.clone() aria-current=(c.code == current).then_some("page")>
                    {lang.stage(Some(c.stage))}" "<span class="count">{c.count}</span>
                </a>
            }).collect_view()}
        </nav>
        <form class="filters-row" method="get" action="/admin/nominations">
            <input type="hidden" name="stage" value=current.clone()/>
            <label>{lang.t("荣誉", "Honour")}" "
                <select name="category">
                    <option value="">{lang.t("全部", "All")}</option>
                    {l.categories.into_iter().map(|c| {
                        let selected = c.code == category;
                        view! { <option value=c.code selected=selected>{c.name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>{lang.t("姓名或单位", "Name or unit")}" "<input type="search" name="q" value=text.clone()/></label>
            <button type="submit">{lang.t("筛选", "Filter")}</button>
        </form>
        {if l.rows.is_empty() {
            view! { <p class="empty">{lang.t("没有符合条件的提名。", "No nominations match.")}</p> }.into_any()
        } else {
            view! {
                <table class="admin-table nominations">
                    <thead><tr>
                        <th>{lang.t("候选人", "Candidate")}</th><th>{lang.t("推荐单位", "Unit")}</th>
                        <th>{lang.t("荣誉", "Honour")}</th><th>{lang.t("年度", "Year")}</th>
                        <th>{lang.t("阶段", "Stage")}</th><th>{lang.t("未处理异议", "Open objections")}</th>
                        <th>{lang.t("更新时间", "Updated")}</th>
                    </tr></thead>
                    <tbody>
                        {l.rows.into_iter().map(|r| view! {
                            <tr data-nomination=r.id>
                                <td><a href=format!("/admin/nominations/{}", r.id)>{r.candidate_name}</a></td>
                                <td>{r.unit_name}</td><td>{r.category_name}</td><td>{r.year}</td>
                                <td><span class=format!("stage stage-{}", r.stage_code)>{lang.stage(r.stage)}</span></td>
                                <td>{(r.unresolved_objections > 0).then_some(r.unresolved_objections)}</td>
                                <td>{r.updated_at}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}
