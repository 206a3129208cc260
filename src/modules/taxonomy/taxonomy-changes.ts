import { type IndexedTaxonomy, type LocalisedText, type TaxonomyDocument, type TaxonomyNodeInput, validateTaxonomyDocument } from './taxonomy.js';

/**
 * Governance of the shared taxonomy as pure functions: a draft of the next version is the version it
 * starts from plus an ordered list of change operations. Applying them yields the new document,
 * the crosswalk from every changed old code to its new code(s), and the problems that forbid
 * publishing — each with a stable code and an Italian message that says what to fix.
 */

export const CROSSWALK_RELATIONS = ['exact', 'broader', 'narrower', 'split', 'merge'] as const;
export type CrosswalkRelation = (typeof CROSSWALK_RELATIONS)[number];
/** Relations the coordinator may choose for a deprecation or a deletion (merge/split have their own). */
export const SIMPLE_RELATIONS = ['exact', 'broader', 'narrower'] as const;
export type SimpleRelation = (typeof SIMPLE_RELATIONS)[number];

export const OPERATION_KINDS = ['add', 'rename', 'move', 'deprecate', 'merge', 'split', 'delete'] as const;

export type TaxonomyOperation =
  | { op: 'add'; facet: string; code: string; parent: string | null; label: LocalisedText; description?: LocalisedText }
  | { op: 'rename'; facet: string; code: string; label?: LocalisedText; description?: LocalisedText | null }
  | { op: 'move'; facet: string; code: string; parent: string | null }
  | { op: 'deprecate'; facet: string; code: string; replacement: string; relation?: SimpleRelation }
  | { op: 'merge'; facet: string; codes: string[]; into: string }
  | { op: 'split'; facet: string; code: string; into: { code: string; label: LocalisedText; description?: LocalisedText }[] }
  | { op: 'delete'; facet: string; code: string; crosswalk?: { to: string; relation?: SimpleRelation } };

export interface CrosswalkEntry {
  facet: string;
  fromCode: string;
  toCode: string;
  relation: CrosswalkRelation;
  note: string | null;
}

/** Stable problem codes (part of the API contract). */
export const CHANGE_PROBLEM_CODES = [
  'taxonomy.unknown_facet',
  'taxonomy.unknown_code',
  'taxonomy.unknown_parent',
  'taxonomy.invalid_code',
  'taxonomy.duplicate_code',
  'taxonomy.code_reserved',
  'taxonomy.cyclic_move',
  'taxonomy.node_has_children',
  'taxonomy.code_in_use',
  'taxonomy.invalid_target',
  'taxonomy.crosswalk_target_missing',
  'taxonomy.facet_empty',
  'taxonomy.required_facet_unselectable',
  'taxonomy.already_deprecated',
  'taxonomy.invalid_document',
] as const;
export type ChangeProblemCode = (typeof CHANGE_PROBLEM_CODES)[number];

export interface ChangeProblem {
  code: ChangeProblemCode;
  /** Where: `operations[i]` for an operation, `facets.<facet>` or `crosswalk.<facet>.<code>` for the result. */
  path: string;
  /** In Italian (the API's language of record). */
  message: string;
  /** The same in English. */
  en: string;
}

export interface ChangeContext {
  /** `facet:code` of codes used by tickets or FAQs: deleting one of them needs a crosswalk. */
  usedCodes?: ReadonlySet<string>;
  /** Codes of organisation-local nodes: a network code may never take one of them. */
  reservedCodes?: ReadonlySet<string>;
}

export interface ChangeResult {
  document: TaxonomyDocument;
  crosswalk: CrosswalkEntry[];
  problems: ChangeProblem[];
}

const CODE_PATTERN = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;

interface WorkNode {
  code: string;
  parent: string | null;
  label: LocalisedText;
  description: LocalisedText | null;
  deprecated: boolean;
  replacedBy: string[] | null;
  /** Sibling order: nodes keep their place; added or moved ones go last among their siblings. */
  seq: number;
}

interface WorkFacet {
  nodes: Map<string, WorkNode>;
}

