import { test, expect } from '@playwright/test';
import { watchForErrors, waitForHydration, someLaureate } from './helpers';

test('the wall opens as light outlines; zooming in puts the names of the stones in view in', async ({ page }) => {
  const problems = watchForErrors(page);
  await page.goto('/');
  await waitForHydration(page);
  await expect(page.locator('h1')).toContainText('劳动模范名录墙');
  await expect(page.locator('.demo-badge').first()).toContainText('示例数据');
  await expect(page.locator('section.stone').first()).toHaveAttribute('aria-label', /第1号石/);
  // The first screen: outlines only, a small page.
  await page.waitForTimeout(400);
  expect(await page.locator('ol.names > li[data-ids]').count()).toBe(0);
  expect(await page.evaluate(() => document.getElementsByTagName('*').length)).toBeLessThan(1500);
  await page.screenshot({ path: 'test-results/wall.png' });
  // Zoomed in: the stones around the view hold their names (a line of text per row, the row's
  // people by column in data-ids), and no more.
  await page.locator('.wall-viewport').focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('+');
  await expect(page.locator('ol.names > li[data-ids]').first()).toBeVisible();
  await page.waitForTimeout(300);
  const loaded = await page.evaluate(() => [...document.querySelectorAll('ol.names > li[data-ids]')]
    .flatMap((li) => li.getAttribute('data-ids')!.split(' ')).filter((id) => id && id !== '0').length);
  const engraved = (await (await page.request.get('/api/v1/stats')).json()).engraved.total;
  expect(loaded).toBeGreaterThan(0);
  expect(loaded).toBeLessThan(engraved / 4);
  expect(await page.evaluate(() => document.getElementsByTagName('*').length)).toBeLessThan(6000);
  await page.screenshot({ path: 'test-results/wall-zoomed.png' });
  // Zoomed out far: the names go.
  await page.keyboard.press('0');
  for (let i = 0; i < 4; i++) await page.keyboard.press('-');
  await expect(page.locator('ol.names > li[data-ids]')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('below the tappable zoom a tap on a stone zooms in instead of opening a link', async ({ page }) => {
  await page.goto('/');
  await waitForHydration(page);
  const canvas = page.locator('.wall-canvas');
  await page.waitForTimeout(700);
  const before = await canvas.getAttribute('style');
  const scaleOf = (style: string | null) => Number(/scale\(([\d.]+)\)/.exec(style ?? '')![1]);
  const stone = (await page.locator('section.stone').first().boundingBox())!;
  await page.mouse.click(stone.x + stone.width / 2, stone.y + stone.height / 2);
  await page.waitForTimeout(700);
  await expect(page).toHaveURL(/\/$/);
  expect(scaleOf(await canvas.getAttribute('style'))).toBeGreaterThan(scaleOf(before));
});

test('search by initials flies to the name, highlights it and tells its place', async ({ page }) => {
  const problems = watchForErrors(page);
  const target = await someLaureate(page, 'zwm');
  await page.goto('/');
  await waitForHydration(page);
  const box = page.locator('#wall-search');
  await box.click();
  await box.pressSequentially('zwm', { delay: 30 });
  await expect(box).toHaveAttribute('data-state', 'ready');
  const first = page.locator('.search-result').first();
  await expect(first).toBeVisible();
  await expect(first.locator('.result-name')).toHaveText(target.name);
  await first.click();
  await expect(page.locator(`#p${target.id}.hl`)).toBeVisible();
  const notice = page.getByTestId('place-notice');
  await expect(notice).toContainText(`第${target.wall.stone}号石`);
  await expect(notice).toContainText(`第${target.wall.row}行`);
  await expect(notice).toContainText(`第${target.wall.position}位`);
  // The highlighted name is inside the viewport after the flight.
  await page.waitForTimeout(700);
  const box1 = await page.locator(`#p${target.id}`).boundingBox();
  const vp = await page.locator('.wall-viewport').boundingBox();
  expect(box1 && vp).toBeTruthy();
  expect(box1!.x).toBeGreaterThan(vp!.x);
  expect(box1!.x + box1!.width).toBeLessThan(vp!.x + vp!.width);
  await page.screenshot({ path: 'test-results/wall-search.png' });
  // The lit name is a link to the profile; a tap on a name beside it opens that person's profile
  // (the name is found from the column under the tap).
  await expect(page.locator(`#p${target.id} a`)).toHaveAttribute('href', `/laureates/${target.id}`);
  const row = page.locator(`ol.names > li[data-ids~="${target.id}"]`);
  const ids = (await row.getAttribute('data-ids'))!.split(' ');
  const column = ids.indexOf(String(target.id));
  const beside = [column + 1, column - 1].find((c) => c >= 0 && c < ids.length && ids[c] !== '0')!;
  const rowBox = (await row.boundingBox())!;
  const style = await page.locator('.wall-canvas').getAttribute('style');
  const scale = Number(/scale\(([\d.]+)\)/.exec(style ?? '')![1]);
  const columnWidth = (await row.evaluate((li) => parseFloat(getComputedStyle(li).tabSize))) * scale;
  await page.mouse.click(rowBox.x + columnWidth * (beside + 0.4), rowBox.y + rowBox.height / 2);
  await expect(page).toHaveURL(new RegExp(`/laureates/${ids[beside]}$`));
  expect(problems).toEqual([]);
});

test('when a stone\'s names cannot be fetched, no error text enters the wall and the flight still ends at the stone', async ({ page }) => {
  const target = await someLaureate(page, 'zwm');
  await page.route('**/names', (route) =>
    route.fulfill({ status: 500, contentType: 'text/html', body: '<li id="broken">服务器出错</li>' }));
  await page.goto('/');
  await waitForHydration(page);
  const canvas = page.locator('.wall-canvas');
  const before = await canvas.getAttribute('style');
  const box = page.locator('#wall-search');
  await box.click();
  await box.pressSequentially('zwm', { delay: 30 });
  await expect(box).toHaveAttribute('data-state', 'ready');
  await page.locator('.search-result').first().click();
  await expect(page.getByTestId('place-notice')).toContainText(`第${target.wall.stone}号石`);
  await expect.poll(() => canvas.getAttribute('style')).not.toEqual(before);
  await page.waitForTimeout(700);
  expect(await page.locator('#broken').count()).toBe(0);
  expect(await page.locator('ol.names > li').count()).toBe(0);
});

test('traditional characters and surname readings find the right people', async ({ page }) => {
  await page.goto('/');
  await waitForHydration(page);
  const box = page.locator('#wall-search');
  await box.click();
  await box.fill('張');
  await expect(box).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('.search-result .result-name').first()).toHaveText(/^张/);
  await box.fill('shan');
  await expect(page.locator('.search-result .result-name').first()).toHaveText(/^单/);
  await box.fill('h');
  const names = await page.locator('.search-result .result-name').allTextContents();
  expect(names.length).toBeGreaterThan(0);
  expect(names.some((n) => n.startsWith('许'))).toBeFalsy();
});

test('profile, back to the wall, and the highlight', async ({ page }) => {
  const problems = watchForErrors(page);
  const target = await someLaureate(page, 'wang');
  await page.goto(`/laureates/${target.id}`);
  await expect(page.locator('h1')).toContainText(target.name);
  await expect(page).toHaveTitle(new RegExp(target.name));
  await expect(page.getByTestId('wall-place').first()).toContainText(`第${target.wall.stone}号石`);
  await page.getByRole('link', { name: '在名录墙上查看' }).click();
  await waitForHydration(page);
  await expect(page.locator(`#p${target.id}.hl`)).toBeVisible();
  expect(problems).toEqual([]);
});

test('pan and zoom with mouse and keyboard move the canvas', async ({ page }) => {
  await page.goto('/');
  await waitForHydration(page);
  const canvas = page.locator('.wall-canvas');
  const before = await canvas.getAttribute('style');
  const vp = (await page.locator('.wall-viewport').boundingBox())!;
  await page.mouse.move(vp.x + 400, vp.y + 300);
  await page.mouse.down();
  await page.mouse.move(vp.x + 200, vp.y + 200, { steps: 8 });
  await page.mouse.up();
  const afterDrag = await canvas.getAttribute('style');
  expect(afterDrag).not.toEqual(before);
  await page.mouse.wheel(0, -400);
  const afterWheel = await canvas.getAttribute('style');
  expect(afterWheel).not.toEqual(afterDrag);
  await page.locator('.wall-viewport').focus();
  await page.keyboard.press('ArrowRight');
  expect(await canvas.getAttribute('style')).not.toEqual(afterWheel);
});

test('filters narrow the wall by batch', async ({ page }) => {
  await page.goto('/');
  await waitForHydration(page);
  await page.getByTestId('batch-filter').selectOption('1952');
  await expect(page.locator('section.stone:not([data-years~="1952"])').first()).toBeHidden();
  await expect(page.locator('section.stone[data-years~="1952"]').first()).toBeVisible();
});

test('English is switchable', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.locator('h1')).toContainText("Model Workers' Name Wall");
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByRole('link', { name: '中文', exact: true }).click();
  await expect(page.locator('h1')).toContainText('劳动模范名录墙');
});

test('unknown pages and laureates get a 404 page', async ({ page }) => {
  const res = await page.goto('/laureates/99999999');
  expect(res?.status()).toBe(404);
  await expect(page.locator('h1')).toContainText('页面不存在');
  const res2 = await page.goto('/no/such/page');
  expect(res2?.status()).toBe(404);
});
