import { useMemo } from 'react';
import type { ApiResponseBody } from '../api/client.js';
import type { LocalizedText, TaxonomyFacet, TaxonomyNode } from '../api/types.js';
import { useI18n } from '../i18n/index.js';
import { fold } from '../lib/taxonomy.js';
import { Icon } from './ui.js';

/** A node as the governance API returns it: deprecated nodes carry their replacement. */
export interface GovernedNode extends TaxonomyNode {
  deprecated?: boolean;
  replacedBy?: string[];
  children?: GovernedNode[];
  /** Set on organisation-local nodes shown under their network parent. */
  local?: boolean;
}

/** An organisation's own sub-node under a network node. */
export type LocalNode = ApiResponseBody<'/taxonomy/local-nodes'>['items'][number];

/** The facet's tree with the given local nodes hung under their network parents. */
export function withLocal(facet: TaxonomyFacet, locals: readonly LocalNode[]): GovernedNode[] {
  const mine = locals.filter((l) => l.facet === facet.code && l.status !== 'retired');
  if (mine.length === 0) return facet.nodes as GovernedNode[];
  const graft = (nodes: readonly GovernedNode[]): GovernedNode[] =>
    nodes.map((n) => {
      const extra = mine.filter((l) => l.parentCode === n.code).map((l) => ({ code: l.code, label: l.label, ...(l.description && { description: l.description }), local: true, deprecated: l.status !== 'active' }));
      const children = [...graft(n.children ?? []), ...extra];
      return children.length > 0 ? { ...n, children } : n;
    });
  return graft(facet.nodes as GovernedNode[]);
}

/** Every code in the tree with the codes of its ancestors. */
function ancestry(nodes: readonly GovernedNode[], parents: string[] = [], out = new Map<string, string[]>()): Map<string, string[]> {
  for (const n of nodes) {
    out.set(n.code, parents);
    ancestry(n.children ?? [], [...parents, n.code], out);
  }
  return out;
}

/** Codes to show for a filter: every match and its ancestors (null: no filter, show all). */
export function visibleCodes(nodes: readonly GovernedNode[], query: string, locale: 'it' | 'en'): Set<string> | null {
  const q = fold(query.trim());
  if (q === '') return null;
  const parents = ancestry(nodes);
  const out = new Set<string>();
  const walk = (list: readonly GovernedNode[]) => {
    for (const n of list) {
      const text = fold(`${n.code} ${n.label.it} ${n.label.en ?? ''} ${n.description?.it ?? ''} ${locale === 'en' ? (n.description?.en ?? '') : ''}`);
      if (text.includes(q)) {
        out.add(n.code);
        for (const p of parents.get(n.code) ?? []) out.add(p);
      }
      walk(n.children ?? []);
    }
  };
  walk(nodes);
  return out;
}

interface TreeProps {
  facet: TaxonomyFacet;
  nodes: readonly GovernedNode[];
  expanded: ReadonlySet<string>;
  onToggle: (code: string) => void;
  /** Codes to show (a filter is active: everything shown is expanded), or null for all. */
  visible: ReadonlySet<string> | null;
  idPrefix: string;
}

/**
 * A facet as nested lists with disclosure buttons (aria-expanded/aria-controls): readable by
 * screen readers as lists within lists, operable with Tab and Enter/Space.
 */
export function TaxonomyTree({ facet, nodes, expanded, onToggle, visible, idPrefix }: TreeProps) {
  const { t, label } = useI18n();
  const domId = useMemo(() => {
    const ids = new Map<string, string>();
    let i = 0;
    const walk = (list: readonly GovernedNode[]) => {
      for (const n of list) {
        ids.set(n.code, `${idPrefix}-${i++}`);
        walk(n.children ?? []);
      }
    };
    walk(nodes);
    return ids;
  }, [nodes, idPrefix]);

  const render = (list: readonly GovernedNode[], depth: number, id?: string) => {
    const shown = visible ? list.filter((n) => visible.has(n.code)) : list;
    if (shown.length === 0) return null;
    return (
      <ul className={`list-unstyled mb-0 ${depth > 0 ? 'ms-4 border-start ps-2' : ''}`} id={id} aria-label={depth === 0 ? t('taxonomyEditor.treeLabel', { facet: label(facet.label) }) : undefined}>
        {shown.map((n) => {
          const children = n.children ?? [];
          const hasChildren = visible ? children.some((c) => visible.has(c.code)) : children.length > 0;
          const open = visible !== null || expanded.has(n.code);
          const childId = `${domId.get(n.code)}-children`;
          const text = label(n.label);
          return (
            <li key={n.code} data-code={n.code} className="py-1">
              <div className="d-flex align-items-baseline gap-2 flex-wrap">
                {hasChildren ? (
                  <button
                    type="button"
                    className="btn btn-link btn-sm p-0 text-decoration-none"
                    aria-expanded={open}
                    aria-controls={childId}
                    aria-label={t(open ? 'taxonomyEditor.collapse' : 'taxonomyEditor.expand', { label: text })}
                    onClick={() => onToggle(n.code)}
                    disabled={visible !== null}
                  >
                    <Icon name={open ? 'minus-circle' : 'plus-circle'} size="sm" className="icon-primary" />
                  </button>
                ) : (
                  <span className="d-inline-block" style={{ width: '1.5rem' }} aria-hidden="true" />
                )}
                <span className={`fw-semibold ${n.deprecated ? 'text-decoration-line-through' : ''}`}>{text}</span>
                <code className="small">{n.code}</code>
                {n.local && <span className="badge bg-primary">{t('taxonomyEditor.local')}</span>}
                {n.deprecated && <span className="badge bg-secondary">{t('taxonomyEditor.deprecated')}</span>}
                {n.replacedBy && n.replacedBy.length > 0 && <span className="small text-muted">{t('taxonomyEditor.replacedBy', { codes: n.replacedBy.join(', ') })}</span>}
              </div>
              {n.description && <p className="small text-muted mb-0 ms-4">{label(n.description)}</p>}
              {hasChildren && open && render(children, depth + 1, childId)}
            </li>
          );
        })}
      </ul>
    );
  };
  return render(nodes, 0);
}

/** Options for a node select: every node of the facet, indented by depth. */
export function nodeOptions(nodes: readonly GovernedNode[], labelOf: (text: LocalizedText) => string, depth = 0): { code: string; text: string; deprecated: boolean }[] {
  return nodes.flatMap((n) => [
    { code: n.code, text: `${'\u00a0\u00a0'.repeat(depth)}${labelOf(n.label)} (${n.code})`, deprecated: n.deprecated ?? false },
    ...nodeOptions(n.children ?? [], labelOf, depth + 1),
  ]);
}
