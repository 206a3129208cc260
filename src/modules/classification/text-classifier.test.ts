import { describe, expect, it } from 'vitest';
import { ClassificationError } from './classification.errors.js';
import { deserializeModel, predict, predictDistribution, serializeModel, type TrainingExample, trainClassifier } from './text-classifier.js';

/** A small separable task in Italian: three topics with their own vocabulary, many phrasings. */
function syntheticExamples(): TrainingExample[] {
  const topics: Record<string, string[]> = {
    'tributi.tari': ['tassa rifiuti', 'bolletta tari', 'pagamento tari', 'riduzione tassa spazzatura'],
    'tributi.imu': ['imu seconda casa', 'acconto imu', 'imposta immobili', 'esenzione imu abitazione'],
    'anagrafe.residenza': ['cambio residenza', 'trasferimento di residenza', 'nuovo indirizzo anagrafe', 'iscrizione anagrafica'],
  };
  const openers = ['vorrei sapere', 'come funziona', 'informazioni su', 'ho un problema con', 'quando scade'];
  const out: TrainingExample[] = [];
  for (const [label, phrases] of Object.entries(topics)) for (const p of phrases) for (const o of openers) out.push({ text: `${o} ${p}`, label });
  return out;
}

describe('trainClassifier / predict', () => {
  const examples = syntheticExamples();
  const model = trainClassifier(examples, { seed: 7 });

  it('learns a small separable task, unseen wording included', () => {
    expect(predict(model, 'devo pagare la tari', 1)[0]!.label).toBe('tributi.tari');
    expect(predict(model, "l'imu sulla seconda casa", 1)[0]!.label).toBe('tributi.imu');
    expect(predict(model, 'mi sono trasferito, cambio di residenza', 1)[0]!.label).toBe('anagrafe.residenza');
    // character n-grams carry a typo
    expect(predict(model, 'resdienza nuova', 1)[0]!.label).toBe('anagrafe.residenza');
  });

  it('returns k labels, most likely first, with softmax confidences', () => {
    const top = predict(model, 'tassa rifiuti', 3);
    expect(top).toHaveLength(3);
    expect(top[0]!.confidence).toBeGreaterThan(top[1]!.confidence);
    const sum = top.reduce((s, p) => s + p.confidence, 0);
    expect(sum).toBeLessThanOrEqual(1 + 1e-9);
    expect([...predictDistribution(model, 'tassa rifiuti')].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(predict(model, 'tassa rifiuti', 1)).toHaveLength(1);
  });

  it('answers the prior for a text with no known feature', () => {
    expect(predict(model, '', 2)).toHaveLength(2);
    expect(predict(model, 'xyzzy qwv', 1)[0]!.confidence).toBeLessThan(0.9);
  });

  it('is deterministic for a seed, with and without refinement', () => {
    for (const epochs of [0, 3]) {
      const a = serializeModel(trainClassifier(examples, { seed: 3, epochs }));
      const b = serializeModel(trainClassifier(examples, { seed: 3, epochs }));
      expect(a).toBe(b);
    }
  });

  it('round-trips through serialisation with identical predictions (unpruned) or the same ranking (pruned)', () => {
    for (const trained of [model, trainClassifier(examples, { seed: 3, epochs: 3 })]) {
      const text = serializeModel(trained, { pruneBelow: 0 });
      const loaded = deserializeModel(text);
      for (const q of ['tassa rifiuti', 'acconto imu', 'cambio indirizzo', '']) expect(predict(loaded, q, 3)).toEqual(predict(trained, q, 3));
      expect(serializeModel(loaded, { pruneBelow: 0 })).toBe(text);
      // The stored form drops weights below 1e-3: same labels, confidences within a hair.
      const pruned = deserializeModel(serializeModel(trained));
      for (const q of ['tassa rifiuti', 'acconto imu', 'cambio indirizzo']) {
        const a = predict(pruned, q, 3);
        const b = predict(trained, q, 3);
        expect(a.map((p) => p.label)).toEqual(b.map((p) => p.label));
        for (let i = 0; i < a.length; i++) expect(a[i]!.confidence).toBeCloseTo(b[i]!.confidence, 2);
      }
    }
  });

  it('refuses a model it did not write', () => {
    expect(() => deserializeModel('{"format":"altro"}')).toThrow(ClassificationError);
    expect(() => deserializeModel('non json')).toThrow(/non è JSON/);
  });
});

describe('bad training sets', () => {
  it('refuses a single class with an Italian message', () => {
    expect(() => trainClassifier([{ text: 'a b c', label: 'x' }, { text: 'd e f', label: 'x' }])).toThrow('Servono almeno due categorie diverse per addestrare il classificatore');
    try {
      trainClassifier([{ text: 'a', label: 'x' }]);
    } catch (err) {
      expect((err as ClassificationError).code).toBe('classification.single_class');
    }
  });

  it('refuses an empty set, or one with only blank texts or labels', () => {
    expect(() => trainClassifier([])).toThrow(/Nessun esempio utilizzabile/);
    expect(() => trainClassifier([{ text: '  ', label: 'x' }, { text: 'abc', label: ' ' }])).toThrow(expect.objectContaining({ code: 'classification.empty_training_set' }));
  });

  it('refuses malformed examples and weights', () => {
    expect(() => trainClassifier([{ text: 3, label: 'x' } as unknown as TrainingExample])).toThrow(/n\. 1 non valido/);
    expect(() => trainClassifier([{ text: 'a', label: 'x', weight: -1 }])).toThrow(/peso/);
  });
});
