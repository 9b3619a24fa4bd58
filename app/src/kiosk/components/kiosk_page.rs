//! `/kiosk/{id}`: the page a touch screen at the plaza shows. Its first job is the exact place of
//! a name: found by typing (characters, pinyin, initials: the site's one search engine) or by the
//! stones' own order (the year, then the surname's stroke count, then the surname), answered with
//! the stone, row and position in large words and a drawing of the stone with the name lit.
//! Large type and targets, no links off the kiosk. (Server-rendered: every step is a link.)
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::layout::encode_component;
use crate::components::not_found::NotFound;
use crate::error::AppError;
use crate::i18n::{use_lang, Lang};
use crate::kiosk::model::{KioskAnswer, KioskName, KioskScreen, KioskView};
use crate::kiosk::server::load_kiosk;

#[component]
pub fn KioskPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let args = move || {
        let p = params.read_untracked();
        let q = query.read_untracked();
        (
            p.get("id").unwrap_or_default(),
            q.get("q"),
            q.get("year").and_then(|y| y.parse().ok()),
            q.get("strokes").and_then(|s| s.parse().ok()),
            q.get("surname"),
            q.get("person").and_then(|p| p.parse().ok()),
        )
    };
    let data = Resource::new(args, |(id, q, year, strokes, surname, person)| {
        load_kiosk(id, q, year, strokes, surname, person)
    });
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=|| ()>
            {move || data.get().map(|result| match result {
                Ok(view) => view! { <Kiosk view/> }.into_any(),
                Err(AppError::NotFound(_)) => view! { <NotFound/> }.into_any(),
                Err(e) => {
                    #[cfg(feature = "ssr")]
                    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                        response.set_status(e.status());
                    }
                    view! { <p class="kiosk-message" role="alert">{e.to_string()}</p> }.into_any()
                }
            })}
        </Suspense>
    }
}

/// "第3号石 · 第12行 · 第5位" / "Stone 3 · row 12 · position 5".
fn place_words(lang: Lang, stone: u16, row: u16, position: u16) -> String {
    lang.t(
        &format!("第{stone}号石 · 第{row}行 · 第{position}位"),
        &format!("Stone {stone} · row {row} · position {position}"),
    )
    .to_string()
}

fn strokes_label(lang: Lang, n: u8) -> String {
    const ZH: [&str; 31] = [
        "零",
        "一",
        "二",
        "三",
        "四",
        "五",
        "六",
        "七",
        "八",
        "九",
        "十",
        "十一",
        "十二",
        "十三",
        "十四",
        "十五",
        "十六",
        "十七",
        "十八",
        "十九",
        "二十",
        "二十一",
        "二十二",
        "二十三",
        "二十四",
        "二十五",
        "二十六",
        "二十七",
        "二十八",
        "二十九",
        "三十",
    ];
    match lang {
        Lang::Zh => format!("{}画", ZH.get(n as usize).copied().unwrap_or("多")),
        Lang::En => format!("{n} strokes"),
    }
}

#[component]
fn Kiosk(view: KioskView) -> impl IntoView {
    let lang = use_lang();
    let home = format!("/kiosk/{}", view.id);
    let monument = lang.t(&view.monument_zh, &view.monument_en).to_string();
    let switch = format!(
        "/lang/{}?next={}",
        lang.other().code(),
        encode_component(&home)
    );
    let screen = match view.screen {
        KioskScreen::Home { years } => home_screen(lang, &home, years).into_any(),
        KioskScreen::Results { query, names } => {
            let title = lang
                .t(&format!("“{query}”的查找结果"), &format!("Found for “{query}”"))
                .to_string();
            names_screen(lang, &home, title, names, true).into_any()
        }
        KioskScreen::Strokes { year, counts } => view! {
            <h1>{lang.t(&format!("{year}年 · 姓氏第一个字几画？"), &format!("{year} · how many strokes has the surname's first character?")).to_string()}</h1>
            <p class="kiosk-hint">{lang.t("石上的名字按姓氏笔画排列，笔画少的在前。", "On the stones, names run by the surname's stroke count, fewest first.")}</p>
            <ul class="kiosk-grid">
                {counts.into_iter().map(|(n, count)| view! {
                    <li><a class="kiosk-button" href=format!("{home}?year={year}&strokes={n}")>
                        <strong>{strokes_label(lang, n)}</strong><small>{lang.t(&format!("{count} 人"), &format!("{count} names")).to_string()}</small>
                    </a></li>
                }).collect_view()}
            </ul>
        }.into_any(),
        KioskScreen::Surnames { year, strokes, surnames } => view! {
            <h1>{format!("{year} · {}", strokes_label(lang, strokes))}</h1>
            <ul class="kiosk-grid surnames">
                {surnames.into_iter().map(|(surname, count)| {
                    let href = format!("{home}?year={year}&strokes={strokes}&surname={}", encode_component(&surname));
                    view! {
                    <li><a class="kiosk-button" href=href>
                        <strong>{surname}</strong><small>{lang.t(&format!("{count} 人"), &format!("{count} names")).to_string()}</small>
                    </a></li>
                }}).collect_view()}
            </ul>
        }.into_any(),
        KioskScreen::Names { year, surname, names, .. } => {
            let title = format!("{year} · {surname}");
            names_screen(lang, &home, title, names, false).into_any()
        }
        KioskScreen::Answer(answer) => answer_screen(lang, answer).into_any(),
    };
    view! {
        <Title text=lang.t(&format!("{} · 信息亭", view.name), &format!("{} · Kiosk", view.name)).to_string()/>
        <div class="kiosk" data-kiosk=view.id.clone() data-idle-seconds=view.idle_seconds>
            <header class="kiosk-bar">
                <a class="kiosk-button home" href=home.clone()>{lang.t("重新查找", "Start again")}</a>
                <span class="kiosk-where">{monument}" · "{view.name}</span>
                <a class="kiosk-button" href=switch rel="external">{lang.t("English", "中文")}</a>
            </header>
            <section class="kiosk-screen">{screen}</section>
        </div>
    }
}

