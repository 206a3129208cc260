/**
 * Topic suggestions also hear the FAQ search: the topics of the FAQs that answer the text are added
 * to the classifier's distribution. The two read the text differently (the classifier per topic,
 * from all its texts at once; the search per FAQ, with typo correction, the editorial thesaurus,
 * the general lexicon and the topic smoothing), and a citizen's question is often closer to one FAQ
 * than to the average of its topic. Measured on the 5-fold check over the corpus titles (the FAQ
 * held out of both the model and the index): acc@1 0.880 → 0.921 (bench/quality-heldout.bench.ts).
 * Pure.
 */

/** What the best FAQ adds to its topic's probability; the others add in proportion to their score. */
export const FAQ_TOPIC_WEIGHT = 0.2;
/** FAQs of the search that take part. */
export const FAQ_TOPIC_HITS = 5;

export interface FaqTopicHit {
  topic: string | null;
  score: number;
}

/**
 * The classifier's probabilities over `labels` plus, for each of the first FAQ_TOPIC_HITS FAQs,
 * `weight × score / best score` on its topic, renormalised to sum to 1. Topics the model does not
 * have are ignored; without hits the distribution is returned as it is.
 */
export function blendFaqTopics(labels: readonly string[], p: Float64Array, hits: readonly FaqTopicHit[], weight = FAQ_TOPIC_WEIGHT): Float64Array {
  const best = hits[0]?.score ?? 0;
  if (best <= 0 || weight <= 0) return p;
  const at = new Map(labels.map((label, i) => [label, i]));
  const out = Float64Array.from(p);
  for (const hit of hits.slice(0, FAQ_TOPIC_HITS)) {
    const i = hit.topic === null ? undefined : at.get(hit.topic);
    if (i !== undefined && hit.score > 0) out[i]! += (weight * hit.score) / best;
  }
  let sum = 0;
  for (const v of out) sum += v;
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}
