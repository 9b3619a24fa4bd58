import { test, expect, Page } from '@playwright/test';
import { execFileSync, spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import jsQR from 'jsqr';
import { violations } from './axe';
import { waitForHydration } from './helpers';

// The kiosk page at both kiosk sizes, with touch: a name found as the stones run (year, surname
// strokes, surname) and by typing; the answer names its stone, row and position and lights it.

const server = path.join(__dirname, '..', '..', 'target', 'release', 'server');
const env = { ...process.env, DATABASE_URL: `sqlite:${process.env.E2E_DB}`, RUST_LOG: 'warn' };

/** Registers a kiosk; returns its heartbeat secret (null when an earlier project of this run did). */
function addKiosk(id: string, ...more: string[]): string | null {
  try {
    const out = execFileSync(server, ['kiosk', 'add', id, '--name', '测试亭', '--monument', 'plaza-municipal', ...more], { env }).toString();
    return out.match(/secret[^:]*: (\S+)/)![1];
  } catch (e) {
    // Registered already: the command says so and changes nothing.
    if (!String((e as { stderr?: Buffer }).stderr ?? '').includes('registered already')) throw e;
    return null;
  }
}

// A kiosk of its own for each run of the file (a worker that starts again runs this again).
const beatKiosk = `e2e-beat-${Date.now().toString(36)}`;
let beatSecret: string | null = null;
test.beforeAll(async () => {
  // The kiosk snapshot is made (and compressed) on its first request: a few seconds of
  // a 2-core machine's CPU. Made here, before any page, so that a page's navigation is not slowed
  // past the service worker's 4 s, which would rightly answer it from its kept first screen.
  const base = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100)}`;
  for (const encoding of ['br', 'gzip', 'identity']) {
    await fetch(`${base}/api/v1/kiosk-snapshot`, { headers: { 'Accept-Encoding': encoding } }).then((r) => r.arrayBuffer());
  }
  // It stands at the west gate of the (schematic) plan, facing east.
  addKiosk('e2e-kiosk', '--x', '2', '--y', '40', '--facing', '90');
  addKiosk('e2e-idle', '--idle-seconds', '30');
  beatSecret = addKiosk(beatKiosk);
});

/** The kiosk page, once it answers from its own snapshot. */
async function openKiosk(page: Page, address: string) {
  await page.goto(address);
  await expect(page.locator('.kiosk[data-live="1"]')).toHaveCount(1, { timeout: 30_000 });
}

/** Types on the on-screen keyboard. */
async function typeKeys(page: Page, keys: string) {
  for (const k of keys) await page.locator('.kiosk-keyboard .key', { hasText: new RegExp(`^${k}$`) }).tap();
}

for (const [name, width, height] of [['portrait', 1080, 1920], ['landscape', 1920, 1080]] as const) {
  test.describe(`kiosk ${name}`, () => {
    test.use({ viewport: { width, height }, hasTouch: true, locale: 'zh-CN' });

    test('finds a name as the stones run and by typing', async ({ page }) => {
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await page.goto('/kiosk/e2e-kiosk');
      await expect(page.locator('.site-header')).toHaveCount(0);
      await page.locator('.kiosk-grid.years a', { hasText: '1955' }).tap();
      await page.locator('.kiosk-grid a').first().tap();
      await page.locator('.kiosk-grid.surnames a').first().tap();
      const first = page.locator('.kiosk-names a').first();
      const chosen = (await first.locator('strong').textContent())!.trim();
      await first.tap();
      await expect(page.locator('.kiosk-name')).toContainText(chosen);
      await expect(page.getByTestId('kiosk-place')).toHaveText(/^第\d+号石 · 第\d+行 · 第\d+位$/);
      await expect(page.locator('.kiosk-stone .slot.lit')).toHaveCount(1);
      // "You are here": the stone lit on the plan and the step-free way to it, in metres.
      await expect(page.locator('.kiosk-map .map-stone.target')).toHaveCount(1);
      await expect(page.locator('.kiosk-map .map-here')).toHaveCount(1);
      await expect(page.locator('.kiosk-map .map-route')).toHaveCount(1);
      await expect(page.getByTestId('kiosk-route')).toContainText(/步行约 \d+ 米，全程无台阶/);
      expect(await violations(page)).toEqual([]);

      // The same person by typing the name.
      await page.getByRole('link', { name: '重新查找' }).tap();
      await page.getByLabel(/输入姓名或拼音/).fill(chosen);
      await page.getByRole('button', { name: '查找' }).tap();
      await expect(page.locator('.kiosk-names a', { hasText: chosen }).first()).toBeVisible();

      // Nothing on the kiosk is smaller than a finger.
      const small = await page.evaluate(() => [...document.querySelectorAll('.kiosk a, .kiosk button, .kiosk input')]
        .map((e) => e.getBoundingClientRect()).filter((r) => r.width < 48 || r.height < 48).length);
      expect(small).toBe(0);
      expect(errors).toEqual([]);
    });
  });
}

for (const [name, width, height] of [['portrait', 1080, 1920], ['landscape', 1920, 1080]] as const) {
  test.describe(`kiosk keyboard ${name}`, () => {
    test.use({ viewport: { width, height }, hasTouch: true, locale: 'zh-CN' });

    test('types pinyin on the on-screen keyboard, picks a candidate, and a year by its digits', async ({ page }) => {
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await openKiosk(page, '/kiosk/e2e-kiosk');
      await typeKeys(page, 'zh');
      const candidate = page.locator('.kiosk-candidates .candidate').first();
      await expect(candidate).toBeVisible();
      const char = (await candidate.textContent())!.trim();
      await candidate.tap();
      await expect(page.getByLabel(/输入姓名或拼音/)).toHaveValue(char);
      await typeKeys(page, 'w');
      const live = page.locator('.kiosk-live .kiosk-names a');
      await expect(live.first()).toBeVisible();
      for (const name of await live.locator('strong').allTextContents()) expect(name.startsWith(char)).toBe(true);
      const chosen = (await live.first().locator('strong').textContent())!.trim();
      await live.first().tap();
      await expect(page.locator('.kiosk-name')).toContainText(chosen);
      await expect(page.getByTestId('kiosk-place')).toHaveText(/^第\d+号石 · 第\d+行 · 第\d+位$/);
      // Answered in the page: the address still names only the kiosk.
      expect(new URL(page.url()).search).toBe('');
      // Counted for the heartbeat to carry: the query and that it found somebody, nothing else.
      const counted = await page.evaluate(() => JSON.parse(localStorage.getItem('labor-plaza-kiosk-searches:e2e-kiosk') || '{}'));
      expect(counted[`${char}w`]?.[1]).toBeGreaterThan(0);
      await page.getByRole('button', { name: '返回' }).tap();
      await expect(page.getByLabel(/输入姓名或拼音/)).toHaveValue(`${char}w`);

      await page.getByRole('link', { name: '重新查找' }).tap();
      await expect(page.getByLabel(/输入姓名或拼音/)).toHaveValue('');
      await typeKeys(page, '1955');
      await page.getByRole('link', { name: '1955年的石碑' }).tap();
      await expect(page.locator('h1')).toContainText('1955年');
      expect(await violations(page)).toEqual([]);
      expect(errors).toEqual([]);
    });
  });
}

test.describe('kiosk idle', () => {
  test.use({ viewport: { width: 1080, height: 1920 }, hasTouch: true, locale: 'zh-CN' });

  test('after its idle time it asks, then clears everything and shows the attract screen', async ({ page }) => {
    await page.clock.install();
    // A visitor's search in the address, then an answer opened in the page.
    await openKiosk(page, '/kiosk/e2e-idle?q=wang');
    const entries = await page.evaluate(() => history.length);
    const first = page.locator('.kiosk-names a').first();
    const chosen = (await first.locator('strong').textContent())!.trim();
    await first.tap();
    await expect(page.locator('.kiosk-name')).toContainText(chosen);
    await page.getByRole('button', { name: '大字' }).tap();
    await expect(page.locator('.kiosk.large')).toHaveCount(1);

    // "Continue" keeps the visit.
    await page.clock.fastForward(31_000);
    await expect(page.getByRole('alertdialog')).toContainText('还在使用吗');
    await page.getByRole('button', { name: '继续使用' }).tap();
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
    await expect(page.locator('.kiosk-name')).toContainText(chosen);

    // Nobody answers: the countdown runs out and nothing of the visit is left.
    await page.clock.fastForward(31_000);
    await expect(page.getByRole('alertdialog')).toBeVisible();
    await page.clock.fastForward(21_000);
    await expect(page.locator('.kiosk-attract')).toBeVisible();
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
    expect(new URL(page.url()).search).toBe('');
    expect(await page.evaluate(() => history.length)).toBe(entries);
    await page.locator('.kiosk-attract').tap();
    await expect(page.locator('.kiosk-attract')).toHaveCount(0);
    await expect(page.getByLabel(/输入姓名或拼音/)).toHaveValue('');
    await expect(page.locator('.kiosk-name')).toHaveCount(0);
    expect(await page.locator('.kiosk-screen').textContent()).not.toContain(chosen);
    await expect(page.getByRole('button', { name: '返回' })).toHaveCount(0);
    await expect(page.locator('.kiosk.large')).toHaveCount(0);
  });
});

// Offline for real: a server of its own, killed (SIGKILL) once the kiosk has loaded, so neither
// the page nor its service worker can reach it (Chromium's offline emulation does not reach
// service workers); then started again with new data.
const offlinePort = Number(process.env.E2E_PORT ?? 3100) + 7;
const offlineBase = `http://127.0.0.1:${offlinePort}`;
const offlineDb = path.join(os.tmpdir(), `labor-plaza-e2e-offline-${process.pid}.db`);
const offlineEnv = { ...env, DATABASE_URL: `sqlite:${offlineDb}` };

function startOfflineServer(): ChildProcess {
  return spawn(server, ['serve'], {
    cwd: path.join(__dirname, '..', '..'),
    stdio: 'ignore',
    env: {
      ...offlineEnv, LEPTOS_SITE_ADDR: `127.0.0.1:${offlinePort}`, LEPTOS_SITE_ROOT: 'target/site',
      LEPTOS_SITE_PKG_DIR: 'pkg', LEPTOS_OUTPUT_NAME: 'labor-plaza',
      UPLOADS_DIR: path.join(os.tmpdir(), `labor-plaza-e2e-offline-${process.pid}-uploads`),
    },
  });
}

async function waitUntilUp() {
  for (let i = 0; i < 480; i++) {
    try { if ((await fetch(`${offlineBase}/api/v1/stats`)).ok) return; } catch (_) { /* not yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the offline test server did not start');
}

test.describe('kiosk offline', () => {
  test.use({ viewport: { width: 1920, height: 1080 }, hasTouch: true, locale: 'zh-CN' });

  test('after the first load it searches, browses and shows profiles with the server gone; new data arrives when it returns', async ({ page, context }, info) => {
    test.skip(info.project.name !== 'hydrated', 'a kiosk runs its page');
    test.setTimeout(180_000);
    for (const f of fs.readdirSync(os.tmpdir())) {
      if (f.startsWith(path.basename(offlineDb))) fs.rmSync(path.join(os.tmpdir(), f), { force: true });
    }
    let serverProcess = startOfflineServer();
    try {
      await waitUntilUp();
      execFileSync(server, ['kiosk', 'add', 'e2e-offline', '--name', '离线亭', '--monument', 'plaza-municipal'], { env: offlineEnv });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await openKiosk(page, `${offlineBase}/kiosk/e2e-offline`);
      // The service worker holds the page and the snapshot.
      await page.waitForFunction(async () => {
        const cache = await caches.open('labor-plaza-kiosk-v2');
        return !!navigator.serviceWorker.controller && !!(await cache.match('/api/v1/kiosk-snapshot'))
          && !!(await cache.match(location.origin + location.pathname));
      }, null, { timeout: 30_000 });
      const version = await page.locator('.kiosk').getAttribute('data-data-version');

      serverProcess.kill('SIGKILL');
      await new Promise((r) => serverProcess.once('exit', r));
      await context.setOffline(true);
      // 1. Typing.
      await typeKeys(page, 'li');
      await page.locator('.kiosk-candidates .candidate').first().tap();
      await page.locator('.kiosk-live .kiosk-names a').first().tap();
      await expect(page.getByTestId('kiosk-place')).toBeVisible();
      // 2. As the stones run.
      await page.getByRole('link', { name: '重新查找' }).tap();
      await page.locator('.kiosk-grid.years a', { hasText: '1956' }).tap();
      await page.locator('.kiosk-grid a').nth(1).tap();
      await page.locator('.kiosk-grid.surnames a').first().tap();
      await page.locator('.kiosk-names a').first().tap();
      await expect(page.locator('.kiosk-stone .slot.lit')).toHaveCount(1);
      // 3. The page itself loaded again with no server: the kept copy, still answering.
      await page.reload();
      await expect(page.locator('.kiosk[data-live="1"]')).toHaveCount(1, { timeout: 30_000 });
      await expect(page.locator('.kiosk-foot')).toContainText('离线');
      await typeKeys(page, 'wang');
      await page.locator('.kiosk-live .kiosk-names a').first().tap();
      await expect(page.getByTestId('kiosk-place')).toBeVisible();
      // An address the kiosk never showed: its own page, not the browser's error page.
      await page.goto(`${offlineBase}/kiosk/e2e-offline?person=12`);
      await expect(page.locator('.kiosk-bar')).toBeVisible();
      await expect(page.locator('.kiosk[data-live="1"]')).toHaveCount(1, { timeout: 30_000 });

      // New data while the kiosk is cut off: it has it once the network returns.
      const csv = path.join(os.tmpdir(), `kiosk-e2e-${process.pid}.csv`);
      fs.writeFileSync(csv, 'name,honour,year,work_unit\n甯亭新,may_day_medal,2024,北京信息亭厂\n');
      execFileSync(server, ['import', csv], { env: offlineEnv });
      serverProcess = startOfflineServer();
      await waitUntilUp();
      await context.setOffline(false);
      await expect(page.locator('.kiosk')).not.toHaveAttribute('data-data-version', version!, { timeout: 30_000 });
      await expect(page.locator('.kiosk-foot')).not.toContainText('离线');
      await page.getByLabel(/输入姓名或拼音/).fill('甯亭新');
      await page.locator('.kiosk-live .kiosk-names a', { hasText: '甯亭新' }).tap();
      await expect(page.getByTestId('kiosk-place')).toHaveText('尚未镌刻');
      expect(errors).toEqual([]);
    } finally {
      serverProcess.kill('SIGKILL');
    }
  });
});

test.describe('kiosk heartbeat and QR', () => {
  test.use({ viewport: { width: 1080, height: 1920 }, hasTouch: true, locale: 'zh-CN' });

  test('the secret handed over in the fragment is kept, leaves the address and beats', async ({ page }) => {
    const beat = page.waitForResponse((r) => r.url().endsWith(`/kiosk/${beatKiosk}/heartbeat`), { timeout: 20_000 });
    await page.goto(`/kiosk/${beatKiosk}#secret=${beatSecret}`);
    expect((await beat).status()).toBe(200);
    expect(new URL(page.url()).hash).toBe('');
    const kept = await page.evaluate((id) => localStorage.getItem(`labor-plaza-kiosk-secret:${id}`), beatKiosk);
    expect(kept).toBe(beatSecret);
  });

  test('the QR code on an answer opens the same person on a phone', async ({ page, browser }) => {
    await openKiosk(page, '/kiosk/e2e-kiosk?person=12');
    const name = (await page.locator('.kiosk-name').textContent())!;
    const qr = page.locator('.kiosk-qr img');
    await expect(qr).toBeVisible();
    const pixels = await qr.evaluate(async (img: HTMLImageElement) => {
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = 400; canvas.height = 400;
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#fff'; g.fillRect(0, 0, 400, 400);
      g.drawImage(img, 20, 20, 360, 360);
      return Array.from(g.getImageData(0, 0, 400, 400).data);
    });
    const code = jsQR(Uint8ClampedArray.from(pixels), 400, 400);
    expect(code).not.toBeNull();
    const target = new URL(code!.data);
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: 'zh-CN' });
    const phonePage = await phone.newPage();
    await phonePage.goto(target.pathname);
    await expect(phonePage.locator('h1')).toContainText(name.replace(/[a-z ].*$/, '').trim());
    await expect(phonePage.getByText(/第\d+号石/).first()).toBeVisible();
    await phone.close();
  });
});

test('an unknown kiosk is a clear 404 page', async ({ page }) => {
  const response = await page.goto('/kiosk/no-such-kiosk');
  expect(response!.status()).toBe(404);
});

// The kiosk's code is a bundle of its own: a phone opening the wall never downloads it, and a
// kiosk never downloads the wall's.
test('the kiosk and the wall each load only their own client bundle', async ({ page }) => {
  const wasm: string[] = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname); });
  await openKiosk(page, '/kiosk/e2e-kiosk');
  expect(wasm).toEqual(['/pkg/labor-plaza-kiosk.wasm']);
  wasm.length = 0;
  await page.goto('/');
  await waitForHydration(page);
  expect(wasm).toEqual(['/pkg/labor-plaza.wasm']);
});
