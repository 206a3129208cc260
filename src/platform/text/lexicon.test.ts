import { describe, expect, it } from 'vitest';
import { italianLexicon, parseMyThes } from './lexicon.js';

const SAMPLE = ['UTF-8', 'spazzatura|1', '(s.f.)|immondizia|rifiuti|raccolta differenziata', 'dottore|2', '(s.m.)|laureato', '(s.m.)|medico|Dottore', 'andare a capo|1', '(loc.)|capoverso', 'città|1', '(s.f.)|metropoli (fig.)|centro urbano', ''].join('\n');

describe('Italian lexicon (MyThes)', () => {
  it('maps each one-word entry to its one-word synonyms across senses, normalised as the search normalises', () => {
    const lexicon = parseMyThes(SAMPLE);
    expect(lexicon.get('spazzatura')).toEqual(['immondizia', 'rifiuti']);
    expect(lexicon.get('dottore')).toEqual(['laureato', 'medico']);
    expect(lexicon.get('citta')).toEqual(['metropoli']);
    expect(lexicon.has('andare a capo')).toBe(false);
  });

  it('ships with urpnet: the default lexicon bridges everyday words to the FAQs\' words', () => {
    const lexicon = italianLexicon();
    expect(lexicon.size).toBeGreaterThan(10_000);
    expect(lexicon.get('spazzatura')).toContain('rifiuti');
    expect(lexicon.get('dottore')).toContain('medico');
  });

  it('is empty when the thesaurus file is missing', () => {
    expect(italianLexicon('/nonexistent/th_it_IT_v2.dat').size).toBe(0);
  });
});
