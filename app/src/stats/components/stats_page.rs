use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::layout::DemoBadge;
use crate::i18n::{use_lang, Lang};
use crate::stats::server::get_stats;

/// `/stats`: counts by batch, honour and industry.
#[component]
pub fn StatsPage() -> impl IntoView {
    let lang = use_lang();
    let stats = Resource::new(|| (), |_| get_stats());
    view! {
        <Title text=lang.t("统计 · 劳动广场数字名录墙", "Statistics · Labor Plaza")/>
        <section class="prose stats">
            <h1>{lang.t("统计", "Statistics")}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match stats.await {
                        Ok(s) => {
                            let max_batch = s.by_batch.iter().map(|b| b.count).max().unwrap_or(1).max(1);
                            view! {
                                {s.demo.then(|| view! { <p><DemoBadge/></p> })}
                                <div class="stat-cards">
                                    <div class="stat"><strong>{s.engraved.total}</strong><span>{lang.t("镌刻姓名", "names engraved")}</span></div>
                                    <div class="stat"><strong>{s.engraved.national}</strong><span>{lang.t("全国劳模", "national")}</span></div>
                                    <div class="stat"><strong>{s.engraved.municipal}</strong><span>{lang.t("北京市劳模", "Beijing")}</span></div>
                                    <div class="stat"><strong>{s.women}</strong><span>{lang.t("女性", "women")}</span></div>
                                    <div class="stat"><strong>{s.minority}</strong><span>{lang.t("少数民族", "ethnic minorities")}</span></div>
                                    <div class="stat"><strong>{s.organisations}</strong><span>{lang.t("集体与班组", "collectives and teams")}</span></div>
                                </div>
                                <h2>{lang.t("按批次", "By batch")}</h2>
                                <table class="bars">
                                    <thead><tr><th>{lang.t("年份", "Year")}</th><th>{lang.t("级别", "Level")}</th><th>{lang.t("人数", "Names")}</th></tr></thead>
                                    <tbody>
                                    {s.by_batch.iter().map(|b| {
                                        let width = format!("width:{}%", b.count * 70 / max_batch);
                                        let level = if b.level == "national" { lang.t("全国", "national") } else { lang.t("北京市", "Beijing") };
                                        view! {
                                            <tr><td>{b.year}</td><td>{level}</td>
                                            <td><span class="bar" style=width></span>" "{b.count}</td></tr>
                                        }
                                    }).collect_view()}
                                    </tbody>
                                </table>
                                <h2>{lang.t("按荣誉", "By honour")}</h2>
                                <table>
                                    <tbody>
                                    {s.by_honour.iter().map(|h| view! {
                                        <tr><td>{if lang == Lang::Zh { h.name.clone() } else { h.name_en.clone() }}</td><td>{h.recipients}</td></tr>
                                    }).collect_view()}
                                    </tbody>
                                </table>
                                <h2>{lang.t("按行业", "By industry")}</h2>
                                <table>
                                    <tbody>
                                    {s.by_industry.iter().map(|i| view! { <tr><td>{i.label.clone()}</td><td>{i.count}</td></tr> }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
