import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

let t: TestApp;
let operator: Client;
let code: string;

function multipart(filename: string, content: Buffer | string, contentType = 'application/octet-stream') {
  const head = Buffer.from(`--B\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  return { payload: Buffer.concat([head, Buffer.isBuffer(content) ? content : Buffer.from(content), Buffer.from('\r\n--B--\r\n')]), headers: { 'content-type': 'multipart/form-data; boundary=B' } };
}

beforeAll(async () => {
  t = await buildTestApp({ MAX_ATTACHMENT_BYTES: String(64 * 1024) });
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
  code = (await operator.post('/api/v1/tickets', ticketInput(operator))).json().code;
});
afterAll(async () => {
  await t?.close();
});

describe('attachments', () => {
  it('stores a file, links it to a message and serves it back only to authorised users', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1000, 0x20)]);
    const up = await operator.request({ method: 'POST', url: `/api/v1/tickets/${code}/attachments`, ...multipart('modulo richiesta.pdf', pdf, 'application/pdf') });
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({ filename: 'modulo richiesta.pdf', contentType: 'application/pdf', size: pdf.length });
    const msg = await operator.post(`/api/v1/tickets/${code}/messages`, { kind: 'reply', body: 'In allegato il modulo.', attachmentIds: [up.json().id] });
    expect(msg.statusCode, msg.body).toBe(201);
    expect(msg.json().attachments).toHaveLength(1);
    const down = await operator.get(`/api/v1/tickets/${code}/attachments/${up.json().id}`);
    expect(down.statusCode).toBe(200);
    expect(down.headers['content-disposition']).toContain("filename*=UTF-8''modulo%20richiesta.pdf");
    expect(down.rawPayload.equals(pdf)).toBe(true);
    const other = await login(t.app, demoEmail('operatore', 'comune-salerno'));
    expect((await other.get(`/api/v1/tickets/${code}/attachments/${up.json().id}`)).statusCode).toBe(404);
    // The same attachment cannot be linked twice.
    const twice = await operator.post(`/api/v1/tickets/${code}/messages`, { kind: 'note', body: 'di nuovo', attachmentIds: [up.json().id] });
    expect(twice.json().code).toBe('message.invalid_attachments');
  });

  it('refuses disallowed types, disguised content and oversized files', async () => {
    const exe = await operator.request({ method: 'POST', url: `/api/v1/tickets/${code}/attachments`, ...multipart('virus.exe', 'MZ....') });
    expect(exe.statusCode).toBe(415);
    expect(exe.json().code).toBe('attachment.type_not_allowed');
    const fakePdf = await operator.request({ method: 'POST', url: `/api/v1/tickets/${code}/attachments`, ...multipart('finto.pdf', 'MZ not a pdf') });
    expect(fakePdf.statusCode).toBe(415);
    const big = await operator.request({ method: 'POST', url: `/api/v1/tickets/${code}/attachments`, ...multipart('grande.txt', Buffer.alloc(70 * 1024, 0x61)) });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('attachment.too_large');
    const rows = await t.database.db.selectFrom('attachments').select('filename').execute();
    expect(rows.map((r) => r.filename)).toEqual(['modulo richiesta.pdf']);
  });
});
