import { type Ref, useMemo } from 'react';
import type { TaxonomyFacet } from '../api/types.js';
import { useI18n } from '../i18n/index.js';
import { flattenNodes } from '../lib/taxonomy.js';
import { controlClass, Field, fieldA11y } from './ui.js';

interface FacetSelectProps {
  id: string;
  facet: TaxonomyFacet;
  value: string;
  onChange: (code: string) => void;
  error?: string | undefined;
  /** Text of the empty option; defaults to «Seleziona…». */
  emptyLabel?: string;
  required?: boolean;
  selectRef?: Ref<HTMLSelectElement>;
  className?: string;
}

/** A plain select over a (small) facet; nested nodes are indented. */
export function FacetSelect({ id, facet, value, onChange, error, emptyLabel, required, selectRef, className }: FacetSelectProps) {
  const { t, locale, label } = useI18n();
  const nodes = useMemo(() => flattenNodes(facet.nodes, locale), [facet, locale]);
  return (
    <Field id={id} label={label(facet.label)} error={error} required={required ?? facet.required} className={className}>
      <select
        ref={selectRef}
        className={controlClass('form-select', error)}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        {...fieldA11y(id, error)}
      >
        <option value="">{emptyLabel ?? t('app.choose')}</option>
        {nodes.map((node) => (
          <option key={node.code} value={node.code}>
            {'\u00a0\u00a0'.repeat(node.depth)}
            {node.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
