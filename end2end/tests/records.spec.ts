import { test, expect } from '@playwright/test';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { createAdmin, signIn } from './accounts';
import { totp } from './totp';
import { violations } from './axe';
import { watchForErrors } from './helpers';

// The stones and the records in a real browser: a record that corrects its stone's name is on the
// errata list (which prints as a plain list); a name honoured after the stones were cut says where
// it is expected, on its profile and on the wall; the settings page records a new cutting.
test('the errata list and the names not yet engraved', async ({ browser, request }) => {
  // The server's clock as it really is (a failed procedure test may have left it moved on).
  fs.writeFileSync(process.env.E2E_CLOCK!, '0');
  const username = `e2e-records-${Date.now() % 100000}`;
  const admin = await signIn(browser, username, totp(createAdmin(username)), true);
  const errors = watchForErrors(admin);
  const person = await (await request.get('/api/v1/laureates/600')).json();
  const honour = person.honours.find((h: any) => h.engraved) ?? person.honours[0];
  const correct = `${person.name}勘`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-records-'));
  const corrections = path.join(dir, 'corrections.csv');
  fs.writeFileSync(corrections, `id,name,name_correct,honour,year\n600,${person.name},${correct},${honour.code},${honour.year}\n`);
  const later = path.join(dir, '2020.csv');
  fs.writeFileSync(later, 'name,honour,year\n待刻丁,beijing_model,2020\n');

  const importList = async (file: string) => {
    await admin.goto('/admin/imports');
    await admin.getByLabel(/名单文件/).setInputFiles(file);
    await admin.getByRole('button', { name: '导入', exact: true }).click();
    await expect(admin.getByTestId('import-headline')).toContainText('已导入');
  };

  const undo = async (file: string) => {
    await admin.goto('/admin/imports');
    const listed = admin.locator('table.imports tbody tr', { hasText: file }).first();
    const button = listed.getByRole('button', { name: '撤销此次导入' });
    if (await button.count()) {
      await button.click();
      await expect(admin.getByRole('status')).toContainText('导入已撤销');
    }
  };

  try {
  // The correction puts the stone's place on the errata list.
  await importList(corrections);
  await admin.goto('/admin/errata');
  const row = admin.locator('table.errata tbody tr', { hasText: correct });
  await expect(row).toContainText(person.name);
  await expect(row.getByRole('link', { name: '#600' })).toHaveAttribute('href', '/laureates/600');
  expect(await violations(admin)).toEqual([]);
  await admin.emulateMedia({ media: 'print' });
  await expect(admin.locator('.admin-nav')).toBeHidden();
  await expect(row).toBeVisible();
  await admin.emulateMedia({ media: 'screen' });

  // A name from 2020: on no stone, its profile says where it is expected, the wall how many wait.
  await importList(later);
  const found = await (await request.get(`/api/v1/laureates?q=${encodeURIComponent('待刻丁')}`)).json();
  const id = found.items[0].id;
  const visitor = await browser.newPage({ viewport: { width: 360, height: 740 } });
  await visitor.goto(`/laureates/${id}`);
  await expect(visitor.getByTestId('not-yet-engraved')).toHaveText('尚未镌刻：2020年表彰，预计刻于北京市劳动广场的北京市劳动模范名录墙。');
  await expect(visitor.getByTestId('wall-place')).toHaveCount(0);
  await visitor.goto('/');
  const note = visitor.locator('.section-title .not-engraved').first();
  await expect(note).toContainText('石碑刻至2015年；');
  await expect(note).toContainText('2020年的1人');

  // The settings page shows who waits; recording the same year again (which would say the names
  // added to it since were cut too) asks for the confirmation first.
  await admin.goto('/admin/settings');
  const monument = admin.locator('tr[data-monument="plaza-municipal"]');
  await expect(monument.locator('td').nth(1)).toHaveText(/^[1-9]\d*$/);
  await expect(monument.getByLabel('刻至（年）')).toHaveValue('2015');
  expect(await violations(admin)).toEqual([]);
  await monument.getByRole('button', { name: '记录' }).click();
  await expect(admin.getByRole('alert').first()).toContainText('tick the confirmation');
  await expect(admin.locator('tr[data-monument="plaza-municipal"]').getByLabel('刻至（年）')).toHaveValue('2015');
  expect(errors).toEqual([]);
  } finally {
    // Newest first: the data is as the other tests expect it, whatever happened above.
    await undo('2020.csv');
    await undo('corrections.csv');
  }
});
