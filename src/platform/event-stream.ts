import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from './actor.js';
import type { RealtimeHub } from './realtime.js';
import { SECURITY_HEADERS } from './security-headers.js';

/** What a stream's subscriptions write to it. */
export interface EventStream {
  /** Writes one server-sent event; `id` lets a reconnecting browser say what it saw last (Last-Event-ID). */
  send(event: string, data: unknown, id?: number): void;
}

/**
 * Turns a request into a server-sent-events stream held for `actor`: the headers, the browser's
 * reconnection delay, a keep-alive comment from the hub's timer, and the end of the response when the
 * actor's session or token stops being valid. `open` subscribes to what the stream carries and
 * returns what undoes it; that runs once, when the client leaves or the stream is ended. Returns the
 * function that ends the stream (a server closing down).
 */
export function holdEventStream(
  realtime: RealtimeHub,
  actor: Actor,
  request: FastifyRequest,
  reply: FastifyReply,
  options: { retryMs: number },
  open: (stream: EventStream) => () => void,
): () => void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write(`retry: ${options.retryMs}\n: connesso\n\n`);
  const close = open({ send: (event, data, id) => res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`) });
  let stopped = false;
  const release = realtime.holdCredential(actor, { end: () => end(), keepAlive: () => res.write(': ping\n\n') });
  const stop = () => {
    if (stopped) return;
    stopped = true;
    close();
    release();
  };
  const end = () => {
    stop();
    res.end();
  };
  request.raw.on('close', stop);
  return end;
}
