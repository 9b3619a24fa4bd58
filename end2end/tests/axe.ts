import { Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

const AXE = fs.readFileSync(path.join(__dirname, '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

// axe-core (from npm) checks each page for WCAG A/AA violations. It is evaluated through the
// browser's debugging protocol: the site's Content-Security-Policy forbids inline script, so a
// script tag would be (rightly) refused.
export async function violations(page: Page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    // @ts-ignore - injected above
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations.map((v: any) => `${v.id}: ${v.nodes.length} × ${v.help} (${v.nodes[0]?.target})`);
  });
}
