import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Proof of work for the portal form, instead of a third-party CAPTCHA: the server hands out a signed
 * challenge `<issuedAtMs>.<difficulty>.<random>.<mac>`; the browser looks for a nonce such that
 * SHA-256(challenge + ':' + nonce) starts with `difficulty` zero bits (2^difficulty hashes on
 * average) and sends both with the form. The server checks the signature, the age and the hash, and
 * spends the challenge (portal_challenges), so one challenge buys one request. Costless for one
 * citizen, costly for a script filing thousands. No state is kept for challenges never used.
 */
export const CHALLENGE_TTL_MS = 30 * 60_000;
export const DEFAULT_DIFFICULTY = 16;

const mac = (secret: string, body: string) => createHmac('sha256', `pow:${secret}`).update(body).digest('base64url').slice(0, 22);

export function issueChallenge(secret: string, now: Date, difficulty = DEFAULT_DIFFICULTY): { challenge: string; difficulty: number; expiresAt: Date } {
  const body = `${now.getTime()}.${difficulty}.${randomBytes(12).toString('base64url')}`;
  return { challenge: `${body}.${mac(secret, body)}`, difficulty, expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS) };
}

/** Leading zero bits of a digest. */
export function leadingZeroBits(digest: Buffer): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

export function workDigest(challenge: string, nonce: string): Buffer {
  return createHash('sha256').update(`${challenge}:${nonce}`).digest();
}

export type ChallengeProblem = 'malformed' | 'signature' | 'expired' | 'insufficient_work';

/** null when the challenge is genuine, fresh and solved by the nonce; else why not. */
export function checkProof(secret: string, challenge: string, nonce: string, now: Date): ChallengeProblem | null {
  const parts = challenge.split('.');
  if (parts.length !== 4 || !/^\d{1,15}$/.test(parts[0]!) || !/^\d{1,2}$/.test(parts[1]!) || nonce.length === 0 || nonce.length > 64) return 'malformed';
  const body = parts.slice(0, 3).join('.');
  const expected = Buffer.from(mac(secret, body));
  const given = Buffer.from(parts[3]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'signature';
  const issuedAt = Number(parts[0]);
  if (now.getTime() - issuedAt > CHALLENGE_TTL_MS || issuedAt - now.getTime() > 60_000) return 'expired';
  return leadingZeroBits(workDigest(challenge, nonce)) >= Number(parts[1]) ? null : 'insufficient_work';
}

/** Finds a nonce (what the browser does; here for tests, tools and benches). */
export function solveChallenge(challenge: string, difficulty: number): string {
  for (let n = 0; ; n++) {
    const nonce = n.toString(36);
    if (leadingZeroBits(workDigest(challenge, nonce)) >= difficulty) return nonce;
  }
}

export const challengeHash = (challenge: string) => createHash('sha256').update(challenge).digest('hex');
