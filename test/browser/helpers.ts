import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Helpers shared by the browser tests. */

export const CHROMIUM = '/usr/bin/chromium';
/** Headless Chromium as the tests run it: in a container, offline from Google's services, no QUIC. */
/**
 * Headless Chromium with a profile of its own in a new temporary folder (`prefix…`, the caller removes
 * it), as an Italian user in Rome time on a 1280×900 screen.
 */
export async function launchPersistentChromium(prefix: string): Promise<{ context: BrowserContext; profileDir: string }> {
  const profileDir = await mkdtemp(join(tmpdir(), prefix));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'it-IT',
    timezoneId: 'Europe/Rome',
  });
  return { context, profileDir };
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
export const POLL = { timeout: 15_000, interval: 100 };

export async function visible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible' });
}
export async function hidden(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'hidden' });
}
export async function containsText(locator: Locator, text: string): Promise<void> {
  await expect.poll(async () => await locator.innerText(), POLL).toContain(text);
}

/** Fails on any serious or critical axe-core violation (in `include` only, when given), printing them all first. */
export async function expectAccessible(page: Page, name: string, include?: string): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  if (include) builder = builder.include(include);
  const result = await builder.analyze();
  const blocking = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of result.violations) {
    const line = `[axe ${name}] ${v.impact} ${v.id}: ${v.help} (${v.nodes.length}×) ${v.nodes
      .slice(0, 3)
      .map((n) => n.target.join(' '))
      .join(' | ')}`;
    if (blocking.includes(v)) console.error(line);
    else console.info(line);
  }
  expect(blocking.map((v) => `${v.id}: ${v.help}`), `axe violations on ${name}`).toEqual([]);
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** A signed-in API session outside the browser (set-up steps through the API): JSON in, status and text out. */
export async function apiSession(baseUrl: string, email: string, password: string) {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`login ${email}: HTTP ${res.status}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return {
    async request(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
      const r = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return { status: r.status, text: await r.text() };
    },
  };
}
