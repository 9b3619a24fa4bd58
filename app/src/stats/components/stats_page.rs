use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::layout::DemoBadge;
use crate::i18n::{use_lang, Lang};
use crate::stats::server::get_stats;

use super::charts::{BarChart, ShareChart};

fn batch_label(lang: Lang, level: &str, year: i32) -> String {
    match (lang, level) {
        (Lang::Zh, "national") => format!("{year} 全国"),
        (Lang::Zh, _) => format!("{year} 北京市"),
        (Lang::En, "national") => format!("{year} national"),
        (Lang::En, _) => format!("{year} Beijing"),
    }
}

/// `/stats`: counts by batch, honour, industry and district, and who each batch honoured, as
/// charts drawn on the server with their numbers as tables.
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
                                <BarChart
                                    id="chart-batch"
                                    data="/stats/batches.csv"
                                    title=lang.t("各批次名录人数（含尚未镌刻）", "Names per batch (not yet engraved included)").to_string()
                                    label_header=lang.t("批次", "Batch").to_string()
                                    value_header=lang.t("人数", "Names").to_string()
                                    bars=s.by_batch.iter().map(|b| (batch_label(lang, &b.level, b.year), b.count)).collect()
                                />
                                <h2>{lang.t("各批次构成", "Who each batch honoured")}</h2>
                                <ShareChart
                                    id="chart-shares"
                                    data="/stats/shares.csv"
                                    title=lang.t("各批次中女性、少数民族、一线职工、科技人员所占比例", "Shares of women, ethnic minorities, frontline workers and scientists per batch").to_string()
                                    batches=s.shares_by_batch.iter().map(|b| batch_label(lang, &b.level, b.year)).collect()
                                    series=vec![
                                        (lang.t("女性", "Women").to_string(), s.shares_by_batch.iter().map(|b| b.percent(b.women)).collect()),
                                        (lang.t("少数民族", "Minorities").to_string(), s.shares_by_batch.iter().map(|b| b.percent(b.minority)).collect()),
                                        (lang.t("一线职工", "Frontline").to_string(), s.shares_by_batch.iter().map(|b| b.percent(b.frontline)).collect()),
                                        (lang.t("科技人员", "Science & tech").to_string(), s.shares_by_batch.iter().map(|b| b.percent(b.scitech)).collect()),
                                    ]
                                />
                                <h2>{lang.t("按荣誉", "By honour")}</h2>
                                <BarChart
                                    id="chart-honour"
                                    data="/stats/honours.csv"
                                    title=lang.t("各项荣誉获得者人数", "Recipients per honour").to_string()
                                    label_header=lang.t("荣誉", "Honour").to_string()
                                    value_header=lang.t("人数", "Recipients").to_string()
                                    bars=s.by_honour.iter().map(|h| (if lang == Lang::Zh { h.name.clone() } else { h.name_en.clone() }, h.recipients)).collect()
                                />
                                <h2>{lang.t("按行业", "By industry")}</h2>
                                <BarChart
                                    id="chart-industry"
                                    data="/stats/industries.csv"
                                    title=lang.t("各行业人数", "People per industry").to_string()
                                    label_header=lang.t("行业", "Industry").to_string()
                                    value_header=lang.t("人数", "People").to_string()
                                    bars=s.by_industry.iter().map(|i| (i.label.clone(), i.count)).collect()
                                />
                                <h2>{lang.t("按区", "By district")}</h2>
                                <BarChart
                                    id="chart-district"
                                    data="/stats/districts.csv"
                                    title=lang.t("工作单位所在各区人数", "People per district of their work unit").to_string()
                                    label_header=lang.t("区", "District").to_string()
                                    value_header=lang.t("人数", "People").to_string()
                                    bars=s.by_district.iter().map(|d| (d.label.clone(), d.count)).collect()
                                />
                                <p><a href="/api/v1/stats">{lang.t("这些数字的开放数据（JSON）", "These figures as open data (JSON)")}</a></p>
                            }.into_any()
                        }
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
