/**
 * The portal's first page (issue 15): what a citizen's browser downloads and how soon the form takes
 * input, for /richiesta (the request form), /segui (the tracking page, opened with a real tracking
 * link) and /faq. Targets: JS + CSS transferred < 300 KB; time to interactive on loopback < 1 s.
 *
 *   node --import tsx bench/portal-page.bench.ts [--quick] [--engine=postgres|pglite] [--loads=N]
 *
 * The real server process (`node bin/urpnet.js serve`, compiled dist/ and the built web app in
 * web/dist, which must exist: `npm run build:web`) on a fresh database with the demo network; one
 * request is filed through the portal API (proof of work solved here) for the /segui link.
 * Headless Chromium (playwright-core, /usr/bin/chromium), one browser; every load in a NEW browser
 * context (empty cache, no service worker, no cookies): a cold load. One load per page is made first
 * and not counted (the server's first answers warm its JIT); then N counted loads (default 5).
 *
 * - Bytes: for every response, the bytes on the wire as Chromium reports them (Playwright
 *   `request.sizes()`: headers + body as transferred, i.e. compressed if the server compressed), by
 *   resource type. The server's Content-Encoding of JS and CSS is printed; when it is absent the
 *   files are also compressed here (gzip level 6 and brotli quality 11) to show what they would weigh
 *   if served compressed. These are labelled as computed, not transferred.
 * - Time to interactive: from navigation start (the document's performance.timeOrigin) until the
 *   first `input` event of a keystroke typed into the page's first text control (/richiesta:
 *   #pr-subject; /segui: #reply-body, shown once the tracking data has loaded; /faq: #faq-query).
 *   The keystroke is sent by Playwright as soon as the control is visible, enabled and stable, so the
 *   figure includes the driver's actionability polling (a few ms). Also printed: DOMContentLoaded and
 *   load of the document, and on /richiesta the moment the topics of the form have arrived.
 * --quick: 3 counted loads per page (default 5).
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { type Browser, chromium } from 'playwright-core';
import { solveChallenge } from '../src/modules/citizen/proof-of-work.js';
import { api, benchArgs, freshDatabase, log, percentile, startBenchServer } from './lib/citizen-bench.js';
import { cleanupAll, installExitHandlers, root } from './lib/processes.js';

const { quick, engine, flag } = benchArgs();
const LOADS = Number(flag('loads') ?? (quick ? 3 : 5));
const CHROMIUM = '/usr/bin/chromium';
const TARGET_BYTES = 300 * 1024;
const TARGET_TTI_MS = 1000;

interface PageSpec {
  name: string;
  path: string;
  control: string;
  /** A selector whose appearance is recorded too (the form's data has arrived). */
  dataReady?: string;
}

interface Transfer {
  url: string;
  /** Epoch ms the request started and its response ended (Playwright request.timing()). */
  startEpoch: number;
  endEpoch: number;
  type: string;
  wireBytes: number;
  bodyBytes: number;
  encoding: string | null;
  body: Buffer | null;
}

interface Load {
  /** Scripts, stylesheets and API calls: path, start → end in ms since navigation start. */
  calls: string[];
  ttiMs: number;
  controlMs: number;
  dclMs: number;
  loadMs: number;
  dataReadyMs: number | null;
  transfers: Transfer[];
}

async function fileTrackedRequest(baseUrl: string): Promise<string> {
  const form = await api(baseUrl, null, 'GET', '/api/v1/portal/request-form');
  const organisations = (form.json as { organisations: { id: string; name: string }[] }).organisations;
  const celano = organisations.find((o) => o.name.includes('Celano')) ?? organisations[0];
  if (!celano) throw new Error('request form: no organisation');
  const c = (await api(baseUrl, null, 'GET', '/api/v1/portal/challenge')).json as { challenge: string; difficulty: number };
  const filed = await api(baseUrl, null, 'POST', '/api/v1/portal/requests', {
    organisationId: celano.id, topic: 'tributi', subject: 'Rimborso TARI pagata due volte',
    description: 'Ho pagato due volte la rata di giugno della TARI e vorrei sapere come avere il rimborso.',
    requester: { name: 'Giulia Neri', email: 'giulia.neri@example.org' }, replyChannel: 'email', lang: 'it', consent: true, website: '',
    submissionKey: randomUUID().replace(/-/g, ''), challenge: c.challenge, nonce: solveChallenge(c.challenge, c.difficulty),
  });
  if (filed.status !== 201) throw new Error(`portal request: HTTP ${filed.status} ${JSON.stringify(filed.json)}`);
  return (filed.json as { trackingToken: string }).trackingToken;
}

