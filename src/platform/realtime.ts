import { sql } from 'kysely';
import type { Database, OpenedDatabase } from '../db/database.js';
import type { Actor } from './actor.js';
import { credentialsStillValid } from './auth.js';

/** NOTIFY channels written by triggers (migrations 0025, 0027). */
export const CHANNELS = {
  outbox: 'urpnet_outbox',
  notifications: 'urpnet_notifications',
  credentials: 'urpnet_credentials',
} as const;

/**
 * A row a feed announces to the streams of one key (a user; or several keys, e.g. the offices a
 * routing event concerns), or (userId null) a row read for nobody: see `FeedSource.fetchAfter`.
 */
export type FeedRow<T> = { id: number; userId: string | readonly string[]; item: T } | { id: number; userId: null; item: null };

export interface FeedSource<T> {
  /** NOTIFY channel announcing new rows. */
  channel: string;
  /** The highest id at start: streams receive only what comes after. */
  latestId(): Promise<number>;
  /**
   * Rows with id > afterId for every user, ascending, at most `limit`. Rows already handed on are
   * read again for a few seconds (see `settleMs`): `fresh(id)` is false for them, so a source can
   * skip per-row work the hub will drop. The hub reads on while a fetch returns `limit` rows, so a
   * source that reads rows meant for no stream returns them too, with `userId: null`: dropping them
   * would end the read early and leave the rows after them for a later wake-up.
   */
  fetchAfter(afterId: number, limit: number, fresh: (id: number) => boolean): Promise<FeedRow<T>[]>;
}

export interface Feed<T> {
  /** Calls `listener` with each new row of `userId` until the returned function is called. */
  subscribe(userId: string, listener: (item: T, id: number) => void): () => void;
}

/** A source whose rows concern no single user: every stream receives each row and decides (e.g. by ticket access). */
export interface BroadcastSource<T> {
  channel: string;
  latestId(): Promise<number>;
  fetchAfter(afterId: number, limit: number, fresh: (id: number) => boolean): Promise<{ id: number; item: T }[]>;
}

export interface BroadcastFeed<T> {
  /** Calls `listener` with every new row until the returned function is called. */
  subscribe(listener: (item: T, id: number) => void): () => void;
  /** Open subscriptions: a source may skip per-row work nobody would receive. */
  subscribers(): number;
}

/** Callbacks of one long-lived response held by the hub. */
export interface HeldStream {
  /** Ends the response: its session or token stopped being valid. */
  end: () => void;
  /** Writes a comment that keeps proxies from closing an idle stream (no database work). */
  keepAlive?: () => void;
}

export interface RealtimeStats {
  /** Listener connections opened (1 unless it dropped and reconnected). */
  listenerConnects: number;
  /** Queries run by the hub: feed fetches and credential checks, each shared by all streams. */
  queries: number;
  /** Open streams (credential holders). */
  streams: number;
}

export interface RealtimeHub {
  /** A source of rows fetched once per wake-up for the whole instance, fanned out by user. */
  addFeed<T>(source: FeedSource<T>): Feed<T>;
  /** A source of rows fetched once per wake-up for the whole instance, handed to every subscriber. */
  addBroadcastFeed<T>(source: BroadcastSource<T>): BroadcastFeed<T>;
  /**
   * Holds a long-lived response for `actor` until the returned function is called: `end` is called
   * when its session or token stops being valid, `keepAlive` every `keepAliveMs` by one hub timer.
   */
  holdCredential(actor: Actor, stream: HeldStream): () => void;
  /** Calls `fn` on each NOTIFY of `channel` (the outbox dispatcher's wake-up). */
  onChannel(channel: string, fn: () => void): void;
  stats(): RealtimeStats;
  close(): Promise<void>;
}

export interface RealtimeHubOptions {
  log?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /**
   * Sessions also end by the clock (expiry) without any write: held credentials are re-checked this
   * often, in one query for all of them. Any write to sessions, tokens or users' `active` re-checks
   * them at once (NOTIFY).
   */
  credentialCheckMs?: number;
  /** Delay before reconnecting a dropped listener (doubles up to 30 s). */
  reconnectMs?: number;
  /** How often held streams get a keep-alive comment (default 25 s, under common proxy idle timeouts). */
  keepAliveMs?: number;
  /** How long feeds keep re-reading rows for one committed late (default 5 s; see `addFeed`). */
  settleMs?: number;
  /**
   * How often, at most, a feed re-reads that window (default 250 ms). In between, a wake-up reads only
   * rows past the newest one seen, so a busy instance's fetches stay small; a row committed late is
   * handed on by the next re-read, which a wake-up schedules.
   */
  recheckMs?: number;
}

/** Every user's rows of a broadcast feed are filed under this key of the per-user fan-out. */
const EVERYONE = '*';

const FETCH_LIMIT = 1000;

/**
 * One listener per server instance: a single LISTEN connection wakes the outbox dispatcher, fetches
 * what a NOTIFY announces ONCE for all the instance's open streams, and re-checks the credentials of
 * every open stream in one query. While nothing happens, the hub runs no query except the periodic
 * credential check (one query per instance, not per stream).
 *
 * A dropped listener reconnects with backoff and then catches up by the last id each feed has seen,
 * so notifications committed meanwhile are still delivered.
 */
