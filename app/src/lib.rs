//! Labor Plaza (劳动广场数字名录墙): routes, components, shared models and server functions.
//! Server-only code (data layer, catalogue, demo generator) is behind the `ssr` feature and never
//! reaches the browser bundle.
#![recursion_limit = "256"]

pub mod admin;
#[cfg(feature = "ssr")]
pub mod auth;
pub mod components;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod import;
pub mod kiosk;
pub mod laureates;
pub mod nominations;
pub mod notices;
pub mod records;
pub mod search;
pub mod stats;
pub mod wall;

#[cfg(feature = "ssr")]
pub mod catalog;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod site;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    ParamSegment, SsrMode, StaticSegment,
};

use crate::components::{layout::PageFrame, not_found::NotFound};
use crate::i18n::detect_lang;

/// Whether cargo-leptos' watch mode runs (it reloads the page on a rebuild). Read once: Leptos'
/// `AutoReload` would read the environment, under its lock, for every page.
#[cfg(feature = "ssr")]
fn watching() -> bool {
    static WATCHING: std::sync::LazyLock<bool> =
        std::sync::LazyLock::new(|| std::env::var("LEPTOS_WATCH").is_ok());
    *WATCHING
}
#[cfg(not(feature = "ssr"))]
fn watching() -> bool {
    false
}

/// The whole document for these site options (Leptos' error and file handler calls this).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    page_shell(crate::components::islands_loader::LoaderPaths::of(&options))
}

/// The whole document, with the loader's paths worked out once for the site: what every page
/// request renders.
pub fn page_shell(paths: &'static crate::components::islands_loader::LoaderPaths) -> impl IntoView {
    let lang = detect_lang();
    let auto_reload = watching().then(|| view! { <AutoReload options=paths.options.clone()/> });
    view! {
        <!DOCTYPE html>
        <html lang=lang.html_lang()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#7a1f1f"/>
                {auto_reload}
                <crate::components::islands_loader::IslandsLoader paths/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = detect_lang();
    provide_context(lang);
    view! {
        <Stylesheet id="leptos" href="/pkg/labor-plaza.css"/>
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Title text=lang.t("劳动广场数字名录墙", "Labor Plaza Name Wall")/>
        <Meta name="description" content=lang.t(
            "北京市劳动广场劳动模范数字名录墙：按批次与姓氏笔画查找劳模姓名、事迹与刻名位置。",
            "The digital name wall of Beijing's Labor Plaza: find model workers by batch and name, read their deeds, see where each name is engraved.",
        )/>
        <Router>
            <PageFrame>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=StaticSegment("") view=wall::components::wall_page::WallPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("wall"), ParamSegment("section"), ParamSegment("stone")) view=wall::components::stone_page::StonePage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("laureates"), ParamSegment("id")) view=laureates::components::profile_page::ProfilePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("search") view=search::components::results_page::SearchResultsPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("stats") view=stats::components::stats_page::StatsPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("open-data") view=components::open_data::OpenDataPage/>
                    <Route path=StaticSegment("admin") view=admin::admin_page::AdminPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("nominations")) view=nominations::components::list_page::NominationListPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("nominations"), StaticSegment("new")) view=nominations::components::form_page::NominationFormPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("nominations"), ParamSegment("id")) view=nominations::components::detail_page::NominationDetailPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("nominations"), ParamSegment("id"), StaticSegment("edit")) view=nominations::components::form_page::NominationFormPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("settings")) view=admin::settings_page::SettingsPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("imports")) view=import::components::imports_page::ImportsPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("imports"), StaticSegment("report")) view=import::components::report_page::ImportReportPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("errata")) view=records::components::errata_page::ErrataPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("kiosks")) view=kiosk::components::fleet_page::FleetPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("kiosks"), StaticSegment("new")) view=kiosk::components::register_page::NewKioskPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("kiosks"), StaticSegment("created")) view=kiosk::components::register_page::CreatedKioskPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("users"), StaticSegment("new")) view=admin::accounts_page::NewAccountPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("users"), StaticSegment("created")) view=admin::accounts_page::CreatedAccountPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("kiosk"), ParamSegment("id")) view=kiosk::components::kiosk_page::KioskPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("notices") view=notices::components::notices_page::NoticesPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("notices"), ParamSegment("id")) view=notices::components::notice_page::NoticePage ssr=SsrMode::Async/>
                </Routes>
            </PageFrame>
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Islands: only the interactive parts of pages (the wall) ship to the browser and hydrate;
    // everything else is server-rendered HTML.
    leptos::mount::hydrate_islands();
}
