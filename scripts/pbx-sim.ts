/**
 * A scripted PBX for trying the CTI interface (docs/cti.md) without a switchboard:
 *
 *   npx tsx scripts/pbx-sim.ts --url http://localhost:3000 --token <cti token> --number +390863795111 \
 *     --calls 20 [--rate 0.5] [--seed 1] [--talk 2-6] [--patience 20-60] [--impatient 0.2] [--timeout 120]
 *
 * It opens the CTI WebSocket (GET /api/v1/cti/stream), reports `--calls` incoming calls on
 * `--number` (POST /api/v1/cti/calls) at `--rate` calls per second (Poisson arrivals, seeded), and
 * then behaves like a PBX:
 * - on `call.assigned` it bridges the call: reports `answered`, then `ended` after a random talk
 *   time (`--talk` seconds, min-max);
 * - a caller hangs up after a random patience (`--patience` seconds; a share `--impatient` of callers
 *   has a short one, 1-4 s): `abandoned`;
 * - when the office is closed (decision `closed`) it asks for a callback (`callback_requested`);
 * - it repeats the first `answered` once to show idempotence (the second answer is `changed: false`).
 * At the end (every call settled, or `--timeout` seconds) it prints a summary; the exit code is 1
 * when errors occurred. `runPbxSim` is exported for tests.
 */
import { pathToFileURL } from 'node:url';

