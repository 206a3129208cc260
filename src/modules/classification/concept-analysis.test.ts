import { describe, expect, it } from 'vitest';
import { stemWord } from '../../platform/text/text-analysis.js';
import { createTextAnalyser } from './concept-analysis.js';
import { seedThesaurusAnalysis } from './network-analysis.js';
import { deserializeModel, predict, serializeModel, trainClassifier } from './text-classifier.js';
import { countTerms, normaliseText } from './text-features.js';

const thesaurus = [['TARI', 'tassa rifiuti', 'tassa sulla spazzatura'], ['CIE', "carta d'identità elettronica"]];

describe('concept analysis', () => {
  it('maps the citizen wording and the FAQ wording to the same concept, and stems content words', () => {
    const analyser = createTextAnalyser({ lang: 'it', thesaurus });
    const citizen = analyser.analyse(normaliseText('devo pagare la tassa sulla spazzatura'));
    const faq = analyser.analyse(normaliseText('Come si paga la TARI'));
    expect(citizen.concepts).toHaveLength(1);
    expect(citizen.concepts).toEqual(faq.concepts);
    expect(citizen.stems).not.toContain('la');
    expect(analyser.analyse('pagamenti').stems).toEqual(analyser.analyse('pagamento').stems);
  });

  it('lets a model learn a topic from one wording and recognise the synonym, and keeps its thesaurus when stored', () => {
    const examples = [
      { text: 'Scadenze e pagamento della TARI', label: 'tributi.tari' },
      { text: 'Rinnovo della CIE in comune', label: 'identita_digitale.cie' },
      { text: 'Iscrizione alla mensa scolastica', label: 'istruzione.mensa' },
    ];
    const withConcepts = trainClassifier(examples, { analysis: { lang: 'it', thesaurus } });
    expect(predict(withConcepts, 'spazzatura: quanto si paga di tassa?', 1)[0]!.label).toBe('tributi.tari');
    const restored = deserializeModel(serializeModel(withConcepts));
    expect(restored.analyser?.spec.thesaurus).toEqual(thesaurus);
    expect(predict(restored, 'tassa sulla spazzatura', 3)).toEqual(predict(withConcepts, 'tassa sulla spazzatura', 3));
  });

  it('keeps words only some private texts have out of the model', () => {
    const examples = [
      ...['a', 'b', 'c'].map((v) => ({ text: `buca in strada ${v} rossiniano`, label: 'strade', private: true })),
      { text: 'lampione spento signora Qwertyuiop', label: 'luce', private: true },
      { text: 'lampione spento', label: 'luce' },
    ];
    const model = trainClassifier(examples, { minPrivateDocumentFrequency: 3 });
    const has = (w: string) => model.bucketIndex.has([...countTerms(w, model.features).word.keys()][0]!);
    expect(has('rossiniano')).toBe(true); // in three distinct private texts
    expect(has('qwertyuiop')).toBe(false); // in one private text only
    expect(has('lampione')).toBe(true); // in a public text
  });

  it('uses the seed thesaurus of the network by default for Italian', () => {
    expect(seedThesaurusAnalysis('it').thesaurus.length).toBeGreaterThan(10);
    expect(seedThesaurusAnalysis('en').thesaurus).toEqual([]);
  });

  it('lets a word the model never saw stand for its general-language synonyms the model knows', () => {
    const analyser = createTextAnalyser({ lang: 'it', thesaurus: [['TARI', 'tassa rifiuti']] }, new Map([['immondizia', ['rifiuti', 'pattume']]]));
    const known = new Set(['tassa', 'rifiuti', 'pagare'].map((w) => stemWord(w)));
    const text = normaliseText('devo pagare la tassa sulla immondizia');
    // Training (no vocabulary yet) sees the words as written.
    expect(analyser.analyse(text)).toEqual({ stems: ['pagare', 'tassa', 'immondizia'].map((w) => stemWord(w)), concepts: [] });
    // Prediction: "immondizia" is unknown, "rifiuti" is known; the phrase "tassa rifiuti" matches too.
    const predicted = analyser.analyse(text, (stem) => known.has(stem));
    expect(predicted.stems).toContain(stemWord('rifiuti'));
    expect(predicted.stems).not.toContain(stemWord('pattume'));
    expect(predicted.concepts).toEqual([stemWord('tari')]);
  });
});
