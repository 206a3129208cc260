import { describe, expect, it } from 'vitest';
import { renderTemplate, templateFields } from './faq-template.js';

const body = "L'URP è aperto {{orari_ufficio}}. Il rilascio costa {{costo|quanto stabilito dal tuo Comune}}. Info: {{ contatti }}. {{Non è un campo}} {{orari_ufficio|altro}}";

describe('FAQ local fields', () => {
  it('lists the fields once, with the first default given', () => {
    expect(templateFields('Orari {{orari_ufficio}}', body)).toEqual([
      { name: 'orari_ufficio', default: 'altro' },
      { name: 'costo', default: 'quanto stabilito dal tuo Comune' },
      { name: 'contatti', default: null },
    ]);
    expect(templateFields('Nessun campo {{}} {{1x}} {x}')).toEqual([]);
  });

  it('renders local values, then defaults, then the field name', () => {
    expect(renderTemplate(body, { orari_ufficio: 'dal lunedì al venerdì, 9-12', contatti: '0863 1234' })).toBe(
      "L'URP è aperto dal lunedì al venerdì, 9-12. Il rilascio costa quanto stabilito dal tuo Comune. Info: 0863 1234. {{Non è un campo}} dal lunedì al venerdì, 9-12",
    );
    expect(renderTemplate('Aperto {{orari_ufficio}}; costo {{costo|variabile}}', { costo: '  ' })).toBe('Aperto [orari ufficio]; costo variabile');
    expect(renderTemplate('Testo senza campi')).toBe('Testo senza campi');
  });
});
