import { describe, expect, it } from 'vitest';
import { generateTicketCode, isTicketCode, normalizeTicketCode } from './ticket-code.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CANONICAL = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/;

/** Deterministic PRNG (mulberry32) so failures are reproducible. */
function seededRandomBytes(seed: number): (n: number) => Uint8Array {
  let state = seed >>> 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
    }
    return out;
  };
}

function symbolsOf(code: string): string[] {
  return code.replace(/-/g, '').split('');
}

function sampleCodes(count: number): string[] {
  const random = seededRandomBytes(42);
  return Array.from({ length: count }, () => generateTicketCode(random));
}

describe('generateTicketCode', () => {
  it('produces canonical codes that validate', () => {
    for (const code of sampleCodes(500)) {
      expect(code).toMatch(CANONICAL);
      expect(normalizeTicketCode(code)).toBe(code);
    }
  });

  it('maps the 40 random bits onto the 8 data symbols', () => {
    expect(generateTicketCode(() => new Uint8Array(5)).slice(0, 9)).toBe('0000-0000');
    expect(generateTicketCode(() => new Uint8Array(5).fill(0xff)).slice(0, 9)).toBe('ZZZZ-ZZZZ');
    // 0x0842108421 = 00001 00001 ... (every 5-bit group is 1)
    expect(generateTicketCode(() => Uint8Array.from([0x08, 0x42, 0x10, 0x84, 0x21])).slice(0, 9)).toBe('1111-1111');
  });

  it('uses crypto randomness by default', () => {
    const codes = new Set(Array.from({ length: 50 }, () => generateTicketCode()));
    expect(codes.size).toBe(50);
    for (const code of codes) expect(isTicketCode(code)).toBe(true);
  });

  it('rejects a random source that returns too few bytes', () => {
    expect(() => generateTicketCode(() => new Uint8Array(4))).toThrow(RangeError);
  });
});

describe('normalizeTicketCode', () => {
  const code = generateTicketCode(seededRandomBytes(7));
  const compact = code.replace(/-/g, '');

  it('accepts dictated variants: case, spaces, dashes, dots', () => {
    expect(normalizeTicketCode(`  ${code.toLowerCase()} `)).toBe(code);
    expect(normalizeTicketCode(compact)).toBe(code);
    expect(normalizeTicketCode(compact.split('').join(' '))).toBe(code);
    expect(normalizeTicketCode(`${compact.slice(0, 3)}.${compact.slice(3, 6)}.${compact.slice(6)}`)).toBe(code);
  });

  it('reads O as 0 and I, L as 1', () => {
    const withDigits = generateTicketCode(() => bytesFor('00111111'.split('')));
    expect(withDigits.startsWith('0011-1111-')).toBe(true);
    const check = withDigits.slice(-1);
    expect(normalizeTicketCode(`OoIl-iLIl-${check}`)).toBe(withDigits);
  });

  it('rejects U, foreign characters and wrong lengths', () => {
    expect(normalizeTicketCode(`U${compact.slice(1)}`)).toBeNull();
    expect(normalizeTicketCode(`${compact.slice(0, 8)}U`)).toBeNull();
    expect(normalizeTicketCode(`${compact.slice(0, 8)}*`)).toBeNull();
    expect(normalizeTicketCode(compact.slice(0, 8))).toBeNull();
    expect(normalizeTicketCode(`${compact}0`)).toBeNull();
    expect(normalizeTicketCode('')).toBeNull();
    expect(normalizeTicketCode('K7M2_Q9X4_B')).toBeNull();
  });

  it('isTicketCode mirrors normalizeTicketCode', () => {
    expect(isTicketCode(code)).toBe(true);
    expect(isTicketCode(compact.toLowerCase())).toBe(true);
    expect(isTicketCode('hello')).toBe(false);
  });
});

describe('check symbol error detection', () => {
  const codes = sampleCodes(300);

  it('detects every single-symbol substitution at every position (including the check)', () => {
    let tried = 0;
    for (const code of codes) {
      const symbols = symbolsOf(code);
      symbols.forEach((original, position) => {
        for (const replacement of ALPHABET) {
          if (replacement === original) continue;
          const mutated = [...symbols];
          mutated[position] = replacement;
          expect(isTicketCode(mutated.join(''))).toBe(false);
          tried++;
        }
      });
    }
    expect(tried).toBe(codes.length * 9 * 31);
  });

  it('detects every transposition of two different symbols (adjacent and jump)', () => {
    let adjacent = 0;
    for (const code of codes) {
      const symbols = symbolsOf(code);
      for (let i = 0; i < symbols.length; i++) {
        for (let j = i + 1; j < symbols.length; j++) {
          if (symbols[i] === symbols[j]) continue;
          const mutated = [...symbols];
          [mutated[i], mutated[j]] = [symbols[j] ?? '', symbols[i] ?? ''];
          expect(isTicketCode(mutated.join(''))).toBe(false);
          if (j === i + 1) adjacent++;
        }
      }
    }
    expect(adjacent).toBeGreaterThan(codes.length * 7);
  });

  it('detects every adjacent transposition for every pair of symbol values (exhaustive by linearity)', () => {
    // The check is linear, so whether swapping a, b at positions i, i+1 is caught
    // does not depend on the other symbols: fixing them to 0 covers all codes.
    const fill = (values: Record<number, string>): string => {
      const data = Array.from({ length: 8 }, (_, k) => values[k] ?? '0');
      const probe = generateTicketCode(() => bytesFor(data));
      return probe.replace(/-/g, '');
    };
    for (let i = 0; i < 7; i++) {
      for (const a of ALPHABET) {
        for (const b of ALPHABET) {
          if (a === b) continue;
          const valid = fill({ [i]: a, [i + 1]: b });
          const swapped = `${valid.slice(0, i)}${b}${a}${valid.slice(i + 2)}`;
          expect(isTicketCode(swapped)).toBe(false);
        }
      }
    }
  });
});

/** Packs eight base32 symbols back into the five bytes generateTicketCode consumes. */
function bytesFor(symbols: readonly string[]): Uint8Array {
  let bits = 0;
  for (const s of symbols) bits = bits * 32 + ALPHABET.indexOf(s);
  const out = new Uint8Array(5);
  for (let i = 4; i >= 0; i--) {
    out[i] = bits % 256;
    bits = Math.floor(bits / 256);
  }
  return out;
}
