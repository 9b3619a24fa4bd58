//! The kiosk's screen, live (a Leptos island). The server renders the first screen; the page then
//! downloads the kiosk snapshot once per data version and answers every touch itself from it
//! (`kiosk::directory`, the same code the server uses), so it keeps working when the network
//! drops. Links keep their addresses: until the snapshot is there, or without JavaScript, the
//! server answers them.
//!
//! It also looks after the visitor: after the kiosk's idle time an "are you still there?"
//! countdown, then everything is cleared (screen, typed text, language, the address) and the
//! attract screen shows the stones and their people until somebody touches it.
//!
//! Long because it is one island: its state, the screens it draws around `screens.rs`, the idle
//! and attract timers and the snapshot's refresh all share the same signals.
use std::sync::Arc;

use leptos::prelude::*;

use super::keyboard::Keyboard;
use super::screens::{name_button, screen_view, step_link, years_view};
use crate::i18n::Lang;
use crate::kiosk::directory::KioskDirectory;
use crate::kiosk::model::{KioskName, KioskScreen, KioskStep, KioskView};

/// Seconds of "are you still there?" before the screen is cleared.
pub const COUNTDOWN_SECONDS: i32 = 20;
/// Names the first screen lists while typing.
const LIVE_SHOWN: usize = 8;
/// How long each attract card stays.
#[cfg(feature = "hydrate")]
const ATTRACT_CARD_MS: u32 = 8_000;
/// How often the kiosk asks whether its snapshot is still current (an ETag check).
#[cfg(feature = "hydrate")]
const REFRESH_MS: u32 = 5 * 60 * 1000;