fn home_screen(lang: Lang, home: &str, years: Vec<i32>) -> impl IntoView {
    view! {
        <h1>{lang.t("查找劳模的名字刻在哪里", "Find where a name is engraved")}</h1>
        <form class="kiosk-search" method="get" action=home.to_string()>
            <label for="kiosk-q">{lang.t("输入姓名或拼音（如 zhangwei 或 zw）", "Type a name or its pinyin (e.g. zhangwei or zw)")}</label>
            <input id="kiosk-q" name="q" type="search" autocomplete="off" maxlength="40" enterkeyhint="search"/>
            <button class="kiosk-button primary" type="submit">{lang.t("查找", "Find")}</button>
        </form>
        <h2>{lang.t("或按石上的顺序：先选年份", "Or as the stones run: first the year")}</h2>
        <ul class="kiosk-grid years">
            {years.into_iter().map(|year| view! {
                <li><a class="kiosk-button" href=format!("{home}?year={year}")><strong>{year}</strong></a></li>
            }).collect_view()}
        </ul>
    }
}

fn names_screen(
    lang: Lang,
    home: &str,
    title: String,
    names: Vec<KioskName>,
    with_year: bool,
) -> impl IntoView {
    let empty = names.is_empty();
    view! {
        <h1>{title}</h1>
        {empty.then(|| view! { <p class="kiosk-hint">{lang.t("没有找到。可以换个写法，或按年份和笔画查找。", "Nothing found. Try another spelling, or find by year and strokes.")}</p> })}
        <ul class="kiosk-names">
            {names.into_iter().map(|n| {
                let place = match (n.stone, n.row, n.position) {
                    (Some(s), Some(r), Some(p)) => place_words(lang, s, r, p),
                    _ => lang.t("尚未镌刻", "not yet engraved").to_string(),
                };
                view! {
                    <li><a class="kiosk-button" href=format!("{home}?person={}", n.id)>
                        <strong>{n.name}</strong>
                        <small>{with_year.then(|| format!("{} · ", n.year))}{place}</small>
                    </a></li>
                }
            }).collect_view()}
        </ul>
    }
}

/// The stone as rows of slots, the name's slot lit.
fn stone_drawing(lang: Lang, rows: u16, per_row: u16, row: u16, position: u16) -> impl IntoView {
    let (w, h) = (per_row as f64 * 10.0 + 8.0, rows as f64 * 6.0 + 8.0);
    let label = lang
        .t(
            &format!("石碑示意图：共{rows}行，每行{per_row}位，亮处是这个名字"),
            &format!("The stone: {rows} rows of {per_row}; the lit slot is this name"),
        )
        .to_string();
    view! {
        <svg class="kiosk-stone" viewBox=format!("0 0 {w} {h}") role="img" aria-label=label>
            <rect x="0" y="0" width=w height=h rx="3" class="stone-face"/>
            {(1..=rows).flat_map(|r| (1..=per_row).map(move |p| (r, p))).map(|(r, p)| {
                let lit = r == row && p == position;
                view! {
                    <rect x=4.0 + (p - 1) as f64 * 10.0 y=4.0 + (r - 1) as f64 * 6.0 width="8.6" height="4.6" rx="1"
                        class=if lit { "slot lit" } else { "slot" }/>
                }
            }).collect_view()}
        </svg>
    }
}

fn answer_screen(lang: Lang, a: KioskAnswer) -> impl IntoView {
    let place = a.place.clone();
    view! {
        <h1 class="kiosk-name">{a.name.clone()}<small>{a.pinyin.clone()}</small></h1>
        {match place {
            Some(pl) => view! {
                <p class="kiosk-place" data-testid="kiosk-place">{place_words(lang, pl.stone, pl.row, pl.position)}</p>
                <p class="kiosk-hint">{lang.t(&pl.section_name_zh, &pl.section_name_en).to_string()}</p>
                {a.elsewhere.clone().map(|(zh, en)| view! {
                    <p class="kiosk-elsewhere" role="note">{lang.t(
                        &format!("这个名字不在这里，而在{zh}。"),
                        &format!("This name is not here: it is at the {en}."),
                    ).to_string()}</p>
                })}
                {stone_drawing(lang, a.rows, a.per_row, pl.row, pl.position)}
            }.into_any(),
            None => view! {
                <p class="kiosk-place" data-testid="kiosk-place">{lang.t("尚未镌刻", "Not yet engraved")}</p>
                <p class="kiosk-hint">{lang.t(
                    "这位劳模获得表彰的时间晚于石碑镌刻，名字还没有刻上；记录保存在本名录中。",
                    "Honoured after the stones were cut, this name is not engraved yet; the record is kept in this directory.",
                )}</p>
            }.into_any(),
        }}
        <ul class="kiosk-honours">
            {a.honours.into_iter().map(|(year, zh, en)| view! { <li>{format!("{year} · {}", lang.t(&zh, &en))}</li> }).collect_view()}
        </ul>
        {a.work_unit.map(|w| view! { <p>{w}</p> })}
        {a.deeds_short.map(|d| view! { <p class="kiosk-deeds">{d}</p> })}
    }
}