/** Semantic-version order: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The relation of a chain of two mappings (old → middle → new). */
export function composeRelations(first: CrosswalkRelation, second: CrosswalkRelation): CrosswalkRelation {
  if (first === 'exact') return second;
  if (second === 'exact' || first === second) return first;
  if (first === 'split' || second === 'split') return 'split';
  if (first === 'merge' || second === 'merge') return 'merge';
  return second;
}

function cloneText(t: LocalisedText | undefined | null): LocalisedText | null {
  return t ? { ...t } : null;
}

/**
 * Applies the operations in order to `base` and returns the resulting document of `version`, the
 * crosswalk from codes of `base` to codes of the result, and every problem found. An operation with
 * a problem is skipped (the following ones still run, so that all problems are reported at once).
 */
export function applyOperations(base: TaxonomyDocument, version: string, operations: readonly TaxonomyOperation[], context: ChangeContext = {}): ChangeResult {
  const problems: ChangeProblem[] = [];
  const facets = new Map<string, WorkFacet>();
  let seq = 0;
  for (const f of base.facets) {
    const nodes = new Map<string, WorkNode>();
    const walk = (list: TaxonomyNodeInput[] | undefined, parent: string | null) => {
      for (const n of list ?? []) {
        nodes.set(n.code, {
          code: n.code, parent, label: { ...n.label }, description: cloneText(n.description), deprecated: n.deprecated ?? false,
          replacedBy: n.replacedBy ? [...n.replacedBy] : null, seq: seq++,
        });
        walk(n.children, n.code);
      }
    };
    walk(f.nodes, null);
    facets.set(f.code, { nodes });
  }
  const baseCodes = new Set<string>();
  for (const [facet, wf] of facets) for (const code of wf.nodes.keys()) baseCodes.add(`${facet}:${code}`);
  // Crosswalk keyed by `facet:baseCode`; a base code without an entry maps to itself if it survives.
  const crosswalk = new Map<string, { to: string; relation: CrosswalkRelation; note: string | null }[]>();

  const isDescendant = (wf: WorkFacet, code: string, ancestor: string): boolean => {
    let current = wf.nodes.get(code)?.parent ?? null;
    const seen = new Set<string>();
    while (current !== null && !seen.has(current)) {
      if (current === ancestor) return true;
      seen.add(current);
      current = wf.nodes.get(current)?.parent ?? null;
    }
    return false;
  };
  const childrenOf = (wf: WorkFacet, code: string) => [...wf.nodes.values()].filter((n) => n.parent === code);

  /** Records that `code` no longer stands on its own in the new version: it maps to `targets`. */
  const retire = (facet: string, code: string, targets: { to: string; relation: CrosswalkRelation; note: string | null }[]) => {
    if (targets.length > 0) {
      for (const [key, entries] of crosswalk) {
        if (!key.startsWith(`${facet}:`) || !entries.some((e) => e.to === code)) continue;
        const next: typeof entries = [];
        for (const e of entries) {
          if (e.to !== code) next.push(e);
          else for (const t of targets) next.push({ to: t.to, relation: composeRelations(e.relation, t.relation), note: t.note ?? e.note });
        }
        crosswalk.set(key, next.filter((e, i) => next.findIndex((o) => o.to === e.to) === i));
      }
      for (const n of facets.get(facet)?.nodes.values() ?? []) {
        if (n.replacedBy?.includes(code)) n.replacedBy = [...new Set(n.replacedBy.flatMap((r) => (r === code ? targets.map((t) => t.to) : [r])))];
      }
    }
    const key = `${facet}:${code}`;
    if (baseCodes.has(key) && !crosswalk.has(key) && targets.length > 0) crosswalk.set(key, targets);
  };

  operations.forEach((op, index) => {
    const path = `operations[${index}]`;
    const problem = (code: ChangeProblemCode, message: string, en: string) => {
      problems.push({ code, path, message, en });
      return false;
    };
    const wf = facets.get(op.facet);
    if (!wf) {
      problem('taxonomy.unknown_facet', `Faccetta «${op.facet}» inesistente: usa una di ${[...facets.keys()].join(', ')}.`, `Facet “${op.facet}” does not exist: use one of ${[...facets.keys()].join(', ')}.`);
      return;
    }
    const existing = (code: string, what: { it: string; en: string } = { it: 'Il codice', en: 'The code' }) => {
      const node = wf.nodes.get(code);
      if (!node) {
        problem(
          'taxonomy.unknown_code',
          `${what.it} «${code}» non esiste nella faccetta «${op.facet}» della bozza: controlla il codice.`,
          `${what.en} “${code}” does not exist in the facet “${op.facet}” of the draft: check the code.`,
        );
      }
      return node;
    };
    const freeCode = (code: string) => {
      if (!CODE_PATTERN.test(code)) return problem('taxonomy.invalid_code', `Codice «${code}» non valido: usa lettere minuscole, cifre e _ separati da punti (es. tributi.imu).`, `Code “${code}” is not valid: use lower-case letters, digits and _ separated by dots (e.g. tributi.imu).`);
      if (wf.nodes.has(code)) return problem('taxonomy.duplicate_code', `Il codice «${code}» esiste già nella faccetta «${op.facet}»: scegline un altro.`, `The code “${code}” already exists in the facet “${op.facet}”: choose another one.`);
      if (context.reservedCodes?.has(code)) return problem('taxonomy.code_reserved', `Il codice «${code}» è un nodo locale di un ente: scegli un codice di rete diverso.`, `The code “${code}” is a local node of an organisation: choose a different network code.`);
      return true;
    };
    const validTarget = (code: string, source: string) => {
      const node = wf.nodes.get(code);
      if (!node) return problem('taxonomy.crosswalk_target_missing', `La destinazione «${code}» della corrispondenza non esiste nella nuova versione: crea prima il nodo o scegli un codice esistente.`, `The crosswalk target “${code}” does not exist in the new version: create the node first or choose an existing code.`);
      if (node.deprecated) return problem('taxonomy.invalid_target', `La destinazione «${code}» è deprecata: scegli un codice attivo.`, `The target “${code}” is deprecated: choose an active code.`);
      if (code === source) return problem('taxonomy.invalid_target', `Il codice «${source}» non può corrispondere a sé stesso: scegli un altro codice.`, `The code “${source}” cannot correspond to itself: choose another code.`);
      return true;
    };
    const parentOk = (parent: string | null) => {
      if (parent === null) return true;
      const node = wf.nodes.get(parent);
      if (!node) return problem('taxonomy.unknown_parent', `Il nodo padre «${parent}» non esiste nella faccetta «${op.facet}»: scegli un padre esistente o lascialo vuoto per un nodo di primo livello.`, `The parent node “${parent}” does not exist in the facet “${op.facet}”: choose an existing parent, or leave it empty for a top-level node.`);
      if (node.deprecated) return problem('taxonomy.invalid_target', `Il nodo padre «${parent}» è deprecato: scegli un padre attivo.`, `The parent node “${parent}” is deprecated: choose an active parent.`);
      return true;
    };

    switch (op.op) {
      case 'add': {
        if (!freeCode(op.code) || !parentOk(op.parent)) return;
        wf.nodes.set(op.code, { code: op.code, parent: op.parent, label: { ...op.label }, description: cloneText(op.description), deprecated: false, replacedBy: null, seq: seq++ });
        return;
      }
      case 'rename': {
        const node = existing(op.code);
        if (!node) return;
        if (op.label) node.label = { ...op.label };
        if (op.description !== undefined) node.description = cloneText(op.description);
        return;
      }
      case 'move': {
        const node = existing(op.code);
        if (!node || !parentOk(op.parent)) return;
        if (op.parent !== null && (op.parent === op.code || isDescendant(wf, op.parent, op.code))) {
          problem('taxonomy.cyclic_move', `Spostamento ciclico: «${op.parent}» è «${op.code}» stesso o un suo discendente. Scegli un padre fuori dal ramo di «${op.code}».`, `Cyclic move: “${op.parent}” is “${op.code}” itself or one of its descendants. Choose a parent outside the branch of “${op.code}”.`);
          return;
        }
        node.parent = op.parent;
        node.seq = seq++;
        return;
      }
      case 'deprecate': {
        const node = existing(op.code);
        if (!node) return;
        if (node.deprecated) {
          problem('taxonomy.already_deprecated', `Il codice «${op.code}» è già deprecato.`, `The code “${op.code}” is already deprecated.`);
          return;
        }
        if (!validTarget(op.replacement, op.code)) return;
        node.deprecated = true;
        node.replacedBy = [op.replacement];
        retire(op.facet, op.code, [{ to: op.replacement, relation: op.relation ?? 'exact', note: 'deprecato' }]);
        return;
      }
      case 'merge': {
        const target = existing(op.into, { it: 'Il codice di destinazione', en: 'The target code' });
        if (!target) return;
        if (op.codes.length === 0) {
          problem('taxonomy.unknown_code', 'Indica almeno un codice da unire.', 'Give at least one code to merge.');
          return;
        }
        const sources: WorkNode[] = [];
        for (const code of new Set(op.codes)) {
          const node = existing(code);
          if (!node) return;
          if (!validTarget(op.into, code)) return;
          if (isDescendant(wf, op.into, code)) {
            problem('taxonomy.cyclic_move', `Non puoi unire «${code}» in un suo discendente («${op.into}»): sposta prima «${op.into}» fuori dal ramo.`, `You cannot merge “${code}” into one of its descendants (“${op.into}”): first move “${op.into}” out of the branch.`);
            return;
          }
          sources.push(node);
        }
        for (const source of sources) {
          for (const child of childrenOf(wf, source.code)) {
            child.parent = op.into;
            child.seq = seq++;
          }
          wf.nodes.delete(source.code);
          retire(op.facet, source.code, [{ to: op.into, relation: 'merge', note: `unito in ${op.into}` }]);
        }
        return;
      }
      case 'split': {
        const node = existing(op.code);
        if (!node) return;
        if (childrenOf(wf, op.code).length > 0) {
          problem('taxonomy.node_has_children', `«${op.code}» ha sotto-nodi: spostali o eliminali prima di dividerlo.`, `“${op.code}” has child nodes: move or delete them before splitting it.`);
          return;
        }
        if (op.into.length < 2) {
          problem('taxonomy.invalid_target', 'Una divisione produce almeno due nuovi codici.', 'A split produces at least two new codes.');
          return;
        }
        const seen = new Set<string>();
        for (const part of op.into) {
          if (seen.has(part.code)) {
            problem('taxonomy.duplicate_code', `Il codice «${part.code}» compare due volte nella divisione.`, `The code “${part.code}” appears twice in the split.`);
            return;
          }
          seen.add(part.code);
          if (!freeCode(part.code)) return;
        }
        op.into.forEach((part, i) => {
          wf.nodes.set(part.code, {
            code: part.code, parent: node.parent, label: { ...part.label }, description: cloneText(part.description), deprecated: false, replacedBy: null,
            seq: node.seq + (i + 1) / (op.into.length + 1),
          });
        });
        wf.nodes.delete(op.code);
        retire(op.facet, op.code, op.into.map((p) => ({ to: p.code, relation: 'split' as const, note: `diviso in ${op.into.map((x) => x.code).join(', ')}` })));
        return;
      }
      case 'delete': {
        const node = existing(op.code);
        if (!node) return;
        if (childrenOf(wf, op.code).length > 0) {
          problem('taxonomy.node_has_children', `«${op.code}» ha sotto-nodi: spostali o eliminali prima di eliminarlo.`, `“${op.code}” has child nodes: move or delete them before deleting it.`);
          return;
        }
        if (op.crosswalk) {
          if (!validTarget(op.crosswalk.to, op.code)) return;
        } else if (baseCodes.has(`${op.facet}:${op.code}`) && context.usedCodes?.has(`${op.facet}:${op.code}`)) {
          problem('taxonomy.code_in_use', `Il codice «${op.code}» è usato da ticket o FAQ: indica una corrispondenza verso il codice che lo sostituisce, oppure deprecalo.`, `The code “${op.code}” is used by tickets or FAQs: give a crosswalk to the code that replaces it, or deprecate it.`);
          return;
        }
        wf.nodes.delete(op.code);
        retire(op.facet, op.code, op.crosswalk ? [{ to: op.crosswalk.to, relation: op.crosswalk.relation ?? 'exact', note: 'eliminato' }] : []);
        return;
      }
    }
  });

  // The result as a whole.
  const document: TaxonomyDocument = { scheme: base.scheme, version, facets: [] };
  for (const f of base.facets) {
    const wf = facets.get(f.code)!;
    const build = (parent: string | null): TaxonomyNodeInput[] =>
      [...wf.nodes.values()]
        .filter((n) => n.parent === parent)
        .sort((a, b) => a.seq - b.seq)
        .map((n) => {
          const children = build(n.code);
          return {
            code: n.code, label: n.label, ...(n.description && { description: n.description }), ...(children.length > 0 && { children }),
            ...(n.deprecated && { deprecated: true }), ...(n.replacedBy && n.replacedBy.length > 0 && { replacedBy: n.replacedBy }),
          };
        });
    const { nodes: _old, ...rest } = f;
    document.facets.push({ ...rest, nodes: build(null) });
    if (wf.nodes.size === 0) {
      problems.push({ code: 'taxonomy.facet_empty', path: `facets.${f.code}`, message: `La faccetta «${f.code}» è rimasta senza nodi: aggiungine almeno uno.`, en: `The facet “${f.code}” has no nodes left: add at least one.` });
    } else if (f.required && ![...wf.nodes.values()].some((n) => !n.deprecated)) {
      problems.push({
        code: 'taxonomy.required_facet_unselectable', path: `facets.${f.code}`,
        message: `La faccetta obbligatoria «${f.code}» non ha più codici selezionabili: ogni ticket deve poterla valorizzare, lascia almeno un codice non deprecato.`,
        en: `The required facet “${f.code}” has no selectable code left: every ticket must be able to fill it in, keep at least one code that is not deprecated.`,
      });
    }
    for (const n of wf.nodes.values()) {
      for (const r of n.replacedBy ?? []) {
        if (!wf.nodes.has(r)) {
          problems.push({ code: 'taxonomy.crosswalk_target_missing', path: `facets.${f.code}.${n.code}`, message: `Il codice sostitutivo «${r}» di «${n.code}» non esiste nella nuova versione: indica un sostituto esistente.`, en: `The replacement code “${r}” of “${n.code}” does not exist in the new version: give an existing replacement.` });
        }
      }
    }
  }
  const entries: CrosswalkEntry[] = [];
  for (const [key, targets] of crosswalk) {
    const sep = key.indexOf(':');
    const facet = key.slice(0, sep);
    const fromCode = key.slice(sep + 1);
    for (const t of targets) {
      if (!facets.get(facet)?.nodes.has(t.to)) {
        problems.push({
          code: 'taxonomy.crosswalk_target_missing', path: `crosswalk.${facet}.${fromCode}`,
          message: `La corrispondenza di «${fromCode}» punta a «${t.to}», che non esiste nella nuova versione: eliminando «${t.to}» indica a quale codice far corrispondere i dati storici.`,
          en: `The crosswalk of “${fromCode}” points to “${t.to}”, which does not exist in the new version: when deleting “${t.to}”, say which code the historical data should correspond to.`,
        });
      }
      entries.push({ facet, fromCode, toCode: t.to, relation: t.relation, note: t.note });
    }
  }
  const structural = validateTaxonomyDocument(document);
  if (!structural.ok) for (const e of structural.errors) problems.push({ code: 'taxonomy.invalid_document', path: 'document', message: `Documento non valido: ${e.it}.`, en: `Invalid document: ${e.en}.` });
  return { document, crosswalk: entries, problems };
}

