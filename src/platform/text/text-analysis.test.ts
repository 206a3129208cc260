import { describe, expect, it } from 'vitest';
import { stemItalian } from './italian-stemmer.js';
import { analyseTerms, editDistance, normaliseText } from './text-analysis.js';

describe('Italian normalisation', () => {
  it('lower-cases, folds accents and splits elisions', () => {
    expect(normaliseText("Dov'è l'Ufficio dell'Anagrafe? CITTÀ")).toBe('dov e l ufficio dell anagrafe citta');
    expect(normaliseText('carta d’identità')).toBe('carta d identita');
    expect(normaliseText('S.P.I.D. e C.I.E.')).toBe('spid e cie');
  });

  it('reduces punctuation, markup and SQL to words or nothing', () => {
    expect(normaliseText('?!... ;;; ---')).toBe('');
    expect(normaliseText("<script>alert('x')</script>")).toBe('script alert x script');
    expect(normaliseText("'; drop table faq_articles; --")).toBe('drop table faq articles');
  });
});

describe('Italian stemmer', () => {
  it('conflates inflections of the same word', () => {
    for (const group of [['documento', 'documenti'], ['prenotazione', 'prenotazioni', 'prenotare'], ['residenza', 'residenze'], ['elettronica', 'elettroniche'], ['pagamento', 'pagare', 'pagato']]) {
      expect(new Set(group.map(stemItalian)).size, group.join(',')).toBe(1);
    }
  });

  it('keeps short words and removes attached pronouns', () => {
    expect(stemItalian('al')).toBe('al');
    expect(stemItalian('prenotarla')).toBe(stemItalian('prenotare'));
  });

  it('drops stop words and stems the rest', () => {
    expect(analyseTerms('Come faccio a rinnovare la carta di identità?')).toEqual(['rinnov', 'cart', 'ident']);
  });
});

describe('edit distance', () => {
  it('counts substitutions, insertions, deletions and transpositions', () => {
    expect(editDistance('residenza', 'resideza', 2)).toBe(1);
    expect(editDistance('tassa', 'tsasa', 2)).toBe(1);
    expect(editDistance('bollo', 'bolo', 2)).toBe(1);
    expect(editDistance('casa', 'cosa', 2)).toBe(1);
    expect(editDistance('anagrafe', 'passaporto', 2)).toBe(3);
  });
});