/** The part of the `ws` client this script uses (the package ships no types here). */
interface WsClient {
  once(event: 'open', fn: () => void): void;
  once(event: 'error', fn: (err: Error) => void): void;
  once(event: 'unexpected-response', fn: (req: unknown, res: { statusCode?: number }) => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
  on(event: 'message', fn: (data: unknown) => void): void;
  close(): void;
}
type WsConstructor = new (url: string, options: { headers: Record<string, string> }) => WsClient;
/** `ws` (a dependency of @fastify/websocket), loaded untyped. */
const loadWs = async (): Promise<WsConstructor> => ((await import('ws' as string)) as { default: WsConstructor }).default;

export interface PbxSimOptions {
  url: string;
  token: string;
  number: string;
  calls: number;
  /** Calls per second. */
  rate: number;
  seed: number;
  talkSeconds: [number, number];
  patienceSeconds: [number, number];
  /** Share of callers with a short patience (1-4 s). */
  impatient: number;
  timeoutSeconds: number;
  log?: (line: string) => void;
}

export interface PbxSimSummary {
  calls: number;
  queued: number;
  closed: number;
  assigned: number;
  answered: number;
  ended: number;
  abandoned: number;
  callbacks: number;
  idempotentRetries: number;
  unfinished: number;
  errors: number;
  errorMessages: string[];
}

/** mulberry32: a small seeded generator, so runs repeat. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type CallState = 'reported' | 'queued' | 'answered' | 'done';

interface SimCall {
  callId: string;
  state: CallState;
  patience: NodeJS.Timeout | null;
}

export async function runPbxSim(o: PbxSimOptions): Promise<PbxSimSummary> {
  const log = o.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const random = seeded(o.seed);
  const between = ([min, max]: [number, number]) => min + random() * (max - min);
  const base = o.url.replace(/\/$/, '');
  const headers = { authorization: `Bearer ${o.token}` };
  const s: PbxSimSummary = { calls: 0, queued: 0, closed: 0, assigned: 0, answered: 0, ended: 0, abandoned: 0, callbacks: 0, idempotentRetries: 0, unfinished: 0, errors: 0, errorMessages: [] };
  const error = (message: string) => {
    s.errors++;
    if (s.errorMessages.length < 20) s.errorMessages.push(message);
    log(`  errore: ${message}`);
  };
  const post = async (path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> | null }> => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };
  const calls = new Map<string, SimCall>();
  const early = new Set<string>(); // assigned before the POST's answer reached us
  let retried = false;

  const event = async (call: SimCall, type: 'answered' | 'ended' | 'abandoned' | 'callback_requested') => {
    const res = await post(`/api/v1/cti/calls/${encodeURIComponent(call.callId)}/events`, { type });
    return res;
  };

  const bridge = async (call: SimCall) => {
    if (call.state !== 'queued') return;
    if (call.patience) clearTimeout(call.patience);
    call.state = 'answered';
    s.assigned++;
    const res = await event(call, 'answered');
    if (res.status !== 200) return error(`${call.callId} answered: HTTP ${res.status} ${JSON.stringify(res.json)}`);
    s.answered++;
    if (!retried) {
      // A PBX retry of the same event (lost HTTP answer): no effect the second time.
      retried = true;
      const again = await event(call, 'answered');
      if (again.status !== 200 || again.json?.changed !== false) error(`${call.callId} answered (retry): expected changed:false, got HTTP ${again.status} ${JSON.stringify(again.json)}`);
      else s.idempotentRetries++;
    }
    await sleep(between(o.talkSeconds) * 1000);
    const ended = await event(call, 'ended');
    if (ended.status !== 200) return error(`${call.callId} ended: HTTP ${ended.status} ${JSON.stringify(ended.json)}`);
    s.ended++;
    call.state = 'done';
  };

  const wsUrl = `${base.replace(/^http/, 'ws')}/api/v1/cti/stream`;
  const WebSocket = await loadWs();
  const socket = new WebSocket(wsUrl, { headers });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`WebSocket: HTTP ${res.statusCode}`)));
  });
  socket.on('error', (err) => error(`WebSocket: ${err.message}`));
  socket.on('message', (data) => {
    let m: { type?: string; callId?: string; extension?: string | null };
    try {
      m = JSON.parse(String(data));
    } catch {
      return error('WebSocket: messaggio non JSON');
    }
    if (m.type !== 'call.assigned' || !m.callId) return;
    const call = calls.get(m.callId);
    if (!call || call.state === 'reported') {
      // The assignment can overtake the answer to our own POST (the server routes before replying).
      early.add(m.callId);
      return;
    }
    log(`  ${m.callId}: assegnata, collego l’interno ${m.extension ?? '(nessuno)'}`);
    void bridge(call).catch((err: Error) => error(`${m.callId}: ${err.message}`));
  });
  log(`centralino simulato: ${o.calls} chiamate su ${o.number}, ${o.rate}/s, seme ${o.seed}`);

  const run = `${o.seed}-${Date.now().toString(36)}`;
  for (let i = 0; i < o.calls; i++) {
    if (i > 0) await sleep((-Math.log(1 - random()) / o.rate) * 1000);
    const callId = `sim-${run}-${i + 1}`;
    const caller = `+39333${String(Math.floor(random() * 1e7)).padStart(7, '0')}`;
    const call: SimCall = { callId, state: 'reported', patience: null };
    calls.set(callId, call);
    s.calls++;
    try {
      const res = await post('/api/v1/cti/calls', { callId, caller, dialled: o.number });
      if (res.status !== 201 && res.status !== 200) {
        error(`${callId}: HTTP ${res.status} ${JSON.stringify(res.json)}`);
        call.state = 'done';
        continue;
      }
      if (res.json?.decision === 'closed') {
        s.closed++;
        const cb = await event(call, 'callback_requested');
        if (cb.status === 200) s.callbacks++;
        else error(`${callId} callback_requested: HTTP ${cb.status} ${JSON.stringify(cb.json)}`);
        call.state = 'done';
        log(`  ${callId}: ufficio chiuso, richiamata prenotata`);
        continue;
      }
      s.queued++;
      call.state = 'queued';
      log(`  ${callId}: in coda (posizione ${res.json?.position ?? '?'}, attesa stimata ${res.json?.estimatedWaitSeconds ?? '?'} s)`);
      const patience = random() < o.impatient ? 1 + random() * 3 : between(o.patienceSeconds);
      call.patience = setTimeout(() => {
        if (call.state !== 'queued') return;
        call.state = 'done';
        void event(call, 'abandoned')
          .then((r) => {
            if (r.status !== 200) return error(`${callId} abandoned: HTTP ${r.status} ${JSON.stringify(r.json)}`);
            s.abandoned++;
            log(`  ${callId}: il chiamante riaggancia dopo ${patience.toFixed(1)} s`);
          })
          .catch((err: Error) => error(`${callId}: ${err.message}`));
      }, patience * 1000);
      if (early.delete(callId)) void bridge(call).catch((err: Error) => error(`${callId}: ${err.message}`));
    } catch (err) {
      error(`${callId}: ${(err as Error).message}`);
      call.state = 'done';
    }
  }

  const deadline = Date.now() + o.timeoutSeconds * 1000;
  while (Date.now() < deadline && [...calls.values()].some((c) => c.state !== 'done')) await sleep(200);
  for (const c of calls.values()) {
    if (c.patience) clearTimeout(c.patience);
    if (c.state !== 'done') s.unfinished++;
  }
  await sleep(200); // let in-flight event posts land
  socket.close();
  return s;
}

function parseArgs(argv: readonly string[]): PbxSimOptions {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) return argv[i + 1];
    return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  };
  const range = (v: string | undefined, d: [number, number]): [number, number] => {
    if (!v) return d;
    const [a, b] = v.split('-').map(Number);
    return [a ?? d[0], b ?? a ?? d[1]];
  };
  const url = get('url') ?? 'http://localhost:3000';
  const token = get('token') ?? process.env.URPNET_CTI_TOKEN;
  const number = get('number');
  if (!token || !number) throw new Error('uso: pbx-sim --url http://localhost:3000 --token <token cti> --number +39… [--calls 20] [--rate 0.5] [--seed 1]');
  const calls = Number(get('calls') ?? 20);
  const rate = Number(get('rate') ?? 0.5);
  return {
    url,
    token,
    number,
    calls,
    rate,
    seed: Number(get('seed') ?? 1),
    talkSeconds: range(get('talk'), [2, 6]),
    patienceSeconds: range(get('patience'), [20, 60]),
    impatient: Number(get('impatient') ?? 0.2),
    timeoutSeconds: Number(get('timeout') ?? Math.ceil(calls / rate + 90)),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  Promise.resolve()
    .then(() => runPbxSim(parseArgs(process.argv.slice(2))))
    .then((s) => {
      process.stdout.write(
        `\nriepilogo: chiamate ${s.calls}, in coda ${s.queued}, ufficio chiuso ${s.closed}, risposte ${s.answered}, terminate ${s.ended}, abbandonate ${s.abandoned}, richiamate ${s.callbacks}, ripetizioni idempotenti ${s.idempotentRetries}, non concluse ${s.unfinished}, errori ${s.errors}\n${JSON.stringify(s)}\n`,
      );
      process.exitCode = s.errors > 0 ? 1 : 0;
    })
    .catch((err) => {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exitCode = 1;
    });
}
