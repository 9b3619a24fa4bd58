import { defineConfig } from '@playwright/test';
import * as os from 'os';
import * as path from 'path';

// The server under test: the release build, on its own port, with a fresh temporary database that
// it fills with the demo data on start.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
// Set once in the main process; workers inherit it, so tests can reach the same database.
process.env.E2E_DB ??= path.join(os.tmpdir(), `labor-plaza-e2e-${process.pid}.db`);
const dbFile = process.env.E2E_DB;
// The server's test clock: seconds to add, written by the procedure test to pass notice periods.
process.env.E2E_CLOCK ??= path.join(os.tmpdir(), `labor-plaza-e2e-${process.pid}.clock`);
const uploadsDir = path.join(os.tmpdir(), `labor-plaza-e2e-${process.pid}-uploads`);

const chromium = {
  browserName: 'chromium' as const,
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
    ],
  },
};

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { baseURL, ...chromium, viewport: { width: 1366, height: 850 }, locale: 'zh-CN' },
  projects: [
    { name: 'hydrated', testMatch: /.*\.spec\.ts/, testIgnore: /no-js\.spec\.ts/ },
    { name: 'no-js', testMatch: /(no-js|procedure|security)\.spec\.ts/, use: { javaScriptEnabled: false } },
  ],
  webServer: {
    command: `rm -rf ${dbFile}* ${uploadsDir} && echo 0 > ${process.env.E2E_CLOCK} && target/release/server serve`,
    url: `${baseURL}/api/v1/stats`,
    timeout: 120_000,
    reuseExistingServer: false,
    cwd: '..',
    env: {
      DATABASE_URL: `sqlite:${dbFile}`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: 'target/site',
      LEPTOS_SITE_PKG_DIR: 'pkg',
      LEPTOS_OUTPUT_NAME: 'labor-plaza',
      RUST_LOG: 'warn',
      UPLOADS_DIR: uploadsDir,
      LABOR_PLAZA_CLOCK_OFFSET_FILE: process.env.E2E_CLOCK,
    },
  },
});
