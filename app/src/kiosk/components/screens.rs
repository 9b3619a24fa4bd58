//! How each kiosk screen looks: the stones' order step by step, a list of names, and the answer
//! (the place in large words and the stone with the name lit). Every link carries its step twice:
//! as an address the server answers, and as `data-step`, which the kiosk page answers itself from
//! its snapshot once it holds one.
use leptos::prelude::*;

use crate::i18n::Lang;
use crate::kiosk::model::{KioskAnswer, KioskMap, KioskName, KioskScreen, KioskStep};

/// "第3号石 · 第12行 · 第5位" / "Stone 3 · row 12 · position 5".
pub fn place_words(lang: Lang, stone: u16, row: u16, position: u16) -> String {
    lang.t(
        &format!("第{stone}号石 · 第{row}行 · 第{position}位"),
        &format!("Stone {stone} · row {row} · position {position}"),
    )
    .to_string()
}

/// "八画" / "8 strokes".
pub fn strokes_label(lang: Lang, n: u8) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let zh = match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[n as usize % 10]),
        _ if n % 10 == 0 => format!("{}十", DIGITS[n as usize / 10 % 10]),
        _ => format!(
            "{}十{}",
            DIGITS[n as usize / 10 % 10],
            DIGITS[n as usize % 10]
        ),
    };
    match lang {
        Lang::Zh => format!("{zh}画"),
        Lang::En => format!("{n} strokes"),
    }
}

/// A link to a step of this kiosk.
pub fn step_link(home: &str, step: KioskStep, class: &'static str, body: AnyView) -> AnyView {
    view! { <a class=class href=step.href(home) data-step=step.token()>{body}</a> }.into_any()
}

/// Everything but the first screen, which the kiosk page draws with its keyboard.
pub fn screen_view(lang: Lang, home: &str, screen: KioskScreen) -> AnyView {
    match screen {
        KioskScreen::Home { years } => years_view(lang, home, years).into_any(),
        KioskScreen::Results { query, names } => {
            let title = lang
                .t(&format!("“{query}”的查找结果"), &format!("Found for “{query}”"))
                .to_string();
            names_view(lang, home, title, names, true)
        }
        KioskScreen::Strokes { year, counts } => view! {
            <h1>{lang.t(&format!("{year}年 · 姓氏第一个字几画？"), &format!("{year} · how many strokes has the surname's first character?")).to_string()}</h1>
            <p class="kiosk-hint">{lang.t("石上的名字按姓氏笔画排列，笔画少的在前。", "On the stones, names run by the surname's stroke count, fewest first.")}</p>
            <ul class="kiosk-grid">
                {counts.into_iter().map(|(n, count)| view! {
                    <li>{step_link(home, KioskStep::Strokes(year, n), "kiosk-button", view! {
                        <strong>{strokes_label(lang, n)}</strong><small>{lang.t(&format!("{count} 人"), &format!("{count} names")).to_string()}</small>
                    }.into_any())}</li>
                }).collect_view()}
            </ul>
        }.into_any(),
        KioskScreen::Surnames { year, strokes, surnames } => view! {
            <h1>{format!("{year} · {}", strokes_label(lang, strokes))}</h1>
            <ul class="kiosk-grid surnames">
                {surnames.into_iter().map(|(surname, count)| view! {
                    <li>{step_link(home, KioskStep::Surname(year, strokes, surname.clone()), "kiosk-button", view! {
                        <strong>{surname}</strong><small>{lang.t(&format!("{count} 人"), &format!("{count} names")).to_string()}</small>
                    }.into_any())}</li>
                }).collect_view()}
            </ul>
        }.into_any(),
        KioskScreen::Names { year, surname, names, .. } => {
            names_view(lang, home, format!("{year} · {surname}"), names, false)
        }
        KioskScreen::Answer(answer) => answer_view(lang, answer).into_any(),
    }
}

/// The stones' order, step 1: the batch years of this monument.
pub fn years_view(lang: Lang, home: &str, years: Vec<i32>) -> impl IntoView {
    view! {
        <h2>{lang.t("或按石上的顺序：先选年份", "Or as the stones run: first the year")}</h2>
        <ul class="kiosk-grid years">
            {years.into_iter().map(|year| view! {
                <li>{step_link(home, KioskStep::Year(year), "kiosk-button", view! { <strong>{year}</strong> }.into_any())}</li>
            }).collect_view()}
        </ul>
    }
}

