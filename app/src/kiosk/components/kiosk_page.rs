//! `/kiosk/{id}`: the page a touch screen at the plaza shows. Its first job is the exact place of
//! a name: found by typing (characters, pinyin, initials: the site's one search engine, with an
//! on-screen keyboard) or by the stones' own order (the year, then the surname's stroke count,
//! then the surname), answered with the stone, row and position in large words and a drawing of
//! the stone with the name lit. Large type and targets, no links off the kiosk.
//!
//! The server renders the screen an address asks for (every step is a link, so it works without
//! JavaScript); `KioskApp` then answers from the kiosk's snapshot, and `/kiosk.js` keeps the page
//! available offline (a service worker) and sends the kiosk's heartbeat.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::kiosk_app::KioskApp;
use crate::components::not_found::NotFound;
use crate::error::AppError;
use crate::i18n::use_lang;
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
    let lang = use_lang();
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=|| ()>
            {move || data.get().map(|result| match result {
                Ok(view) => view! {
                    <Title text=lang.t(&format!("{} · 信息亭", view.name), &format!("{} · Kiosk", view.name)).to_string()/>
                    <KioskApp view/>
                    <script src="/kiosk.js" defer></script>
                }.into_any(),
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
