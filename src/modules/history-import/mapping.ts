/**
 * The mapping from an organisation's legacy categories (and channels and statuses) to the shared
 * taxonomy, as pure data and pure functions: validation against a taxonomy version, and the
 * classification of one legacy row.
 *
 * A row may carry several categories (e.g. `Buche;Tombini`). Resolution, in order:
 *  1. an entry for the exact combination (values in file order joined by « + »);
 *  2. otherwise the first value, in file order, that has an entry (the primary category);
 *  3. otherwise the row is unmapped.
 * Values without an entry are reported as unmapped even when another value of the row mapped.
 * `canale` comes from the channel mapping, else from the category entry; `esito` likewise from the
 * status mapping, else from the category entry.
 */
import type { IndexedTaxonomy } from '../taxonomy/index.js';

export interface CategoryRule {
  /** A legacy value, or a combination `A + B`. */
  legacy: string;
  tema: string;
  tipo?: string;
  canale?: string;
  esito?: string;
}

export interface ChannelRule {
  legacy: string;
  canale: string;
}

export interface StatusRule {
  legacy: string;
  esito: string;
}

export interface MappingContent {
  taxonomyVersion: string;
  description?: string;
  categories: CategoryRule[];
  channels: ChannelRule[];
  statuses: StatusRule[];
}

export const COMBINATION_JOINER = ' + ';
export const CATEGORY_FACETS = ['tema', 'tipo', 'canale', 'esito'] as const;

export interface MappingIssue {
  path: string;
  /** In Italian. */
  message: string;
  /** The same in English. */
  en: string;
}

/** Normalises a legacy value for lookup: trimmed, inner blanks collapsed, case-insensitive. */
export function legacyKey(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Splits a multi-valued category cell; empty parts are dropped and repeats removed. */
export function splitCategories(raw: string, separator: string | null): string[] {
  const parts = separator ? raw.split(separator) : [raw];
  const out: string[] = [];
  const seen = new Set<string>();
  for (const p of parts) {
    const v = p.trim().replace(/\s+/g, ' ');
    if (v === '' || seen.has(legacyKey(v))) continue;
    seen.add(legacyKey(v));
    out.push(v);
  }
  return out;
}

export function combinationOf(values: string[]): string {
  return values.join(COMBINATION_JOINER);
}

function checkCode(tax: IndexedTaxonomy, facet: string, code: string, path: string, issues: MappingIssue[]): void {
  const node = tax.nodes.get(`${facet}:${code}`);
  if (!node) issues.push({ path, message: `codice «${code}» inesistente nella faccetta «${facet}» della tassonomia ${tax.document.version}`, en: `no code “${code}” in the facet “${facet}” of taxonomy ${tax.document.version}` });
  else if (node.deprecated) issues.push({ path, message: `il codice «${code}» (${facet}) è deprecato nella tassonomia ${tax.document.version}: scegli il codice che lo sostituisce`, en: `the code “${code}” (${facet}) is deprecated in taxonomy ${tax.document.version}: choose the code that replaces it` });
}

/** Every problem of a mapping against the taxonomy version it names; empty when valid. */
export function validateMapping(content: MappingContent, tax: IndexedTaxonomy): MappingIssue[] {
  const issues: MappingIssue[] = [];
  if (content.taxonomyVersion !== tax.document.version) {
    issues.push({ path: 'taxonomyVersion', message: `la mappatura indica la tassonomia ${content.taxonomyVersion}, verificata contro la ${tax.document.version}`, en: `the mapping names taxonomy ${content.taxonomyVersion}, checked against ${tax.document.version}` });
  }
  const dup = (kind: string, rules: { legacy: string }[]) => {
    const seen = new Map<string, number>();
    rules.forEach((r, i) => {
      const key = legacyKey(r.legacy);
      const prev = seen.get(key);
      if (prev !== undefined) issues.push({ path: `${kind}[${i}].legacy`, message: `valore «${r.legacy}» mappato due volte (anche in ${kind}[${prev}])`, en: `value “${r.legacy}” mapped twice (also in ${kind}[${prev}])` });
      else seen.set(key, i);
    });
  };
  dup('categories', content.categories);
  dup('channels', content.channels);
  dup('statuses', content.statuses);
  content.categories.forEach((r, i) => {
    if (!r.tema) issues.push({ path: `categories[${i}].tema`, message: `il tema è obbligatorio per «${r.legacy}»`, en: `the topic (tema) is required for “${r.legacy}”` });
    for (const facet of CATEGORY_FACETS) {
      const code = r[facet];
      if (code) checkCode(tax, facet, code, `categories[${i}].${facet}`, issues);
    }
  });
  content.channels.forEach((r, i) => {
    checkCode(tax, 'canale', r.canale, `channels[${i}].canale`, issues);
  });
  content.statuses.forEach((r, i) => {
    checkCode(tax, 'esito', r.esito, `statuses[${i}].esito`, issues);
  });
  return issues;
}

export interface RowClassification {
  /** null when no category value is mapped. */
  classification: Record<string, string> | null;
  /** Codes known without a category (from the channel and status mappings), for unclassified rows. */
  partial: Record<string, string>;
  unmappedCategories: string[];
  unmappedChannel: string | null;
  unmappedStatus: string | null;
}

export interface CompiledMapping {
  classify(categories: string[], channel: string | null, status: string | null): RowClassification;
}

/** Indexes a (validated) mapping for fast per-row lookups. */
export function compileMapping(content: MappingContent): CompiledMapping {
  const categories = new Map(content.categories.map((r) => [legacyKey(r.legacy), r]));
  const channels = new Map(content.channels.map((r) => [legacyKey(r.legacy), r.canale]));
  const statuses = new Map(content.statuses.map((r) => [legacyKey(r.legacy), r.esito]));
  return {
    classify(values, channel, status) {
      const keys = values.length === 0 ? [''] : values.map(legacyKey);
      const combined = keys.length > 1 ? categories.get(keys.join(COMBINATION_JOINER)) : undefined;
      const rule = combined ?? keys.map((k) => categories.get(k)).find((r) => r !== undefined);
      const unmappedCategories = combined ? [] : (values.length === 0 ? [''] : values).filter((_, i) => !categories.has(keys[i]!));
      const canale = channel ? channels.get(legacyKey(channel)) : undefined;
      const esito = status ? statuses.get(legacyKey(status)) : undefined;
      const result: RowClassification = {
        classification: null,
        partial: { ...(canale && { canale }), ...(esito && { esito }) },
        unmappedCategories,
        unmappedChannel: channel && canale === undefined ? channel.trim() : null,
        unmappedStatus: status && esito === undefined ? status.trim() : null,
      };
      if (rule) {
        const c: Record<string, string> = { tema: rule.tema };
        if (rule.tipo) c.tipo = rule.tipo;
        const ch = canale ?? rule.canale;
        if (ch) c.canale = ch;
        const es = esito ?? rule.esito;
        if (es) c.esito = es;
        result.classification = c;
      }
      return result;
    },
  };
}
