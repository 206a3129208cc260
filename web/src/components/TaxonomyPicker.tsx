import { type KeyboardEvent, type Ref, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { TaxonomyFacet } from '../api/types.js';
import { apiGet } from '../api/client.js';
import { useI18n } from '../i18n/index.js';
import { type FlatNode, filterNodes, flattenNodes, pathLabel } from '../lib/taxonomy.js';
import { type LocalNode, withLocal } from './TaxonomyTree.js';
import { controlClass, RequiredMark } from './ui.js';

interface TaxonomyPickerProps {
  id: string;
  facet: TaxonomyFacet;
  value: string;
  onChange: (code: string) => void;
  label: string;
  required?: boolean;
  error?: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
  /** Shown as placeholder when nothing is chosen (e.g. «Qualsiasi tema» in filters). */
  placeholder?: string;
  /** Also offer the active local sub-nodes of the user's organisations, under their network nodes. */
  withLocalNodes?: boolean;
}

/**
 * A searchable combobox over a taxonomy tree (ARIA 1.2 combobox + listbox pattern):
 * type to filter by label, path or code, arrows to move, Enter to pick, Escape to close.
 */
export function TaxonomyPicker({ id, facet, value, onChange, label, required, error, inputRef, placeholder, withLocalNodes }: TaxonomyPickerProps) {
  const { t, locale } = useI18n();
  const [locals, setLocals] = useState<LocalNode[]>([]);
  useEffect(() => {
    if (!withLocalNodes) return;
    let alive = true;
    apiGet('/taxonomy/local-nodes').then(
      (r) => alive && setLocals(r.data.items.filter((n) => n.status === 'active')),
      (err: unknown) => console.error(err),
    );
    return () => {
      alive = false;
    };
  }, [withLocalNodes]);
  const nodes = useMemo(() => flattenNodes(locals.length > 0 ? withLocal(facet, locals) : facet.nodes, locale), [facet, locals, locale]);
  const selected = nodes.find((n) => n.code === value) ?? null;
  const [query, setQuery] = useState(selected ? pathLabel(selected) : '');
  const [typed, setTyped] = useState(false);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);
  const listId = `${id}-listbox`;
  const statusId = useId();

  // Follow outside changes of the value (form reset, URL filters) and of the language.
  useEffect(() => {
    setQuery(selected ? pathLabel(selected) : '');
    setTyped(false);
  }, [selected]);

  const results: FlatNode[] = useMemo(() => (typed ? filterNodes(nodes, query) : nodes), [typed, nodes, query]);

  useEffect(() => {
    if (!open) return;
    const item = listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`);
    item?.scrollIntoView?.({ block: 'nearest' });
  }, [active, open]);

  const pick = (node: FlatNode) => {
    onChange(node.code);
    setQuery(pathLabel(node));
    setTyped(false);
    setOpen(false);
  };

  const openList = () => {
    setOpen(true);
    const index = selected && !typed ? results.findIndex((n) => n.code === selected.code) : 0;
    setActive(Math.max(0, index));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return; // leave form shortcuts alone
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!open) openList();
        else setActive((i) => Math.min(results.length - 1, i + 1));
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (!open) openList();
        else setActive((i) => Math.max(0, i - 1));
        break;
      case 'PageDown':
        if (open) {
          event.preventDefault();
          setActive((i) => Math.min(results.length - 1, i + 8));
        }
        break;
      case 'PageUp':
        if (open) {
          event.preventDefault();
          setActive((i) => Math.max(0, i - 8));
        }
        break;
      case 'Enter': {
        if (!open) return;
        event.preventDefault();
        const node = results[active];
        if (node) pick(node);
        break;
      }
      case 'Escape':
        if (open) {
          event.preventDefault();
          setOpen(false);
        } else if (typed) {
          setQuery(selected ? pathLabel(selected) : '');
          setTyped(false);
        }
        break;
      case 'Tab':
        setOpen(false);
        break;
      default:
        break;
    }
  };

  const onBlur = () => {
    setOpen(false);
    // Text that does not name a node must not look chosen: show the real value again.
    if (query.trim() === '') {
      if (value) onChange('');
    } else if (typed) {
      setQuery(selected ? pathLabel(selected) : '');
      setTyped(false);
    }
  };

  const activeNode = open ? results[active] : undefined;
  const describedBy = [`${id}-selected`, error ? `${id}-error` : ''].filter(Boolean).join(' ');

  return (
    <div className="mb-3 taxonomy-picker">
      <label htmlFor={id} className="form-label fw-semibold">
        {label}
        {required && <RequiredMark />}
      </label>
      <div className="position-relative">
        <input
          ref={inputRef}
          id={id}
          type="text"
          className={controlClass('form-control', error)}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={activeNode ? `${id}-opt-${activeNode.code}` : undefined}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          aria-required={required || undefined}
          autoComplete="off"
          spellCheck={false}
          placeholder={placeholder ?? t('taxonomy.search')}
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setTyped(true);
            setOpen(true);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          onBlur={onBlur}
          onClick={() => !open && openList()}
        />
        <ul
          ref={listRef}
          id={listId}
          role="listbox"
          aria-label={label}
          className={`taxonomy-listbox list-unstyled shadow ${open ? '' : 'd-none'}`}
        >
          {open &&
            results.map((node, index) => (
              <li
                key={node.code}
                id={`${id}-opt-${node.code}`}
                role="option"
                aria-selected={index === active}
                data-index={index}
                data-code={node.code}
                className={`taxonomy-option ${index === active ? 'active' : ''} ${node.code === value ? 'chosen' : ''}`}
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => pick(node)}
                onMouseMove={() => index !== active && setActive(index)}
              >
                {node.path.length > 1 && <span className="taxonomy-parents">{node.path.slice(0, -1).join(' › ')} › </span>}
                <span className="taxonomy-label">{node.label}</span>
                <span className="taxonomy-code">{node.code}</span>
              </li>
            ))}
        </ul>
      </div>
      <div id={statusId} className="visually-hidden" aria-live="polite">
        {open && typed ? (results.length ? t('taxonomy.matches', { count: results.length }) : t('taxonomy.noMatch', { q: query })) : ''}
      </div>
      {open && typed && results.length === 0 && <div className="form-text">{t('taxonomy.noMatch', { q: query })}</div>}
      <div id={`${id}-selected`} className="form-text">
        {selected ? t('taxonomy.selected', { path: pathLabel(selected) }) : ''}
      </div>
      {error && (
        <div id={`${id}-error`} className="invalid-feedback d-block">
          {error}
        </div>
      )}
    </div>
  );
}
