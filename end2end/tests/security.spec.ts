import { test, expect, Browser, Page } from '@playwright/test';
import { totp } from './totp';
import { createAccount, createAdmin, signIn as signInWith, PASSWORD } from './accounts';
import { watchForErrors } from './helpers';

// Hostile text typed into every text box and text area of every form, in the real browser: it
// must come back as the same text after a failed save, run nothing, and break the page's
// Content-Security-Policy nowhere. Runs hydrated and with JavaScript off.

const PAYLOAD = `</textarea><script>window.__pwned=1;document.title='pwned'</script><img src=x onerror="window.__pwned=2">"'><svg onload="window.__pwned=3">`;

/** Nothing of the payload ran or became markup; no inline script exists at all. */
async function expectInert(page: Page, problems: string[]) {
  const js = await page.evaluate(() => 1).then(() => true, () => false);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.locator('svg[onload]').count()).toBe(0);
  expect(await page.title()).not.toBe('pwned');
  if (js) {
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
    expect(await page.evaluate(() => [...document.scripts].filter((s) => !s.src).length)).toBe(0);
  }
  expect(problems.filter((p) => /Content Security Policy|pwned/.test(p))).toEqual([]);
}

/** Fills every visible text input and text area of `form` with the payload; returns what each holds. */
async function fillAll(form: ReturnType<Page['locator']>): Promise<Map<string, string>> {
  const held = new Map<string, string>();
  const fields = form.locator('input[type=text], input:not([type]), input[type=email], textarea');
  for (let i = 0; i < (await fields.count()); i++) {
    const field = fields.nth(i);
    if (!(await field.isVisible())) continue;
    await field.fill(PAYLOAD);
    held.set((await field.getAttribute('name'))!, await field.inputValue());
  }
  expect(held.size).toBeGreaterThan(0);
  return held;
}

/** After the failed save, every field holds exactly what was typed. */
async function expectKept(page: Page, formSelector: string, held: Map<string, string>) {
  for (const [name, value] of held) {
    await expect(page.locator(`${formSelector} [name="${name}"]`)).toHaveValue(value);
  }
}

function signIn(browser: Browser, username: string, secret: string, js: boolean): Promise<Page> {
  return signInWith(browser, username, totp(secret, Date.now()), js);
}

