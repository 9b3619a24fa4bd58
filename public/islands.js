// Loads the site's WebAssembly and brings its islands to life. It does what Leptos' own islands
// script does, from a file rather than inline, so the Content-Security-Policy can forbid inline
// script altogether. The package's address comes from this script tag's data-pkg attribute; the
// kiosk's screen (the KioskApp island) loads its own bundle, named in data-kiosk-pkg.
// Leptos' renderer would set these in inline scripts, always empty here (the server removes them;
// see server/src/security.rs); the client reads them when it hydrates.
Object.assign(window, {
  __RESOLVED_RESOURCES: [], __SERIALIZED_ERRORS: [], __PENDING_RESOURCES: [],
  __RESOURCE_RESOLVERS: [], __INCOMPLETE_CHUNKS: [],
});
const loader = document.querySelector('script[data-pkg]');
const kiosk = document.querySelector('leptos-island[data-component^="KioskApp_"]');
// A kiosk page kept by its service worker from before the bundles were split names no kiosk
// bundle: it loads the public one, says so, and is reloaded by kiosk.js at the next reset.
const pkg = (kiosk && loader.dataset.kioskPkg) || loader.dataset.pkg;
const wasm = (kiosk && loader.dataset.kioskPkg) || loader.dataset.wasm;
const childrenCallbacks = [];

async function hydrateIsland(el, id, mod) {
  const islandFn = mod[id];
  if (!islandFn) {
    console.error(`The bundle ${pkg} has no island ${id}.`);
    return;
  }
  const onChildren = childrenCallbacks[childrenCallbacks.length - 1];
  if (onChildren) onChildren();
  const res = islandFn(el);
  if (res && res.then) await res;
}

async function traverse(node, mod) {
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  const tag = node.tagName.toLowerCase();
  if (tag === 'leptos-island') {
    await hydrateIsland(node, node.dataset.component || null, mod);
    for (const child of node.children) await traverse(child, mod);
  } else if (tag === 'leptos-children') {
    childrenCallbacks.push(node.$$on_hydrate);
    for (const child of node.children) await traverse(child, mod);
    childrenCallbacks.pop();
  } else {
    for (const child of node.children) await traverse(child, mod);
  }
}

function idle(callback) {
  if ('requestIdleCallback' in window) window.requestIdleCallback(callback, { timeout: 2000 });
  else setTimeout(callback, 1);
}

// Lets the browser paint and answer input between the steps of bringing the islands to life, so
// no one step holds the main thread for long on a slow phone.
const breather = () => new Promise((resolve) => setTimeout(resolve, 0));

// Pages without an island (profiles, statistics, stone pages, the admin) never fetch the wasm.
if (document.querySelector('leptos-island')) {
  idle(async () => {
    const mod = await import(`${pkg}.js`);
    await mod.default({ module_or_path: `${wasm}.wasm` });
    await breather();
    mod.hydrate();
    window.__hydrateIsland = (el, id) => hydrateIsland(el, id, mod);
    await breather();
    await traverse(document.body, mod);
  });
}
