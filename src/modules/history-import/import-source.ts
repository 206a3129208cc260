/**
 * Reading an uploaded legacy file as a stream, in bounded memory: optional gzip, the sniffed
 * encoding, and records in batches. The only I/O of the module besides the repository.
 */
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ByteInspector, columnNames, createDecoder, type Delimiter, detectDelimiter, detectHeader, type SniffFailure, sampleRecords, type SourceEncoding } from './csv-sniff.js';
import { type CsvRecord, CsvRecordTooLongError, streamCsvRecords } from '../../platform/csv.js';
import { historyImportErrors as errors } from './history-import.errors.js';

/** Opens the raw bytes of the file (as uploaded: possibly gzip-compressed). */
export type ByteSource = () => Readable;

export const SAMPLE_BYTES = 64 * 1024;
/** Upper bound of the decompressed size: a gzip bomb is refused, not inflated to disk or memory. */
export const MAX_DECOMPRESSED_BYTES = 1024 * 1024 * 1024;

export type Compression = 'none' | 'gzip';

export interface SniffOverrides {
  delimiter?: Delimiter | undefined;
  hasHeader?: boolean | undefined;
}

export interface SniffResult {
  compression: Compression;
  encoding: SourceEncoding;
  delimiter: Delimiter;
  hasHeader: boolean;
  columns: string[];
  rowCount: number;
}

async function* bytesOf(open: ByteSource, compression: Compression): AsyncGenerator<Buffer> {
  const raw = open();
  // 64 KiB of output per chunk (zlib's default is 16 KiB): a quarter of the chunks down the pipeline.
  const stream = compression === 'gzip' ? raw.pipe(createGunzip({ chunkSize: 64 * 1024 })) : raw;
  raw.on('error', (err) => stream.destroy(err));
  let total = 0;
  try {
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > MAX_DECOMPRESSED_BYTES) throw errors.fileTooLarge({ maxBytes: MAX_DECOMPRESSED_BYTES });
      yield chunk as Buffer;
    }
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('Z_')) throw errors.badGzip();
    throw err;
  } finally {
    stream.destroy();
    raw.destroy();
  }
}

async function detectCompression(open: ByteSource): Promise<Compression> {
  const raw = open();
  try {
    for await (const chunk of raw) {
      const b = chunk as Buffer;
      return b[0] === 0x1f && b[1] === 0x8b ? 'gzip' : 'none';
    }
    return 'none';
  } finally {
    raw.destroy();
  }
}

function failure(f: SniffFailure): Error {
  switch (f.kind) {
    case 'empty':
      return errors.emptyFile();
    case 'binary':
      return errors.binaryFile();
    case 'utf16':
      return errors.utf16File();
    case 'encoding_undecidable':
      return errors.encodingUndecidable({ line: f.line });
  }
}

/** Counts records of a byte stream; a runaway record is reported with its line. */
async function countRecords(chunks: AsyncIterable<Uint8Array>, delimiter: Delimiter): Promise<number> {
  let records = 0;
  try {
    for await (const batch of streamCsvRecords(chunks, delimiter)) records += batch.length;
  } catch (err) {
    if (err instanceof CsvRecordTooLongError) throw errors.fieldTooLong({ line: err.line });
    throw err;
  }
  return records;
}

const isUtf16 = (head: Uint8Array) => (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);

/**
 * One pass over the whole file: the encoding is decided on every byte (an invalid UTF-8 byte may
 * sit on the last line), the delimiter and header on the first 64 KiB, and records are counted.
 */
