import { test, expect } from '@playwright/test';

// The same site with JavaScript off: everything public still works as plain HTML.
test('the wall is a readable list of links without JavaScript', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('h1')).toContainText('劳动模范名录墙');
  // 13,058 demo names, and any the procedure test approved and published.
  const engraved = (await (await page.request.get('/api/v1/stats')).json()).engraved.total;
  expect(engraved).toBeGreaterThanOrEqual(13058);
  expect(await page.locator('ol.names > li a').count()).toBe(engraved);
});

test('search submits to the server-rendered results page', async ({ page }) => {
  await page.goto('/');
  await page.locator('#wall-search').fill('zwm');
  await page.locator('#wall-search').press('Enter');
  await expect(page).toHaveURL(/\/search\?q=zwm/);
  const first = page.locator('.result-list li a').first();
  await expect(first).toHaveText(/^张/);
  await first.click();
  await expect(page.getByTestId('profile')).toBeVisible();
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', /劳动广场/);
  await expect(page.locator('img.qr')).toBeVisible();
});

test('the language switch works without JavaScript', async ({ page }) => {
  await page.goto('/stats');
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/stats$/);
  await expect(page.locator('h1')).toHaveText('Statistics');
});
