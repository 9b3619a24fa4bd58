use leptos::prelude::*;

use crate::admin::nav::AdminShell;
use crate::i18n::use_lang;
use crate::records::model::{ErrataData, Erratum};
use crate::records::server::load_errata;

/// `/admin/errata`: every name a stone has wrong, by monument and stone, to print for the next
/// re-cutting (administrators only).
#[component]
pub fn ErrataPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_errata());
    view! {
        <AdminShell title_zh="勘误表 · 管理后台" title_en="Errata · Admin" wide=true data page=|d| view! { <Errata d/> }/>
    }
}

/// The errata grouped by monument (in wall order, so each monument's run is one group).
fn by_monument(errata: Vec<Erratum>) -> Vec<(String, String, Vec<Erratum>)> {
    let mut groups: Vec<(String, String, Vec<Erratum>)> = Vec::new();
    for e in errata {
        match groups.last_mut() {
            Some((_, _, list)) if list[0].section_code == e.section_code => list.push(e),
            _ => groups.push((
                e.section_name_zh.clone(),
                e.section_name_en.clone(),
                vec![e],
            )),
        }
    }
    groups
}

#[component]
fn Errata(d: ErrataData) -> impl IntoView {
    let lang = use_lang();
    let count = d.errata.len();
    view! {
        <h1>{lang.t("刻名勘误表", "Errata of the engraved names")}</h1>
        <p>{lang.t(
            "石刻上的姓名与档案不一致之处。石刻不会被悄悄改动：人物页注明“石刻为 …”，这里按碑、石、行、位列出，供下次重刻时核对。",
            "Where a name on a stone differs from the record. The stones are never changed silently: the profile says how the stone has it, and this list gives each place by monument, stone, row and position, for the next re-cutting.",
        )}</p>
        <p class="downloads no-print">
            <a href="/admin/errata.csv" download>{lang.t("下载 CSV（可用 Excel 打开）", "Download CSV (opens in Excel)")}</a>
            " · "{lang.t("打印本页即为纸本勘误表。", "Print this page for a paper copy.")}
        </p>
        {if count == 0 {
            view! { <p data-testid="errata-none">{lang.t("没有勘误：所有刻名都与档案一致。", "No errata: every engraved name agrees with its record.")}</p> }.into_any()
        } else {
            view! {
                <p>{lang.t("共 ", "")}{count}{lang.t(" 处。", " place(s).")}</p>
                {by_monument(d.errata).into_iter().map(|(zh, en, list)| view! {
                    <h2>{lang.t(&zh, &en).to_string()}</h2>
                    <table class="admin-table errata" data-testid="errata">
                        <thead><tr>
                            <th scope="col">{lang.t("石", "Stone")}</th>
                            <th scope="col">{lang.t("行", "Row")}</th>
                            <th scope="col">{lang.t("位", "Position")}</th>
                            <th scope="col">{lang.t("年份", "Year")}</th>
                            <th scope="col">{lang.t("石刻为", "Engraved")}</th>
                            <th scope="col">{lang.t("应为", "Should read")}</th>
                            <th scope="col">{lang.t("档案", "Record")}</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|e| view! {
                                <tr>
                                    <td><a href=format!("/wall/{}/{}", e.section_code, e.stone)>{e.stone}</a></td>
                                    <td>{e.row}</td>
                                    <td>{e.position}</td>
                                    <td>{e.year}</td>
                                    <td>{e.engraved}</td>
                                    <td><strong>{e.correct}</strong></td>
                                    <td><a href=format!("/laureates/{}", e.person_id)>{format!("#{}", e.person_id)}</a></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }).collect_view()}
            }.into_any()
        }}
    }
}