// An island only in the kiosk's own client bundle (feature `kiosk-bundle`): the public bundle
// leaves it out, so phones opening the wall never download the kiosk's code (see README).
#[cfg_attr(any(feature = "ssr", feature = "kiosk-bundle"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "kiosk-bundle")), component)]
pub fn KioskApp(view: KioskView) -> impl IntoView {
    let KioskView {
        id,
        name,
        monument,
        monument_zh,
        monument_en,
        idle_seconds,
        screen: first_screen,
        data_version,
        as_of,
        page_version,
        here,
    } = view;
    let lang = RwSignal::new(crate::i18n::detect_lang());
    let home = StoredValue::new(format!("/kiosk/{id}"));
    let monument = StoredValue::new(monument);
    let home_years = StoredValue::new(match &first_screen {
        KioskScreen::Home { years } => Some(years.clone()),
        _ => None,
    });
    let screen = RwSignal::new(first_screen);
    let back: RwSignal<Vec<KioskScreen>> = RwSignal::new(Vec::new());
    let typed = RwSignal::new(String::new());
    let directory: RwSignal<Option<Arc<KioskDirectory>>> = RwSignal::new(None);
    let data = RwSignal::new((data_version, as_of));
    let online = RwSignal::new(true);
    let idle_left: RwSignal<Option<i32>> = RwSignal::new(None);
    let attract = RwSignal::new(false);
    let attract_tick = RwSignal::new(0usize);
    // Set once the page runs (kiosk.js reloads a page that never does).
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    // Larger type, a tap away (the default is already an elder-friendly size).
    let large = RwSignal::new(false);

    // A step answered here; `false` leaves it to the server (no snapshot yet, or unknown).
    let go = move |step: KioskStep| -> bool {
        if step == KioskStep::Home {
            reset(
                screen, back, typed, home_years, directory, monument, home, false,
            );
            return true;
        }
        let Some(next) = directory.with_untracked(|d| {
            d.as_ref()
                .and_then(|d| monument.with_value(|m| d.screen(m, here, &step)))
        }) else {
            return false;
        };
        // Counted for the union: what was looked for and whether it found somebody.
        match (&step, &next) {
            (KioskStep::Search(q), KioskScreen::Results { names, .. }) => {
                count_search(&home.get_value(), q, !names.is_empty())
            }
            (KioskStep::Person(_), _) if !typed.with_untracked(String::is_empty) => {
                if matches!(screen.get_untracked(), KioskScreen::Home { .. }) {
                    count_search(&home.get_value(), typed.get_untracked().trim(), true)
                }
            }
            _ => {}
        }
        let previous = screen.get_untracked();
        back.update(|b| {
            b.push(previous);
            if b.len() > 20 {
                b.remove(0);
            }
        });
        screen.set(next);
        scroll_to_top();
        true
    };
    let go_back = move |_| {
        if let Some(previous) = back.try_update(|b| b.pop()).flatten() {
            screen.set(previous);
            scroll_to_top();
        }
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        use wasm_bindgen::JsCast;
        let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        if let Ok(Some(_)) = el.closest("[data-lang]") {
            ev.prevent_default();
            lang.update(|l| *l = l.other());
            return;
        }
        let Some(step) = el
            .closest("[data-step]")
            .ok()
            .flatten()
            .and_then(|link| link.get_attribute("data-step"))
            .and_then(|token| KioskStep::parse_token(&token))
        else {
            return;
        };
        if go(step) {
            ev.prevent_default();
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        let q = typed.get_untracked().trim().to_string();
        if !q.is_empty() && go(KioskStep::Search(q)) {
            ev.prevent_default();
        }
    };

    let candidates = Signal::derive(move || {
        let t = typed.get();
        directory
            .with(|d| d.as_ref().map(|d| d.candidates(&t)))
            .unwrap_or_default()
    });
    // What was typed with what it finds (the text too: "195" and "1955" may both find nobody,
    // yet only one is a year).
    let live: Memo<Option<(String, usize, Vec<KioskName>)>> = Memo::new(move |_| {
        let t = typed.get().trim().to_string();
        if t.is_empty() {
            return None;
        }
        directory.with(|d| {
            d.as_ref().map(|d| {
                let (count, names) = monument.with_value(|m| d.search(m, &t));
                (t, count, names)
            })
        })
    });

    #[cfg(feature = "hydrate")]
    live_loop(LiveLoop {
        idle_ms: f64::from(idle_seconds.max(1)) * 1000.0,
        screen,
        back,
        typed,
        lang,
        large,
        idle_left,
        attract,
        attract_tick,
        directory,
        data,
        online,
        home_years,
        monument,
        home,
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (&online, &data, attract_tick, large);

    let home_view = move |lang: Lang, years: Vec<i32>| {
        let home = home.get_value();
        view! {
            <h1>{lang.t("查找劳模的名字刻在哪里", "Find where a name is engraved")}</h1>
            <form class="kiosk-search" method="get" action=home.clone() on:submit=on_submit>
                <label for="kiosk-q">{lang.t("输入姓名或拼音（如 zhangwei 或 zw）", "Type a name or its pinyin (e.g. zhangwei or zw)")}</label>
                <input id="kiosk-q" name="q" type="search" autocomplete="off" maxlength="40" enterkeyhint="search"
                    inputmode="none" prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))/>
                <button class="kiosk-button primary" type="submit">{lang.t("查找", "Find")}</button>
            </form>
            <div class="kiosk-typing">
                <div class="kiosk-keys"><Keyboard typed candidates lang/></div>
                <div class="kiosk-live" aria-live="polite">
                    {let home = home.clone(); move || live.get().map(|(t, count, names)| {
                        let year = t.parse::<i32>().ok().filter(|y| years_contains(home_years, directory, monument, *y));
                        view! {
                            {year.map(|y| step_link(&home, KioskStep::Year(y), "kiosk-button primary",
                                view! { <strong>{lang.t(&format!("{y}年的石碑"), &format!("The {y} stones")).to_string()}</strong> }.into_any()))}
                            <p class="kiosk-count">{lang.t(&format!("找到 {count} 人"), &format!("{count} found")).to_string()}</p>
                            <ul class="kiosk-names">
                                {names.into_iter().take(LIVE_SHOWN).map(|n| view! { <li>{name_button(lang, &home, n, true)}</li> }).collect_view()}
                            </ul>
                            {(count > LIVE_SHOWN).then(|| step_link(&home, KioskStep::Search(t.clone()), "kiosk-button",
                                view! { {lang.t(&format!("看全部 {count} 人"), &format!("See all {count}")).to_string()} }.into_any()))}
                        }
                    })}
                </div>
            </div>
            {years_view(lang, &home, years)}
        }
    };

    let home_link = home.get_value();
    view! {
        <div class="kiosk" class:large=move || large.get() data-kiosk=id.clone() data-idle-seconds=idle_seconds
            data-page-version=page_version data-data-version=move || data.with(|d| d.0.clone())
            data-live=move || directory.with(|d| d.is_some()).then_some("1")
            data-hydrated=move || hydrated.get().then_some("1")
            lang=move || lang.get().code()
            on:click=on_click>
            <header class="kiosk-bar">
                <a class="kiosk-button home" href=home_link.clone() data-step="home">{move || lang.get().t("重新查找", "Start again")}</a>
                {move || (!back.with(Vec::is_empty)).then(|| view! {
                    <button type="button" class="kiosk-button" on:click=go_back>{lang.get().t("返回", "Back")}</button>
                })}
                <button type="button" class="kiosk-button" aria-pressed=move || large.get().to_string()
                    on:click=move |_| large.update(|l| *l = !*l)>
                    {move || lang.get().t("大字", "Larger text")}
                </button>
                <span class="kiosk-where">{move || lang.get().t(&monument_zh, &monument_en).to_string()}" · "{name.clone()}</span>
                <a class="kiosk-button" data-lang="" rel="external"
                    href=move || format!("/lang/{}?next={}", lang.get().other().code(), crate::components::layout::encode_component(&home_link))>
                    {move || lang.get().t("English", "中文")}
                </a>
            </header>
            <section class="kiosk-screen">
                {move || {
                    let lang = lang.get();
                    match screen.get() {
                        KioskScreen::Home { years } => home_view(lang, years).into_any(),
                        other => screen_view(lang, &home.get_value(), other),
                    }
                }}
            </section>
            <footer class="kiosk-foot">
                {move || {
                    let lang = lang.get();
                    let as_of = data.with(|d| d.1.clone());
                    let offline = (!online.get()).then(|| lang.t(" · 离线，显示保存的资料", " · offline: showing the saved copy"));
                    format!("{}{as_of}{}", lang.t("资料截至 ", "Data as of "), offline.unwrap_or(""))
                }}
            </footer>
            {move || idle_left.get().map(|left| view! {
                <div class="kiosk-overlay" role="alertdialog" aria-modal="true" aria-labelledby="kiosk-idle-title">
                    <div class="kiosk-dialog">
                        <p id="kiosk-idle-title" class="kiosk-place">{lang.get().t("还在使用吗？", "Are you still there?")}</p>
                        <p>{lang.get().t(&format!("{left} 秒后回到首页，清除这次查找。"), &format!("In {left} seconds this search is cleared.")).to_string()}</p>
                        <button type="button" class="kiosk-button primary" on:click=move |_| idle_left.set(None)>
                            {lang.get().t("继续使用", "Continue")}
                        </button>
                    </div>
                </div>
            })}
            {move || attract.get().then(|| view! {
                <div class="kiosk-attract" role="button" tabindex="0" on:click=move |_| attract.set(false)>
                    <p class="kiosk-attract-title">{lang.get().t("劳动广场 · 劳动模范名录", "Labor Plaza · Model Workers")}</p>
                    {move || attract_card(lang.get(), directory, monument, attract_tick.get())}
                    <p class="kiosk-attract-call">{lang.get().t("轻触屏幕，查找名字刻在哪里", "Touch the screen to find where a name is engraved")}</p>
                </div>
            })}
        </div>
    }
}

fn years_contains(
    home_years: StoredValue<Option<Vec<i32>>>,
    directory: RwSignal<Option<Arc<KioskDirectory>>>,
    monument: StoredValue<String>,
    year: i32,
) -> bool {
    let known = home_years.with_value(|y| y.as_ref().map(|y| y.contains(&year)));
    known.unwrap_or_else(|| {
        directory.with_untracked(|d| {
            d.as_ref()
                .is_some_and(|d| monument.with_value(|m| d.years(m).contains(&year)))
        })
    })
}

/// Back to the first screen with nothing of the last visitor left. `for_next_visitor`: the
/// visit is over (the idle countdown ran out), which is when a new release may load.
#[allow(clippy::too_many_arguments)]
fn reset(
    screen: RwSignal<KioskScreen>,
    back: RwSignal<Vec<KioskScreen>>,
    typed: RwSignal<String>,
    home_years: StoredValue<Option<Vec<i32>>>,
    directory: RwSignal<Option<Arc<KioskDirectory>>>,
    monument: StoredValue<String>,
    home: StoredValue<String>,
    for_next_visitor: bool,
) {
    let years = home_years.get_value().or_else(|| {
        directory.with_untracked(|d| d.as_ref().map(|d| monument.with_value(|m| d.years(m))))
    });
    typed.set(String::new());
    back.set(Vec::new());
    match years {
        Some(years) => screen.set(KioskScreen::Home { years }),
        // Neither the first screen nor a snapshot to draw it from: ask the server.
        None => {
            #[cfg(feature = "hydrate")]
            let _ = window().location().replace(&home.get_value());
        }
    }
    #[cfg(feature = "hydrate")]
    {
        // The address may hold the first visitor's query: the history keeps only the kiosk.
        let location = window().location();
        let dirty = location.search().is_ok_and(|s| !s.is_empty())
            || location.hash().is_ok_and(|h| !h.is_empty());
        if dirty {
            if let Ok(history) = window().history() {
                let _ = history.replace_state_with_url(
                    &wasm_bindgen::JsValue::NULL,
                    "",
                    Some(&home.get_value()),
                );
            }
        }
        if let Some(active) = document().active_element() {
            use wasm_bindgen::JsCast;
            if let Ok(active) = active.dyn_into::<web_sys::HtmlElement>() {
                let _ = active.blur();
            }
        }
        if for_next_visitor {
            if let Ok(event) = web_sys::Event::new("kiosk-reset") {
                let _ = window().dispatch_event(&event);
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (home, for_next_visitor);
    scroll_to_top();
}

/// Adds one search to the counts kept on the device until the next heartbeat carries them
/// (`/kiosk.js`): the query and whether it found somebody, nothing else. At most 50 queries wait.
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
fn count_search(home: &str, query: &str, found: bool) {
    #[cfg(feature = "hydrate")]
    {
        use std::collections::BTreeMap;
        let query: String = query.trim().to_lowercase().chars().take(40).collect();
        let Some(storage) = window().local_storage().ok().flatten() else {
            return;
        };
        if query.is_empty() {
            return;
        }
        let key = format!(
            "labor-plaza-kiosk-searches:{}",
            home.trim_start_matches("/kiosk/")
        );
        let mut counts: BTreeMap<String, (u32, u32)> = storage
            .get_item(&key)
            .ok()
            .flatten()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        if counts.len() >= 50 && !counts.contains_key(&query) {
            return;
        }
        let entry = counts.entry(query).or_default();
        if entry.0 < 1000 {
            entry.0 += 1;
            entry.1 += u32::from(found);
        }
        if let Ok(json) = serde_json::to_string(&counts) {
            let _ = storage.set_item(&key, &json);
        }
    }
}

fn scroll_to_top() {
    #[cfg(feature = "hydrate")]
    window().scroll_to_with_x_and_y(0.0, 0.0);
}

/// What the attract screen shows now: a stone of this monument, then one of its people, in turn.
fn attract_card(
    lang: Lang,
    directory: RwSignal<Option<Arc<KioskDirectory>>>,
    monument: StoredValue<String>,
    tick: usize,
) -> AnyView {
    directory.with(|d| {
        let Some(d) = d.as_ref() else {
            return ().into_any();
        };
        let snapshot = d.snapshot();
        let Some(m) = monument.with_value(|m| snapshot.monuments.iter().find(|x| &x.code == m))
        else {
            return ().into_any();
        };
        if tick % 2 == 0 && !m.stones.is_empty() {
            let stone = &m.stones[(tick / 2) % m.stones.len()];
            let years = stone
                .years
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join("、");
            view! {
                <div class="kiosk-card" data-tick=tick>
                    <p class="kiosk-place">{lang.t(&format!("第{}号石 · {years}年", stone.number), &format!("Stone {} · {years}", stone.number)).to_string()}</p>
                    <p>{lang.t(&format!("{} 个名字，从「{}」到「{}」", stone.names, stone.first_surname, stone.last_surname),
                        &format!("{} names, from {} to {}", stone.names, stone.first_surname, stone.last_surname)).to_string()}</p>
                </div>
            }
            .into_any()
        } else {
            let people = &snapshot.search.people;
            if people.is_empty() {
                return ().into_any();
            }
            // A different person each time, spread over the whole directory.
            let i = (tick / 2).wrapping_mul(7_919) % people.len();
            let row = &people[i];
            let deeds: String = snapshot.people[i]
                .3
                .as_deref()
                .unwrap_or("")
                .chars()
                .take(90)
                .collect();
            let year = snapshot.people[i].1.iter().map(|h| h.0).min().unwrap_or(row.4);
            view! {
                <div class="kiosk-card" data-tick=tick>
                    <p class="kiosk-place">{row.1.clone()}<small>{format!(" · {year}")}</small></p>
                    <p class="kiosk-deeds">{deeds}</p>
                </div>
            }
            .into_any()
        }
    })
}

#[cfg(feature = "hydrate")]
struct LiveLoop {
    idle_ms: f64,
    screen: RwSignal<KioskScreen>,
    back: RwSignal<Vec<KioskScreen>>,
    typed: RwSignal<String>,
    lang: RwSignal<Lang>,
    large: RwSignal<bool>,
    idle_left: RwSignal<Option<i32>>,
    attract: RwSignal<bool>,
    attract_tick: RwSignal<usize>,
    directory: RwSignal<Option<Arc<KioskDirectory>>>,
    data: RwSignal<(String, String)>,
    online: RwSignal<bool>,
    home_years: StoredValue<Option<Vec<i32>>>,
    monument: StoredValue<String>,
    home: StoredValue<String>,
}

/// Timers and listeners of the live page: the snapshot (at start, every few minutes, when the
/// network returns), the idle countdown and the attract screen's cards.
#[cfg(feature = "hydrate")]
fn live_loop(l: LiveLoop) {
    use std::time::Duration;
    let LiveLoop {
        idle_ms,
        screen,
        back,
        typed,
        lang,
        large,
        idle_left,
        attract,
        attract_tick,
        directory,
        data,
        online,
        home_years,
        monument,
        home,
    } = l;
    // After hydration, so that the server's text is replaced rather than kept.
    Effect::new(move |_| online.set(window().navigator().on_line()));
    let load = move || {
        leptos::task::spawn_local(async move {
            if let Some(dir) = fetch_snapshot(directory, data).await {
                data.set((dir.snapshot().version.clone(), dir.snapshot().as_of.clone()));
                directory.set(Some(Arc::new(dir)));
            }
        })
    };
    Effect::new(move |_| load());
    set_interval(load, Duration::from_millis(REFRESH_MS.into()));
    let on_line = window_event_listener_untyped("online", move |_| {
        online.set(true);
        load();
    });
    let off_line = window_event_listener_untyped("offline", move |_| online.set(false));
    // kiosk.js says so when its heartbeat's answer names newer data.
    let refresh = window_event_listener_untyped("kiosk-refresh", move |_| load());
    std::mem::forget((on_line, off_line, refresh));

    let last_touch = StoredValue::new(js_sys::Date::now());
    let touched = move || last_touch.set_value(js_sys::Date::now());
    let down = window_event_listener(leptos::ev::pointerdown, move |_| touched());
    let key = window_event_listener(leptos::ev::keydown, move |_| {
        touched();
        idle_left.set(None);
    });
    std::mem::forget((down, key));
    set_interval(
        move || {
            let quiet = js_sys::Date::now() - last_touch.get_value();
            if quiet < idle_ms {
                // Touched during the countdown: the visit goes on.
                if idle_left.get_untracked().is_some() {
                    idle_left.set(None);
                }
                return;
            }
            let in_use = !matches!(screen.get_untracked(), KioskScreen::Home { .. })
                || !typed.with_untracked(String::is_empty)
                || !back.with_untracked(Vec::is_empty)
                || lang.get_untracked() != Lang::Zh
                || large.get_untracked();
            if in_use {
                let left = COUNTDOWN_SECONDS - ((quiet - idle_ms) / 1000.0) as i32;
                if left > 0 {
                    idle_left.set(Some(left));
                } else {
                    idle_left.set(None);
                    lang.set(Lang::Zh);
                    large.set(false);
                    reset(
                        screen, back, typed, home_years, directory, monument, home, true,
                    );
                    attract.set(true);
                }
            } else if idle_left.get_untracked().is_none() && !attract.get_untracked() {
                attract.set(true);
            }
        },
        Duration::from_secs(1),
    );
    set_interval(
        move || {
            if attract.get_untracked() {
                attract_tick.update(|t| *t += 1);
            }
        },
        Duration::from_millis(ATTRACT_CARD_MS.into()),
    );
}

/// The snapshot, if it is not the one the kiosk already holds (its ETag names the version).
#[cfg(feature = "hydrate")]
async fn fetch_snapshot(
    directory: RwSignal<Option<Arc<KioskDirectory>>>,
    data: RwSignal<(String, String)>,
) -> Option<KioskDirectory> {
    // Always asked of the server (an ETag check: 304 when unchanged), never taken from the HTTP
    // cache unasked, so new data shows as soon as the network is back.
    let response = gloo_net::http::Request::get("/api/v1/kiosk-snapshot")
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await
        .ok()?;
    if !response.ok() {
        return None;
    }
    let held = directory.with_untracked(Option::is_some);
    let current = format!("\"k{}\"", data.with_untracked(|d| d.0.clone()));
    if held && response.headers().get("etag").as_deref() == Some(current.as_str()) {
        return None;
    }
    let snapshot = response
        .json::<crate::kiosk::snapshot::KioskSnapshot>()
        .await
        .ok()?;
    Some(KioskDirectory::new(snapshot))
}
