import { test, expect } from '@playwright/test';

// The same site with JavaScript off: everything public still works as plain HTML.
test('without JavaScript the wall leads to every stone, and each stone lists its names', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('h1')).toContainText('劳动模范名录墙');
  const stones = page.locator('section.stone .stone-label a');
  const count = await stones.count();
  expect(count).toBeGreaterThan(10);
  await stones.first().click();
  await expect(page).toHaveURL(/\/wall\/[a-z_-]+\/1$/);
  await expect(page.locator('h1')).toContainText('第1号石');
  const names = page.locator('ol.stone-names > li > a');
  expect(await names.count()).toBeGreaterThan(100);
  // Neighbours, then a name to its profile.
  await page.locator('a[rel="next"]').first().click();
  await expect(page.locator('h1')).toContainText('第2号石');
  await names.first().click();
  await expect(page.getByTestId('profile')).toBeVisible();
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

test('statistics are charts drawn on the server, each with its numbers as a table', async ({ page, request }) => {
  const stats = await (await request.get('/api/v1/stats')).json();
  await page.goto('/stats');
  const charts = page.locator('figure.chart');
  await expect(charts).toHaveCount(5);
  // Each drawing is one image named by its title and described by its largest values.
  await expect(page.getByRole('img', { name: /各批次名录人数/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /女性、少数民族/ })).toBeVisible();
  // The first batch's count, in the drawing and in the table under it.
  const first = stats.by_batch[0];
  const batchChart = charts.first();
  expect(await batchChart.locator('svg text.chart-value').first().textContent()).toBe(String(first.count));
  await batchChart.locator('summary').click();
  await expect(batchChart.locator('tbody tr').first()).toContainText(String(first.count));
  await expect(batchChart.locator('tbody tr')).toHaveCount(stats.by_batch.length);
  await page.screenshot({ path: 'test-results/stats.png', fullPage: false });
});
