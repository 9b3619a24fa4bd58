// Page benchmark: the longest main-thread task while panning, zooming and searching the full wall in
// Chromium, and the browser's search latency per keystroke. Prints figures; it is not a test.
// usage: node bench/wall-bench.mjs http://127.0.0.1:3200
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:3200';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1366, height: 850 } });
page.on('console', (m) => { if (m.type() === 'error') console.log('console error:', m.text()); });
page.on('pageerror', (e) => console.log('page error:', e.message));
const t0 = Date.now();
await page.goto(base + '/');
await page.locator('.wall-page[data-hydrated="true"]').waitFor();
const hydratedMs = Date.now() - t0;
// Load the search index before measuring (a visitor's first focus does this).
await page.locator('#wall-search').focus();
await page.locator('#wall-search[data-state="ready"]').waitFor();

/** Longest RunTask on the renderer's main thread during `work`, from a Chromium trace. */
async function longestTask(label, work) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  await work();
  await cdp.send('Tracing.end');
  await done;
  const main = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const mainEvents = events.filter((e) => e.dur && main.has(`${e.pid}:${e.tid}`));
  const runTasks = mainEvents.filter((e) => e.name === 'RunTask').sort((a, b) => b.dur - a.dur);
  const tasks = runTasks.map((e) => e.dur / 1000);
  if (process.env.BENCH_DETAIL && runTasks[0]) {
    // What the longest task spent its time on (direct and nested events, longest first).
    const t = runTasks[0];
    const inside = mainEvents.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur);
    inside.sort((a, b) => b.dur - a.dur);
    console.log('    longest task:', inside.slice(0, 8).map((e) => `${e.name} ${(e.dur / 1000).toFixed(1)}ms`).join(', '));
  }
  const over50 = tasks.filter((d) => d > 50).length;
  console.log(`  ${label}: ${tasks.length} main-thread tasks, longest ${tasks[0]?.toFixed(1) ?? 0} ms, ${over50} over 50 ms`);
  return tasks[0] ?? 0;
}

console.log(`wall page: hydrated ${hydratedMs} ms after navigation (13,058 names)`);
const vp = await page.locator('.wall-viewport').boundingBox();
const pan = await longestTask('pan (drag 40 steps) and zoom (12 wheel steps)', async () => {
  await page.mouse.move(vp.x + 700, vp.y + 400);
  await page.mouse.down();
  for (let i = 0; i < 40; i++) await page.mouse.move(vp.x + 700 - i * 12, vp.y + 400 - i * 5);
  await page.mouse.up();
  for (let i = 0; i < 12; i++) await page.mouse.wheel(0, i < 6 ? 120 : -120);
  await page.waitForTimeout(300);
});
const latencies = [];
const search = await longestTask('search (typing zhangwei, then choosing a result)', async () => {
  const box = page.locator('#wall-search');
  await box.fill('');
  for (const ch of 'zhangwei') {
    await box.press(ch);
    const ms = await box.getAttribute('data-search-ms');
    if (ms) latencies.push(Number(ms));
  }
  await page.locator('.search-result').first().click();
  await page.waitForTimeout(700);
});
latencies.sort((a, b) => a - b);
const mean = latencies.reduce((a, b) => a + b, 0) / Math.max(latencies.length, 1);
console.log(`  browser search per keystroke: mean ${mean.toFixed(2)} ms, max ${latencies.at(-1)?.toFixed(2)} ms over ${latencies.length} keystrokes (frame budget 16.7 ms)`);
console.log(`RESULT longest_task_pan_ms=${pan.toFixed(1)} longest_task_search_ms=${search.toFixed(1)} search_keystroke_mean_ms=${mean.toFixed(2)}`);
await browser.close();
