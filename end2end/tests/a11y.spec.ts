import { test, expect, Page } from '@playwright/test';
import * as path from 'path';

// axe-core (from npm) checks each page for WCAG A/AA violations.
async function violations(page: Page) {
  await page.addScriptTag({ path: path.join(__dirname, '..', 'node_modules', 'axe-core', 'axe.min.js') });
  return page.evaluate(async () => {
    // @ts-ignore - injected above
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations.map((v: any) => `${v.id}: ${v.nodes.length} × ${v.help} (${v.nodes[0]?.target})`);
  });
}

for (const url of ['/', '/laureates/1', '/stats', '/search?q=zwm', '/open-data', '/admin']) {
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
