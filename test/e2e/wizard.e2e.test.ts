import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_TOKENS, SERVER_PROFILE_NAMES } from '../../simulator/index';
import type { ServerProfileName } from '../../simulator/index';
import type { WebUi } from './web-ui';
import { ROOT, applyChecked, browserSuite, browserTestsUnavailable, connectDemo, continueButton, findToken, memoryKeychain, recordResponses, sectionCount, startDemoUi, storageDump, undoFirst, waitForChecks } from './web-ui';

/**
 * The wizard in real Chromium against web mode (`sentry-harden ui --demo`, in this process) and
 * the simulator's demo organization: a full L1 session, a keyboard-only pass, and the smallest
 * supported window. Screenshots of each step go to test-results/e2e/, and to docs/screenshots/ when missing there or
 * with UPDATE_SCREENSHOTS=1.
 */

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`browser tests skipped: ${unavailable}`);

const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const DOCS_SHOTS = path.join(ROOT, 'docs', 'screenshots');

describe.skipIf(unavailable !== null)('the wizard in Chromium (web mode, demo organization)', () => {
  const suite = browserSuite(() => {
    mkdirSync(SHOTS, { recursive: true });
  });

  async function open(
    viewport: { width: number; height: number },
    keychain = memoryKeychain(),
    profile?: ServerProfileName,
  ): Promise<{ web: WebUi; context: BrowserContext; page: Page; errors: string[] }> {
    const web = await startDemoUi(suite.rendererDir, keychain, profile);
    suite.cleanup(() => web.close());
    const context = await suite.browser.newContext({ viewport });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(web.ui.url);
    await page.getByRole('heading', { level: 1, name: 'Connect' }).waitFor();
    return { web, context, page, errors };
  }

  async function shot(page: Page, name: string, fullPage = true): Promise<void> {
    const file = path.join(SHOTS, name);
    await page.screenshot({ path: file, fullPage });
    // docs/ keeps one set: written when missing or with UPDATE_SCREENSHOTS=1, so runs leave git clean.
    const doc = path.join(DOCS_SHOTS, name);
    if (!existsSync(doc) || process.env.UPDATE_SCREENSHOTS === '1') {
      mkdirSync(DOCS_SHOTS, { recursive: true });
      copyFileSync(file, doc);
    }
  }

  async function expectNoTokenInPage(page: Page, context: BrowserContext, where: string): Promise<void> {
    expect(findToken(await page.content()), `token in the DOM at ${where}`).toBeNull();
    expect(findToken(await storageDump(page, context)), `token in storage at ${where}`).toBeNull();
  }

  it('walks a full L1 session: connect, check, three fixes, re-check, undo, signed package, verify', async () => {
    const started = Date.now();
    const { web, context, page, errors } = await open({ width: 1280, height: 900 });
    const responses = recordResponses(page);

    // 1. Connect: the demo organization, clearly labelled.
    expect(await page.locator('.app-header').innerText()).not.toContain('Demo organization');
    await connectDemo(page);
    expect(await page.locator('.app-header').innerText()).toMatch(/Demo organization: simulated data/i);
    await page.getByRole('table', { name: 'Scope check of this token' }).waitFor();
    await shot(page, 'step-01-connect.png');
    await expectNoTokenInPage(page, context, 'connect');

    // 2. Level: L1.
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Profile level' }).waitFor();
    expect(await page.getByRole('radio', { name: 'L1: Baseline' }).isChecked()).toBe(true);
    await shot(page, 'step-02-level.png');

    // 3. Authentication & SSO: the live checks run.
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Authentication & SSO' }).waitFor();
    await waitForChecks(page);
    await page.getByRole('heading', { name: /1\.2\s+Enforce two-factor authentication/ }).waitFor();
    // Evidence on demand: the read behind a verdict, with its body.
    // Evidence on demand, readable: the fields the verdict read, highlighted; the raw JSON one click away.
    await page.getByRole('button', { name: /^Evidence for Two-factor authentication is required/ }).click();
    const read = page.locator('.evidence-read').first();
    await read.getByRole('button', { name: /^Show the raw response \(JSON\)/ }).click();
    await read.locator('.json-tree').waitFor();
    expect(await read.locator('.json-tree mark.json-hit').count()).toBeGreaterThan(0);
    expect(await read.locator('.evidence-fields mark.field-hit').count()).toBeGreaterThan(0);
    await read.getByRole('button', { name: /^Hide the raw response/ }).click();
    await read.locator('.json-tree').waitFor({ state: 'detached' });
    await shot(page, 'step-03-authentication.png');
    await expectNoTokenInPage(page, context, 'authentication');
    // A high-risk fix asks for the organization slug; Escape closes the dialog, focus returns.
    await page.getByRole('checkbox', { name: /^Require two-factor authentication/ }).check();
    const applyOne = page.getByRole('button', { name: 'Apply 1 selected change…' });
    await applyOne.click();
    const slugDialog = page.getByRole('dialog', { name: 'Apply these changes?' });
    const slug = slugDialog.getByLabel(/type the organization slug/);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('INPUT');
    const confirm = slugDialog.getByRole('button', { name: 'Apply 1 change' });
    expect(await confirm.isDisabled()).toBe(true);
    await slug.fill('acme');
    expect(await confirm.isDisabled()).toBe(true);
    await slug.fill('acme-demo');
    expect(await confirm.isDisabled()).toBe(false);
    await shot(page, 'step-03a-confirm-slug.png', false);
    await page.keyboard.press('Escape');
    await slugDialog.waitFor({ state: 'detached' });
    expect(await applyOne.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.getByRole('checkbox', { name: /^Require two-factor authentication/ }).uncheck();

    // 4. Access controls: a team reassignment, which needs a choice first.
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Access controls' }).waitFor();
    await page.getByRole('group', { name: /^Teams for / }).first().getByRole('checkbox', { name: /^Platform\b/ }).check();
    await page.getByRole('button', { name: 'Plan again with these choices' }).click();
    const teamStep = page.getByRole('checkbox', { name: /^Team reassignment.*\(team platform\)/ });
    await teamStep.waitFor();
    await teamStep.check();
    await page.getByRole('button', { name: 'Apply 1 selected change…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Apply these changes?' });
    await dialog.waitFor();
    await shot(page, 'step-04a-confirm.png', false);
    await dialog.getByRole('button', { name: 'Apply 1 change' }).click();
    const applied = page.getByRole('table', { name: 'What was applied' });
    await applied.waitFor({ timeout: 30_000 });
    expect(await applied.innerText()).toMatch(/Team reassignment[^\n]*kim@acme-demo\.example[\s\S]*Applied and verified/);
    await shot(page, 'step-04-access-controls.png');

    // 5. Data security: a key rate limit and the scrubber's sensitive fields, then a re-check
    //    and an undo of the rate limit.
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Data security' }).waitFor();
    const failBefore = Number(await page.locator('.section-counts .count').nth(1).innerText().then((t) => t.replace(/\D+/g, '')));
    const rateLimit = page.getByRole('checkbox', { name: /^Rate-limit client keys: / }).first();
    await rateLimit.waitFor({ timeout: 30_000 });
    await rateLimit.check();
    await page.getByRole('checkbox', { name: /^Data scrubbing: .*\(sensitiveFields\)/ }).check();
    await applyChecked(page, 2);
    const appliedRows = page.getByRole('table', { name: 'What was applied' }).locator('tbody tr');
    expect(await appliedRows.count()).toBe(2);
    expect(await appliedRows.locator('.badge-pass', { hasText: 'Applied and verified' }).count()).toBe(2);

    await page.getByRole('button', { name: 'Re-check now' }).click();
    await waitForChecks(page);
    const failAfter = Number(await page.locator('.section-counts .count').nth(1).innerText().then((t) => t.replace(/\D+/g, '')));
    expect(failAfter).toBeLessThan(failBefore);
    // What the fixes resolved reads Fail → Pass, not "no longer reported".
    const fixedRows = page.getByRole('table', { name: /^Fixed since the first check/ }).locator('tbody tr');
    expect(await fixedRows.count()).toBeGreaterThan(0);
    expect(await fixedRows.first().locator('.status-change').innerText()).toMatch(/Fail\s*→\s*(now\s*)?✓?\s*Pass/);

    const undo = page.getByRole('button', { name: new RegExp(`^Undo Rate-limit client keys on `) }).first();
    await undo.click();
    const undoDialog = page.getByRole('dialog', { name: 'Undo this change?' });
    await undoDialog.getByRole('button', { name: 'Undo' }).waitFor();
    await undoDialog.getByRole('button', { name: 'Undo' }).click();
    const undone = page.getByRole('table', { name: 'What was undone' });
    await undone.waitFor({ timeout: 30_000 });
    expect(await undone.innerText()).toMatch(/Rate-limit client keys[^\n]*\s+Undone and verified/);
    expect(await page.locator('.applied-list').innerText()).toMatch(/Rate-limit client keys[^\n]*Undone/);
    await shot(page, 'step-05-data-security.png');
    await expectNoTokenInPage(page, context, 'data security');

    // 6. Monitoring: attest a manual item.
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Monitoring & audit logs' }).waitFor();
    // 4.1's evidence lists the security-relevant events as a table.
    await page.getByRole('button', { name: /^Evidence for Recent security-relevant events reviewed/ }).click();
    const events = page.getByRole('table', { name: /^Security-relevant events/ });
    await events.waitFor();
    expect(await events.locator('tbody tr').count()).toBeGreaterThan(5);
    expect(await events.locator('thead').innerText()).toMatch(/Time\s+Actor\s+Event\s+Target/);
    expect(await page.locator('.section-counts').innerText()).not.toContain('Attested');
    const manual = page.locator('.manual-items').first();
    await manual.getByLabel('Your name').fill('Ada Lovelace');
    await manual.getByRole('checkbox').check();
    await manual.getByText(/attested by Ada Lovelace/).waitFor();
    // The attestation shows on the manual rows and in the step's counts.
    await page.locator('.results-table .register-note-attestation', { hasText: 'attested by Ada Lovelace' }).first().waitFor();
    expect(await page.locator('.section-counts').innerText()).toMatch(/Attested\s+\d+/);
    await shot(page, 'step-06-monitoring.png');

    // 7. Integrations review: accept a risk.
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Integrations review' }).waitFor();
    const form = page.getByRole('form', { name: /Record an exception/ });
    if ((await form.count()) > 0) {
      await form.getByLabel('Approved by').fill('CISO');
      await form.getByLabel('Why the risk is accepted').fill('The deploy bot needs these scopes until the Q3 migration.');
      await form.getByRole('button', { name: 'Record the exception' }).click();
      await form.getByText('Exception saved.').waitFor();
      // The failing rows it accepts say so, and the step counts them.
      await page.locator('.results-table .register-note-exception', { hasText: /accepted risk \(exception by CISO/ }).first().waitFor();
      expect(await page.locator('.section-counts').innerText()).toMatch(/Accepted risk\s+\d+/);
    }
    // The permission register: one entry (owner and rationale required), saved, then a re-check.
    const register = page.getByRole('region', { name: 'Integration permission register' });
    const entry = register.locator('form.register-entry').first();
    await entry.getByRole('button', { name: /^Save/ }).click();
    await entry.getByText('Name the person or team who answers for it.').waitFor();
    expect(await entry.getByLabel('Owner').getAttribute('aria-invalid')).toBe('true');
    await entry.getByLabel('Why it needs them').fill('Links commits and releases to issues.');
    await entry.getByLabel('Owner').fill('Platform team');
    await entry.getByRole('button', { name: /^Save/ }).click();
    await entry.getByText('Saved to the register.').waitFor();
    await register.getByRole('button', { name: 'Re-check', exact: true }).click();
    await register.getByRole('button', { name: 'Re-check', exact: true }).waitFor({ state: 'detached', timeout: 60_000 });
    await shot(page, 'step-07-integrations.png');

    // 8. Summary: before/after, and the signed package, which `verify` accepts.
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Summary' }).waitFor();
    const changed = page.getByRole('heading', { name: /^What changed \(\d+\)$/ });
    expect(Number((await changed.innerText()).replace(/\D+/g, ''))).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Save the signed package' }).click();
    await page.getByText('Package saved').waitFor({ timeout: 30_000 });
    await shot(page, 'step-08-summary.png');
    const verifyCommand = await page.locator('.notice-ok code').last().innerText();
    const target = verifyCommand.replace(/^sentry-harden verify /, '');
    expect(existsSync(target), target).toBe(true);
    expect(target.startsWith(web.ui.outDir)).toBe(true);
    const verified = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'sentry-harden.mjs'), 'verify', target], { encoding: 'utf8' });
    expect(verified.stdout, verified.stderr).toMatch(/Result: VALID/);
    expect(verified.status).toBe(0);
    expect(findToken(verified.stdout)).toBeNull();

    // The token never reached the window: DOM, storage, responses, events.
    await expectNoTokenInPage(page, context, 'summary');
    const bodies = await responses();
    expect(bodies.length).toBeGreaterThan(20);
    for (const r of bodies) expect(findToken(r.body), `token in the response of ${r.url}`).toBeNull();
    expect(web.events()).toContain('event: audit:progress');
    expect(web.events()).toContain('event: fix:progress');
    expect(findToken(web.events())).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
    console.log(`wizard full session on saas: ${Date.now() - started} ms`);
  }, 240_000);

  // Other server profiles: a short session (connect, checks, one fix, undo), not a tripled full one.
  for (const profile of SERVER_PROFILE_NAMES.filter((p) => p !== 'saas')) {
    it(`runs a short session on the ${profile} profile: connect, checks with no error, one fix, undo`, async () => {
      const started = Date.now();
      const { context, page, errors } = await open({ width: 1280, height: 900 }, memoryKeychain(), profile);
      await connectDemo(page);
      await continueButton(page).click();
      await page.getByRole('heading', { level: 1, name: 'Profile level' }).waitFor();
      await continueButton(page).click();
      await page.getByRole('heading', { level: 1, name: 'Authentication & SSO' }).waitFor();
      await waitForChecks(page);
      // Member checks (1.2) are evaluated whatever field the server puts the role in.
      expect(await sectionCount(page, 'error'), 'errors in Authentication & SSO').toBe(0);
      await continueButton(page).click();
      await page.getByRole('heading', { level: 1, name: 'Access controls' }).waitFor();
      expect(await sectionCount(page, 'error'), 'errors in Access controls').toBe(0);
      await page.getByRole('checkbox', { name: /^Organization membership settings/ }).first().check({ timeout: 30_000 });
      await applyChecked(page, 1);
      expect(await page.getByRole('table', { name: 'What was applied' }).innerText()).toMatch(/Applied and verified/);
      expect(await undoFirst(page, /^Undo Organization membership settings/)).toMatch(/Undone and verified/);
      expect(errors).toEqual([]);
      await context.close();
      console.log(`wizard short session on ${profile}: ${Date.now() - started} ms`);
    }, 120_000);
  }

  it('a token typed into Connect goes to main once, leaves the page at once, and lives only in the keychain', async () => {
    const keychain = memoryKeychain();
    const { web, context, page, errors } = await open({ width: 1280, height: 900 }, keychain);
    const carriedToken: string[] = [];
    page.on('request', (r) => {
      if (findToken(r.postData() ?? '') || findToken(r.url())) carriedToken.push(new URL(r.url()).pathname);
    });
    const responses = recordResponses(page);

    // The simulator stands in for a self-hosted Sentry; the read-only token of the demo.
    await page.getByRole('radio', { name: /Self-hosted Sentry/ }).check();
    await page.getByLabel('URL of your Sentry server').fill(web.ui.simulator?.url ?? '');
    const input = page.getByLabel('Auth token');
    expect(await input.getAttribute('type')).toBe('password');
    await input.fill(DEMO_TOKENS.readOnly);
    await page.getByRole('button', { name: 'Check and save the token' }).click();
    expect(await input.inputValue()).toBe('');
    const scopes = page.getByRole('table', { name: 'Scope check of this token' });
    await scopes.waitFor();
    // Read-only: an audit lacks org:write (the audit log), fixes lack the admin scopes.
    expect(await scopes.innerText()).toMatch(/Audit only \(read\)\s+Not enough\s+org:write/);
    expect(await scopes.innerText()).toMatch(/Applying fixes\s+Not enough\s+org:admin/);
    await page.getByLabel('Organization to review').selectOption('acme-demo');
    await page.getByText('Ready to review').waitFor();
    await shot(page, 'step-01b-connect-token.png');

    expect(carriedToken).toEqual(['/api/connection:check']);
    expect([...keychain.items.values()]).toEqual([DEMO_TOKENS.readOnly]);
    await expectNoTokenInPage(page, context, 'connect with a token');
    for (const r of await responses()) expect(findToken(r.body), `token in the response of ${r.url}`).toBeNull();

    // "Forget" deletes it from the keychain.
    await page.getByRole('button', { name: /Forget this token/ }).click();
    await page.getByText('The token was deleted from the keychain.').waitFor();
    expect(keychain.items.size).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('Connect and Level work with the keyboard alone', async () => {
    const { context, page, errors } = await open({ width: 1280, height: 900 });

    /** Tabs until the focused element matches, failing after `limit` presses. */
    async function tabTo(match: (el: { tag: string; text: string; type: string | null; label: string | null }) => boolean, limit = 40): Promise<void> {
      for (let i = 0; i < limit; i += 1) {
        await page.keyboard.press('Tab');
        const el = await page.evaluate(() => {
          const a = document.activeElement as HTMLElement | null;
          if (!a) return { tag: '', text: '', type: null, label: null };
          const label = a.id ? document.querySelector(`label[for="${CSS.escape(a.id)}"]`)?.textContent ?? null : a.closest('label')?.textContent ?? null;
          return { tag: a.tagName, text: a.textContent ?? '', type: a.getAttribute('type'), label };
        });
        if (match(el)) return;
      }
      throw new Error('the element was not reached with Tab');
    }

    await tabTo((el) => el.tag === 'BUTTON' && el.text.startsWith('Use the demo organization'));
    await page.keyboard.press('Enter');
    await page.getByText('Ready to review').waitFor();
    await tabTo((el) => el.tag === 'BUTTON' && el.text.startsWith('Continue to Profile level'));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Profile level' }).waitFor();
    // Focus moved to the new step's heading.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('step-heading');

    await tabTo((el) => el.tag === 'INPUT' && el.type === 'radio');
    await page.keyboard.press('ArrowDown');
    expect(await page.getByRole('radio', { name: 'L2: Hardened' }).isChecked()).toBe(true);
    await page.keyboard.press('ArrowUp');
    expect(await page.getByRole('radio', { name: 'L1: Baseline' }).isChecked()).toBe(true);
    await tabTo((el) => el.tag === 'BUTTON' && el.text.startsWith('Continue to Authentication'));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Authentication & SSO' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('step-heading');
    await waitForChecks(page);

    // Back in Connect, the token field and its form are reachable, labelled and masked.
    await page.getByRole('button', { name: /Connect/ }).first().focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Connect' }).waitFor();
    const token = page.getByLabel('Auth token');
    expect(await token.getAttribute('type')).toBe('password');
    expect(await token.getAttribute('autocomplete')).toBe('off');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
