import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import type { CatalogueEvent, EventOf, EventPayload, EventTopic, TopicsWithPrefix } from './event-catalogue.js';
import type { Trx } from './http.js';

export type { CatalogueEvent, EventOf, EventPayload, EventTopic } from './event-catalogue.js';

/** A domain event as written to the outbox. */
export interface DomainEvent<T = unknown> {
  id: number;
  topic: string;
  aggregateId: string | null;
  organisationId: string | null;
  payload: T;
  createdAt: Date;
}

/**
 * Records an event in the same transaction as the change it describes: it is dispatched only if
 * that transaction commits. Topic and payload are checked against the catalogue (event-catalogue.ts).
 */
export async function recordEvent<T extends EventTopic>(
  trx: Trx,
  topic: T,
  event: { aggregateId?: string; organisationId?: string; payload: EventPayload<T> },
): Promise<void> {
  await trx
    .insertInto('outbox')
    .values({
      topic,
      aggregate_id: event.aggregateId ?? null,
      organisation_id: event.organisationId ?? null,
      payload: JSON.stringify(event.payload),
    })
    .execute();
}

/** Several events of one topic in one insert (a routing pass offers hundreds of items at once). */
export async function recordEvents<T extends EventTopic>(
  trx: Trx,
  topic: T,
  events: readonly { aggregateId?: string; organisationId?: string; payload: EventPayload<T> }[],
): Promise<void> {
  if (events.length === 0) return;
  await trx
    .insertInto('outbox')
    .values(events.map((e) => ({ topic, aggregate_id: e.aggregateId ?? null, organisation_id: e.organisationId ?? null, payload: JSON.stringify(e.payload) })))
    .execute();
}

/**
 * The head of an outbox insert for a module that records its event inside one larger statement (a
 * data-modifying CTE on its hottest path): follow it with a select of (topic, aggregate_id,
 * organisation_id, payload). Everywhere else, `recordEvent`.
 */
export const OUTBOX_INSERT = sql`insert into outbox (topic, aggregate_id, organisation_id, payload)`;

const FAN_OUT_BATCH = 500;
const DELIVERY_BATCH = 200;

export type EventHandler = (event: DomainEvent) => Promise<void> | void;

/** A handler of one topic, named after the event and what it does (`onShareAccepted_notifyOwner`). */
export interface NamedHandler {
  topic: EventTopic;
  name: string;
}

/** Counters since this process started (exported as metrics; dead letters are also logged). */
export interface DispatcherStats {
  delivered: number;
  failed: number;
  deadLettered: number;
}

export interface OutboxDispatcher {
  /**
   * Fans pending events out to their handlers and runs every delivery that is due, until none is left
   * (used after commits, by tests, and by whatever schedules a safety-net poll). Resolves with the
   * number of deliveries run; a call made while a drain runs waits for a fresh pass after it.
   */
  drain(): Promise<number>;
  /**
   * Registers a handler under a stable `name` (it keys the delivery rows: renaming a handler loses its
   * pending retries) for the events whose topic starts with `topicPrefix`. Delivery is at least once
   * per handler — a handler may see an event again after a crash or a retry — so handlers must be
   * idempotent. A handler that throws is retried with backoff, then dead-lettered. Registering a name
   * again is a no-op.
   */
  subscribe<P extends string>(name: string, topicPrefix: P, handler: (event: EventOf<TopicsWithPrefix<P>>) => Promise<void> | void): void;
  /**
   * A named side effect of one event (exact topic); same delivery guarantees as `subscribe`. A name
   * identifies its deliveries: registering it again is a no-op (the first handler stays).
   */
  on<T extends EventTopic>(topic: T, name: string, handler: (event: CatalogueEvent<T>) => Promise<void> | void): void;
  /** The named handlers of one topic registered so far (for the catalogue test and diagnostics). */
  handlers(): readonly NamedHandler[];
  /** Asks for a drain soon (an outbox NOTIFY arrived); calls close together coalesce into one drain. */
  wake(): void;
  /** Starts a dispatcher created `paused`: its poll timer, and a first drain. No-op otherwise. */
  start(): void;
  stats(): DispatcherStats;
  stop(): Promise<void>;
}