test('hostile text stays text in every form, after a failed save too', async ({ browser }, info) => {
  test.setTimeout(180_000);
  const js = info.project.name !== 'no-js';
  const tag = js ? 'xh' : 'xn';
  const adminSecret = createAdmin(`e2e-xss-${tag}`);
  const admin = await signIn(browser, `e2e-xss-${tag}`, adminSecret, js);
  const adminProblems = watchForErrors(admin);

  // The account form.
  await admin.goto('/admin/users/new');
  let held = await fillAll(admin.locator('form').filter({ has: admin.getByRole('button', { name: '创建账号' }) }));
  await admin.getByLabel('初始密码').fill(PASSWORD);
  await admin.getByLabel('再次输入密码').fill(PASSWORD);
  await admin.getByRole('button', { name: '创建账号' }).click();
  await expect(admin.locator('#e-username')).toBeVisible();
  await expectKept(admin, 'form', held);
  await expectInert(admin, adminProblems);

  // The kiosk registration form.
  await admin.goto('/admin/kiosks/new');
  held = await fillAll(admin.locator('form').filter({ has: admin.getByRole('button', { name: '登记' }) }));
  await admin.getByRole('button', { name: '登记' }).click();
  await expect(admin.locator('.field-error').first()).toBeVisible();
  await expectKept(admin, 'form', held);
  await expectInert(admin, adminProblems);

  // The settings: two text areas.
  await admin.goto('/admin/settings');
  const settings = admin.locator('form').filter({ has: admin.getByRole('button', { name: '保存设置' }) });
  held = new Map();
  for (const label of ['节假日与调休日历', '名额比例规则']) {
    const area = admin.getByLabel(label);
    await area.fill(PAYLOAD);
    held.set((await area.getAttribute('name'))!, await area.inputValue());
  }
  await admin.getByRole('button', { name: '保存设置' }).click();
  await expect(admin.locator('.field-error').first()).toBeVisible();
  await expectKept(admin, 'form', held);
  await expectInert(admin, adminProblems);

  // The nomination form, every field hostile.
  const unitSecret = await createAccount(admin, `e2e-xss-unit-${tag}`, 'nominating_unit', '北京市环境卫生服务集团');
  const managerSecret = await createAccount(admin, `e2e-xss-notice-${tag}`, 'notice_manager');
  const unit = await signIn(browser, `e2e-xss-unit-${tag}`, unitSecret, js);
  const unitProblems = watchForErrors(unit);
  await unit.goto('/admin/nominations/new');
  held = await fillAll(unit.locator('form.nomination-form'));
  await unit.getByLabel('年度').fill('2025');
  await unit.getByRole('button', { name: '保存' }).click();
  await expect(unit.locator('#e-candidate_name')).toBeVisible();
  await expectKept(unit, 'form.nomination-form', held);
  await expectInert(unit, unitProblems);

  // A valid draft whose texts are hostile: the edit page shows them as text.
  const candidate = js ? '欧阳清' : '欧阳澈';
  await unit.getByLabel('候选人姓名或集体名称').fill(candidate);
  for (const name of ['ethnicity', 'post', 'industry', 'district']) await unit.locator(`[name=${name}]`).fill('');
  await unit.getByLabel('工作单位').fill('北京环卫集团');
  await unit.getByLabel('推荐报告（一报告）').fill(PAYLOAD);
  await unit.getByLabel('简要事迹').fill(PAYLOAD);
  await unit.getByLabel('详细事迹').fill(PAYLOAD);
  await unit.getByRole('button', { name: '保存' }).click();
  await expect(unit.getByTestId('stage')).toHaveText('草稿');
  await expectInert(unit, unitProblems);
  await unit.getByRole('link', { name: '修改提名内容' }).click();
  await expect(unit.getByLabel('详细事迹')).toHaveValue(PAYLOAD);
  await expectInert(unit, unitProblems);

  // On notice, the public objection form: hostile, invalid, shown again only to its author.
  await unit.goto('/admin/nominations');
  await unit.getByRole('link', { name: candidate, exact: true }).click();
  await unit.getByLabel('材料类型').selectOption('form');
  await unit.locator('input[type=file]').setInputFiles({ name: '推荐表.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await unit.getByRole('button', { name: '上传' }).click();
  await unit.getByRole('button', { name: '提交推荐' }).click();
  await expect(unit.getByTestId('stage')).toHaveText('已推荐');
  const manager = await signIn(browser, `e2e-xss-notice-${tag}`, managerSecret, js);
  await manager.goto('/admin/nominations');
  await manager.getByRole('link', { name: candidate, exact: true }).click();
  await manager.getByRole('button', { name: '开始基层公示' }).click();
  await expect(manager.getByTestId('stage')).toHaveText('基层公示');

  const visitor = await (await browser.newContext({ javaScriptEnabled: js, locale: 'zh-CN' })).newPage();
  visitor.on('dialog', (d) => { throw new Error(`a dialog opened: ${d.message()}`); });
  const visitorProblems = watchForErrors(visitor);
  await visitor.goto('/notices');
  await visitor.getByRole('link', { name: candidate }).click();
  await expect(visitor.locator('.meta').first()).toBeVisible();
  await expectInert(visitor, visitorProblems);
  held = await fillAll(visitor.locator('form.objection-form'));
  await visitor.getByRole('button', { name: '提交异议' }).click();
  await expect(visitor.locator('#e-contact')).toBeVisible();
  await expectKept(visitor, 'form.objection-form', held);
  await expectInert(visitor, visitorProblems);

  // The same address opened by someone else (a link in a chat) shows an empty form.
  const shared = visitor.url();
  expect(shared).toContain('flash=');
  const other = await (await browser.newContext({ javaScriptEnabled: js, locale: 'zh-CN' })).newPage();
  const otherProblems = watchForErrors(other);
  await other.goto(shared);
  // (The nominee's deeds on that page are the hostile text too, shown as text: that is fine.)
  await expect(other.getByLabel('异议内容')).toHaveValue('');
  await expect(other.getByLabel('您的姓名')).toHaveValue('');
  await expect(other.getByLabel('联系电话或电子邮箱')).toHaveValue('');
  await expectInert(other, otherProblems);
});
