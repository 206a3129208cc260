import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { anonymizeStream } from './anonymize-stream.js';

function sink(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function run(input: Buffer | string | Buffer[], options = {}) {
  const out = sink();
  const err = sink();
  const chunks = Array.isArray(input) ? input : [typeof input === 'string' ? Buffer.from(input) : input];
  const summary = await anonymizeStream(Readable.from(chunks), out.stream, err.stream, options);
  const lines = out.text().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { id: unknown; text: string; entities: { type: string; start: number; end: number }[] });
  return { summary, lines, errors: err.text() };
}

describe('anonymizeStream', () => {
  it('replaces personal data and gives UTF-16 offsets into the input text', async () => {
    const text = '😀 sono Mario Rossi, tel 347 1234567';
    const { lines, summary, errors } = await run(`${JSON.stringify({ id: 'a', text })}\n`);
    expect(errors).toBe('');
    expect(summary).toEqual({ written: 1, rejected: 0, invalidUtf8: 0 });
    expect(lines[0]!.id).toBe('a');
    expect(lines[0]!.text).toBe('😀 sono [PERSONA], tel [TELEFONO]');
    expect(lines[0]!.entities.map((e) => [e.type, text.slice(e.start, e.end)])).toEqual([['PERSON', 'Mario Rossi'], ['PHONE', '347 1234567']]);
  });

  it('reports bad lines with their number and goes on', async () => {
    const input = ['{"id":1,"text":"nessun dato"}', 'non json', '{"id":3}', '{"id":4,"text":42}', '', '{"id":6,"text":"cf RSSMRA80A01H501U"}'].join('\n');
    const { lines, summary, errors } = await run(input);
    expect(lines.map((l) => l.id)).toEqual([1, 6]);
    expect(lines[1]!.text).toBe('cf [CODICE_FISCALE]');
    expect(summary.rejected).toBe(3);
    expect(errors).toContain('riga 2: non è JSON');
    expect(errors).toContain('riga 3: manca il campo "text"');
    expect(errors).toContain('riga 4: manca il campo "text"');
  });

  it('reports bytes that are not UTF-8 and binary noise without crashing', async () => {
    const bad = Buffer.concat([Buffer.from('{"id":"x","text":"caff'), Buffer.from([0xe8, 0xff]), Buffer.from(' via Roma 12"}\n')]);
    const binary = Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x80, 0x0a, 0x7b]);
    const { lines, summary, errors } = await run(Buffer.concat([bad, binary]));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.text).toContain('\uFFFD');
    expect(summary.invalidUtf8).toBe(2);
    expect(summary.rejected).toBe(2);
    expect(errors).toMatch(/riga 1: byte non UTF-8/);
    expect(errors).toMatch(/riga 2: .*non è JSON/);
  });

  it('joins lines split across chunks and handles CRLF', async () => {
    const { lines } = await run([Buffer.from('{"id":"a","text":"mail a.b'), Buffer.from('@example.it"}\r\n{"id":"b","te'), Buffer.from('xt":"ok"}')]);
    expect(lines.map((l) => l.text)).toEqual(['mail [EMAIL]', 'ok']);
  });

  it('rejects a line longer than the limit without holding it, and continues', async () => {
    const long = `{"id":"big","text":"${'a'.repeat(5000)}"}`;
    const { lines, summary, errors } = await run([Buffer.from(long.slice(0, 3000)), Buffer.from(`${long.slice(3000)}\n{"id":"ok","text":"ciao"}\n`)], { maxLineBytes: 1000 });
    expect(lines.map((l) => l.id)).toEqual(['ok']);
    expect(summary.rejected).toBe(1);
    expect(errors).toContain('riga 1: più lunga di 1000 byte');
  });

  it('anonymises a 10 MB text in linear time', { timeout: 60_000 }, async () => {
    const sentence = 'Buongiorno, sono Giulia Bianchi, abito in via Roma 12, tel 347 1234567, cf RSSMRA80A01H501U. Il lampione è rotto. ';
    const text = sentence.repeat(Math.ceil(10_000_000 / sentence.length));
    const started = performance.now();
    const { lines } = await run(`${JSON.stringify({ id: 'big', text })}\n`);
    const seconds = (performance.now() - started) / 1000;
    expect(lines[0]!.entities.filter((e) => e.type === 'FISCAL_CODE')).toHaveLength(Math.ceil(10_000_000 / sentence.length));
    expect(lines[0]!.text).not.toContain('Bianchi');
    expect(seconds).toBeLessThan(30);
  });

  it('waits for a slow output to drain (backpressure)', async () => {
    const out = new PassThrough({ highWaterMark: 64 });
    const input = Array.from({ length: 200 }, (_, i) => JSON.stringify({ id: i, text: `riga ${i}, tel 06 1234567` })).join('\n');
    const done = anonymizeStream(Readable.from([Buffer.from(input)]), out, sink().stream);
    let count = 0;
    for await (const chunk of out) {
      count += String(chunk).split('\n').length - 1;
      if (count >= 200) break;
    }
    expect((await done).written).toBe(200);
  });
});
