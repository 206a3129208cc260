import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluatePiiScrub, readMarkedCorpus, readPiiCorpus } from '../../../bench/lib/pii-eval.js';
import { detectPii, scrubPii, stripPersonalData, validVatNumber } from './index.js';

describe('scrubPii', () => {
  it('replaces the identifiers citizens type into a search box', () => {
    const text = 'il mio codice fiscale è RSSMRA80A01H501U, chiamatemi al +39 333 123 4567 o scrivete a mario.rossi@example.it';
    expect(scrubPii(text)).toBe('il mio codice fiscale è [CODICE FISCALE], chiamatemi al [TELEFONO] o scrivete a [EMAIL]');
    expect(scrubPii('pratica K7M2-Q9X4-B ancora aperta')).toBe('pratica [CODICE PRATICA] ancora aperta');
    expect(scrubPii('IBAN IT60 X054 2811 1010 0000 0123 456 per il rimborso')).toBe('IBAN [IBAN] per il rimborso');
    expect(scrubPii('P.IVA 01234567897')).toBe('P.IVA [PARTITA IVA]');
    expect(scrubPii('abito in via Roma 12, 67043 Celano (AQ) da un anno')).toBe('abito in [INDIRIZZO] da un anno');
    expect(scrubPii('nato il 12/03/1957 a Celano')).toBe('nato il [DATA DI NASCITA] a Celano');
    expect(scrubPii('tel. 0863 792335')).toBe('tel. [TELEFONO]');
  });

  it('keeps the street of an address without its number when asked (keepStreet), the whole address otherwise', () => {
    const text = 'perdita in via Roma 12, 67043 Celano (AQ) e in viale della Repubblica 5/B da ieri';
    expect(scrubPii(text, { keepStreet: true })).toBe('perdita in via Roma [INDIRIZZO] e in viale della Repubblica [INDIRIZZO] da ieri');
    expect(scrubPii(text)).toBe('perdita in [INDIRIZZO] e in [INDIRIZZO] da ieri');
    expect(scrubPii('abito in corso Vittorio Emanuele, 140. Mi chiamo Giulia Bianchi', { keepStreet: true })).toBe('abito in corso Vittorio Emanuele [INDIRIZZO]. Mi chiamo [NOME]');
  });

  it('removes names after cues and known first names, not the words around them', () => {
    expect(scrubPii('Buongiorno, mi chiamo Giulia Bianchi e vorrei rinnovare la CIE')).toBe('Buongiorno, mi chiamo [NOME] e vorrei rinnovare la CIE');
    expect(scrubPii('la sig.ra rossi chiede il rimborso TARI')).toBe('la sig.ra [NOME] chiede il rimborso TARI');
    expect(scrubPii('ha telefonato Paolo Verdi per la mensa')).toBe('ha telefonato [NOME] per la mensa');
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
    expect(out).toContain('[NOME]');
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
    expect(scrubPii('data di nascita: 1961-04-03')).toBe('data di nascita: [DATA DI NASCITA]');
    expect(scrubPii('cf: VRD LGU 72C05 H501 Z')).toBe('cf: [CODICE FISCALE]');
    expect(scrubPii("carta d'identità n. AR 1234567")).toBe("carta d'identità n. [DOCUMENTO]");
    expect(scrubPii('auto targata ab123cd, poi EF-456-GH')).toBe('auto targata [TARGA], poi [TARGA]');
    expect(scrubPii('scrivere a giosuè.carducci@example.it')).toBe('scrivere a [EMAIL]');
  });

  it('finds names after a cue inside another cue, with surname particles, and after "chiedete di"', () => {
    expect(scrubPii('sono la signora Verdi e chiamo per la mensa')).toBe('sono la signora [NOME] e chiamo per la mensa');
    expect(scrubPii('inviata da Pietro De Luca ieri')).toBe('inviata da [NOME] ieri');
    expect(scrubPii('chiedete di Teresa.')).toBe('chiedete di [NOME].');
    expect(scrubPii('La signora Maria Grazia Di Stefano chiede un appuntamento')).toBe('La signora [NOME] chiede un appuntamento');
    expect(scrubPii('abita in Via delle Rose n° 18')).toBe('abita in [INDIRIZZO]');
    expect(scrubPii('codice fiscale: MRT-LSN-80A41-L219-K')).toBe('codice fiscale: [CODICE FISCALE]');
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
