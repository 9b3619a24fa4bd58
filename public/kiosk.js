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

  async function beat() {
    let secret = null;
    try { secret = localStorage.getItem(secretKey); } catch (_) { /* no storage */ }
    if (!secret) return;
    const report = {
      data_version: root.dataset.dataVersion || 'none',
      page_version: root.dataset.pageVersion || 'none',
      offline_since: offlineSince,
      last_error: lastError,
    };
    try {
      const response = await fetch(`${home}/heartbeat`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` },
        body: JSON.stringify(report),
        cache: 'no-store',
      });
      if (!response.ok) { lastError = `heartbeat: ${response.status}`; return; }
      offlineSince = null;
      const current = await response.json();
      if (current.page_version && current.page_version !== root.dataset.pageVersion) updatePending = true;
      if (current.data_version && current.data_version !== root.dataset.dataVersion) {
        dispatchEvent(new Event('kiosk-refresh'));
      }
    } catch (_) {
      offlineSince = offlineSince || new Date().toISOString();
    }
  }
  setTimeout(beat, 3_000);
  setInterval(beat, HEARTBEAT_MS);

  // A new release is loaded when the screen has just been cleared for the next visitor.
  addEventListener('kiosk-reset', () => { if (updatePending) location.replace(home); });

  // The page came without its live part (the WebAssembly failed): try again after a pause, once;
  // the service worker answers from its copy if the network is the trouble.
  setTimeout(() => {
    if (root.dataset.live) { sessionStorage.removeItem('labor-plaza-kiosk-retried'); return; }
    if (!sessionStorage.getItem('labor-plaza-kiosk-retried')) {
      sessionStorage.setItem('labor-plaza-kiosk-retried', '1');
      location.replace(home);
    }
  }, 30_000);
})();
