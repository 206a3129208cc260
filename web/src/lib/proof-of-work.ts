/**
 * The portal's proof of work: before filing a request, the browser finds a nonce such that
 * SHA-256(`${challenge}:${nonce}`) starts with `difficulty` zero bits. It costs a citizen a fraction
 * of a second and a bulk sender a lot. SHA-256 is written here, synchronous and dependency-free,
 * because WebCrypto's digest is asynchronous (one promise per attempt is far slower) and missing
 * outside secure contexts (plain http on a LAN name).
 */

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

type Words8 = [number, number, number, number, number, number, number, number];
const INITIAL: Readonly<Words8> = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

const encoder = new TextEncoder();
/** The message schedule, reused across calls: hashing is synchronous, so nothing else touches it meanwhile. */
const W = new Uint32Array(64);

/** SHA-256 of bytes (or of a string's UTF-8 encoding), as 32 bytes. */
export function sha256(input: Uint8Array | string): Uint8Array {
  const message = typeof input === 'string' ? encoder.encode(input) : input;
  const bitLength = message.length * 8;
  // Message, the 0x80 marker, zero padding, and the 64-bit big-endian length: a multiple of 64 bytes.
  const paddedLength = Math.ceil((message.length + 9) / 64) * 64;
  const padded = new Uint8Array(paddedLength);
  padded.set(message);
  padded[message.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(paddedLength - 8, Math.floor(bitLength / 0x100000000));
  view.setUint32(paddedLength - 4, bitLength >>> 0);

  let [h0, h1, h2, h3, h4, h5, h6, h7] = INITIAL;
  for (let block = 0; block < paddedLength; block += 64) {
    for (let i = 0; i < 16; i++) W[i] = view.getUint32(block + i * 4);
    for (let i = 16; i < 64; i++) {
      const w15 = W[i - 15] as number;
      const w2 = W[i - 2] as number;
      const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
      const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
      W[i] = ((W[i - 16] as number) + s0 + (W[i - 7] as number) + s1) >>> 0;
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    let f = h5;
    let g = h6;
    let h = h7;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + S1 + ch + (K[i] as number) + (W[i] as number)) >>> 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) >>> 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h0 = (h0 + a) >>> 0;
    h1 = (h1 + b) >>> 0;
    h2 = (h2 + c) >>> 0;
    h3 = (h3 + d) >>> 0;
    h4 = (h4 + e) >>> 0;
    h5 = (h5 + f) >>> 0;
    h6 = (h6 + g) >>> 0;
    h7 = (h7 + h) >>> 0;
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (const [i, word] of [h0, h1, h2, h3, h4, h5, h6, h7].entries()) outView.setUint32(i * 4, word);
  return out;
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** How many zero bits the bytes start with. */
export function leadingZeroBits(bytes: Uint8Array): number {
  let bits = 0;
  for (const byte of bytes) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** Whether `nonce` solves the challenge: the hash of `challenge:nonce` starts with `difficulty` zero bits. */
export function isSolution(challenge: string, nonce: string, difficulty: number): boolean {
  return leadingZeroBits(sha256(`${challenge}:${nonce}`)) >= difficulty;
}

export interface SolveOptions {
  /** Attempts between two yields to the event loop: small enough that typing never stutters. */
  chunk?: number;
  signal?: AbortSignal;
}

/**
 * The first nonce (a counter written in base 36) that solves the challenge. Runs in chunks with a
 * yield to the event loop between them, so the page stays responsive; rejects with an AbortError
 * when `signal` aborts.
 */
export async function solveChallenge(challenge: string, difficulty: number, options: SolveOptions = {}): Promise<string> {
  const chunk = options.chunk ?? 2000;
  for (let n = 0; ; ) {
    const end = n + chunk;
    for (; n < end; n++) {
      const nonce = n.toString(36);
      if (isSolution(challenge, nonce, difficulty)) return nonce;
    }
    await new Promise((resolve) => setTimeout(resolve));
    if (options.signal?.aborted) throw new DOMException('Proof of work aborted', 'AbortError');
  }
}
