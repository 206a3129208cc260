import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Uploaded files (ticket attachments, historical-import sources) live on disk under DATA_DIR,
 * addressed by a random key (never by the client's file name). Files are written to a temporary name, fsynced and renamed, so a crash never
 * leaves a half-written file behind a committed database row.
 */
export interface StoredFile {
  storageKey: string;
  size: number;
  sha256: string;
  head: Buffer;
}

export class FileTooLargeError extends Error {}

export function attachmentsRoot(dataDir: string): string {
  return path.join(dataDir, 'attachments');
}

export async function storeStream(root: string, stream: Readable, maxBytes: number): Promise<StoredFile> {
  const key = randomUUID();
  const dir = path.join(root, key.slice(0, 2));
  await mkdir(dir, { recursive: true });
  const finalPath = path.join(dir, key);
  const tmpPath = `${finalPath}.part`;
  const handle = await open(tmpPath, 'wx', 0o600);
  const hash = createHash('sha256');
  let size = 0;
  const headChunks: Buffer[] = [];
  let headSize = 0;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > maxBytes) throw new FileTooLargeError();
      if (headSize < 16) {
        headChunks.push(buf.subarray(0, 16 - headSize));
        headSize += Math.min(buf.length, 16 - headSize);
      }
      hash.update(buf);
      await handle.write(buf);
    }
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(tmpPath, { force: true });
    throw err;
  }
  await handle.close();
  await rename(tmpPath, finalPath);
  return { storageKey: `${key.slice(0, 2)}/${key}`, size, sha256: hash.digest('hex'), head: Buffer.concat(headChunks) };
}

export function openStored(root: string, storageKey: string): ReadStream {
  if (!/^[0-9a-f]{2}\/[0-9a-f-]{36}$/.test(storageKey)) throw new Error('invalid storage key');
  return createReadStream(path.join(root, storageKey));
}

export async function removeStored(root: string, storageKey: string): Promise<void> {
  await rm(path.join(root, storageKey), { force: true });
}

/** Allowed types, by extension, with the content type we serve them as. */
const ALLOWED: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  txt: 'text/plain',
  csv: 'text/csv',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  eml: 'message/rfc822',
  p7m: 'application/pkcs7-mime',
  xml: 'application/xml',
};

const MAGIC: Record<string, (head: Buffer) => boolean> = {
  'application/pdf': (h) => h.subarray(0, 5).toString('latin1') === '%PDF-',
  'image/png': (h) => h.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (h) => h[0] === 0xff && h[1] === 0xd8,
  'image/gif': (h) => h.subarray(0, 4).toString('latin1') === 'GIF8',
};

/** The content type to store and serve, or null when the file type is not allowed. */
export function allowedContentType(filename: string): string | null {
  const ext = path.extname(filename).slice(1).toLowerCase();
  return ALLOWED[ext] ?? null;
}

/** For types with a known signature, the bytes must match the extension (no renamed executables). */
export function contentMatches(contentType: string, head: Buffer): boolean {
  const check = MAGIC[contentType];
  return check ? check(head) : true;
}

export function safeFilename(name: string): string {
  const base = path.basename(name).normalize('NFC').replace(/[\u0000-\u001f"\\/<>:|?*]/g, '_').trim();
  return (base || 'allegato').slice(0, 200);
}
