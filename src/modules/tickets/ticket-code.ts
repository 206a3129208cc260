/**
 * Public ticket codes a citizen can read over the phone, e.g. `K7M2-Q9X4-B`.
 *
 * Eight random Crockford base32 symbols (40 bits) followed by one check symbol
 * drawn from the same 32-symbol alphabet, so the code never contains the
 * hard-to-dictate Crockford extras `*~$=U`.
 *
 * Why the check lives in GF(32) and not in the integers mod 32: a plain
 * weighted sum `Σ wᵢ·aᵢ mod 32` cannot catch both error classes. Catching every
 * substitution needs every weight to be odd (invertible mod 32); catching every
 * adjacent transposition needs `wᵢ − wᵢ₊₁` to be odd; two odd weights always
 * differ by an even number. So the symbol values are treated as elements of the
 * field GF(2⁵) and the weighted sum is taken there (addition is XOR):
 *
 *   check = Σ αⁱ⁺¹ · aᵢ   (i = 0..7, α a primitive element, check weight α⁰ = 1)
 *
 * - a substitution a → b at position i changes the sum by wᵢ·(a ⊕ b) ≠ 0;
 * - swapping a ≠ b at positions i, j changes it by (wᵢ ⊕ wⱼ)·(a ⊕ b) ≠ 0,
 *   because all nine weights α⁰…α⁸ are distinct.
 * Hence every single-symbol substitution and every transposition of two
 * different symbols (adjacent or not, check symbol included) is detected.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DATA_SYMBOLS = 8;
const BITS_PER_SYMBOL = 5;
const RANDOM_BYTES = (DATA_SYMBOLS * BITS_PER_SYMBOL) / 8;

/** x⁵ + x² + 1, a primitive polynomial over GF(2). */
const FIELD_POLYNOMIAL = 0b100101;
const FIELD_SIZE = 32;

function fieldMultiply(a: number, b: number): number {
  let product = 0;
  let x = a;
  let y = b;
  while (y > 0) {
    if ((y & 1) !== 0) product ^= x;
    y >>= 1;
    x <<= 1;
    if ((x & FIELD_SIZE) !== 0) x ^= FIELD_POLYNOMIAL;
  }
  return product;
}

/** αⁱ⁺¹ for data position i, with α = x (the value 2); the check symbol has weight α⁰ = 1. */
const WEIGHTS: readonly number[] = (() => {
  const weights: number[] = [];
  let power = 1;
  for (let i = 0; i < DATA_SYMBOLS; i++) {
    power = fieldMultiply(power, 2);
    weights.push(power);
  }
  return weights;
})();

function checkValue(values: readonly number[]): number {
  let sum = 0;
  values.forEach((value, i) => {
    sum ^= fieldMultiply(WEIGHTS[i] ?? 0, value);
  });
  return sum;
}

function symbol(value: number): string {
  const char = ALPHABET[value];
  if (char === undefined) throw new RangeError(`symbol value out of range: ${value}`);
  return char;
}

function format(values: readonly number[]): string {
  const data = values.map(symbol).join('');
  return `${data.slice(0, 4)}-${data.slice(4, 8)}-${symbol(checkValue(values))}`;
}

function defaultRandomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/**
 * Generates a new random ticket code in canonical `XXXX-XXXX-C` form.
 * `randomBytes` is injectable for deterministic tests; it must return at least 5 bytes.
 */
export function generateTicketCode(randomBytes: (n: number) => Uint8Array = defaultRandomBytes): string {
  const bytes = randomBytes(RANDOM_BYTES);
  if (bytes.length < RANDOM_BYTES) {
    throw new RangeError(`randomBytes returned ${bytes.length} bytes, ${RANDOM_BYTES} needed`);
  }
  // 40 bits fit exactly in a JS number (< 2⁵³), so no BigInt is needed.
  let bits = 0;
  for (let i = 0; i < RANDOM_BYTES; i++) bits = bits * 256 + (bytes[i] ?? 0);
  const values: number[] = [];
  for (let i = DATA_SYMBOLS - 1; i >= 0; i--) {
    values[i] = bits % FIELD_SIZE;
    bits = Math.floor(bits / FIELD_SIZE);
  }
  return format(values);
}

/** Letters people (and OCR) confuse with digits, per Crockford's decoding rules. */
const LOOKALIKES: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1' };

/**
 * Normalises what a citizen typed or dictated into the canonical `XXXX-XXXX-C`
 * form: case, spaces, dashes and dots are ignored, O reads as 0, I and L as 1.
 * Returns null when the input is not exactly 9 valid symbols or the check
 * symbol does not match (`U` is never valid).
 */
export function normalizeTicketCode(input: string): string | null {
  const compact = input.trim().toUpperCase().replace(/[\s.-]/g, '');
  if (compact.length !== DATA_SYMBOLS + 1) return null;
  const values: number[] = [];
  for (const char of compact) {
    const value = ALPHABET.indexOf(LOOKALIKES[char] ?? char);
    if (value < 0) return null;
    values.push(value);
  }
  const check = values.pop();
  if (check !== checkValue(values)) return null;
  return format(values);
}

/** True when `input` normalises to a valid ticket code. */
export function isTicketCode(input: string): boolean {
  return normalizeTicketCode(input) !== null;
}
