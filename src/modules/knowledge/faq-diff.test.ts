import { describe, expect, it } from 'vitest';
import { diffTokens, diffWords, sideOf } from './faq-diff.js';

describe('diffWords', () => {
  it('returns one equal segment for identical texts and nothing for two empty ones', () => {
    expect(diffWords('Orari dello sportello', 'Orari dello sportello')).toEqual([{ op: 'equal', text: 'Orari dello sportello' }]);
    expect(diffWords('', '')).toEqual([]);
  });

  it('marks inserted, deleted and replaced words', () => {
    expect(diffWords('Aperto il lunedì', 'Aperto il lunedì e il giovedì')).toEqual([
      { op: 'equal', text: 'Aperto il lunedì' },
      { op: 'insert', text: ' e il giovedì' },
    ]);
    expect(diffWords('Costa 16 euro in contanti', 'Costa 16 euro')).toEqual([{ op: 'equal', text: 'Costa 16 euro' }, { op: 'delete', text: ' in contanti' }]);
    expect(diffWords('Il costo è 16 euro.', 'Il costo è 22 euro.')).toEqual([
      { op: 'equal', text: 'Il costo è ' },
      { op: 'delete', text: '16' },
      { op: 'insert', text: '22' },
      { op: 'equal', text: ' euro.' },
    ]);
  });

  it('diffs whole texts from or to nothing', () => {
    expect(diffWords('', 'Nuovo testo')).toEqual([{ op: 'insert', text: 'Nuovo testo' }]);
    expect(diffWords('Vecchio testo', '')).toEqual([{ op: 'delete', text: 'Vecchio testo' }]);
  });

  it('keeps accents, apostrophes and punctuation as tokens', () => {
    expect(diffTokens("Com'è l'orario?")).toEqual(['Com', "'", 'è', ' ', 'l', "'", 'orario', '?']);
    const segments = diffWords("Qual è l'orario dell'URP?", "Qual è l'orario dello sportello?");
    expect(segments.filter((s) => s.op === 'delete').map((s) => s.text).join('|')).toBe("dell'URP");
    expect(segments.filter((s) => s.op === 'insert').map((s) => s.text).join('|')).toBe('dello sportello');
  });

  it('always reconstructs both sides (random texts)', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const words = ['la', 'carta', 'di', 'identità', 'si', 'rinnova', 'in', 'Comune', ',', '.', 'entro', '30', 'giorni'];
    const text = () => Array.from({ length: Math.floor(random() * 40) }, () => words[Math.floor(random() * words.length)]).join(' ');
    for (let i = 0; i < 200; i++) {
      const a = text();
      const b = random() < 0.5 ? text() : a.replace(/carta/g, 'tessera');
      const segments = diffWords(a, b);
      expect(sideOf(segments, 'before')).toBe(a);
      expect(sideOf(segments, 'after')).toBe(b);
      for (let k = 1; k < segments.length; k++) expect(segments[k]!.op).not.toBe(segments[k - 1]!.op);
    }
  });

  it('falls back to one deletion and one insertion beyond the edit limit', () => {
    const segments = diffWords('a b c d', 'e f g h', { maxEdits: 2 });
    expect(segments).toEqual([{ op: 'delete', text: 'a b c d' }, { op: 'insert', text: 'e f g h' }]);
  });
});