export async function startRealtimeHub(database: OpenedDatabase, options: RealtimeHubOptions = {}): Promise<RealtimeHub> {
  const stats = { listenerConnects: 0, queries: 0 };
  const settleMs = options.settleMs ?? 5000;
  const recheckMs = options.recheckMs ?? 250;
  const channelHandlers = new Map<string, (() => void)[]>();
  const held = new Map<object, { actor: Actor } & HeldStream>();
  const feeds: FeedState<unknown>[] = [];
  let closed = false;
  let listener: { close(): Promise<void> } | null = null;
  let reconnectDelay = options.reconnectMs ?? 500;
  let reconnectTimer: NodeJS.Timeout | null = null;

  interface FeedState<T> {
    source: FeedSource<T>;
    lastId: number;
    listeners: Map<string, Set<(item: T, id: number) => void>>;
    pump: () => void;
    /** The scheduled re-read of the settle window, if one is pending. */
    recheckTimer: NodeJS.Timeout | null;
  }

  /** Runs `fn` now, or once more after the running call if it is asked again meanwhile (coalesces bursts). */
  function coalesced(fn: () => Promise<void>): () => void {
    let running = false;
    let again = false;
    const run = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          await fn().catch((err) => options.log?.warn({ err }, 'realtime hub: query failed'));
        } while (again && !closed);
      } finally {
        running = false;
      }
    };
    return () => void run();
  }

  function on(channel: string, fn: () => void): void {
    const list = channelHandlers.get(channel) ?? [];
    list.push(fn);
    channelHandlers.set(channel, list);
  }

  const checkCredentials = coalesced(async () => {
    if (held.size === 0) return;
    const entries = [...held.entries()];
    stats.queries += 1;
    const valid = await credentialsStillValid(database.db, entries.map(([, h]) => h.actor));
    entries.forEach(([key, h], i) => {
      if (!valid[i] && held.has(key)) {
        held.delete(key);
        h.end();
      }
    });
  });
  on(CHANNELS.credentials, checkCredentials);

  async function connect(): Promise<void> {
    const channels = [...new Set([CHANNELS.outbox, CHANNELS.notifications, CHANNELS.credentials, ...channelHandlers.keys()])];
    listener = await database.listen(channels, (channel) => {
      for (const fn of channelHandlers.get(channel) ?? []) fn();
    }, (err) => {
      listener = null;
      if (closed) return;
      options.log?.warn({ err, retryInMs: reconnectDelay }, 'realtime listener dropped: reconnecting');
      scheduleReconnect();
    });
    stats.listenerConnects += 1;
    reconnectDelay = options.reconnectMs ?? 500;
  }

  function scheduleReconnect(): void {
    if (closed || reconnectTimer) return;
    reconnectTimer = setTimeout(async () => {
      reconnectTimer = null;
      try {
        await connect();
        // Catch up on what was committed while the listener was away.
        for (const feed of feeds) feed.pump();
        checkCredentials();
        for (const fn of channelHandlers.get(CHANNELS.outbox) ?? []) fn();
      } catch (err) {
        reconnectDelay = Math.min(reconnectDelay * 2, 30_000);
        options.log?.warn({ err, retryInMs: reconnectDelay }, 'realtime listener: reconnect failed');
        scheduleReconnect();
      }
    }, reconnectDelay);
    reconnectTimer.unref();
  }

  await connect();
  const credentialTimer = setInterval(checkCredentials, options.credentialCheckMs ?? 30_000);
  credentialTimer.unref();
  // One timer for every open stream of the instance (not one per connection).
  const keepAliveTimer = setInterval(() => {
    for (const h of held.values()) h.keepAlive?.();
  }, options.keepAliveMs ?? 25_000);
  keepAliveTimer.unref();

  const hub: RealtimeHub = {
    addFeed<T>(source: FeedSource<T>): Feed<T> {
      const state: FeedState<T> = { source, lastId: Number.POSITIVE_INFINITY, listeners: new Map(), pump: () => undefined, recheckTimer: null };
      // An id is taken when a row is inserted but the row shows at commit: a transaction that took
      // id 10 may commit after one that took 11 (PostgreSQL, concurrent writers). So each fetch
      // re-reads from the newest id already seen `settleMs` ago and hands on only rows it has not
      // handed on yet; a row whose transaction stays open longer than that is not streamed (the
      // client still finds it through the API). The window is re-read at most every `recheckMs`
      // (on every wake-up, a busy instance's feeds read hundreds of rows per commit); a wake-up in
      // between reads only past the newest row seen and schedules the next re-read.
      //
      // A feed nobody listens to reads nothing: a wake-up only marks it idle. Its first listener after
      // that starts it again from the newest row (what was committed before it subscribed is not its).
      const checkpoints: { at: number; id: number }[] = [];
      const handed = new Set<number>();
      let lastRecheck = Number.NEGATIVE_INFINITY;
      let idle = false;
      const anchor = () =>
        source.latestId().then((id) => {
          stats.queries += 1;
          state.lastId = id;
          checkpoints.length = 0;
          checkpoints.push({ at: 0, id });
          handed.clear();
          lastRecheck = Number.NEGATIVE_INFINITY;
        });
      let ready = anchor();
      state.pump = coalesced(async () => {
        // A listener that arrives meanwhile may re-anchor the feed: wait for the anchor in force.
        for (let current = ready; ; current = ready) {
          await current;
          if (current === ready) break;
        }
        if (state.listeners.size === 0) {
          idle = true;
          return;
        }
        const now = Date.now();
        let cursor: number;
        if (now - lastRecheck >= recheckMs) {
          lastRecheck = now;
          const settledBefore = now - settleMs;
          while (checkpoints.length > 1 && (checkpoints[1]?.at ?? Number.POSITIVE_INFINITY) <= settledBefore) checkpoints.shift();
          cursor = checkpoints[0]?.id ?? 0;
          for (const id of handed) if (id <= cursor) handed.delete(id);
        } else {
          cursor = state.lastId;
          if (!state.recheckTimer) {
            state.recheckTimer = setTimeout(() => {
              state.recheckTimer = null;
              if (!closed) state.pump();
            }, lastRecheck + recheckMs - now);
            state.recheckTimer.unref();
          }
        }
        for (;;) {
          stats.queries += 1;
          const rows = await source.fetchAfter(cursor, FETCH_LIMIT, (id) => !handed.has(id));
          for (const row of rows) {
            cursor = Math.max(cursor, row.id);
            if (handed.has(row.id)) continue;
            handed.add(row.id);
            state.lastId = Math.max(state.lastId, row.id);
            if (row.userId === null) continue;
            for (const key of typeof row.userId === 'string' ? [row.userId] : new Set(row.userId)) {
              for (const listener of state.listeners.get(key) ?? []) {
                try {
                  listener(row.item, row.id);
                } catch (err) {
                  options.log?.warn({ err }, 'realtime stream listener failed');
                }
              }
            }
          }
          if (rows.length < FETCH_LIMIT) break;
        }
        if (state.lastId !== checkpoints.at(-1)?.id) checkpoints.push({ at: Date.now(), id: state.lastId });
      });
      feeds.push(state as FeedState<unknown>);
      on(source.channel, state.pump);
      return {
        subscribe(userId, listener) {
          if (idle) {
            idle = false;
            ready = anchor();
          }
          const set = state.listeners.get(userId) ?? new Set();
          set.add(listener);
          state.listeners.set(userId, set);
          return () => {
            set.delete(listener);
            if (set.size === 0) state.listeners.delete(userId);
          };
        },
      };
    },
    addBroadcastFeed<T>(source: BroadcastSource<T>): BroadcastFeed<T> {
      let count = 0;
      const feed = hub.addFeed<T>({
        channel: source.channel,
        latestId: () => source.latestId(),
        fetchAfter: async (afterId, limit, fresh) => (await source.fetchAfter(afterId, limit, fresh)).map((row) => ({ ...row, userId: EVERYONE })),
      });
      return {
        subscribe(listener) {
          count += 1;
          const unsubscribe = feed.subscribe(EVERYONE, listener);
          let done = false;
          return () => {
            if (done) return;
            done = true;
            count -= 1;
            unsubscribe();
          };
        },
        subscribers: () => count,
      };
    },
    holdCredential(actor, stream) {
      const key = {};
      held.set(key, { actor, ...stream });
      return () => {
        held.delete(key);
      };
    },
    onChannel: on,
    stats: () => ({ ...stats, streams: held.size }),
    async close() {
      closed = true;
      for (const feed of feeds) if (feed.recheckTimer) clearTimeout(feed.recheckTimer);
      clearInterval(credentialTimer);
      clearInterval(keepAliveTimer);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      await listener?.close();
      listener = null;
    },
  };
  return hub;
}

/** The id of the newest outbox event (0 when there is none): a broadcast feed over the outbox starts after it. */
export async function latestOutboxId(db: Database): Promise<number> {
  const row = await db.selectFrom('outbox').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** An outbox event as a realtime feed reads it (committed, whatever its dispatch state). */
export interface OutboxRow {
  id: number;
  topic: string;
  aggregateId: string | null;
  organisationId: string | null;
  payload: unknown;
  createdAt: Date;
}

/**
 * Outbox events after `afterId` whose topic starts with `topicPrefix`, ascending. The outbox NOTIFY
 * (migration 0025) announces them; reading the committed rows lets every instance see them, whichever
 * instance wrote them.
 */
export async function outboxEventsAfter(db: Database, afterId: number, topicPrefix: string, limit: number): Promise<OutboxRow[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['id', 'topic', 'aggregate_id', 'organisation_id', 'payload', 'created_at'])
    .where('id', '>', afterId)
    .where(sql<boolean>`starts_with(topic, ${topicPrefix})`)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), topic: r.topic, aggregateId: r.aggregate_id, organisationId: r.organisation_id, payload: r.payload, createdAt: r.created_at }));
}
