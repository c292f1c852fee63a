import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LEVEL_NAMES } from '../../shared/levels';
import { browserSuite, browserTestsUnavailable, connectDemo, continueButton, startDemoUi, waitForChecks } from './web-ui';

/**
 * Words (issue 12): every step of an L3 demo session in Chromium, with every folded group,
 * passing row and evidence view opened, read as a person reads it: no check or change id, no
 * command-line syntax, and each level only by its one name ("L3 Strict", never "maximum").
 */

const unavailable = browserTestsUnavailable();
if (unavailable) console.log(`browser tests skipped: ${unavailable}`);

const CLI_SYNTAX = /--set\b|--only\b|--confirm-org\b|--params\b/;
/** Check ids (`2.3.owner-count`) and change ids (`c005`). */
const INTERNAL_ID = /\b\d\.\d\.[a-z][a-z0-9-]+\b|\bc\d{3,5}\b/;
/** Other names a level could be given. */
const LEVEL_SYNONYM = /\b(maximum|minimum|highest|lowest) (level|profile|hardening)\b|\blevel [123]\b|\b(basic|advanced|standard|paranoid) (level|profile)\b/i;

/** A level name not right after its own id ("L3 Strict", "L3: Strict"; not "Strict" alone, nor "L2 Strict"). */
function misnamedLevels(text: string): string[] {
  const wrong: string[] = [];
  for (const [level, name] of Object.entries(LEVEL_NAMES)) {
    for (const m of text.matchAll(new RegExp(`(\\S*)\\s*\\b${name}\\b`, 'g'))) {
      if (m[1]?.replace(/:$/, '') !== level) wrong.push(text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 20));
    }
  }
  return wrong;
}

function expectHumanText(text: string, where: string): void {
  expect(text.match(CLI_SYNTAX)?.[0] ?? null, `command-line syntax on ${where}`).toBeNull();
  const id = INTERNAL_ID.exec(text);
  expect(id ? text.slice(Math.max(0, id.index - 60), id.index + 40) : null, `internal id on ${where}`).toBeNull();
  expect(text.match(LEVEL_SYNONYM)?.[0] ?? null, `another name for a level on ${where}`).toBeNull();
  expect(misnamedLevels(text), `a level name without its id on ${where}`).toEqual([]);
}

/** Opens every closed <details>; an opened one leaves the locator, so always the first one left. */
async function openAll(page: Page): Promise<void> {
  const closed = page.locator('details:not([open]) > summary');
  for (let i = 0; i < 200 && (await closed.count()) > 0; i++) await closed.first().click();
  expect(await closed.count(), 'details still closed').toBe(0);
}

/** Opens what the step folds: passing groups, passing rows, and the evidence of the first rows of each group. */
async function unfold(page: Page): Promise<number> {
  await openAll(page);
  // Each click removes the button it clicked, so always take the first one left.
  const more = page.getByRole('button', { name: /^Also show the / });
  for (let i = 0; i < 50 && (await more.count()) > 0; i++) await more.first().click();
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout: 30_000 });
  const evidence = page.locator('.results-table button[aria-expanded="false"]');
  const n = Math.min(await evidence.count(), 40);
  // The first button each time: an opened one is no longer "false".
  for (let i = 0; i < n; i++) await evidence.first().click();
  await page.waitForFunction(() => !/Loading the evidence/.test(document.body.innerText), null, { timeout: 30_000 });
  return n;
}

describe.skipIf(unavailable !== null)('the words a person reads (web mode, demo organization, L3)', () => {
  const suite = browserSuite();

  it('shows no internal id, no command-line syntax and one name per level on any step, unfolded', async () => {
    const web = await startDemoUi(suite.rendererDir);
    suite.cleanup(() => web.close());
    const context = await suite.browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    await page.goto(web.ui.url);
    await page.getByRole('heading', { level: 1, name: 'Connect' }).waitFor();
    expectHumanText(await page.locator('body').innerText(), 'Connect');
    await connectDemo(page);
    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Profile level' }).waitFor();
    await page.getByRole('radio', { name: /^L3/ }).check();
    expectHumanText(await page.locator('body').innerText(), 'Profile level');

    let opened = 0;
    for (const section of ['Authentication & SSO', 'Access controls', 'Data security', 'Monitoring & audit logs', 'Integrations review']) {
      await continueButton(page).click();
      await page.getByRole('heading', { level: 1, name: section }).waitFor();
      await waitForChecks(page);
      await page.locator('.results-table tbody tr').first().waitFor({ timeout: 30_000 });
      opened += await unfold(page);
      expectHumanText(await page.locator('body').innerText(), section);
    }
    // Evidence views were read, not only the tables.
    expect(opened).toBeGreaterThan(20);

    await continueButton(page).click();
    await page.getByRole('heading', { level: 1, name: 'Summary' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout: 30_000 });
    await openAll(page);
    expectHumanText(await page.locator('body').innerText(), 'Summary');
    await context.close();
  }, 240_000);
});
