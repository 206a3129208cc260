import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSolution, leadingZeroBits, sha256, solveChallenge, toHex } from '../src/lib/proof-of-work.js';

describe('sha256', () => {
  it('matches the FIPS 180-2 test vectors', () => {
    expect(toHex(sha256(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(sha256('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(sha256('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('agrees with node:crypto across block boundaries and on non-ASCII text', () => {
    for (const length of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000]) {
      const text = 'x'.repeat(length);
      expect(toHex(sha256(text)), `length ${length}`).toBe(createHash('sha256').update(text).digest('hex'));
    }
    const italian = 'perché è già così: città, caffè';
    expect(toHex(sha256(italian))).toBe(createHash('sha256').update(italian, 'utf8').digest('hex'));
  });
});

describe('leadingZeroBits', () => {
  it('counts whole zero bytes and the zeros of the first non-zero byte', () => {
    expect(leadingZeroBits(new Uint8Array([0x80]))).toBe(0);
    expect(leadingZeroBits(new Uint8Array([0x01]))).toBe(7);
    expect(leadingZeroBits(new Uint8Array([0x00, 0x10]))).toBe(11);
    expect(leadingZeroBits(new Uint8Array([0x00, 0x00, 0xff]))).toBe(16);
    expect(leadingZeroBits(new Uint8Array([0x00, 0x00]))).toBe(16);
  });
});

describe('solveChallenge', () => {
  it('finds a base-36 counter nonce whose hash has the asked zero bits, in chunks', async () => {
    const nonce = await solveChallenge('test-challenge', 10, { chunk: 100 });
    expect(isSolution('test-challenge', nonce, 10)).toBe(true);
    const hash = createHash('sha256').update(`test-challenge:${nonce}`).digest();
    expect(leadingZeroBits(new Uint8Array(hash))).toBeGreaterThanOrEqual(10);
    // The first solution: no smaller counter solves it.
    const n = Number.parseInt(nonce, 36);
    for (let i = 0; i < n; i++) expect(isSolution('test-challenge', i.toString(36), 10)).toBe(false);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(solveChallenge('c', 64, { chunk: 10, signal: controller.signal })).rejects.toThrow(/aborted/);
  });
});