export async function sniffSource(open: ByteSource, overrides: SniffOverrides = {}): Promise<SniffResult> {
  const compression = await detectCompression(open);
  const inspector = new ByteInspector();
  const sampleChunks: Buffer[] = [];
  let sampleSize = 0;
  let delimiter: Delimiter | null = overrides.delimiter ?? null;
  // A binary or empty file is reported as such, not as "one column".
  const inspectorFailure = () => {
    const verdict = inspector.finish();
    if (!verdict.ok && verdict.failure.kind !== 'encoding_undecidable') throw failure(verdict.failure);
  };
  const decide = (complete: boolean) => {
    // The counting parser would take a UTF-16 byte order mark for "read as UTF-16": refuse first.
    if (isUtf16(inspector.head)) throw failure({ kind: 'utf16' });
    if (delimiter) return;
    const guess = detectDelimiter(new TextDecoder('utf-8').decode(Buffer.concat(sampleChunks)), complete);
    if (!guess.delimiter) {
      inspectorFailure();
      throw errors.singleColumn({ columnsBy: guess.columnsBy });
    }
    delimiter = guess.delimiter;
  };
  // The bytes of the whole file for counting, as they are: counting only needs the ASCII structure
  // (quotes, delimiters, line breaks), identical in every supported encoding, so nothing is decoded
  // before the encoding is known. The delimiter is decided on the sample before its first chunk.
  async function* bytes(): AsyncGenerator<Buffer> {
    let counting = false;
    for await (const chunk of bytesOf(open, compression)) {
      inspector.push(chunk);
      if (counting) {
        yield chunk;
        continue;
      }
      sampleChunks.push(chunk);
      sampleSize += chunk.length;
      if (sampleSize >= SAMPLE_BYTES) {
        decide(false);
        counting = true;
        yield Buffer.concat(sampleChunks);
      }
    }
    if (!counting) {
      inspectorFailure();
      decide(true);
      yield Buffer.concat(sampleChunks);
    }
  }
  const chunks = bytes();
  // Read up to the delimiter decision before the reader is built on it.
  const first = await chunks.next();
  const records = first.done ? 0 : await countRecords(prepend(first.value, chunks), delimiter as unknown as Delimiter);
  const verdict = inspector.finish();
  if (!verdict.ok) throw failure(verdict.failure);
  const used = delimiter as unknown as Delimiter;
  const sample = createDecoder(verdict.encoding).decode(Buffer.concat(sampleChunks), { stream: true });
  const firstRecords = sampleRecords(sample, used, sampleSize < SAMPLE_BYTES, 30);
  const columnsFound = Math.max(0, ...firstRecords.map((r) => r.length));
  if (columnsFound < 2) {
    if (overrides.delimiter) throw errors.declaredDelimiterSingleColumn({ declared: overrides.delimiter, suggestion: detectDelimiter(sample, sampleSize < SAMPLE_BYTES).delimiter });
    throw errors.singleColumn({ columnsBy: {} });
  }
  const hasHeader = overrides.hasHeader ?? detectHeader(firstRecords);
  return { compression, encoding: verdict.encoding, delimiter: used, hasHeader, columns: columnNames(firstRecords[0] ?? [], hasHeader), rowCount: Math.max(0, records - (hasHeader ? 1 : 0)) };
}

async function* prepend<T>(head: T, rest: AsyncIterable<T>): AsyncGenerator<T> {
  yield head;
  yield* rest;
}

export interface ReadOptions {
  compression: Compression;
  encoding: SourceEncoding;
  delimiter: Delimiter;
  hasHeader: boolean;
}

/**
 * Data records (header skipped) in batches. UTF-8 bytes go to the parser as they are (a BOM is
 * dropped by it); Windows-1252 is decoded and handed over as text.
 */
export async function* readRecords(open: ByteSource, options: ReadOptions, batchSize = 1000): AsyncGenerator<CsvRecord[]> {
  async function* decoded(): AsyncGenerator<string> {
    const decoder = createDecoder(options.encoding);
    for await (const chunk of bytesOf(open, options.compression)) yield decoder.decode(chunk, { stream: true });
    yield decoder.decode();
  }
  const chunks = options.encoding === 'windows-1252' ? decoded() : bytesOf(open, options.compression);
  let skipHeader = options.hasHeader;
  let batch: CsvRecord[] = [];
  try {
    for await (const records of streamCsvRecords(chunks, options.delimiter)) {
      for (const r of records) {
        if (skipHeader) {
          skipHeader = false;
          continue;
        }
        batch.push(r);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    }
  } catch (err) {
    if (err instanceof CsvRecordTooLongError) throw errors.fieldTooLong({ line: err.line });
    throw err;
  }
  if (batch.length > 0) yield batch;
}

/** The first data rows, for the preview. */
export async function previewRows(open: ByteSource, options: ReadOptions, limit = 10): Promise<CsvRecord[]> {
  for await (const batch of readRecords(open, options, limit)) return batch.slice(0, limit);
  return [];
}
