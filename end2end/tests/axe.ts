import { Page } from '@playwright/test';
import * as path from 'path';

// axe-core (from npm) checks each page for WCAG A/AA violations.
export async function violations(page: Page) {
  await page.addScriptTag({ path: path.join(__dirname, '..', 'node_modules', 'axe-core', 'axe.min.js') });
  return page.evaluate(async () => {
    // @ts-ignore - injected above
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations.map((v: any) => `${v.id}: ${v.nodes.length} × ${v.help} (${v.nodes[0]?.target})`);
  });
}