export interface OutboxDispatcherOptions {
  /** Safety-net poll, for wake-ups that were missed (0 = no timer). */
  intervalMs?: number;
  /**
   * Claim nothing until `start()`: a pass before every handler is registered would fan pending
   * events out to the handlers known so far and mark them dispatched, so the others would never see
   * them. The server starts it once the app (which registers the handlers) is built.
   */
  paused?: boolean;
  /** Attempts before a delivery is dead-lettered. */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt, capped at one hour. */
  retryBaseMs?: number;
  /** How long a claimed delivery stays hidden from other instances before it is deemed crashed and retried. */
  leaseMs?: number;
  onError?: (err: unknown) => void;
  /** Told of each failed attempt and of each dead letter (the server logs them). */
  onFailure?: (failure: DeliveryFailure) => void;
}

export interface DeliveryFailure {
  eventId: number;
  topic: string;
  handler: string;
  attempts: number;
  error: unknown;
  /** True when this was the last attempt: the delivery is now dead-lettered (`dead_at` set). */
  dead: boolean;
}

interface ClaimedDelivery {
  event_id: number;
  handler: string;
  attempts: number;
  topic: string;
  aggregate_id: string | null;
  organisation_id: string | null;
  payload: unknown;
  created_at: Date;
}

/**
 * Delivers outbox events to named handlers, at least once per handler, across any number of server
 * instances sharing one database:
 * 1. fan-out: pending outbox rows are claimed (SKIP LOCKED) and turned into one `outbox_deliveries`
 *    row per matching handler, in the same short transaction that marks them dispatched;
 * 2. delivery: due rows are claimed (SKIP LOCKED) by pushing `next_attempt_at` one lease ahead and
 *    counting the attempt, in one statement; handlers run after that commit, on their own
 *    connections; success sets `done_at`, failure schedules a retry with backoff or, after
 *    `maxAttempts`, sets `dead_at`. A process that dies mid-handler leaves the lease to expire, and
 *    another pass retries it: nothing is lost, nothing waits on a long transaction.
 */
