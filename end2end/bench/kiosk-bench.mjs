// Kiosk benchmark: time from a touch to the answer on the screen (a name tapped in a list, and a
// key tapped on the on-screen keyboard until the names found are drawn), with 13,058 names, in
// Chromium unthrottled and with the CPU slowed 4×, 5 runs each (median and range); and what the
// kiosk keeps in the browser for working offline (the first load's sizes: scripts/bench.sh).
// Prints figures; it is not a test.
// usage: node bench/kiosk-bench.mjs http://127.0.0.1:3200 KIOSK_ID
import { launch, spread } from './common.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:3200';
const kiosk = process.argv[3] ?? 'bench-kiosk';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const browser = await launch();

/** Milliseconds from a tap on `selector` until a frame has been drawn with the answer: for
 * `until: 'count'` the count of names found has changed (the page updates its list in place),
 * for `until: 'answer'` the place of a name is on the screen. Gives up after 10 s. */
async function touchToFrame(page, selector, until) {
  await page.evaluate(({ selector, until }) => {
    window.__bench = new Promise((resolve, reject) => {
      const target = document.querySelector(selector);
      const count = () => document.querySelector('.kiosk-live .kiosk-count')?.textContent;
      target.addEventListener('pointerdown', () => {
        const start = performance.now();
        const before = count();
        const done = () => (until === 'count'
          ? count() !== before
          : !!document.querySelector('[data-testid="kiosk-place"]'));
        const check = () => {
          if (done()) requestAnimationFrame(() => resolve(performance.now() - start));
          else if (performance.now() - start > 10_000) reject(new Error(`no ${until} after 10 s`));
          else requestAnimationFrame(check);
        };
        check();
      }, { once: true, capture: true });
    });
  }, { selector, until });
  await page.locator(selector).first().tap();
  return page.evaluate(() => window.__bench);
}

async function visit(throttle) {
  const context = await browser.newContext({ viewport: { width: 1080, height: 1920 }, hasTouch: true, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log('page error:', e.message));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  const t0 = Date.now();
  await page.goto(`${base}/kiosk/${kiosk}`);
  await page.locator('.kiosk[data-live="1"]').waitFor({ timeout: 120_000 });
  const liveMs = Date.now() - t0;
  await page.waitForFunction(async () => {
    const cache = await caches.open('labor-plaza-kiosk-v2');
    return !!(await cache.match('/api/v1/kiosk-snapshot'));
  }, null, { timeout: 120_000 });
  const stored = await page.evaluate(async () => (await navigator.storage.estimate()).usage);

  // A key: "w" typed after "zh" until the names found are drawn.
  await page.locator('.kiosk-keyboard .key', { hasText: /^z$/ }).tap();
  await page.locator('.kiosk-keyboard .key', { hasText: /^h$/ }).tap();
  await page.locator('.kiosk-live .kiosk-names a').first().waitFor();
  const keyMs = await touchToFrame(page, '.kiosk-keyboard .key[data-key="w"]', 'count');
  // A name tapped until its answer (place in words, the stone lit, the map) is drawn.
  const answerMs = await touchToFrame(page, '.kiosk-live .kiosk-names a', 'answer');
  await context.close();
  return { liveMs, stored, keyMs, answerMs };
}

for (const throttle of [1, 4]) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await visit(throttle));
  console.log(`  CPU ${throttle}×, ${RUNS} runs:`);
  console.log(`    touch on a name → answer drawn: ${spread(runs.map((r) => r.answerMs))} ms (target < 100)`);
  console.log(`    key on the keyboard → names found drawn: ${spread(runs.map((r) => r.keyMs))} ms`);
  console.log(`    load → live (snapshot held, directory built): ${spread(runs.map((r) => r.liveMs), 0)} ms`);
  if (throttle === 1) {
    console.log(`    kept in the browser (Cache Storage, navigator.storage.estimate): ${spread(runs.map((r) => r.stored / 1048576), 1)} MiB`);
  }
}
await browser.close();
