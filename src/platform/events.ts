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

const BATCH = 200;

export type EventHandler = (event: DomainEvent) => Promise<void> | void;

/** A handler of one topic, named after the event and what it does (`onShareAccepted_notifyOwner`). */
export interface NamedHandler {
  topic: EventTopic;
  name: string;
}

export interface OutboxDispatcher {
  /** Dispatches every pending event now (used after commits and by tests). */
  drain(): Promise<number>;
  /** Every event whose topic starts with `topicPrefix` (`'ticket.'`), its payload typed by topic. */
  subscribe<P extends string>(topicPrefix: P, handler: (event: EventOf<TopicsWithPrefix<P>>) => Promise<void> | void): void;
  /** A named side effect of one event; a name identifies its deliveries (registering it again is a no-op). */
  on<T extends EventTopic>(topic: T, name: string, handler: (event: CatalogueEvent<T>) => Promise<void> | void): void;
  /** The named handlers registered so far (for the catalogue test and diagnostics). */
  handlers(): readonly NamedHandler[];
  stop(): Promise<void>;
}

/**
 * Claims pending outbox rows with SKIP LOCKED, so several server instances share the work without
 * dispatching an event twice, hands them to the subscribed handlers, and marks them dispatched.
 */
export function startOutboxDispatcher(db: Database, options: { intervalMs?: number; onError?: (err: unknown) => void } = {}): OutboxDispatcher {
  const handlers: { prefix: string; handler: EventHandler }[] = [];
  const named: NamedHandler[] = [];
  let running: Promise<number> | null = null;
  let stopped = false;

  /**
   * Claims a batch (SKIP LOCKED: concurrent instances take different rows) and marks it dispatched in
   * one short transaction, then runs the handlers after commit on their own connections. Handlers
   * therefore never wait on the claiming transaction; delivery is at most once per event, which is
   * what notifications and e-mail need (the database change itself is already committed).
   */
  async function drainOnce(): Promise<number> {
    const claimed = await db.transaction().execute(async (trx) => {
      const rows = await sql<{ id: number; topic: string; aggregate_id: string | null; organisation_id: string | null; payload: unknown; created_at: Date }>`
        select id, topic, aggregate_id, organisation_id, payload, created_at from outbox
        where dispatched_at is null order by id limit ${BATCH} for update skip locked`.execute(trx);
      if (rows.rows.length > 0) {
        await trx.updateTable('outbox').set({ dispatched_at: new Date() }).where('id', 'in', rows.rows.map((r) => Number(r.id))).execute();
      }
      return rows.rows;
    });
    for (const row of claimed) {
      const event: DomainEvent = {
        id: Number(row.id),
        topic: row.topic,
        aggregateId: row.aggregate_id,
        organisationId: row.organisation_id,
        payload: row.payload,
        createdAt: row.created_at,
      };
      for (const h of handlers) {
        if (event.topic.startsWith(h.prefix)) {
          try {
            await h.handler(event);
          } catch (err) {
            options.onError?.(err);
          }
        }
      }
    }
    return claimed.length;
  }

  function drain(): Promise<number> {
    if (running) return running;
    running = drainOnce().finally(() => {
      running = null;
    });
    return running;
  }

  // Each tick drains until the backlog is empty, so a burst above one batch per tick cannot pile up.
  const timer = setInterval(async () => {
    try {
      while (!stopped && (await drain()) === BATCH) {
        // keep draining
      }
    } catch (err) {
      options.onError?.(err);
    }
  }, options.intervalMs ?? 1000);
  timer.unref();

  return {
    drain,
    subscribe(prefix, handler) {
      handlers.push({ prefix, handler: handler as EventHandler });
    },
    on(topic, name, handler) {
      // A name identifies one side effect: a second app built on the same dispatcher (tests, two
      // apps in one process) registers it again, and it must still run once per event.
      if (named.some((h) => h.name === name)) return;
      named.push({ topic, name });
      handlers.push({ prefix: topic, handler: (event) => (event.topic === topic ? handler(event as unknown as CatalogueEvent<typeof topic>) : undefined) });
    },
    handlers: () => [...named],
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (running) await running.catch(() => undefined);
    },
  };
}
