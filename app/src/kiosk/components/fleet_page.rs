//! `/admin/kiosks`: every kiosk, whether it is alive or silent and for how long, whether it shows
//! the current data, and what it last reported.
use leptos::prelude::*;

use crate::admin::nav::AdminShell;
use crate::i18n::{use_lang, Lang};
use crate::kiosk::model::{KioskHealth, KioskSearches, KioskStatus};
use crate::kiosk::server::load_fleet;

#[component]
pub fn FleetPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_fleet());
    view! {
        <AdminShell title_zh="信息亭 · 管理后台" title_en="Kiosks · Admin" wide=true data page=|(kiosks, searches)| view! { <Fleet kiosks/><Searches searches/> }/>
    }
}

/// "3 分钟" / "3 min": how long ago, in the reader's language.
fn ago(lang: Lang, seconds: i64) -> String {
    let (n, zh, en) = match seconds {
        s if s < 120 => (s, "秒", "s"),
        s if s < 7_200 => (s / 60, "分钟", "min"),
        s if s < 172_800 => (s / 3_600, "小时", "h"),
        s => (s / 86_400, "天", "days"),
    };
    lang.t(&format!("{n} {zh}前"), &format!("{n} {en} ago"))
        .to_string()
}

#[component]
fn Fleet(kiosks: Vec<KioskStatus>) -> impl IntoView {
    let lang = use_lang();
    let silent = kiosks
        .iter()
        .filter(|k| k.health == KioskHealth::Silent)
        .count();
    view! {
        <h1>{lang.t("信息亭", "Kiosks")}</h1>
        <p>{lang.t(
            "信息亭每 30–60 秒报告一次；超过 5 分钟没有消息的标为失联。",
            "Kiosks report every 30–60 s; one silent for more than 5 minutes is flagged.",
        )}</p>
        <p><a class="button" href="/admin/kiosks/new">{lang.t("登记信息亭", "Register a kiosk")}</a></p>
        {(silent > 0).then(|| view! {
            <p class="error" role="alert" data-testid="silent-kiosks">
                {lang.t(&format!("{silent} 台信息亭失联"), &format!("{silent} kiosk(s) silent")).to_string()}
            </p>
        })}
        {if kiosks.is_empty() {
            view! { <p>{lang.t("还没有登记信息亭。", "No kiosk is registered yet.")}</p> }.into_any()
        } else {
            view! {
                <table class="admin-table kiosks">
                    <thead><tr>
                        <th>{lang.t("信息亭", "Kiosk")}</th>
                        <th>{lang.t("状态", "State")}</th>
                        <th>{lang.t("数据", "Data")}</th>
                        <th>{lang.t("页面版本", "Page version")}</th>
                        <th>{lang.t("最近报告", "Last report")}</th>
                    </tr></thead>
                    <tbody>
                        {kiosks.into_iter().map(|k| {
                            let state = match (k.health, k.silent_for) {
                                (KioskHealth::NeverSeen, _) => lang.t("尚未连接", "never seen").to_string(),
                                (KioskHealth::Alive, Some(s)) => format!("{} · {}", lang.t("在线", "alive"), ago(lang, s)),
                                (_, s) => format!("{} · {}", lang.t("失联", "silent"), ago(lang, s.unwrap_or(0))),
                            };
                            let data = match k.data_current {
                                None => "—".to_string(),
                                Some(true) => lang.t("最新", "current").to_string(),
                                Some(false) => lang.t("落后", "behind").to_string(),
                            };
                            let report = match (&k.offline_since, &k.last_error) {
                                (None, None) => "—".to_string(),
                                (offline, error) => [
                                    offline.as_ref().map(|t| format!("{} {t}", lang.t("曾离线自", "offline since"))),
                                    error.clone(),
                                ].into_iter().flatten().collect::<Vec<_>>().join(" · "),
                            };
                            let (id, flagged) = (k.id.clone(), k.health == KioskHealth::Silent);
                            view! {
                                <tr data-kiosk=id class:flagged=flagged>
                                    <td><strong>{k.name}</strong><br/><code>{k.id}</code>" · "{k.monument}</td>
                                    <td data-testid="kiosk-state">{state}</td>
                                    <td>{data}</td>
                                    <td>{k.page_version.unwrap_or_else(|| "—".into())}</td>
                                    <td>{report}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

/// What visitors looked for at the kiosks in the last 30 days (counted per day and query, with
/// nothing about who).
#[component]
fn Searches(searches: KioskSearches) -> impl IntoView {
    let lang = use_lang();
    let table = move |rows: Vec<(String, i64, i64)>, testid: &'static str| {
        if rows.is_empty() {
            return view! { <p>{lang.t("还没有记录。", "Nothing yet.")}</p> }.into_any();
        }
        view! {
            <table class="admin-table" data-testid=testid>
                <thead><tr>
                    <th>{lang.t("查找的内容", "Query")}</th>
                    <th>{lang.t("次数", "Times")}</th>
                    <th>{lang.t("找到", "Found")}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|(query, searched, found)| view! {
                        <tr><td>{query}</td><td>{searched}</td><td>{found}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <h2>{lang.t("近 30 天信息亭上查找最多的", "Most looked for at the kiosks, last 30 days")}</h2>
        {table(searches.most, "kiosk-searches")}
        <h2>{lang.t("查找了但没有找到的", "Looked for and not found")}</h2>
        {table(searches.not_found, "kiosk-not-found")}
    }
}
