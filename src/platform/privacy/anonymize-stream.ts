/**
 * `urpnet anonymize`: JSONL in, JSONL out. Each input line `{"id": "...", "text": "..."}` becomes
 * `{"id": "...", "text": "<redacted>", "entities": [{"type": "PHONE", "start": 10, "end": 22}]}`,
 * offsets in UTF-16 code units of the input text (JavaScript string indexes).
 *
 * Streaming with bounded memory: lines are cut from the byte stream as they come (one line at a
 * time in memory, at most `maxLineBytes`), and writing waits for the output to drain. Lines are cut
 * from bytes rather than through readline so that bytes that are not UTF-8 can be reported
 * (readline would replace them silently).
 */
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { detectPii, type PiiSpan, redactSpans } from './recogniser.js';

export interface AnonymizeOptions {
  /** Longer lines are rejected (and skipped up to their end) instead of being held in memory. Default 64 MiB. */
  maxLineBytes?: number;
}

export interface AnonymizeSummary {
  /** Lines written to the output. */
  written: number;
  /** Lines rejected (not JSON, no string `text`, too long): reported, not written. */
  rejected: number;
  /** Lines written with bytes that were not UTF-8 (replaced by U+FFFD, reported). */
  invalidUtf8: number;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/**
 * Reads JSONL from `input`, writes one anonymised JSON line per accepted input line to `output`,
 * and one message per problem (with its line number) to `errors`. Resolves with the counts; the
 * caller decides the exit code (non-zero when anything was rejected or not UTF-8).
 */
export async function anonymizeStream(input: Readable, output: Writable, errors: Writable, options: AnonymizeOptions = {}): Promise<AnonymizeSummary> {
  const maxLineBytes = options.maxLineBytes ?? 64 * 1024 * 1024;
  const summary: AnonymizeSummary = { written: 0, rejected: 0, invalidUtf8: 0 };
  let lineNumber = 0;
  let parts: Buffer[] = [];
  let size = 0;
  let skipping = false;

  const report = (message: string) => errors.write(`riga ${lineNumber}: ${message}\n`);

  const handleLine = async (bytes: Buffer) => {
    lineNumber++;
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    if (bytes.length === 0) return;
    let line: string;
    try {
      line = strictUtf8.decode(bytes);
    } catch {
      line = lenientUtf8.decode(bytes);
      summary.invalidUtf8++;
      report('byte non UTF-8, sostituiti con U+FFFD');
    }
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      summary.rejected++;
      report('non è JSON valido, riga scartata');
      return;
    }
    if (typeof record !== 'object' || record === null || typeof (record as { text?: unknown }).text !== 'string') {
      summary.rejected++;
      report('manca il campo "text" di tipo stringa, riga scartata');
      return;
    }
    const { id, text } = record as { id?: unknown; text: string };
    const spans = detectPii(text);
    const out = `${JSON.stringify({ id: id ?? null, text: redactSpans(text, spans), entities: spans.map(entityOf) })}\n`;
    summary.written++;
    if (!output.write(out)) await once(output, 'drain');
  };

  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    let buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    for (let nl = buffer.indexOf(0x0a); nl !== -1; nl = buffer.indexOf(0x0a)) {
      const piece = buffer.subarray(0, nl);
      buffer = buffer.subarray(nl + 1);
      if (skipping) {
        skipping = false;
        lineNumber++;
        continue;
      }
      parts.push(piece);
      const line = parts.length === 1 ? piece : Buffer.concat(parts);
      parts = [];
      size = 0;
      await handleLine(line);
    }
    if (buffer.length === 0 || skipping) continue;
    size += buffer.length;
    if (size > maxLineBytes) {
      // Too long to hold: drop what we have and skip to the end of the line.
      parts = [];
      size = 0;
      skipping = true;
      summary.rejected++;
      errors.write(`riga ${lineNumber + 1}: più lunga di ${maxLineBytes} byte, riga scartata\n`);
      continue;
    }
    // Copy: the stream may reuse the chunk's memory.
    parts.push(Buffer.from(buffer));
  }
  if (!skipping && parts.length > 0) await handleLine(Buffer.concat(parts));
  return summary;
}

function entityOf(s: PiiSpan): { type: string; start: number; end: number } {
  return { type: s.type, start: s.start, end: s.end };
}
