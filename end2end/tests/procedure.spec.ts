import { test, expect, Browser, Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';
import { totp } from './totp';
import { createAccount, createAdmin, signIn as signInWith, PASSWORD } from './accounts';
import { violations } from './axe';

// The whole procedure in the browser, from a unit's draft to the name on the wall: accounts made
// by an administrator in the UI, a public objection that blocks the notice until a notice manager
// resolves it, notice periods passed by moving the server's test clock, departmental checks,
// approval and batch publishing. Runs hydrated and with JavaScript off (the admin pages are plain
// forms).

let offsetDays = 0;

function moveClock(days: number) {
  offsetDays += days;
  fs.writeFileSync(process.env.E2E_CLOCK!, String(offsetDays * 86400));
}

/** With E2E_SHOTS=DIR, full-page screenshots of the admin screens, for looking at them. */
async function shot(page: Page, name: string) {
  if (process.env.E2E_SHOTS) await page.screenshot({ path: path.join(process.env.E2E_SHOTS, `${name}.png`), fullPage: true });
}

function code(secret: string) {
  return totp(secret, Date.now() + offsetDays * 86400_000);
}

function signIn(browser: Browser, username: string, secret: string, js: boolean): Promise<Page> {
  return signInWith(browser, username, code(secret), js);
}

async function openNomination(page: Page, name: string) {
  await page.goto('/admin/nominations');
  await page.getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
}

test('a nomination goes from draft to the wall, held up by an objection until it is resolved', async ({ browser }, info) => {
  test.setTimeout(240_000);
  const js = info.project.name !== 'no-js';
  const tag = js ? 'h' : 'n';
  const candidate = js ? '欧阳晓岚' : '欧阳晓梅';
  // Each run has its own round (honour year), so each starts with an empty round and its own
  // unpublished batch: 2025's quota rules are seeded, 2024's are written in the settings here.
  const year = js ? '2025' : '2024';
  fs.writeFileSync(process.env.E2E_CLOCK!, '0');
  offsetDays = 0;

  // An administrator from the command line makes the other accounts in the UI.
  const adminName = `e2e-root-${tag}`;
  const adminSecret = createAdmin(adminName);
  let admin = await signIn(browser, adminName, adminSecret, js);
  const unitSecret = await createAccount(admin, `e2e-unit-${tag}`, 'nominating_unit', '北京市公共交通控股（集团）有限公司');
  const managerSecret = await createAccount(admin, `e2e-notice-${tag}`, 'notice_manager');
  const reviewerSecret = await createAccount(admin, `e2e-review-${tag}`, 'reviewer');
  if (year === '2024') {
    await admin.goto('/admin/settings');
    const rules = admin.getByLabel('名额比例规则');
    await rules.fill(`${await rules.inputValue()}\nbeijing_model 2024 scitech >= 25\n`);
    await admin.getByRole('button', { name: '保存设置' }).click();
    await expect(admin.getByRole('status')).toContainText('已保存');
  }

  // The unit drafts: a mistake is marked next to its field and nothing typed is lost.
  const unit = await signIn(browser, `e2e-unit-${tag}`, unitSecret, js);
  await unit.goto('/admin/nominations/new');
  await unit.getByLabel('年度').fill(year);
  await unit.getByLabel('候选人姓名或集体名称').fill('<script>alert(1)</script>');
  await unit.getByLabel('工作单位').fill('北京公交集团第一客运分公司');
  await unit.getByLabel('推荐报告（一报告）').fill('经职工代表大会民主推荐，报请审核。');
  await unit.getByLabel('简要事迹').fill('驾驶公交车三十年，安全行驶一百二十万公里。<b>不是粗体</b>');
  await unit.getByLabel('详细事迹').fill('该同志三十年如一日坚守一线，创造了安全行车的纪录，带出了一支优秀的驾驶员队伍。');
  await unit.getByLabel('一线职工').check();
  await unit.getByRole('button', { name: '保存' }).click();
  await expect(unit.locator('#e-candidate_name')).toContainText('姓名须为汉字');
  await shot(unit, 'form-errors');
  if (js) expect(await violations(unit)).toEqual([]);
  await expect(unit.getByLabel('工作单位')).toHaveValue('北京公交集团第一客运分公司');
  await expect(unit.getByLabel('推荐报告（一报告）')).toHaveValue('经职工代表大会民主推荐，报请审核。');
  await unit.getByLabel('候选人姓名或集体名称').fill(candidate);
  await unit.getByRole('button', { name: '保存' }).click();
  await expect(unit.getByRole('status')).toContainText('已保存');
  await expect(unit.getByTestId('stage')).toHaveText('草稿');

  // A disguised file is refused; a real PDF is kept.
  await unit.getByLabel('材料类型').selectOption('form');
  await unit.locator('input[type=file]').setInputFiles({ name: '推荐表.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html>not a pdf</html>') });
  await unit.getByRole('button', { name: '上传' }).click();
  await expect(unit.locator('#form-message')).toContainText('只接受 PDF、JPEG 或 PNG');
  await unit.locator('input[type=file]').setInputFiles({ name: '推荐表.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await unit.getByRole('button', { name: '上传' }).click();
  await expect(unit.locator('table.files')).toContainText('推荐表.pdf');
  await unit.getByRole('button', { name: '提交推荐' }).click();
  await expect(unit.getByTestId('stage')).toHaveText('已推荐');

  // 基层公示 opens; anyone may object, under their real name.
  let manager = await signIn(browser, `e2e-notice-${tag}`, managerSecret, js);
  await openNomination(manager, candidate);
  await manager.getByRole('button', { name: '开始基层公示' }).click();
  await expect(manager.getByTestId('stage')).toHaveText('基层公示');

  const publicPage = await (await browser.newContext({ javaScriptEnabled: js, locale: 'zh-CN' })).newPage();
  await publicPage.goto('/notices');
  const card = publicPage.locator('.notice-card', { hasText: candidate });
  await expect(card).toContainText('安全行驶一百二十万公里');
  await expect(card).toContainText('<b>不是粗体</b>');
  await shot(publicPage, 'notices');
  if (js) expect(await violations(publicPage)).toEqual([]);
  await card.getByRole('link', { name: candidate }).click();
  await publicPage.getByRole('button', { name: '提交异议' }).click();
  await expect(publicPage.locator('#e-name')).toBeVisible();
  await publicPage.getByLabel('您的姓名').fill('赵明');
  await publicPage.getByLabel('联系电话或电子邮箱').fill('13800001111');
  await publicPage.getByLabel('异议内容').fill('所述安全行驶里程与车队记录不一致，请核实。');
  await publicPage.getByRole('button', { name: '提交异议' }).click();
  await expect(publicPage.getByRole('status')).toContainText('您的异议已收到');

  // The notice cannot close while it runs, nor after it ends while the objection is open.
  await openNomination(manager, candidate);
  await expect(manager.locator('form[data-action=close_notice]')).toContainText('公示期尚未结束');
  moveClock(8);
  manager = await signIn(browser, `e2e-notice-${tag}`, managerSecret, js);
  await openNomination(manager, candidate);
  await expect(manager.locator('form[data-action=close_notice]')).toContainText('1 件异议未处理');
  await expect(manager.getByRole('button', { name: '结束公示' })).toBeDisabled();
  await shot(manager, 'objection-blocks');
  if (js) expect(await violations(manager)).toEqual([]);
  await expect(manager.locator('.objections')).toContainText('赵明');
  await manager.getByLabel('核查情况').fill('经核对车队调度记录，安全里程属实，异议不成立。');
  await manager.getByLabel('异议不成立').check();
  await manager.getByRole('button', { name: '记录处理结果' }).click();
  await expect(manager.locator('.objections')).toContainText('异议不成立');
  await manager.getByRole('button', { name: '结束公示' }).click();
  await expect(manager.getByTestId('stage')).toHaveText('初审');

  // 初审: the reviewer sees the quota shares, is warned, and confirms.
  let reviewer = await signIn(browser, `e2e-review-${tag}`, reviewerSecret, js);
  await openNomination(reviewer, candidate);
  const pass = reviewer.locator('form[data-action=pass]');
  await expect(pass).toContainText('名额比例提醒');
  await shot(reviewer, 'first-review');
  await pass.getByLabel('我已知晓，仍要作此决定').check();
  await pass.getByRole('button', { name: '审核通过' }).click();
  await expect(reviewer.getByTestId('stage')).toHaveText('市级公示');

  moveClock(8);
  manager = await signIn(browser, `e2e-notice-${tag}`, managerSecret, js);
  await openNomination(manager, candidate);
  await manager.getByRole('button', { name: '结束公示' }).click();
  await expect(manager.getByTestId('stage')).toHaveText('复审');

  // 复审: every department's verdict, then the pass.
  reviewer = await signIn(browser, `e2e-review-${tag}`, reviewerSecret, js);
  await openNomination(reviewer, candidate);
  for (const department of ['纪检监察', '劳动保障']) {
    const row = reviewer.locator(`tr[data-check="${department}"]`);
    await row.getByRole('button', { name: '记录' }).click();
    await expect(reviewer.locator(`tr[data-check="${department}"]`)).toContainText('通过');
  }
  await reviewer.locator('form[data-action=pass]').getByRole('button', { name: '审核通过' }).click();
  await expect(reviewer.getByTestId('stage')).toHaveText('社会公示');

  moveClock(8);
  reviewer = await signIn(browser, `e2e-review-${tag}`, reviewerSecret, js);
  await openNomination(reviewer, candidate);
  await reviewer.getByRole('button', { name: '批准' }).click();
  await expect(reviewer.getByTestId('stage')).toHaveText('已批准');
  const laureate = await reviewer.locator('a[href^="/laureates/"]').getAttribute('href');

  // Not public until the batch is published.
  expect((await publicPage.goto(laureate!))!.status()).toBe(404);
  admin = await signIn(browser, adminName, adminSecret, js);
  await admin.goto('/admin/settings');
  const batch = admin.locator(`tr[data-batch="北京市 ${year} 年"]`);
  await expect(batch).toContainText('未发布');
  await shot(admin, 'settings');
  await admin.goto('/admin/nominations');
  await shot(admin, 'list');
  await admin.goto('/admin/settings');
  await batch.getByRole('button', { name: '发布', exact: true }).click();
  await expect(admin.locator(`tr[data-batch="北京市 ${year} 年"]`)).toContainText('已发布');

  // On the wall.
  expect((await publicPage.goto(laureate!))!.status()).toBe(200);
  await expect(publicPage.getByRole('heading', { level: 1 })).toContainText(candidate);
  await publicPage.goto(`/search?q=${encodeURIComponent(candidate)}`);
  await expect(publicPage.locator('main')).toContainText(candidate);
  fs.writeFileSync(process.env.E2E_CLOCK!, '0');
});
