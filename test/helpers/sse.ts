/** A minimal server-sent-events client over fetch, for tests that hold a stream open on loopback. */
export interface SseEvent {
  event: string;
  data: string;
  id: string | null;
  /** performance.now() when the event's last byte was read. */
  at: number;
}

export interface SseStream {
  status: number;
  events: SseEvent[];
  /** Resolves with the first event (already received or coming) that matches, or rejects after `ms`. */
  waitFor(match: (e: SseEvent) => boolean, ms: number): Promise<SseEvent>;
  /** Resolves true when the server ends the stream within `ms`, false otherwise. */
  endsWithin(ms: number): Promise<boolean>;
  close(): Promise<void>;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  if (res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      let buffer = '';
      try {
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) break;
          buffer += decoder.decode(chunk.value, { stream: true });
          let cut = buffer.indexOf('\n\n');
          while (cut >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const fields = { event: 'message', data: [] as string[], id: null as string | null };
            for (const line of block.split('\n')) {
              if (line.startsWith(':') || line === '') continue;
              const colon = line.indexOf(':');
              const name = colon < 0 ? line : line.slice(0, colon);
              const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (name === 'event') fields.event = value;
              else if (name === 'data') fields.data.push(value);
              else if (name === 'id') fields.id = value;
            }
            if (fields.data.length > 0) events.push({ event: fields.event, data: fields.data.join('\n'), id: fields.id, at: performance.now() });
            cut = buffer.indexOf('\n\n');
          }
          notify();
        }
      } catch {
        // aborted by close()
      }
      ended = true;
      notify();
    })();
  } else {
    ended = true;
  }
  const until = <T>(check: () => T | undefined, ms: number, onTimeout: () => T | Error): Promise<T> =>
    new Promise((resolve, reject) => {
      const attempt = () => {
        const found = check();
        if (found === undefined) return false;
        finish();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        finish();
        const fallback = onTimeout();
        if (fallback instanceof Error) reject(fallback);
        else resolve(fallback);
      }, ms);
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(waiter);
      };
      const waiter = () => void attempt();
      waiters.add(waiter);
      attempt();
    });
  return {
    status: res.status,
    events,
    waitFor: (match, ms) => until(() => events.find(match), ms, () => new Error(`no matching event within ${ms} ms (got ${events.map((e) => e.event).join(', ') || 'none'})`)),
    endsWithin: (ms) => until(() => (ended ? true : undefined), ms, () => false),
    async close() {
      controller.abort();
    },
  };
}

/** The `data` of an event as JSON. */
export const dataOf = <T = Record<string, unknown>>(e: SseEvent): T => JSON.parse(e.data) as T;
