// Page benchmark: the longest main-thread task while panning, zooming (names coming and going
// with the zoom) and searching the full wall in Chromium, unthrottled and with the CPU slowed 4×
// (a mid-range phone), 3 runs each, median and range; and the browser's search latency per
// keystroke. Prints figures; it is not a test.
// usage: node bench/wall-bench.mjs http://127.0.0.1:3200
import { launch, median, spread } from './common.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:3200';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const browser = await launch();

/** Longest RunTask on the renderer's main thread during `work`, from a Chromium trace. */
async function longestTask(page, work) {
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
  if (process.env.BENCH_DETAIL && runTasks[0]) {
    const t = runTasks[0];
    const inside = mainEvents.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur);
    inside.sort((a, b) => b.dur - a.dur);
    console.log('    longest task:', inside.slice(0, 8).map((e) => `${e.name} ${(e.dur / 1000).toFixed(1)}ms`).join(', '));
  }
  const tasks = runTasks.map((e) => e.dur / 1000);
  return { longest: tasks[0] ?? 0, over50: tasks.filter((d) => d > 50).length };
}

/** One visit: load, pan and zoom through the levels of detail, search and fly. */
async function visit(throttle) {
  const page = await browser.newPage({ viewport: { width: 1366, height: 850 } });
  page.on('console', (m) => { if (m.type() === 'error') console.log('console error:', m.text()); });
  page.on('pageerror', (e) => console.log('page error:', e.message));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  const t0 = Date.now();
  await page.goto(base + '/');
  await page.locator('.wall-page[data-hydrated="true"]').waitFor();
  const hydratedMs = Date.now() - t0;
  const domAtLoad = await page.evaluate(() => document.getElementsByTagName('*').length);
  const vp = await page.locator('.wall-viewport').boundingBox();
  let domMax = 0;
  const pan = await longestTask(page, async () => {
    await page.mouse.move(vp.x + 700, vp.y + 400);
    // Zoom in past the level where names come in, pan across stones, zoom out again.
    for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -120);
    await page.locator('ol.names > li').first().waitFor();
    await page.waitForTimeout(600);
    domMax = await page.evaluate(() => document.getElementsByTagName('*').length);
    await page.mouse.down();
    for (let i = 0; i < 40; i++) await page.mouse.move(vp.x + 700 - i * 14, vp.y + 400 - i * 4);
    await page.mouse.up();
    await page.waitForTimeout(400);
    for (let i = 0; i < 12; i++) await page.mouse.wheel(0, 120);
    await page.waitForTimeout(300);
  });
  // Load the search index first (a visitor's first focus does this), then time the search.
  await page.locator('#wall-search').focus();
  await page.locator('#wall-search[data-state="ready"]').waitFor();
  const latencies = [];
  const search = await longestTask(page, async () => {
    const box = page.locator('#wall-search');
    await box.fill('');
    for (const ch of 'zhangwei') {
      await box.press(ch);
      const ms = await box.getAttribute('data-search-ms');
      if (ms) latencies.push(Number(ms));
    }
    await page.locator('.search-result').first().click();
    await page.locator('li.hl').waitFor();
    await page.waitForTimeout(700);
  });
  await page.close();
  return { hydratedMs, domAtLoad, domMax, pan, search, keystroke: median(latencies) };
}

for (const throttle of [1, 4]) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await visit(throttle));
  const pick = (f) => runs.map(f);
  console.log(`  CPU ${throttle === 1 ? 'unthrottled' : `slowed ${throttle}×`}, ${RUNS} runs:`);
  console.log(`    hydrated after navigation: ${spread(pick((r) => r.hydratedMs), 0)} ms; DOM elements at load ${spread(pick((r) => r.domAtLoad), 0)}, after zooming in ${spread(pick((r) => r.domMax), 0)}`);
  console.log(`    longest main-thread task, pan and zoom: ${spread(pick((r) => r.pan.longest))} ms, tasks over 50 ms ${spread(pick((r) => r.pan.over50), 0)}`);
  console.log(`    longest main-thread task, search and fly: ${spread(pick((r) => r.search.longest))} ms, tasks over 50 ms ${spread(pick((r) => r.search.over50), 0)}`);
  console.log(`    browser search per keystroke: ${spread(pick((r) => r.keystroke), 2)} ms (frame budget 16.7 ms)`);
}
await browser.close();
