use leptos::prelude::*;

/// The islands' loader, in place of Leptos' `HydrationScripts`: a script file
/// (`public/islands.js`) instead of an inline module, so the Content-Security-Policy forbids
/// inline script and still lets the wall come to life.
#[component]
pub fn IslandsLoader(options: LeptosOptions) -> impl IntoView {
    // As Leptos' own component does for islands: only islands hydrate, not the page around them.
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    let pkg = format!("/{}/{}", options.site_pkg_dir, options.output_name);
    // Built by cargo-leptos, the wasm file carries the output name; plain wasm-bindgen adds _bg.
    let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
        pkg.clone()
    } else {
        format!("{pkg}_bg")
    };
    // The kiosk's island has a bundle of its own (scripts/build.sh names it after the site's with
    // `-kiosk`), so the public pages' bundle stays small.
    let kiosk_pkg = format!("{pkg}-kiosk");
    // No preloads: the loader fetches the wasm only on a page that has an island (the wall), after
    // the page is painted, so other pages never download it.
    view! {
        <script type="module" src="/islands.js" data-pkg=pkg data-wasm=wasm data-kiosk-pkg=kiosk_pkg></script>
    }
}
