import { test, expect } from '@playwright/test';
import { violations } from './axe';

for (const url of ['/', '/wall/plaza-municipal/1', '/laureates/1', '/stats', '/search?q=zwm', '/open-data', '/admin', '/notices']) {
  test(`no accessibility violations on ${url}`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto(url);
    expect(await violations(page)).toEqual([]);
  });
}

test('the accessibility check does catch a violation', async ({ page }) => {
  await page.setContent('<html lang="en"><body><main><img src="x.png"></main></body></html>');
  expect((await violations(page)).join()).toContain('image-alt');
});