export function startOutboxDispatcher(db: Database, options: OutboxDispatcherOptions = {}): OutboxDispatcher {
  const handlers = new Map<string, { prefix: string; handler: EventHandler }>();
  const named: NamedHandler[] = [];
  const maxAttempts = options.maxAttempts ?? 10;
  const retryBaseMs = options.retryBaseMs ?? 5000;
  const leaseMs = options.leaseMs ?? 60_000;
  const stats: DispatcherStats = { delivered: 0, failed: 0, deadLettered: 0 };
  let running: Promise<number> | null = null;
  let queued: Promise<number> | null = null;
  let stopped = false;

  async function fanOut(): Promise<number> {
    const names = [...handlers.keys()];
    const prefixes = names.map((n) => handlers.get(n)?.prefix ?? '');
    const result = await sql<{ id: number }>`
      with claimed as (
        select id, topic from outbox where dispatched_at is null order by id limit ${FAN_OUT_BATCH} for update skip locked
      ), fanned as (
        insert into outbox_deliveries (event_id, handler)
        select c.id, h.name from claimed c join unnest(${names}::text[], ${prefixes}::text[]) as h (name, prefix) on starts_with(c.topic, h.prefix)
        on conflict do nothing
      )
      update outbox set dispatched_at = now() where id in (select id from claimed) returning id`.execute(db);
    return result.rows.length;
  }

  async function deliverDue(): Promise<number> {
    if (handlers.size === 0) return 0;
    const names = [...handlers.keys()];
    const claimed = await sql<ClaimedDelivery>`
      with due as (
        select event_id, handler from outbox_deliveries
        where done_at is null and dead_at is null and next_attempt_at <= now() and handler = any(${names}::text[])
        order by event_id limit ${DELIVERY_BATCH} for update skip locked
      )
      update outbox_deliveries d
      set attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000})
      from due join outbox o on o.id = due.event_id
      where d.event_id = due.event_id and d.handler = due.handler
      returning d.event_id, d.handler, d.attempts, o.topic, o.aggregate_id, o.organisation_id, o.payload, o.created_at`.execute(db);
    const rows = claimed.rows.sort((a, b) => Number(a.event_id) - Number(b.event_id));
    const done: { eventId: number; handler: string }[] = [];
    for (const row of rows) {
      const entry = handlers.get(row.handler);
      if (!entry) continue;
      const event: DomainEvent = {
        id: Number(row.event_id),
        topic: row.topic,
        aggregateId: row.aggregate_id,
        organisationId: row.organisation_id,
        payload: row.payload,
        createdAt: row.created_at,
      };
      try {
        await entry.handler(event);
        done.push({ eventId: event.id, handler: row.handler });
      } catch (error) {
        await recordFailure(row, event, error);
      }
    }
    if (done.length > 0) {
      await sql`
        update outbox_deliveries d set done_at = now(), last_error = null
        from unnest(${done.map((d) => d.eventId)}::bigint[], ${done.map((d) => d.handler)}::text[]) as ok (event_id, handler)
        where d.event_id = ok.event_id and d.handler = ok.handler`.execute(db);
      stats.delivered += done.length;
    }
    return rows.length;
  }

  async function recordFailure(row: ClaimedDelivery, event: DomainEvent, error: unknown): Promise<void> {
    const attempts = Number(row.attempts);
    const dead = attempts >= maxAttempts;
    const delayMs = Math.min(retryBaseMs * 2 ** (attempts - 1), 3_600_000);
    const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);
    await sql`
      update outbox_deliveries
      set last_error = ${message},
          next_attempt_at = now() + make_interval(secs => ${delayMs / 1000}),
          dead_at = ${dead ? sql`now()` : sql`null`}
      where event_id = ${event.id} and handler = ${row.handler}`.execute(db);
    stats.failed += 1;
    if (dead) stats.deadLettered += 1;
    options.onFailure?.({ eventId: event.id, topic: event.topic, handler: row.handler, attempts, error, dead });
  }

  async function drainAll(): Promise<number> {
    while (!stopped && (await fanOut()) === FAN_OUT_BATCH) {
      // a backlog above one batch: keep fanning out
    }
    let delivered = 0;
    for (;;) {
      if (stopped) break;
      const n = await deliverDue();
      delivered += n;
      if (n < DELIVERY_BATCH) break;
    }
    return delivered;
  }

  function drain(): Promise<number> {
    if (!running) {
      running = drainAll().finally(() => {
        running = null;
      });
      return running;
    }
    // Something was committed after the running pass claimed its rows: run one more pass after it.
    queued ??= running
      .catch(() => 0)
      .then(() => {
        queued = null;
        return drain();
      });
    return queued;
  }

  function wake(): void {
    if (stopped || !started) return;
    drain().catch((err) => options.onError?.(err));
  }

  /**
   * A name identifies one side effect: a second app built on the same dispatcher (tests, two apps in
   * one process) registers it again, and it must still run once per event. Returns whether it was new.
   */
  function register(name: string, prefix: string, handler: EventHandler): boolean {
    if (handlers.has(name)) return false;
    handlers.set(name, { prefix, handler });
    return true;
  }

  const intervalMs = options.intervalMs ?? 1000;
  let started = false;
  let timer: NodeJS.Timeout | null = null;
  function start(): void {
    if (started || stopped) return;
    started = true;
    timer = intervalMs > 0 ? setInterval(wake, intervalMs) : null;
    timer?.unref();
  }
  if (!options.paused) start();

  return {
    drain,
    subscribe(name, prefix, handler) {
      register(name, prefix, handler as EventHandler);
    },
    on(topic, name, handler) {
      if (register(name, topic, (event) => (event.topic === topic ? handler(event as unknown as CatalogueEvent<typeof topic>) : undefined))) named.push({ topic, name });
    },
    handlers: () => [...named],
    wake,
    start() {
      if (started) return;
      start();
      wake();
    },
    stats: () => ({ ...stats }),
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await (queued ?? running)?.catch(() => undefined);
    },
  };
}
