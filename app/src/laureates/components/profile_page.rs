use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::components::{
    layout::{public_base_url, DemoBadge},
    read_page::read_page,
};
use crate::error::AppError;
use crate::i18n::{use_lang, Lang};
use crate::laureates::model::{LaureateProfile, MediaKind};
use crate::laureates::server::read_profile;

/// `/laureates/{id}`: the server-rendered profile.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let params = use_params_map();
    let id = || {
        params
            .read_untracked()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok().filter(|id| *id > 0))
    };
    let profile = match id() {
        Some(id) => read_profile(id),
        None => Err(AppError::NotFound("laureate".into())),
    };
    read_page(profile, |p| view! { <Profile p/> })
}

fn sex_label(lang: Lang, sex: &str) -> &'static str {
    match sex {
        "F" => lang.t("女", "female"),
        _ => lang.t("男", "male"),
    }
}

#[component]
fn Profile(p: LaureateProfile) -> impl IntoView {
    let lang = use_lang();
    let engraved_honour = p
        .honours
        .iter()
        .find(|h| h.engraved)
        .map(|h| format!("{}年{}", h.year, h.name))
        .unwrap_or_default();
    let title = format!("{} · {} · 劳动广场数字名录墙", p.name, engraved_honour);
    let description: String = p
        .deeds_short
        .clone()
        .unwrap_or_else(|| format!("{}，{}。", p.name, engraved_honour))
        .chars()
        .take(150)
        .collect();
    let path = format!("/laureates/{}", p.id);
    let share_url = format!("{}{path}", public_base_url());
    let portrait = p
        .media
        .iter()
        .find(|m| m.kind == MediaKind::Portrait)
        .cloned();
    let videos: Vec<_> = p
        .media
        .iter()
        .filter(|m| m.kind == MediaKind::Video)
        .cloned()
        .collect();
    let og_image = portrait
        .as_ref()
        .map(|m| m.url.clone())
        .unwrap_or_else(|| "/favicon.svg".into());
    let facts: Vec<(&'static str, String)> = [
        (
            lang.t("性别", "Sex"),
            p.sex.as_deref().map(|s| sex_label(lang, s).to_string()),
        ),
        (lang.t("民族", "Ethnicity"), p.ethnicity.clone()),
        (
            lang.t("出生年份", "Born"),
            p.birth_year.map(|y| y.to_string()),
        ),
        (lang.t("籍贯", "Native place"), p.native_place.clone()),
        (
            lang.t("政治面貌", "Political affiliation"),
            p.political.clone(),
        ),
        (lang.t("工作单位", "Work unit"), p.work_unit.clone()),
        (lang.t("职务", "Post"), p.post.clone()),
        (lang.t("行业", "Industry"), p.industry.clone()),
        (lang.t("区", "District"), p.district.clone()),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    let name_differs = p.name_correct != p.name;
    view! {
        <Title text=title.clone()/>
        <Meta name="description" content=description.clone()/>
        <Meta property="og:type" content="profile"/>
        <Meta property="og:title" content=title/>
        <Meta property="og:description" content=description/>
        <Meta property="og:url" content=share_url.clone()/>
        <Meta property="og:image" content=og_image/>
        <Link rel="canonical" href=share_url.clone()/>
        <article class="profile" data-testid="profile">
            <header class="profile-head">
                {portrait.clone().map(|m| view! {
                    <img class="portrait" src=m.url alt=m.title.unwrap_or_default() width="160" height="200"/>
                })}
                <div>
                    <h1>{p.name.clone()} {p.demo.then(|| view! { <DemoBadge/> })}</h1>
                    <p class="pinyin">{p.pinyin.clone()}</p>
                    {name_differs.then(|| view! {
                        <p class="name-correct">{lang.t("正确姓名：", "Correct name: ")}{p.name_correct.clone()}
                            <span class="muted">{lang.t("（石刻为 ", " (engraved as ")}{p.name.clone()}{lang.t("）", ")")}</span></p>
                    })}
                    <ul class="honours">
                        {p.honours.iter().map(|h| view! {
                            <li class:engraved=h.engraved>
                                <span class="year">{h.year}</span>" "{lang.t(&h.name, &h.name_en).to_string()}
                            </li>
                        }).collect_view()}
                    </ul>
                </div>
            </header>

            <section class="profile-place">
                <h2>{lang.t("刻名位置", "Place on the wall")}</h2>
                {p.not_yet_engraved.iter().map(|e| view! {
                    <p class="not-engraved" data-testid="not-yet-engraved">{e.describe(lang)}</p>
                }).collect_view()}
                {if p.placements.is_empty() {
                    p.not_yet_engraved.is_empty().then(|| view! { <p>{lang.t("尚未镌刻。", "Not engraved yet.")}</p> }).into_any()
                } else {
                    view! {
                        <ul>
                            {p.placements.iter().map(|w| view! { <li data-testid="wall-place">{w.describe(lang)}</li> }).collect_view()}
                        </ul>
                        <p><a class="button" href=format!("/?focus={}", p.id) rel="external">{lang.t("在名录墙上查看", "Show on the wall")}</a></p>
                    }.into_any()
                }}
            </section>

            <section class="profile-facts">
                <h2>{lang.t("个人信息", "Personal details")}</h2>
                <dl>
                    {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                </dl>
            </section>

            {p.deeds_full.clone().or(p.deeds_short.clone()).map(|deeds| view! {
                <section class="profile-deeds">
                    <h2>{lang.t("主要事迹", "Deeds")}</h2>
                    {deeds.split("\n\n").map(|para| view! { <p>{para.to_string()}</p> }).collect_view()}
                </section>
            })}

            {(!videos.is_empty()).then(|| view! {
                <section class="profile-media">
                    <h2>{lang.t("劳模微视频", "Micro-videos")}</h2>
                    {videos.into_iter().map(|v| {
                        let label = v.title.clone().unwrap_or_else(|| lang.t("观看视频", "Watch the video").to_string());
                        if v.playable {
                            view! {
                                <figure>
                                    <video controls preload="none" src=v.url.clone()></video>
                                    <figcaption>{label}" · "<a href=v.url rel="external">{lang.t("下载", "Download")}</a></figcaption>
                                </figure>
                            }.into_any()
                        } else {
                            view! {
                                <p><a class="outbound" href=v.url rel="external noopener" target="_blank">
                                    {label}{lang.t("（外部链接）", " (external link)")}
                                </a></p>
                            }.into_any()
                        }
                    }).collect_view()}
                </section>
            })}

            <section class="profile-share">
                <h2>{lang.t("分享", "Share")}</h2>
                <p>{lang.t("扫码或复制链接：", "Scan or copy the link: ")}<a class="share-link" href=share_url.clone()>{share_url.clone()}</a></p>
                <img class="qr" src=format!("{path}/qr.svg") alt=lang.t("本页二维码", "QR code of this page") width="144" height="144"/>
            </section>
        </article>
    }
}