/// One name as a button to its answer.
pub fn name_button(lang: Lang, home: &str, n: KioskName, with_year: bool) -> impl IntoView {
    let place = match (n.stone, n.row, n.position) {
        (Some(s), Some(r), Some(p)) => place_words(lang, s, r, p),
        _ => lang.t("尚未镌刻", "not yet engraved").to_string(),
    };
    let year = with_year.then(|| format!("{} · ", n.year));
    step_link(
        home,
        KioskStep::Person(n.id),
        "kiosk-button",
        view! { <strong>{n.name}</strong><small>{year}{place}</small> }.into_any(),
    )
}

fn names_view(
    lang: Lang,
    home: &str,
    title: String,
    names: Vec<KioskName>,
    with_year: bool,
) -> AnyView {
    let empty = names.is_empty();
    view! {
        <h1>{title}</h1>
        {empty.then(|| view! { <p class="kiosk-hint">{lang.t("没有找到。可以换个写法，或按年份和笔画查找。", "Nothing found. Try another spelling, or find by year and strokes.")}</p> })}
        <ul class="kiosk-names">
            {names.into_iter().map(|n| view! { <li>{name_button(lang, home, n, with_year)}</li> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The stone as rows of slots, the name's slot lit. The other slots are one path (a stone has
/// hundreds: one element each made the answer slow to draw on a slow screen).
fn stone_drawing(lang: Lang, rows: u16, per_row: u16, row: u16, position: u16) -> impl IntoView {
    let (w, h) = (per_row as f64 * 10.0 + 8.0, rows as f64 * 6.0 + 8.0);
    let label = lang
        .t(
            &format!("石碑示意图：共{rows}行，每行{per_row}位，亮处是这个名字"),
            &format!("The stone: {rows} rows of {per_row}; the lit slot is this name"),
        )
        .to_string();
    let slot_at = |r: u16, p: u16| (4.0 + f64::from(p - 1) * 10.0, 4.0 + f64::from(r - 1) * 6.0);
    let mut slots = String::with_capacity(usize::from(rows) * usize::from(per_row) * 24);
    for r in 1..=rows {
        for p in 1..=per_row {
            if (r, p) != (row, position) {
                let (x, y) = slot_at(r, p);
                slots.push_str(&format!("M{x} {y}h8.6v4.6h-8.6z"));
            }
        }
    }
    let lit = (1..=rows).contains(&row) && (1..=per_row).contains(&position);
    let (lx, ly) = if lit {
        slot_at(row, position)
    } else {
        (0.0, 0.0)
    };
    view! {
        <svg class="kiosk-stone" viewBox=format!("0 0 {w} {h}") role="img" aria-label=label>
            <rect x="0" y="0" width=w height=h rx="3" class="stone-face"/>
            <path class="slot" d=slots/>
            {lit.then(|| view! { <rect x=lx y=ly width="8.6" height="4.6" rx="1" class="slot lit"/> })}
        </svg>
    }
}

/// "You are here": the grounds drawn from their plan (paths, steps, stones, gates), the stone lit,
/// the kiosk's place and the step-free way between them, with its length in words.
fn map_view(lang: Lang, map: KioskMap) -> impl IntoView {
    let KioskMap {
        plan,
        stone,
        here,
        route,
    } = map;
    let (w, h) = (plan.width, plan.height);
    let label_size = (w.max(h) / 45.0).max(1.5);
    let margin = label_size * 5.0;
    // Labels near an edge run inwards.
    let anchor = move |x: f64| {
        if x < w * 0.15 {
            "start"
        } else if x > w * 0.85 {
            "end"
        } else {
            "middle"
        }
    };
    let caption = match (&route, here) {
        (Some(r), _) => lang
            .t(
                &format!(
                    "从这里到第{stone}号石，步行约 {:.0} 米，全程无台阶。",
                    r.metres
                ),
                &format!(
                    "From here to stone {stone}: about {:.0} m on foot, no steps.",
                    r.metres
                ),
            )
            .to_string(),
        (None, Some(_)) => lang
            .t(
                &format!("第{stone}号石已在图上标出；没有找到无台阶的路线，请向工作人员求助。"),
                &format!(
                    "Stone {stone} is marked; no step-free way was found: please ask the staff."
                ),
            )
            .to_string(),
        (None, None) => lang
            .t(
                &format!("第{stone}号石已在图上标出。"),
                &format!("Stone {stone} is marked on the plan."),
            )
            .to_string(),
    };
    let label = lang
        .t(
            &format!("场地示意图：第{stone}号石的位置和从信息亭去那里的路线"),
            &format!("Plan of the grounds: stone {stone} and the way there from this kiosk"),
        )
        .to_string();
    let points = |ps: &[(f64, f64)]| {
        ps.iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let schematic = plan.schematic;
    view! {
        <figure class="kiosk-map">
            // A margin round the plan, so labels at its edges stay whole.
            <svg viewBox=format!("{} {} {} {}", -margin, -margin, w + 2.0 * margin, h + 2.0 * margin) role="img" aria-label=label>
                <rect class="map-ground" x="0" y="0" width=w height=h rx="2"/>
                {plan.segments.iter().filter_map(|&(a, b, step_free)| {
                    let (p, q) = (*plan.points.get(a as usize)?, *plan.points.get(b as usize)?);
                    Some(view! { <line class=if step_free { "map-path" } else { "map-steps" } x1=p.0 y1=p.1 x2=q.0 y2=q.1/> })
                }).collect_view()}
                {plan.stones.iter().map(|s| {
                    let target = s.number == stone;
                    view! {
                        <g transform=format!("rotate({} {} {})", s.angle, s.x, s.y)>
                            <rect class=if target { "map-stone target" } else { "map-stone" }
                                x=s.x - s.w / 2.0 y=s.y - s.h / 2.0 width=s.w height=s.h/>
                        </g>
                        {target.then(|| view! {
                            <text class="map-label target" x=s.x y=s.y - s.h - 1.0 font-size=label_size * 1.3 text-anchor="middle">
                                {lang.t(&format!("第{stone}号石"), &format!("Stone {stone}")).to_string()}
                            </text>
                        })}
                    }
                }).collect_view()}
                {plan.landmarks.iter().map(|l| view! {
                    <circle class=if l.gate { "map-gate" } else { "map-landmark" } cx=l.x cy=l.y r=label_size * 0.5/>
                    <text class="map-label" x=l.x y=l.y - label_size * 0.8 font-size=label_size text-anchor=anchor(l.x)>
                        {lang.t(&l.name_zh, &l.name_en).to_string()}
                    </text>
                }).collect_view()}
                {route.as_ref().map(|r| view! { <polyline class="map-route" points=points(&r.points)/> })}
                {here.map(|(x, y)| view! {
                    <circle class="map-here" cx=x cy=y r=label_size * 0.8/>
                    <text class="map-label here" x=x y=y + label_size * 2.2 font-size=label_size * 1.3 text-anchor=anchor(x)>
                        {lang.t("你在这里", "You are here")}
                    </text>
                })}
            </svg>
            <figcaption data-testid="kiosk-route">
                {caption}
                {schematic.then(|| lang.t("（示意图，不按比例）", " (schematic, not to scale)"))}
            </figcaption>
        </figure>
    }
}

fn answer_view(lang: Lang, a: KioskAnswer) -> impl IntoView {
    let place = a.place.clone();
    let qr_label = lang
        .t(
            "用手机扫一扫，带走这个名字的位置和简介",
            "Scan with your phone to take the place and profile with you",
        )
        .to_string();
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
            }.into_any(),
            None => view! {
                <p class="kiosk-place" data-testid="kiosk-place">{lang.t("尚未镌刻", "Not yet engraved")}</p>
                <p class="kiosk-hint">{lang.t(
                    "石碑上刻的是到2015年为止表彰的劳动模范；这个名字不在石碑上，记录保存在本名录中。",
                    "The stones carry the model workers honoured up to 2015; this name is not on them, and its record is kept in this directory.",
                )}</p>
            }.into_any(),
        }}
        // The stone with the name lit, and the way to it, side by side where the screen is wide.
        <div class="kiosk-figures">
            {a.place.as_ref().map(|pl| stone_drawing(lang, a.rows, a.per_row, pl.row, pl.position))}
            {a.map.map(|m| map_view(lang, m))}
        </div>
        <figure class="kiosk-qr">
            <img src=format!("/laureates/{}/qr.svg", a.id) alt=qr_label.clone() width="180" height="180"/>
            <figcaption>{qr_label}</figcaption>
        </figure>
        <ul class="kiosk-honours">
            {a.honours.into_iter().map(|(year, zh, en)| view! { <li>{format!("{year} · {}", lang.t(&zh, &en))}</li> }).collect_view()}
        </ul>
        {a.work_unit.map(|w| view! { <p>{w}</p> })}
        {a.deeds_short.map(|d| view! { <p class="kiosk-deeds">{d}</p> })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stroke_counts_read_as_the_stones_say_them() {
        let zh = |n| strokes_label(Lang::Zh, n);
        assert_eq!(zh(1), "一画");
        assert_eq!(zh(10), "十画");
        assert_eq!(zh(14), "十四画");
        assert_eq!(zh(20), "二十画");
        assert_eq!(zh(23), "二十三画");
        assert_eq!(strokes_label(Lang::En, 8), "8 strokes");
    }
}
