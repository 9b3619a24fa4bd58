import { expect, Browser, Page } from '@playwright/test';
import { execFileSync } from 'child_process';
import * as path from 'path';

// Accounts for the browser tests: the first administrator from the command line, the others
// made by that administrator in the UI, each signed in through the real form.

export const PASSWORD = 'granite-lantern-47-plaza';

/** `server create-admin` on the test database; returns the account's TOTP secret. */
export function createAdmin(username: string): string {
  const out = execFileSync(path.join(__dirname, '..', '..', 'target', 'release', 'server'), ['create-admin', '--username', username], {
    input: `${PASSWORD}\n`,
    env: { ...process.env, DATABASE_URL: `sqlite:${process.env.E2E_DB}`, RUST_LOG: 'warn' },
  }).toString();
  return out.match(/secret: ([A-Z2-7]+)/)![1];
}

/** Signs in with `code` (each TOTP code is accepted once) in a fresh browser context. */
export async function signIn(browser: Browser, username: string, code: string, js: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: js, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('dialog', (d) => { throw new Error(`a dialog opened: ${d.message()}`); });
  await page.goto('/admin');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByLabel('动态验证码或恢复码').fill(code);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('signed-in')).toBeVisible();
  return page;
}

/** An administrator makes an account in the UI; returns its TOTP secret, shown once. */
export async function createAccount(admin: Page, username: string, role: string, unit = ''): Promise<string> {
  await admin.goto('/admin/users/new');
  await admin.getByLabel('用户名').fill(username);
  await admin.getByLabel('姓名').fill(`测试${role}`);
  await admin.getByLabel('角色').selectOption(role);
  if (unit) await admin.getByLabel('推荐单位名称（推荐单位账号必填）').fill(unit);
  await admin.getByLabel('初始密码').fill(PASSWORD);
  await admin.getByLabel('再次输入密码').fill(PASSWORD);
  await admin.getByRole('button', { name: '创建账号' }).click();
  await expect(admin.getByTestId('created-username')).toHaveText(username);
  return (await admin.getByTestId('totp-secret').textContent())!.trim();
}
