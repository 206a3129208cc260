import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * The citizen's private tracking token: an HMAC-SHA-256 (256 bits, base64url) of a random seed under
 * the server's secret, never derived from the ticket code. The seed and the token's SHA-256 are
 * stored: a lookup hashes what the citizen brings and compares in the unique index, and the e-mails
 * sent later rebuild the link from the seed; a copy of the database without the secret opens nothing.
 * The portal uses the form's submission key as the seed, so a form posted twice gets the same token.
 */
export function trackingToken(secret: string, seed: string): { token: string; hash: string } {
  const token = createHmac('sha256', `track:${secret}`).update(seed).digest('base64url');
  return { token, hash: hashTrackingToken(token) };
}

export const newTokenSeed = () => randomBytes(24).toString('base64url');

export function hashTrackingToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A well-formed token: 43 base64url characters. Anything else is answered "not found" without a query. */
export function isTrackingToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** Days after closure during which the tracking link still opens the request. */
export const TRACKING_DAYS_AFTER_CLOSE = 90;

export function trackingExpired(closedAt: Date | null, now: Date): boolean {
  return closedAt !== null && now.getTime() - closedAt.getTime() > TRACKING_DAYS_AFTER_CLOSE * 86_400_000;
}
