import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectProject, evaluatePiiScrub, evaluateTyped, readMarkedCorpus, readPiiCorpus, typedMetrics } from '../../../bench/lib/pii-eval.js';
import { detectPii, scrubPii, stripPersonalData, validVatNumber } from './index.js';

describe('scrubPii', () => {
  it('replaces the identifiers citizens type into a search box', () => {
    const text = 'il mio codice fiscale è RSSMRA80A01H501U, chiamatemi al +39 333 123 4567 o scrivete a mario.rossi@example.it';
    expect(scrubPii(text)).toBe('il mio codice fiscale è [CODICE_FISCALE], chiamatemi al [TELEFONO] o scrivete a [EMAIL]');
    expect(scrubPii('pratica K7M2-Q9X4-B ancora aperta')).toBe('pratica [CODICE_PRATICA] ancora aperta');
    expect(scrubPii('IBAN IT60 X054 2811 1010 0000 0123 456 per il rimborso')).toBe('IBAN [IBAN] per il rimborso');
    expect(scrubPii('P.IVA 01234567897')).toBe('P.IVA [PARTITA_IVA]');
    expect(scrubPii('abito in via Roma 12, 67043 Celano (AQ) da un anno')).toBe('abito in [INDIRIZZO] da un anno');
    expect(scrubPii('nato il 12/03/1957 a Celano')).toBe('nato il [DATA_DI_NASCITA] a Celano');
    expect(scrubPii('tel. 0863 792335')).toBe('tel. [TELEFONO]');
  });

  it('keeps the street of an address without its number when asked (keepStreet), the whole address otherwise', () => {
    const text = 'perdita in via Roma 12, 67043 Celano (AQ) e in viale della Repubblica 5/B da ieri';
    expect(scrubPii(text, { keepStreet: true })).toBe('perdita in via Roma [INDIRIZZO] e in viale della Repubblica [INDIRIZZO] da ieri');
    expect(scrubPii(text)).toBe('perdita in [INDIRIZZO] e in [INDIRIZZO] da ieri');
    expect(scrubPii('abito in corso Vittorio Emanuele, 140. Mi chiamo Giulia Bianchi', { keepStreet: true })).toBe('abito in corso Vittorio Emanuele [INDIRIZZO]. Mi chiamo [PERSONA]');
  });

  it('removes names after cues and known first names, not the words around them', () => {
    expect(scrubPii('Buongiorno, mi chiamo Giulia Bianchi e vorrei rinnovare la CIE')).toBe('Buongiorno, mi chiamo [PERSONA] e vorrei rinnovare la CIE');
    expect(scrubPii('la sig.ra rossi chiede il rimborso TARI')).toBe('la sig.ra [PERSONA] chiede il rimborso TARI');
    expect(scrubPii('ha telefonato Paolo Verdi per la mensa')).toBe('ha telefonato [PERSONA] per la mensa');
    expect(scrubPii('sono in attesa della carta')).toBe('sono in attesa della carta');
  });

  it('leaves ordinary questions, dates, amounts, laws and street names without a number alone', () => {
    for (const text of [
      'orari urp celano',
      'tari napoli scadenza 16/12/2025',
      'quanto costa la carta d’identità? 22,21 euro',
      'permessi legge 104/92 per assistere un familiare',
      'buca in via Garibaldi davanti alla scuola primaria Gianni Rodari',
      'rinnovo patente 2024',
    ]) {
      expect(scrubPii(text), text).toBe(text);
    }
  });

  it('removes the values known to belong to the requester, in any spelling', () => {
    const reply = 'Gentile sig.ra Bianchi, Maria Bianchi può richiamare il 333.1234567 o scriverci da maria.bianchi@example.org.';
    const out = scrubPii(reply, { known: { names: ['Maria Bianchi'], values: ['+39 333 1234567', 'maria.bianchi@example.org'] } });
    expect(out).not.toMatch(/Bianchi|1234567|maria\.bianchi/i);
    expect(out).toContain('[PERSONA]');
  });

  it('labels a known value by what it is: a fiscal code is not a phone number', () => {
    const out = scrubPii('Il codice fiscale rssmra80a01h501u risulta errato.', { known: { values: ['RSSMRA80A01H501U', '3331234567', 'IT60X0542811101000000123456'] } });
    expect(out).toBe('Il codice fiscale [CODICE_FISCALE] risulta errato.');
    expect(scrubPii('chiamare 333 1234567', { known: { values: ['3331234567'] } })).toBe('chiamare [TELEFONO]');
  });

  it('stays fast on long adversarial input (public text goes through it)', () => {
    for (const text of ['1'.repeat(20_000), 'a.'.repeat(10_000), 'ABCDEFGH12'.repeat(2_000), 'Mario Rossi '.repeat(1_500), 'via Aaaa '.repeat(2_500)]) {
      const started = performance.now();
      scrubPii(text);
      expect(performance.now() - started, text.slice(0, 20)).toBeLessThan(1_000);
    }
  });

  it('checks partita IVA check digits', () => {
    expect(validVatNumber('01234567897')).toBe(true);
    expect(validVatNumber('01234567890')).toBe(false);
  });

  it('returns sorted spans without overlaps', () => {
    const spans = detectPii('sig. Mario Rossi, via Roma 3, tel. 333 1234567');
    for (let i = 1; i < spans.length; i++) expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
    expect(spans.map((s) => s.type)).toEqual(['PERSON', 'ADDRESS', 'PHONE']);
  });
});

