import { test, expect } from '@playwright/test';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { createAdmin, signIn } from './accounts';
import { totp } from './totp';
import { watchForErrors } from './helpers';

// The import page in a real browser, with JavaScript and without: a list chosen in the file
// input, checked (nothing written), imported, found on the wall's profile, then undone. The file's
// name and a cell are hostile markup, shown as text and never run.
for (const js of [true, false]) {
  test(`an administrator checks, imports and undoes a list (${js ? 'with' : 'without'} JavaScript)`, async ({ browser }) => {
    const username = `e2e-import-${js ? 'js' : 'nojs'}-${Date.now() % 100000}`;
    const admin = await signIn(browser, username, totp(createAdmin(username)), js);
    const errors = watchForErrors(admin);
    const name = js ? '导入乙' : '导入丙';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-import-'));
    const list = path.join(dir, '<img src=x onerror=alert(1)>.csv');
    fs.writeFileSync(list, `name,honour,year,work_unit\n${name},beijing_model,2032,"<script>alert(1)</script>北京测试厂"\n`);
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'name,honour,year\nAlice,beijing_model,2032\n');

    await admin.goto('/admin/imports');
    await expect(admin.getByRole('heading', { name: '导入名单' })).toBeVisible();

    // A list with a problem: named with its row, nothing written.
    await admin.getByLabel(/名单文件/).setInputFiles(bad);
    await admin.getByRole('button', { name: '检查（不写入）' }).click();
    await expect(admin.getByTestId('import-tally')).toContainText('有误 1');
    await expect(admin.locator('table.problems')).toContainText('not a Chinese character');

    // The good list: checked, then imported.
    await admin.getByLabel(/名单文件/).setInputFiles(list);
    await admin.getByRole('button', { name: '检查（不写入）' }).click();
    await expect(admin.getByTestId('import-headline')).toContainText('检查通过');
    await expect(admin.getByTestId('import-tally')).toContainText('新增 1 · 更新 0 · 不变 0 · 有误 0');
    await expect(admin.locator('h1 .file-name')).toHaveText('<img src=x onerror=alert(1)>.csv');
    await admin.getByLabel(/名单文件/).setInputFiles(list);
    await admin.getByRole('button', { name: '导入', exact: true }).click();
    await expect(admin.getByTestId('import-headline')).toContainText('已导入');

    // Listed; undone as a whole.
    await admin.goto('/admin/imports');
    const row = admin.locator('table.imports tbody tr').first();
    await expect(row).toContainText('<img src=x onerror=alert(1)>.csv');
    await row.getByRole('button', { name: '撤销此次导入' }).click();
    await expect(admin.getByRole('status')).toContainText('导入已撤销');
    await expect(admin.locator('table.imports tbody tr').first()).toContainText('已撤销');
    expect(await admin.locator('img[src="x"]').count()).toBe(0);
    expect(errors).toEqual([]);
  });
}
