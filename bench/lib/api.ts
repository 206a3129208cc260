/**
 * The few API calls the benchmarks need, over real HTTP (fetch) or in-process (fastify inject):
 * log in as a demo user, create an API token with the session, find the user's office.
 */
import type { FastifyInstance } from 'fastify';

export interface CallResult {
  status: number;
  body: unknown;
  setCookie: string[];
}

export type Call = (method: string, url: string, options?: { body?: unknown; headers?: Record<string, string> }) => Promise<CallResult>;

export function httpCall(baseUrl: string): Call {
  return async (method, url, options = {}) => {
    const res = await fetch(`${baseUrl}${url}`, {
      method,
      headers: { ...(options.body !== undefined && { 'content-type': 'application/json' }), ...(options.headers ?? {}) },
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body, setCookie: res.headers.getSetCookie() };
  };
}

export function injectCall(app: FastifyInstance): Call {
  return async (method, url, options = {}) => {
    const res = await app.inject({
      method: method as 'GET' | 'POST',
      url,
      headers: { ...(options.body !== undefined && { 'content-type': 'application/json' }), ...(options.headers ?? {}) },
      ...(options.body !== undefined && { payload: JSON.stringify(options.body) }),
    });
    let body: unknown = res.body;
    try {
      body = JSON.parse(res.body);
    } catch {
      // not JSON
    }
    const raw = res.headers['set-cookie'];
    return { status: res.statusCode, body, setCookie: raw === undefined ? [] : Array.isArray(raw) ? raw : [raw] };
  };
}

export interface Operator {
  userId: string;
  officeId: string;
  officeName: string | null;
  token: string;
}

/** POST /api/v1/auth/login, then POST /api/v1/me/tokens with the session cookie and CSRF header. */
export async function operatorWithToken(call: Call, email: string, password: string): Promise<Operator> {
  const login = await call('POST', '/api/v1/auth/login', { body: { email, password } });
  if (login.status !== 200) throw new Error(`login ${email}: HTTP ${login.status} ${JSON.stringify(login.body)}`);
  const session = login.body as { user: { id: string }; csrfToken: string; memberships: { officeId: string | null; officeName: string | null }[] };
  const cookie = login.setCookie.map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('urpnet_session='));
  if (!cookie) throw new Error('login: no session cookie');
  const office = session.memberships.find((m) => m.officeId !== null);
  if (!office?.officeId) throw new Error(`${email} has no office membership`);
  const created = await call('POST', '/api/v1/me/tokens', {
    body: { name: 'bench', scopes: ['tickets:read', 'tickets:write'] },
    headers: { cookie, 'x-csrf-token': session.csrfToken },
  });
  if (created.status !== 201) throw new Error(`token create: HTTP ${created.status} ${JSON.stringify(created.body)}`);
  return { userId: session.user.id, officeId: office.officeId, officeName: office.officeName, token: (created.body as { secret: string }).secret };
}

/** The body of POST /api/v1/tickets used by every run (as test/helpers/test-app.ts `ticketInput`). */
export function ticketBody(officeId: string) {
  return {
    officeId,
    channel: 'telefono',
    subject: 'Rinnovo carta d’identità elettronica',
    description: 'La cittadina chiede come prenotare il rinnovo della CIE scaduta e quali documenti portare.',
    priority: 'normal',
    requester: { name: 'Maria Bianchi', email: 'maria.bianchi@example.org', phone: '+39 333 1234567', fiscalCode: 'BNCMRA80A41C426X' },
    classification: { tipo: 'informazione', tema: 'identita_digitale.cie' },
  };
}
