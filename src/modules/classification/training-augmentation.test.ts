import { describe, expect, it } from 'vitest';
import { expandTrainingExamples, splitSentences } from './training-augmentation.js';

describe('expandTrainingExamples', () => {
  const record = { fields: ['Come si paga la TARI?', 'La TARI si paga con pagoPA. Le rate scadono a maggio e a novembre.'], label: 'tributi.tari' };

  it('joins the fields by default', () => {
    expect(expandTrainingExamples([record])).toEqual([{ text: `${record.fields[0]}\n\n${record.fields[1]}`, label: 'tributi.tari' }]);
  });

  it('adds each field and each sentence as lighter examples on request', () => {
    const out = expandTrainingExamples([record], { fieldWeight: 0.5, sentenceWeight: 0.25 });
    expect(out.map((e) => e.weight ?? 1)).toEqual([1, 0.5, 0.5, 0.25, 0.25]);
    expect(out[3]!.text).toBe('La TARI si paga con pagoPA.');
  });

  it('skips records whose fields are all blank', () => {
    expect(expandTrainingExamples([{ fields: [' ', ''], label: 'x' }])).toEqual([]);
  });

  it('splits sentences on end marks and line breaks', () => {
    expect(splitSentences('Prima frase. Seconda!\nTerza')).toEqual(['Prima frase.', 'Seconda!', 'Terza']);
  });
});