/**
 * Floors measured on the annotated development corpus (copied from ../shared/data/pii/). These are
 * regression floors, not targets: the recognisers are general patterns, and the corpus was also
 * used while writing them, so unseen text will score lower (see bench/pii-scrub.bench.ts).
 * Measured at the time of writing: PERSON 97.9%, every other type 100%; precision 100%.
 */
describe('stripPersonalData (texts for training)', () => {
  it('removes e-mails, phone numbers, codici fiscali, IBANs, names and numbers, keeps the wording and the street', () => {
    const text =
      'Sono Mario, scrivetemi a mario.rossi@example.it o alla PEC m.rossi@pec.it, tel. +39 333 123 4567 o 0863-123456. ' +
      'CF RSSMRA85T10A562S, IBAN IT60 X054 2811 1010 0000 0123 456, pratica n. 2024/1234 del 12/03/2024, via Roma 15. ' +
      'Vedi https://example.org/pratica?cf=RSSMRA85T10A562S';
    const out = stripPersonalData(text);
    for (const leaked of ['@', 'rossi@', '333', '123456', 'RSSMRA85T10A562S', 'IT60', '2024', '1234', '15', 'Mario', 'example.org', '[']) expect(out).not.toContain(leaked);
    expect(out).toContain('scrivetemi');
    expect(out).toContain('pratica n.');
    expect(out).toContain('via Roma');
  });

  it('leaves ordinary text alone', () => {
    expect(stripPersonalData('Come pago la TARI?')).toBe('Come pago la TARI?');
  });
});

describe('scrubPii on the annotated development corpus', () => {
  const records = readPiiCorpus(readFileSync(path.resolve(import.meta.dirname, '../../../test/fixtures/pii/dev-corpus.jsonl'), 'utf8'));
  const report = evaluatePiiScrub(records);
  const FLOORS: Record<string, number> = {
    EMAIL: 0.98, PHONE: 0.95, FISCAL_CODE: 0.95, IBAN: 0.95, VAT_CODE: 0.95, HEALTH_CARD: 0.95, ID_DOCUMENT: 0.9, LICENSE_PLATE: 0.9,
    IP_ADDRESS: 0.95, ADDRESS: 0.9, DATE_OF_BIRTH: 0.9, PERSON: 0.9,
  };

  it.each(Object.entries(FLOORS))('recalls %s above its floor', (type, floor) => {
    const r = report.recall[type]!;
    expect(r.total).toBeGreaterThan(10);
    expect(r.found / r.total).toBeGreaterThanOrEqual(floor);
  });

  it('keeps precision high and leaves clean texts untouched', () => {
    const all = Object.values(report.precision).reduce((a, p) => ({ detected: a.detected + p.detected, correct: a.correct + p.correct }), { detected: 0, correct: 0 });
    expect(all.correct / all.detected).toBeGreaterThanOrEqual(0.95);
    expect(report.cleanUntouched / report.cleanTexts).toBeGreaterThanOrEqual(0.9);
  });
});