/** One step of the version chain: the crosswalk published with `to` and the taxonomy of `to`. */
export interface VersionStep {
  from: string;
  to: string;
  entries: readonly CrosswalkEntry[];
  target: IndexedTaxonomy;
}

export interface Translation {
  code: string;
  relation: CrosswalkRelation;
  /** The versions crossed and the code reached in each. */
  via: { version: string; code: string; relation: CrosswalkRelation }[];
}

export interface TranslationOutcome {
  targets: Translation[];
  /** Branches that ended because the code was removed without a crosswalk. */
  lost: { code: string; version: string }[];
}

/**
 * Follows a code through consecutive versions: an explicit crosswalk entry wins; otherwise a code
 * that still exists keeps its meaning. A split fans out into several targets.
 */
export function translateAcross(steps: readonly VersionStep[], facet: string, code: string): TranslationOutcome {
  let frontier: Translation[] = [{ code, relation: 'exact', via: [] }];
  const lost: TranslationOutcome['lost'] = [];
  for (const step of steps) {
    const next: Translation[] = [];
    for (const item of frontier) {
      const entries = step.entries.filter((e) => e.facet === facet && e.fromCode === item.code);
      if (entries.length > 0) {
        for (const e of entries) next.push({ code: e.toCode, relation: composeRelations(item.relation, e.relation), via: [...item.via, { version: step.to, code: e.toCode, relation: e.relation }] });
      } else if (step.target.nodes.has(`${facet}:${item.code}`)) {
        next.push({ ...item, via: [...item.via, { version: step.to, code: item.code, relation: 'exact' }] });
      } else {
        lost.push({ code: item.code, version: step.to });
      }
    }
    frontier = next.filter((t, i) => next.findIndex((o) => o.code === t.code) === i);
  }
  return { targets: frontier, lost };
}

