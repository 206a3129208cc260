import { describe, expect, it } from 'vitest';
import { stripPersonalData } from './personal-data.js';

describe('stripPersonalData', () => {
  it('removes e-mails, phone numbers, codici fiscali, IBANs and numbers, keeps the wording', () => {
    const text =
      'Sono Mario, scrivetemi a mario.rossi@example.it o alla PEC m.rossi@pec.it, tel. +39 333 123 4567 o 0863-123456. ' +
      'CF RSSMRA85T10A562S, IBAN IT60 X054 2811 1010 0000 0123 456, pratica n. 2024/1234 del 12/03/2024, via Roma 15.';
    const out = stripPersonalData(text);
    for (const leaked of ['@', 'rossi@', '333', '123456', 'RSSMRA85T10A562S', 'IT60', '2024', '1234', '15']) expect(out).not.toContain(leaked);
    expect(out).toContain('scrivetemi');
    expect(out).toContain('pratica n.');
    expect(out).toContain('via Roma');
  });

  it('leaves ordinary text alone', () => {
    expect(stripPersonalData('Come pago la TARI?')).toBe('Come pago la TARI?');
  });
});
