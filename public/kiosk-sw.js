// The kiosks' service worker (scope /kiosk/): the network first, and when it fails or is too slow
// the copy kept from the last good answer — the kiosk page, its scripts, styles and WebAssembly,
// and the snapshot of names. A visitor never sees the browser's
// error page: a kiosk address with no copy gets the kiosk's own page from the cache.
const CACHE = 'labor-plaza-kiosk-v2';
const PAGE_TIMEOUT_MS = 4000;
const OTHER_TIMEOUT_MS = 15000;

// A new release takes over at once (no "waiting" worker); old caches go.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

// The page lists what it loaded before this worker controlled it.
self.addEventListener('message', (event) => {
  if (!event.data || event.data.type !== 'keep' || !Array.isArray(event.data.urls)) return;
  event.waitUntil(keep(event.data.urls.slice(0, 200)));
});

async function keep(urls) {
  const cache = await caches.open(CACHE);
  for (const url of urls) {
    let parsed;
    try { parsed = new URL(url); } catch (_) { continue; }
    // A kiosk page with a query would be kept as the first screen: never.
    if (parsed.origin !== self.location.origin || !kept(parsed)) continue;
    if (parsed.pathname.startsWith('/kiosk/') && parsed.search) continue;
    if (await cache.match(keyOf(parsed, false))) continue;
    try {
      const response = await fetch(parsed.href, { credentials: 'same-origin' });
      if (response.ok) await cache.put(keyOf(parsed, false), response);
    } catch (_) { /* offline: kept next time */ }
  }
}

// What a kiosk needs to work offline, and nothing that would record what visitors looked up (a
// person's QR code is not kept: offline the answer shows its caption without the code).
function kept(url) {
  const p = url.pathname;
  return p.startsWith('/kiosk/') || p.startsWith('/pkg/')
    || p === '/api/v1/kiosk-snapshot' || p === '/islands.js' || p === '/kiosk.js' || p === '/favicon.svg';
}

// A kiosk page is kept by its address without the query: the page answers queries itself.
function keyOf(url, navigation) {
  return navigation || url.pathname.startsWith('/kiosk/') ? url.origin + url.pathname : url.href;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !kept(url)) return;
  event.respondWith(answer(request, url, event));
});

function within(ms, promise) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);
}

async function answer(request, url, event) {
  const navigation = request.mode === 'navigate';
  const cache = await caches.open(CACHE);
  const key = keyOf(url, navigation);
  let response;
  try {
    response = await within(navigation ? PAGE_TIMEOUT_MS : OTHER_TIMEOUT_MS, fetch(request));
  } catch (_) {
    const copy = await cache.match(key);
    if (copy) return copy;
    if (navigation) return offlinePage();
    return Response.error();
  }
  if (navigation && response.status >= 500) {
    const copy = await cache.match(key);
    if (copy) return copy;
  }
  // A kiosk page is kept only as its first screen (no query), so the copy never holds a visitor's
  // search. Keeping it is done beside the answer: a full cache never fails a good response.
  const keepIt = response.ok && response.status === 200 && response.type === 'basic'
    && (!url.pathname.startsWith('/kiosk/') || url.search === '');
  if (keepIt) {
    const copy = response.clone();
    const write = cache.put(key, copy).catch(() => {});
    if (event && event.waitUntil) event.waitUntil(write);
  }
  return response;
}

// No copy at all (the kiosk was never online): a page that says so and tries again.
function offlinePage() {
  const body = '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta http-equiv="refresh" content="30">'
    + '<title>劳动广场 · 信息亭</title><body style="background:#14161a;color:#fff;font:2rem sans-serif;padding:3rem">'
    + '<p>网络暂时不通，稍后自动重试。</p><p lang="en">The network is down; trying again shortly.</p></body></html>';
  return new Response(body, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}
