import { test, expect } from '@playwright/test';
import { execFileSync } from 'child_process';
import * as path from 'path';

import { totp } from './totp';

// An administrator made with the real `server create-admin`, signing in with a TOTP code computed
// here from the secret it printed (RFC 6238).
test('an administrator signs in with a second factor, sees the audit log and signs out', async ({ page }) => {
  const username = `e2e-admin-${Date.now() % 100000}`;
  const out = execFileSync(path.join(__dirname, '..', '..', 'target', 'release', 'server'), ['create-admin', '--username', username], {
    input: 'granite-lantern-47-plaza\n',
    env: { ...process.env, DATABASE_URL: `sqlite:${process.env.E2E_DB}`, RUST_LOG: 'warn' },
  }).toString();
  const secret = out.match(/secret: ([A-Z2-7]+)/)![1];

  await page.goto('/admin');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('wrong-password-here');
  await page.getByLabel('动态验证码或恢复码').fill(totp(secret));
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toContainText('用户名、密码或验证码不正确');
  await expect(page.getByLabel('用户名')).toHaveValue(username);

  await page.getByLabel('密码').fill('granite-lantern-47-plaza');
  await page.getByLabel('动态验证码或恢复码').fill(totp(secret));
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('signed-in')).toContainText('系统管理员');
  await expect(page.locator('table.audit')).toContainText('auth.login_failed');
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'session')!;
  expect(session.httpOnly).toBeTruthy();
  expect(session.sameSite).toBe('Strict');

  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
});
