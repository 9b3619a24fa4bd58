use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::components::{
    layout::{public_base_url, DemoBadge},
    read_page::read_page,
};
use crate::error::AppError;
use crate::i18n::{use_lang, Lang};
use crate::wall::model::{parse_stone_number, StonePage as Stone, StoneRef};
use crate::wall::server::read_stone;

/// `/wall/{section}/{stone}`: one stone as a page of its own — its names as a real ordered list
/// in stone order, each a link to the profile, the stone's place and its neighbours. What screen
/// readers, visitors without JavaScript and search engines use instead of the whole wall.
#[component]
pub fn StonePage() -> impl IntoView {
    let params = use_params_map();
    let key = || {
        let p = params.read_untracked();
        let section = p.get("section")?;
        let number = parse_stone_number(&p.get("stone")?)?;
        Some((section, number))
    };
    let stone = match key() {
        Some((section, number)) => read_stone(&section, number),
        None => Err(AppError::NotFound("stone".into())),
    };
    read_page(stone, |s| view! { <StoneView s/> })
}

#[component]
fn StoneView(s: Stone) -> impl IntoView {
    let lang = use_lang();
    let section = lang.t(&s.section_name_zh, &s.section_name_en).to_string();
    let location = lang.t(&s.location_zh, &s.location_en).to_string();
    let years = match (s.years.first(), s.years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}—{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    };
    let heading = match lang {
        Lang::Zh => format!("第{}号石 · {}", s.number, section),
        Lang::En => format!("Stone {} · {}", s.number, section),
    };
    let summary = match lang {
        Lang::Zh => format!(
            "{years}年 · {} 位 · {} 行。位于{location}。",
            s.names.len(),
            s.rows
        ),
        Lang::En => format!(
            "{years} · {} names in {} rows. At {location}.",
            s.names.len(),
            s.rows
        ),
    };
    let title = match lang {
        Lang::Zh => format!("{heading} · 劳动广场名录墙"),
        Lang::En => format!("{heading} · Labor Plaza Name Wall"),
    };
    let description = match lang {
        Lang::Zh => format!("{heading}镌刻的 {} 位劳动模范姓名，按年份、再按姓氏笔画排列。", s.names.len()),
        Lang::En => format!("The {} model workers' names engraved on {heading}, by year, then by surname stroke count.", s.names.len()),
    };
    let on_wall = format!("/#stone-{}-{}", s.section_code, s.number);
    let canonical = format!(
        "{}{}",
        public_base_url(),
        crate::wall::model::stone_path(&s.section_code, s.number)
    );
    let row_label = move |row: u16| match lang {
        Lang::Zh => format!("第{row}行"),
        Lang::En => format!("Row {row}"),
    };
    view! {
        <Title text=title/>
        <Meta name="description" content=description/>
        <Link rel="canonical" href=canonical/>
        <article class="stone-page">
            <nav class="breadcrumb" aria-label=lang.t("位置", "Breadcrumb")>
                <a href="/">{lang.t("名录墙", "The wall")}</a>" › "{section.clone()}
            </nav>
            <h1>{heading}</h1>
            <p class="stone-summary">{summary}{s.demo.then(|| view! { " " <DemoBadge/> })}</p>
            <p><a href=on_wall>{lang.t("在名录墙上查看这块石碑", "Show this stone on the wall")}</a></p>
            <NeighbourLinks previous=s.previous.clone() next=s.next.clone()/>
            <ol class="stone-names">
                {s.names.into_iter().map(|n| {
                    let place = row_label(n.row);
                    view! {
                        <li>
                            <a href=format!("/laureates/{}", n.id)>{n.name}</a>
                            <span class="stone-name-meta">{place}" · "{n.year}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <NeighbourLinks previous=s.previous next=s.next/>
        </article>
    }
}

/// The stones before and after this one, in wall order.
#[component]
fn NeighbourLinks(previous: Option<StoneRef>, next: Option<StoneRef>) -> impl IntoView {
    let lang = use_lang();
    let link = move |stone: StoneRef, rel: &'static str| {
        let text = match (lang, rel) {
            (Lang::Zh, "prev") => format!("← 第{}号石", stone.number),
            (Lang::Zh, _) => format!("第{}号石 →", stone.number),
            (Lang::En, "prev") => format!("← Stone {}", stone.number),
            (Lang::En, _) => format!("Stone {} →", stone.number),
        };
        let label = lang
            .t(&stone.section_name_zh, &stone.section_name_en)
            .to_string();
        view! {
            <a rel=rel href=stone.path() title=label>{text}</a>
        }
    };
    view! {
        <nav class="stone-neighbours" aria-label=lang.t("相邻石碑", "Neighbouring stones")>
            {previous.map(|p| link(p, "prev"))}
            {next.map(|n| link(n, "next"))}
        </nav>
    }
}
