/**
 * CSV files sent to an import route: as the multipart field «file» (the admin pages) or as the raw
 * request body (`curl --data-binary @file.csv -H 'content-type: text/csv'`). One place for the
 * accepted content types and the size limit, shared by every import.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** What spreadsheets and browsers send a CSV file as. */
export const CSV_UPLOAD_TYPES = ['text/csv', 'text/plain', 'text/tab-separated-values', 'application/csv', 'application/vnd.ms-excel', 'application/octet-stream'];

/** A matrix of every comune of Italy × a hundred topics is a few tens of MB; a national IPA export less. */
export const MAX_CSV_UPLOAD_BYTES = 64 * 1024 * 1024;

/** Lets the routes of `scope` (an encapsulated plugin scope) take a raw CSV body as a Buffer. */
export function acceptCsvBodies(scope: FastifyInstance, maxBytes = MAX_CSV_UPLOAD_BYTES): void {
  scope.addContentTypeParser(CSV_UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) => done(null, body));
}

/** The uploaded file's bytes; `missing()` is the error when the request carries none. */
export async function uploadedCsvBytes(request: FastifyRequest, missing: () => Error, maxBytes = MAX_CSV_UPLOAD_BYTES): Promise<Uint8Array> {
  if (request.isMultipart()) {
    const file = await request.file({ limits: { fileSize: maxBytes, files: 1 } });
    if (!file) throw missing();
    return file.toBuffer();
  }
  if (!Buffer.isBuffer(request.body)) throw missing();
  return request.body;
}
