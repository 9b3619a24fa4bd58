use leptos::prelude::*;

/// Where the loader finds the client bundles. Worked out once per site (the same for every page),
/// so that rendering a page neither clones the site's options nor formats these paths again.
pub struct LoaderPaths {
    pkg: String,
    wasm: String,
    kiosk_pkg: String,
    /// For cargo-leptos' watch mode only (`AutoReload` wants them).
    pub(crate) options: LeptosOptions,
}

impl LoaderPaths {
    /// The paths for these options, made once and kept for the life of the process (a server has
    /// one site; the tests build a few).
    pub fn of(options: &LeptosOptions) -> &'static LoaderPaths {
        use std::sync::Mutex;
        static KNOWN: Mutex<Vec<&'static LoaderPaths>> = Mutex::new(Vec::new());
        let mut known = KNOWN.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(paths) = known.iter().find(|p| {
            p.options.site_pkg_dir == options.site_pkg_dir
                && p.options.output_name == options.output_name
        }) {
            return paths;
        }
        let pkg = format!("/{}/{}", options.site_pkg_dir, options.output_name);
        // Built by cargo-leptos, the wasm file carries the output name; plain wasm-bindgen adds _bg.
        let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
            pkg.clone()
        } else {
            format!("{pkg}_bg")
        };
        // The kiosk's island has a bundle of its own (scripts/build.sh names it after the site's
        // with `-kiosk`), so the public pages' bundle stays small.
        let kiosk_pkg = format!("{pkg}-kiosk");
        let paths: &'static LoaderPaths = Box::leak(Box::new(LoaderPaths {
            pkg,
            wasm,
            kiosk_pkg,
            options: options.clone(),
        }));
        known.push(paths);
        paths
    }
}

/// The islands' loader, in place of Leptos' `HydrationScripts`: a script file
/// (`public/islands.js`) instead of an inline module, so the Content-Security-Policy forbids
/// inline script and still lets the wall come to life.
#[component]
pub fn IslandsLoader(paths: &'static LoaderPaths) -> impl IntoView {
    // As Leptos' own component does for islands: only islands hydrate, not the page around them.
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    // No preloads: the loader fetches the wasm only on a page that has an island (the wall), after
    // the page is painted, so other pages never download it.
    view! {
        <script type="module" src="/islands.js" data-pkg=paths.pkg.as_str() data-wasm=paths.wasm.as_str() data-kiosk-pkg=paths.kiosk_pkg.as_str()></script>
    }
}
