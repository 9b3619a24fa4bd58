import { test, expect, Page } from '@playwright/test';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { violations } from './axe';

// The kiosk page at both kiosk sizes, with touch: a name found as the stones run (year, surname
// strokes, surname) and by typing; the answer names its stone, row and position and lights it.

const server = path.join(__dirname, '..', '..', 'target', 'release', 'server');
const env = { ...process.env, DATABASE_URL: `sqlite:${process.env.E2E_DB}`, RUST_LOG: 'warn' };

test.beforeAll(() => {
  try {
    execFileSync(server, ['kiosk', 'add', 'e2e-kiosk', '--name', '测试亭', '--monument', 'plaza-municipal'], { env });
  } catch (e) {
    // Registered by an earlier project of this run: the command says so and changes nothing.
    if (!String((e as { stderr?: Buffer }).stderr ?? '').includes('registered already')) throw e;
  }
});

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

test('an unknown kiosk is a clear 404 page', async ({ page }) => {
  const response = await page.goto('/kiosk/no-such-kiosk');
  expect(response!.status()).toBe(404);
});
