import { describe, expect, it } from 'vitest';
import { seal, unseal } from './sealed.js';

const SECRET = 'a-server-secret-of-enough-length-0123456789';

describe('sealed secrets', () => {
  it('opens what it sealed, for the same purpose and secret only', () => {
    const sealed = seal(SECRET, 'mailbox-smtp', 'smtps://urp:segreta@smtps.pec.example.it:465');
    expect(sealed).not.toContain('segreta');
    expect(unseal(SECRET, 'mailbox-smtp', sealed)).toBe('smtps://urp:segreta@smtps.pec.example.it:465');
    expect(unseal(SECRET, 'another-purpose', sealed)).toBeNull();
    expect(unseal(`${SECRET}x`, 'mailbox-smtp', sealed)).toBeNull();
  });

  it('seals the same text differently each time, and refuses altered or malformed values', () => {
    const a = seal(SECRET, 'p', 'same');
    expect(seal(SECRET, 'p', 'same')).not.toBe(a);
    const [v, iv, body] = a.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(unseal(SECRET, 'p', `${v}.${iv}.${flipped.toString('base64url')}`)).toBeNull();
    for (const bad of ['', 'v1', 'v1..', 'v2.aaaa.bbbb', `v1.${iv}.AA`]) expect(unseal(SECRET, 'p', bad)).toBeNull();
  });
});
