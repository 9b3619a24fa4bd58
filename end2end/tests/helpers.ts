import { expect, Page } from '@playwright/test';

/** Fails the test on any failed request or console error (a 404 favicon included). */
export function watchForErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (res) => {
    const external = !res.url().startsWith('http://127.0.0.1');
    if (res.status() >= 400 && !external) problems.push(`${res.status()} ${res.url()}`);
  });
  return problems;
}

/** Waits until client code has run (the wall page sets data-hydrated in an Effect). */
export async function waitForHydration(page: Page) {
  await expect(page.locator('.wall-page[data-hydrated="true"]')).toBeVisible();
}

/** A laureate from the API whose name is unique in the search results for itself. */
export async function someLaureate(page: Page, query: string) {
  const res = await page.request.get(`/api/v1/laureates?q=${encodeURIComponent(query)}&per_page=5`);
  expect(res.ok()).toBeTruthy();
  const body = await res.json();
  expect(body.total).toBeGreaterThan(0);
  return body.items[0];
}