/** Crosswalk as CSV, one row per mapping (codes not listed are unchanged between the versions). */
export function crosswalkToCsv(scheme: string, fromVersion: string, toVersion: string, entries: readonly CrosswalkEntry[]): string {
  const cell = (v: string | null) => (v === null ? '' : /[",\n\r;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = [
    ['scheme', 'facet', 'from_version', 'from_code', 'to_version', 'to_code', 'relation', 'note'],
    ...entries.map((e) => [scheme, e.facet, fromVersion, e.fromCode, toVersion, e.toCode, e.relation, e.note]),
  ];
  return `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** One malformed field of an operation: `message` in Italian, `en` in English. */
export interface OperationProblem {
  path: string;
  message: string;
  en: string;
}

/**
 * Checks the shape of operations received over the API (the JSON schema only fixes `op` and
 * `facet`), with one message per mistake, in Italian and English. Returns the operations, or the problems.
 */
export function parseOperations(raw: readonly unknown[]): { ok: true; operations: TaxonomyOperation[] } | { ok: false; problems: OperationProblem[] } {
  const problems: OperationProblem[] = [];
  const operations: TaxonomyOperation[] = [];
  raw.forEach((item, i) => {
    const at = `operations[${i}]`;
    const o = (item ?? {}) as Record<string, unknown>;
    const bad = (field: string, what: string, en: string) => problems.push({ path: `${at}.${field}`, message: `${at}.${field}: ${what}`, en: `${at}.${field}: ${en}` });
    const str = (field: string, optional = false): string | undefined => {
      const v = o[field];
      if (v === undefined && optional) return undefined;
      if (typeof v !== 'string' || v.trim() === '' || v.length > 200) bad(field, 'indica un codice (testo non vuoto, massimo 200 caratteri)', 'give a code (text that is not empty, at most 200 characters)');
      return typeof v === 'string' ? v.trim() : undefined;
    };
    const text = (field: string, v: unknown, optional: boolean): LocalisedText | undefined => {
      if (v === undefined && optional) return undefined;
      const t = v as Record<string, unknown> | null;
      if (!t || typeof t !== 'object' || Array.isArray(t) || typeof t.it !== 'string' || t.it.trim() === '') {
        bad(field, 'indica il testo italiano in «it» (e l\'inglese in «en»)', 'give the Italian text in “it” (and the English in “en”)');
        return undefined;
      }
      const out: LocalisedText = { it: t.it.trim() };
      for (const [lang, value] of Object.entries(t)) {
        if (lang === 'it') continue;
        if (!/^[a-z]{2}$/.test(lang) || typeof value !== 'string' || value.length > 2000) bad(`${field}.${lang}`, 'lingua di due lettere con un testo di massimo 2000 caratteri', 'a two-letter language with a text of at most 2000 characters');
        else if (value.trim() !== '') out[lang] = value.trim();
      }
      if (out.it.length > 2000) bad(field, 'massimo 2000 caratteri', 'at most 2000 characters');
      return out;
    };
    const relation = (v: unknown): SimpleRelation | undefined => {
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || !(SIMPLE_RELATIONS as readonly string[]).includes(v)) bad('relation', `usa una di ${SIMPLE_RELATIONS.join(', ')}`, `use one of ${SIMPLE_RELATIONS.join(', ')}`);
      return v as SimpleRelation;
    };
    const allowed: Record<string, string[]> = {
      add: ['code', 'parent', 'label', 'description'], rename: ['code', 'label', 'description'], move: ['code', 'parent'],
      deprecate: ['code', 'replacement', 'relation'], merge: ['codes', 'into'], split: ['code', 'into'], delete: ['code', 'crosswalk'],
    };
    const kind = String(o.op);
    const facet = str('facet') ?? '';
    if (!allowed[kind]) {
      bad('op', `operazione sconosciuta: usa una di ${OPERATION_KINDS.join(', ')}`, `unknown operation: use one of ${OPERATION_KINDS.join(', ')}`);
      return;
    }
    for (const key of Object.keys(o)) if (key !== 'op' && key !== 'facet' && !allowed[kind]!.includes(key)) bad(key, `campo non previsto per «${kind}»`, `field not expected for “${kind}”`);
    const parent = (): string | null | undefined => (o.parent === null || o.parent === undefined ? null : str('parent'));
    const before = problems.length;
    let op: TaxonomyOperation | null = null;
    switch (kind) {
      case 'add':
        op = { op: 'add', facet, code: str('code') ?? '', parent: parent() ?? null, label: text('label', o.label, false)!, ...(o.description !== undefined && { description: text('description', o.description, true) }) };
        break;
      case 'rename': {
        const label = text('label', o.label, true);
        const description = o.description === null ? null : text('description', o.description, true);
        if (label === undefined && o.description === undefined) bad('label', 'indica la nuova etichetta o la nuova descrizione', 'give the new label or the new description');
        op = { op: 'rename', facet, code: str('code') ?? '', ...(label && { label }), ...(o.description !== undefined && { description: description ?? null }) };
        break;
      }
      case 'move':
        if (!('parent' in o)) bad('parent', 'indica il nuovo nodo padre (null per il primo livello)', 'give the new parent node (null for the top level)');
        op = { op: 'move', facet, code: str('code') ?? '', parent: parent() ?? null };
        break;
      case 'deprecate': {
        const rel = relation(o.relation);
        op = { op: 'deprecate', facet, code: str('code') ?? '', replacement: str('replacement') ?? '', ...(rel && { relation: rel }) };
        break;
      }
      case 'merge': {
        const codes = Array.isArray(o.codes) ? o.codes : [];
        if (codes.length === 0 || codes.length > 50 || codes.some((c) => typeof c !== 'string' || c === '')) bad('codes', 'indica da 1 a 50 codici da unire', 'give 1 to 50 codes to merge');
        op = { op: 'merge', facet, codes: codes.map(String), into: str('into') ?? '' };
        break;
      }
      case 'split': {
        const into = Array.isArray(o.into) ? (o.into as Record<string, unknown>[]) : [];
        if (into.length < 2 || into.length > 50) bad('into', 'indica da 2 a 50 nuovi codici, ciascuno con «code» e «label»', 'give 2 to 50 new codes, each with “code” and “label”');
        const parts = into.map((p, j) => {
          const code = typeof p?.code === 'string' ? p.code.trim() : '';
          if (code === '') bad(`into[${j}].code`, 'indica il nuovo codice', 'give the new code');
          return { code, label: text(`into[${j}].label`, p?.label, false)!, ...(p?.description !== undefined && { description: text(`into[${j}].description`, p.description, true) }) };
        });
        op = { op: 'split', facet, code: str('code') ?? '', into: parts };
        break;
      }
      case 'delete': {
        const c = o.crosswalk as Record<string, unknown> | undefined;
        let crosswalk: { to: string; relation?: SimpleRelation } | undefined;
        if (c !== undefined) {
          if (!c || typeof c !== 'object' || typeof c.to !== 'string' || c.to === '') bad('crosswalk.to', 'indica il codice a cui far corrispondere i dati storici', 'give the code the historical data should correspond to');
          else {
            const rel = relation(c.relation);
            crosswalk = { to: c.to, ...(rel && { relation: rel }) };
          }
        }
        op = { op: 'delete', facet, code: str('code') ?? '', ...(crosswalk && { crosswalk }) };
        break;
      }
    }
    if (op && problems.length === before) operations.push(op);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, operations };
}