describe('scrubPii on shapes the development corpus lacks', () => {
  it('reads civic numbers written "n. 4" / "n.7", ISO dates of birth, grouped fiscal codes, spaced documents and plates', () => {
    expect(scrubPii('risiede in località Colle Alto n. 4 da un anno')).toBe('risiede in [INDIRIZZO] da un anno');
    expect(scrubPii('perdita in p.zza Garibaldi n.7', { keepStreet: true })).toBe('perdita in p.zza Garibaldi [INDIRIZZO]');
    expect(scrubPii('data di nascita: 1961-04-03')).toBe('data di nascita: [DATA_DI_NASCITA]');
    expect(scrubPii('cf: VRD LGU 72C05 H501 Z')).toBe('cf: [CODICE_FISCALE]');
    expect(scrubPii("carta d'identità n. AR 1234567")).toBe("carta d'identità n. [DOCUMENTO]");
    expect(scrubPii('auto targata ab123cd, poi EF-456-GH')).toBe('auto targata [TARGA], poi [TARGA]');
    expect(scrubPii('scrivere a giosuè.carducci@example.it')).toBe('scrivere a [EMAIL]');
  });

  it('finds names after a cue inside another cue, with surname particles, and after "chiedete di"', () => {
    expect(scrubPii('sono la signora Verdi e chiamo per la mensa')).toBe('sono la signora [PERSONA] e chiamo per la mensa');
    expect(scrubPii('inviata da Pietro De Luca ieri')).toBe('inviata da [PERSONA] ieri');
    expect(scrubPii('chiedete di Teresa.')).toBe('chiedete di [PERSONA].');
    expect(scrubPii('La signora Maria Grazia Di Stefano chiede un appuntamento')).toBe('La signora [PERSONA] chiede un appuntamento');
    expect(scrubPii('abita in Via delle Rose n° 18')).toBe('abita in [INDIRIZZO]');
    expect(scrubPii('codice fiscale: MRT-LSN-80A41-L219-K')).toBe('codice fiscale: [CODICE_FISCALE]');
  });

  it('does not read ordinary words and numbers as plates', () => {
    for (const text of ['Presentare il 730 può essere utile', 'il 730 precompilato', 'modello F24 entro il 16 giugno']) expect(scrubPii(text), text).toBe(text);
  });

  /**
   * Recall floors on hand-written sentences (test/fixtures/pii). Batch 1 guided the first round of
   * changes of issue 10 (77.3% before); batch 2, written after it, scored 87.0% untuned and then
   * guided a second round; batch 3, written before that round, scored 100% untuned (93.3% before
   * issue 10). Floors below the measured values: they catch regressions, not targets.
   */
  it.each([
    ['new-shapes.txt', 0.95],
    ['new-shapes-2.txt', 0.95],
    ['new-shapes-3.txt', 0.9],
  ])('recalls %s above %d and leaves its clean sentences untouched', (file, floor) => {
    const records = readMarkedCorpus(readFileSync(path.resolve(import.meta.dirname, '../../../test/fixtures/pii', file), 'utf8'));
    const report = evaluatePiiScrub(records);
    expect(report.overall.found / report.overall.total).toBeGreaterThanOrEqual(floor);
    expect(report.cleanUntouched).toBe(report.cleanTexts);
  });
});

/** What a text yields, as "TYPE:value" strings. */
function found(text: string): string[] {
  return detectPii(text).map((s) => `${s.type}:${text.slice(s.start, s.end)}`);
}

