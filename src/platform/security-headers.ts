import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy of every response, the web app's and the API docs' included. Scripts
 * only from this origin (the built app and Swagger UI load theirs from files, none inline), so an
 * injected `<script>` or `onclick=` does not run. Inline styles stay allowed: components set style
 * attributes, and a style cannot run code. No framing at all (clickjacking), no plugins, forms and
 * fetches only to this origin.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
});

/**
 * Adds the security headers to every response that goes through Fastify's send path (successes,
 * problems, framework errors). Responses that write their own head (hijacked, such as the
 * notification stream) spread SECURITY_HEADERS into it.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!reply.hasHeader(name)) reply.header(name, value);
    return payload;
  });
}
