import { describe, expect, it } from 'vitest';
import { parseFaqLines } from './faq-import.js';

const line = (o: Record<string, unknown>) => JSON.stringify({ id: 'faq-1', title: 'Come si paga la TARI?', body: 'Con pagoPA.', tema: 'tributi.tari', scope: 'network', owner: 'Rete URP', tags: ['TARI'], lang: 'it', ...o });

describe('FAQ exchange format', () => {
  it('parses valid lines and reports malformed ones with their line number', () => {
    const content = [line({}), '{not json', '', line({ id: 'faq-2', title: '' }), line({ id: 'faq-3', lang: 'xx' }), line({ id: 'faq-1' }), line({ id: 'faq-4', colour: 'blu' }), '[1,2]', line({ id: 'faq-5', translation_of: 'faq-1', lang: 'en' })].join('\n');
    const { records, errors } = parseFaqLines(content);
    expect(records.map((r) => r.id)).toEqual(['faq-1', 'faq-5']);
    expect(records[1]).toMatchObject({ translationOf: 'faq-1', lang: 'en', line: 9 });
    expect(errors.map((e) => e.line)).toEqual([2, 4, 5, 6, 7, 8]);
    expect(errors[0]!.message).toMatch(/JSON non valido/);
    expect(errors[1]!.message).toMatch(/title/);
    expect(errors[2]!.message).toMatch(/lang/);
    expect(errors[3]!.message).toMatch(/già presente alla riga 1/);
    expect(errors[4]!.message).toMatch(/campi sconosciuti: colour/);
  });
});
