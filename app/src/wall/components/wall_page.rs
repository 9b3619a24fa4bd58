use leptos::prelude::*;

use super::filters::{WallFilter, WallFilters};
use super::stone::Stone;
use super::wall_view::{WallController, WallView};
use crate::components::layout::DemoBadge;
use crate::i18n::{detect_lang, use_lang, Lang};
use crate::search::components::search_box::{SearchBox, SelectedName};
use crate::wall::model::WallOutline;
use crate::wall::server::get_wall_outline;

/// `/`: the interactive wall with search and filters. The stones are rendered here, on the server;
/// `WallApp` is the one island that makes them move.
#[component]
pub fn WallPage() -> impl IntoView {
    let lang = use_lang();
    let outline = Resource::new(|| (), |_| get_wall_outline());
    view! {
        <Suspense fallback=move || view! { <p class="loading">{lang.t("正在载入名录墙…", "Loading the wall…")}</p> }>
            {move || Suspend::new(async move {
                match outline.await {
                    Ok(outline) => {
                        let sections = outline.sections.clone();
                        view! {
                            <WallApp outline>
                                {sections.into_iter().map(|section| {
                                    let title = lang.t(&section.name_zh, &section.name_en).to_string();
                                    let place = lang.t(&section.location_zh, &section.location_en).to_string();
                                    let code = section.code.clone();
                                    let columns = section.names_per_row;
                                    let label = title.clone();
                                    let pending = not_yet_engraved_note(lang, &section);
                                    view! {
                                        <section class="wall-section" data-level=section.level.clone() aria-label=label>
                                            <h2 class="section-title">{title}<small>{place}</small>{pending.map(|note| view! { <small class="not-engraved">{note}</small> })}</h2>
                                            <div class="stones">
                                                {section.stones.into_iter().map(|stone| {
                                                    view! { <Stone section_code=code.clone() stone columns/> }
                                                }).collect_view()}
                                            </div>
                                        </section>
                                    }
                                }).collect_view()}
                            </WallApp>
                        }.into_any()
                    }
                    Err(e) => view! {
                        <section class="message-page" role="alert">
                            <h1>{lang.t("名录墙暂时无法显示", "The wall cannot be shown right now")}</h1>
                            <p>{e.to_string()}</p>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "石碑刻至2015年；2020年的1,148人尚未镌刻。" for a monument with names waiting for the next
/// cutting (they are on no stone here; their profiles say where they are expected).
fn not_yet_engraved_note(
    lang: Lang,
    section: &crate::wall::model::SectionOutline,
) -> Option<String> {
    let through = section.engraved_through?;
    if section.not_yet_engraved.is_empty() {
        return None;
    }
    let years = |sep: &str, each: &dyn Fn(i32, u32) -> String| {
        section
            .not_yet_engraved
            .iter()
            .map(|p| each(p.year, p.names))
            .collect::<Vec<_>>()
            .join(sep)
    };
    Some(match lang {
        Lang::Zh => format!(
            "石碑刻至{through}年；{}尚未镌刻。",
            years("、", &|year, names| format!("{year}年的{names}人"))
        ),
        Lang::En => format!(
            "The stones are cut up to {through}; not yet engraved: {}.",
            years(", ", &|year, names| format!("{names} from {year}"))
        ),
    })
}

/// The interactive part of the wall page: search, filters, the place notice and pan/zoom around
/// the server-rendered stones (its children, which are never rebuilt in the browser).
// Not an island in the kiosk's client bundle, which carries only the kiosk's code.
#[cfg_attr(not(feature = "kiosk-bundle"), island)]
#[cfg_attr(feature = "kiosk-bundle", component)]
pub fn WallApp(outline: WallOutline, children: Children) -> impl IntoView {
    let lang = detect_lang();
    provide_context(lang);
    let controller = WallController::new();
    let filter = RwSignal::new(WallFilter::default());
    let selected: RwSignal<Option<SelectedName>> = RwSignal::new(None);
    let hydrated = RwSignal::new(false);

    // `/?focus=ID` (the profile's "show on the wall" link) flies to that name once the page is
    // live: its stone is asked of the open-data API, then the stone's names are put in.
    Effect::new(move |_| {
        hydrated.set(true);
        if let Some(id) = focus_from_location() {
            #[cfg(feature = "hydrate")]
            leptos::task::spawn_local(async move {
                if let Some(stone) = stone_of(id).await {
                    controller.show_person(id, stone);
                }
            });
            #[cfg(not(feature = "hydrate"))]
            let _ = id;
        }
    });
    // A chosen search result: fly there and highlight.
    Effect::new(move |_| {
        if let Some(choice) = selected.get() {
            match choice.stone {
                Some(stone) => controller.show_person(choice.id, stone),
                None => {
                    controller.fly_to_person(choice.id);
                }
            }
        }
    });
    // Filters hide and show stones: the wall measures them again.
    Effect::new(move |_| {
        filter.track();
        controller.layout_changed();
    });
    // Changing the year filter brings that year's first stone into view.
    Effect::new(move |previous: Option<Option<i32>>| {
        let year = filter.with(|f| f.year);
        if previous.is_some() && previous != Some(year) {
            controller.reset();
        }
        year
    });

    let total = outline.total;
    let demo = outline.demo;
    view! {
        <div class="wall-page" data-hydrated=move || hydrated.get().then_some("true")>
            <style inner_html=move || filter.with(WallFilter::css)></style>
            <div class="wall-toolbar">
                <div class="wall-heading">
                    <h1>{lang.t("劳动模范名录墙", "Model Workers' Name Wall")}</h1>
                    <p class="wall-summary">
                        {match lang {
                            Lang::Zh => format!("共镌刻 {total} 位劳动模范姓名，按批次年份、再按姓氏笔画排列。"),
                            Lang::En => format!("{total} names engraved, by year, then by surname stroke count."),
                        }}
                        {demo.then(|| view! { " " <DemoBadge/> })}
                    </p>
                </div>
                <SearchBox selected/>
                <WallFilters outline=outline.clone() filter/>
            </div>
            <PlaceNotice selected/>
            <WallView controller>{children()}</WallView>
        </div>
    }
}

/// The element id of the stone a laureate's name is on, from the open-data API.
#[cfg(feature = "hydrate")]
async fn stone_of(id: i64) -> Option<String> {
    let profile: serde_json::Value =
        gloo_net::http::Request::get(&format!("/api/v1/laureates/{id}"))
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()?;
    let wall = profile.get("wall")?;
    Some(format!(
        "stone-{}-{}",
        wall.get("section")?.as_str()?,
        wall.get("stone")?.as_u64()?
    ))
}

/// The `focus` query parameter of the page's address (client side).
fn focus_from_location() -> Option<i64> {
    let search = window().location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("focus="))
        .and_then(|v| v.parse().ok())
}

/// Says where the chosen name is engraved (also for screen readers, via aria-live).
#[component]
fn PlaceNotice(selected: RwSignal<Option<SelectedName>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="place-notice" aria-live="polite" data-testid="place-notice">
            {move || selected.get().map(|s| view! {
                <strong class="place-name">{s.name.clone()}</strong>
                <span class="place-text">{s.place.clone()}</span>
                <a href=format!("/laureates/{}", s.id)>{lang.t("查看事迹 →", "Profile →")}</a>
            })}
        </div>
    }
}
