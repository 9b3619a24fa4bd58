// The kiosk page's housekeeping, kept out of the WebAssembly so it works even when that fails to
// load: it installs the service worker that keeps the kiosk usable offline (/kiosk-sw.js), sends
// the kiosk's heartbeat, and reloads the page when it breaks or when a new release is served —
// but only while nobody is using the screen.
(() => {
  const root = document.querySelector('.kiosk[data-kiosk]');
  if (!root) return;
  const id = root.dataset.kiosk;
  const home = `/kiosk/${id}`;
  const secretKey = `labor-plaza-kiosk-secret:${id}`;
  const HEARTBEAT_MS = 45_000;
  const idleMs = Number(root.dataset.idleSeconds || 90) * 1000;

  // The address may hold a step the server answered (a search, a person): the history keeps only
  // the kiosk's own address, so nothing of a visit can be gone back to.
  if (location.search) history.replaceState(null, '', home + location.hash);

  // The heartbeat secret is handed to the kiosk once, in the address's fragment (never sent to
  // the server): /kiosk/ID#secret=…; it is kept on the device and taken out of the address.
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get('secret')) {
    try { localStorage.setItem(secretKey, fragment.get('secret')); } catch (_) { /* private mode */ }
    history.replaceState(null, '', location.pathname + location.search);
  }

  let lastError = null;
  let offlineSince = navigator.onLine ? null : new Date().toISOString();
  let updatePending = false;
  addEventListener('error', (e) => { lastError = String(e.message || e.type).slice(0, 500); });
  addEventListener('unhandledrejection', (e) => { lastError = String(e.reason).slice(0, 500); });
  addEventListener('offline', () => { offlineSince = offlineSince || new Date().toISOString(); });

  // The service worker: registered here, it answers the kiosk's pages, scripts and snapshot from
  // its cache when the network does not. It is told what this page loaded so that the first visit
  // is enough to work offline.
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/kiosk-sw.js', { scope: '/kiosk/' }).then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        const urls = performance.getEntriesByType('resource').map((e) => e.name)
          .concat([location.origin + home, location.origin + '/api/v1/kiosk-snapshot'])
          .filter((u) => u.startsWith(location.origin));
        registration.active.postMessage({ type: 'keep', urls });
      })
      .catch((e) => { lastError = `service worker: ${e}`.slice(0, 500); });
  }

  // What visitors looked for (counted by the page: the query and whether it found somebody),
  // taken off the device with each beat and put back if the beat does not arrive.
  const searchesKey = `labor-plaza-kiosk-searches:${id}`;
  function takeSearches() {
    try {
      const kept = JSON.parse(localStorage.getItem(searchesKey) || '{}');
      localStorage.removeItem(searchesKey);
      return kept && typeof kept === 'object' ? kept : {};
    } catch (_) { return {}; }
  }
  function putBackSearches(taken) {
    try {
      const now = JSON.parse(localStorage.getItem(searchesKey) || '{}');
      for (const [q, [n, f]] of Object.entries(taken)) {
        const [n0, f0] = now[q] || [0, 0];
        now[q] = [Math.min(n0 + n, 1000), Math.min(f0 + f, 1000)];
      }
      localStorage.setItem(searchesKey, JSON.stringify(now));
    } catch (_) { /* no storage */ }
  }

  async function beat() {
    let secret = null;
    try { secret = localStorage.getItem(secretKey); } catch (_) { /* no storage */ }
    if (!secret) return;
    const taken = takeSearches();
    const report = {
      data_version: root.dataset.dataVersion || 'none',
      page_version: root.dataset.pageVersion || 'none',
      offline_since: offlineSince,
      last_error: lastError,
      searches: Object.entries(taken).slice(0, 50).map(([q, [n, f]]) => [q, n, f]),
    };
    try {
      const response = await fetch(`${home}/heartbeat`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` },
        body: JSON.stringify(report),
        cache: 'no-store',
      });
      // A refused report (400) is dropped with its counts; anything else is tried again.
      if (!response.ok) {
        if (response.status !== 400) putBackSearches(taken);
        lastError = `heartbeat: ${response.status}`;
        return;
      }
      offlineSince = null;
      const current = await response.json();
      if (current.page_version && current.page_version !== root.dataset.pageVersion) updatePending = true;
      if (current.data_version && current.data_version !== root.dataset.dataVersion) {
        dispatchEvent(new Event('kiosk-refresh'));
      }
    } catch (_) {
      putBackSearches(taken);
      offlineSince = offlineSince || new Date().toISOString();
    }
  }
  setTimeout(beat, 3_000);
  setInterval(beat, HEARTBEAT_MS);

  // The screen has just been cleared for the next visitor: a language chosen without the live
  // page (a cookie) goes too, and a new release is loaded now.
  addEventListener('kiosk-reset', () => {
    document.cookie = 'lang=; Max-Age=0; Path=/; SameSite=Lax';
    if (updatePending) location.replace(home);
  });

  // The page came without its live part (the WebAssembly failed to load or start): try again
  // after a pause — at most once every ten minutes; the service worker answers from its copy if
  // the network is the trouble.
  const RETRIED = 'labor-plaza-kiosk-retried-at';
  setTimeout(() => {
    if (root.dataset.hydrated) return;
    const last = Number(sessionStorage.getItem(RETRIED) || 0);
    if (Date.now() - last > 10 * 60_000) {
      sessionStorage.setItem(RETRIED, String(Date.now()));
      location.replace(home);
    }
  }, 30_000);

  // Without its live part the page cannot count down: after the idle time with nobody touching
  // it, it goes back to the first screen by itself, so a visit never stays on show.
  let lastTouch = Date.now();
  for (const kind of ['pointerdown', 'keydown']) addEventListener(kind, () => { lastTouch = Date.now(); }, true);
  setInterval(() => {
    if (root.dataset.hydrated) return;
    if (Date.now() - lastTouch > idleMs && (location.pathname !== home || document.querySelector('.kiosk-screen h1.kiosk-name, .kiosk-names'))) {
      document.cookie = 'lang=; Max-Age=0; Path=/; SameSite=Lax';
      location.replace(home);
    }
  }, 5_000);
})();