async function coldLoad(browser: Browser, baseUrl: string, spec: PageSpec): Promise<Load> {
  const context = await browser.newContext({ locale: 'it-IT', timezoneId: 'Europe/Rome', viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript((selector) => {
      const w = window as unknown as { __firstInput: number | null; __controlSeen: number | null };
      w.__firstInput = null;
      w.__controlSeen = null;
      document.addEventListener('input', () => {
        if (w.__firstInput === null) w.__firstInput = performance.now();
      }, true);
      // When the control first exists in the DOM (rendered), to tell rendering from the keystroke's delivery.
      const observer = new MutationObserver(() => {
        if (w.__controlSeen === null && document.querySelector(selector)) {
          w.__controlSeen = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document, { childList: true, subtree: true });
    }, spec.control);
    const pending: Promise<Transfer | null>[] = [];
    page.on('requestfinished', (request) => {
      pending.push(
        (async () => {
          const response = await request.response();
          if (!response) return null;
          const sizes = await request.sizes();
          const type = request.resourceType();
          const timing = request.timing();
          const keepBody = type === 'script' || type === 'stylesheet';
          return {
            url: request.url(), startEpoch: timing.startTime, endEpoch: timing.startTime + timing.responseEnd, type, wireBytes: sizes.responseHeadersSize + sizes.responseBodySize, bodyBytes: sizes.responseBodySize,
            encoding: (await response.allHeaders())['content-encoding'] ?? null, body: keepBody ? await response.body() : null,
          };
        })().catch(() => null),
      );
    });
    await page.goto(`${baseUrl}${spec.path}`, { waitUntil: 'commit' });
    const dataReady = spec.dataReady
      ? page
          .locator(spec.dataReady)
          .first()
          .waitFor({ state: 'attached', timeout: 30_000 })
          .then(() => page.evaluate(() => performance.now()))
          .catch(() => null)
      : Promise.resolve(null);
    await page.locator(spec.control).press('a', { timeout: 30_000 });
    await page.waitForFunction(() => (window as unknown as { __firstInput: number | null }).__firstInput !== null, null, { timeout: 5000 });
    const { ttiMs, controlMs } = await page.evaluate(() => {
      const w = window as unknown as { __firstInput: number; __controlSeen: number | null };
      return { ttiMs: w.__firstInput, controlMs: w.__controlSeen ?? Number.NaN };
    });
    const value = await page.locator(spec.control).inputValue();
    if (!value.includes('a')) throw new Error(`${spec.name}: the keystroke did not land in ${spec.control}`);
    const dataReadyMs = await dataReady;
    await page.waitForLoadState('networkidle');
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      return { dcl: n?.domContentLoadedEventEnd ?? Number.NaN, load: n?.loadEventEnd ?? Number.NaN };
    });
    const transfers = (await Promise.all(pending)).filter((t): t is Transfer => t !== null);
    const origin = await page.evaluate(() => performance.timeOrigin);
    const calls = transfers
      .filter((t) => t.type === 'fetch' || t.type === 'xhr' || t.type === 'script' || t.type === 'stylesheet')
      .map((t) => `${new URL(t.url).pathname.replace(/\/track\/[^/]+/, '/track/<token>')} ${(t.startEpoch - origin).toFixed(0)}→${(t.endEpoch - origin).toFixed(0)}`);
    return { ttiMs, controlMs, calls, dclMs: nav.dcl, loadMs: nav.load, dataReadyMs, transfers };
  } finally {
    await context.close();
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function report(spec: PageSpec, loads: Load[]): { bytes: number; tti: number } {
  const first = loads[0] as Load;
  const assets = first.transfers.filter((t) => t.type === 'script' || t.type === 'stylesheet');
  const assetWire = assets.reduce((s, t) => s + t.wireBytes, 0);
  const byType = new Map<string, number>();
  for (const t of first.transfers) byType.set(t.type, (byType.get(t.type) ?? 0) + t.wireBytes);
  const encodings = [...new Set(assets.map((t) => t.encoding ?? 'none'))].join(', ');
  const tti = percentile(loads.map((l) => l.ttiMs), 50);
  log(`\n${spec.name} (${spec.path.replace(/#.*/, '#<token>')}):`);
  for (const t of assets) log(`  ${t.type.padEnd(10)} ${new URL(t.url).pathname}: ${kb(t.wireBytes)} on the wire (body ${kb(t.bodyBytes)}, content-encoding: ${t.encoding ?? 'none'})`);
  log(`  all transfers of a cold load, on the wire: ${[...byType].map(([k, n]) => `${k} ${kb(n)}`).join(', ')}; total ${kb(first.transfers.reduce((s, t) => s + t.wireBytes, 0))}`);
  log(`  JS + CSS transferred (as served, content-encoding ${encodings}): ${kb(assetWire)}  (target < ${kb(TARGET_BYTES)}: ratio ${(assetWire / TARGET_BYTES).toFixed(2)} ${assetWire < TARGET_BYTES ? 'MET' : 'NOT MET'})`);
  if (assets.some((t) => t.encoding === null)) {
    const bodies = assets.flatMap((t) => (t.body ? [t.body] : []));
    const gz = bodies.reduce((s, b) => s + gzipSync(b, { level: 6 }).length, 0);
    const br = bodies.reduce((s, b) => s + brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length, 0);
    log(`  the server does not compress them; computed here, NOT transferred: gzip -6 ${kb(gz)} (ratio ${(gz / TARGET_BYTES).toFixed(2)}), brotli q11 ${kb(br)} (ratio ${(br / TARGET_BYTES).toFixed(2)})`);
  }
  log(`  requests of the median load (ms since navigation start): ${(loads.find((l) => l.ttiMs === tti) ?? first).calls.join('; ')}`);
  const dataReady = loads.flatMap((l) => (l.dataReadyMs === null ? [] : [l.dataReadyMs]));
  log(`  per load TTI ms: ${loads.map((l) => l.ttiMs.toFixed(0)).join(', ')}; control first in the DOM median ${percentile(loads.map((l) => l.controlMs), 50).toFixed(0)} ms; DOMContentLoaded median ${percentile(loads.map((l) => l.dclMs), 50).toFixed(0)} ms, load median ${percentile(loads.map((l) => l.loadMs), 50).toFixed(0)} ms${dataReady.length ? `, form data (topics) arrived median ${percentile(dataReady, 50).toFixed(0)} ms` : ''}`);
  log(`  time to interactive (keystroke lands in ${spec.control}), median of ${loads.length} cold loads: ${tti.toFixed(0)} ms  (target < ${TARGET_TTI_MS} ms: ratio ${(tti / TARGET_TTI_MS).toFixed(2)} ${tti < TARGET_TTI_MS ? 'MET' : 'NOT MET'})`);
  return { bytes: assetWire, tti };
}

async function main(): Promise<void> {
  installExitHandlers();
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found`);
  if (!existsSync(path.join(root, 'web', 'dist', 'index.html'))) throw new Error('web/dist is missing: run `npm run build:web` first');
  log(`portal-page benchmark${quick ? ' (--quick)' : ''}: ${LOADS} cold loads per page (+1 uncounted warm-up), engine ${engine}`);
  const database = await freshDatabase(engine, 'portal');
  const server = await startBenchServer(database);
  log(`server ready in ${server.readySeconds.toFixed(1)} s (pid ${server.pid}), ${server.url}`);
  const token = await fileTrackedRequest(server.url);
  const pages: PageSpec[] = [
    { name: 'Request form', path: '/richiesta', control: '#pr-subject', dataReady: '#pr-topic optgroup option' },
    { name: 'Tracking page', path: `/segui#${token}`, control: '#reply-body' },
    { name: 'FAQ', path: '/faq', control: '#faq-query' },
  ];
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const summary: string[] = [];
    for (const spec of pages) {
      await coldLoad(browser, server.url, spec);
      const loads: Load[] = [];
      for (let i = 0; i < LOADS; i++) loads.push(await coldLoad(browser, server.url, spec));
      const r = report(spec, loads);
      summary.push(`${spec.path.replace(/#.*/, '')}: JS+CSS ${kb(r.bytes)} (${(r.bytes / TARGET_BYTES).toFixed(2)}× of 300 KB), TTI ${r.tti.toFixed(0)} ms (${(r.tti / TARGET_TTI_MS).toFixed(2)}× of 1 s)`);
    }
    log('\nsummary:');
    for (const s of summary) log(`  ${s}`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