describe('detectPii on shapes of issue 13', () => {
  it('reads structured identifiers in their variants, without a cue or after one', () => {
    expect(found('tessera 80380 00000 12345 67890 scaduta')).toEqual(['HEALTH_CARD:80380 00000 12345 67890']);
    expect(found('TS 8038 0000 0098 7654 3210')).toEqual(['HEALTH_CARD:8038 0000 0098 7654 3210']);
    expect(found('accesso da 2001:db8:85a3::8a2e:370:7334 alle 03:12')).toEqual(['IP_ADDRESS:2001:db8:85a3::8a2e:370:7334']);
    expect(found('PATENTE U1X234567Y SCADUTA')).toContain('ID_DOCUMENT:U1X234567Y');
    expect(found('patente n. pz1234567a')).toEqual(['ID_DOCUMENT:pz1234567a']);
    expect(found('targa fg-482-kt rimossa')).toEqual(['LICENSE_PLATE:fg-482-kt']);
    expect(found('targa vecchia RM 5A8832')).toEqual(['LICENSE_PLATE:RM 5A8832']);
    expect(found('chiamata dal +39 (0)6 4567 8901')).toEqual(['PHONE:+39 (0)6 4567 8901']);
    expect(found('phone +44 7911 123456')).toEqual(['PHONE:+44 7911 123456']);
    expect(found('CF azienda 80012345678')).toEqual(['VAT_CODE:80012345678']);
    expect(found('p.iva 07643520567 fatturazione')).toEqual(['VAT_CODE:07643520567']);
  });

  it('reads dates of birth after many cues, and no other date', () => {
    expect(found('classe 1939, non riceve la pensione')).toEqual(['DATE_OF_BIRTH:1939']);
    expect(found('n. il 22/11/1940')).toEqual(['DATE_OF_BIRTH:22/11/1940']);
    expect(found('born on March 3, 1988')).toEqual(['DATE_OF_BIRTH:March 3, 1988']);
    expect(found('Decreto n. 112 del 12/03/2024, scadenza 30/06/2025')).toEqual([]);
  });

  it('finds names of many origins from the name lists, in capitals, lower case and surname first', () => {
    expect(found('TEL. RICEVUTA DA POPESCU ANDREEA PER RINNOVO CIE')).toEqual(['PERSON:POPESCU ANDREEA']);
    expect(found('ha chiamato Kowalski Piotr ieri')).toEqual(['PERSON:Kowalski Piotr']);
    expect(found('il nostro assistito Kamal Bensaid chiede accesso agli atti')).toEqual(['PERSON:Kamal Bensaid']);
    expect(found('nota op.: BIANCHI G. res. altrove')).toEqual(['PERSON:BIANCHI G.']);
    expect(found('mia moglie Rosa Gatto è ricoverata')).toEqual(['PERSON:Rosa Gatto']);
  });

  it('leaves places, offices and common words that are also names alone', () => {
    expect(found('La Rosa nel giardino comunale è stata danneggiata')).toEqual([]);
    expect(found('Ospedale San Raffaele: parcheggio caro')).toEqual([]);
    expect(found('Liceo Enrico Fermi: riscaldamento spento')).toEqual([]);
    expect(found('Via Giuseppe Garibaldi è chiusa per lavori')).toEqual([]);
    expect(found('nata il 02.02.1971 a Kiev, residente altrove')).toEqual(['DATE_OF_BIRTH:02.02.1971']);
  });

  it('reads an address said without a house number after "abito in", "residente in"', () => {
    expect(found('abito in via Nazionale, il lampione è rotto')).toEqual(['ADDRESS:via Nazionale']);
    expect(found('la strada di via Roma è rotta')).toEqual([]);
  });

  /**
   * Typed floors (same type, IoU ≥ 0.5) on the held-out batches of issue 13. heldout-operator-notes,
   * heldout-emails-forms and heldout-chat-mixed were written before the changes (74.0% recall
   * untuned) and then guided them. The "untuned" batches were each written later and measured once
   * before any further change (first measurement: 93.1%/95.3%, 88.9%/95.5%, 93.6%/97.8% recall/
   * precision); the misses of the first two were read afterwards, the third was not. heldout-untuned-4
   * (first measurement 75.9%/91.3%) guided the next round of general changes; heldout-untuned-5 was
   * written after them and measured once, untouched (85.1%/93.0%). Floors catch regressions.
   */
  it.each([
    ['heldout-operator-notes.txt', 0.97, 0.95],
    ['heldout-emails-forms.txt', 0.97, 0.95],
    ['heldout-chat-mixed.txt', 0.97, 0.95],
    ['heldout-untuned.txt', 0.9, 0.9],
    ['heldout-untuned-2.txt', 0.85, 0.9],
    ['heldout-untuned-3.txt', 0.97, 0.97],
    ['heldout-untuned-4.txt', 0.95, 0.95],
    ['heldout-untuned-5.txt', 0.82, 0.9],
  ])('typed recall and precision on %s', (file, recallFloor, precisionFloor) => {
    const records = readMarkedCorpus(readFileSync(path.resolve(import.meta.dirname, '../../../test/fixtures/pii', file), 'utf8'));
    const report = evaluateTyped(records, records.map((r) => detectProject(r.text)));
    const m = typedMetrics(report.overall);
    expect(m.recall).toBeGreaterThanOrEqual(recallFloor);
    expect(m.precision).toBeGreaterThanOrEqual(precisionFloor);
  });
});
