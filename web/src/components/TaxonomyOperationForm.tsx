import { type FormEvent, type ReactNode, useMemo, useState } from 'react';
import type { ApiRequestBody } from '../api/client.js';
import type { LocalizedText, Taxonomy } from '../api/types.js';
import { useI18n } from '../i18n/index.js';
import { type GovernedNode, nodeOptions } from './TaxonomyTree.js';
import { Field } from './ui.js';

export const OPERATION_KINDS = ['rename', 'move', 'add', 'deprecate', 'merge', 'split', 'delete'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];
const RELATIONS = ['exact', 'broader', 'narrower'] as const;

/** A change operation in the API's format (see src/modules/taxonomy/taxonomy-changes.ts). */
export type TaxonomyOperation = ApiRequestBody<'/taxonomy/drafts/{id}/operations', 'post'>['operations'][number];

const text = (it: string, en: string): LocalizedText | undefined => (it.trim() ? { it: it.trim(), ...(en.trim() && { en: en.trim() }) } : undefined);

/** A short human description of an operation, for lists of changes. */
export function describeOperation(op: TaxonomyOperation, t: ReturnType<typeof useI18n>['t']): string {
  const code = String(op.code ?? '');
  switch (op.op) {
    case 'add':
    case 'move':
      return t(`taxonomyEditor.op.describe.${op.op}`, { code, parent: op.parent ? String(op.parent) : t('taxonomyEditor.op.topLevel') });
    case 'deprecate':
      return t('taxonomyEditor.op.describe.deprecate', { code, target: String(op.replacement ?? '') });
    case 'merge':
      return t('taxonomyEditor.op.describe.merge', { codes: (op.codes as string[]).map((c) => `«${c}»`).join(', '), target: String(op.into ?? '') });
    case 'split':
      return t('taxonomyEditor.op.describe.split', { code, codes: (op.into as { code: string }[]).map((p) => `«${p.code}»`).join(', ') });
    default:
      return t(`taxonomyEditor.op.describe.${op.op}`, { code });
  }
}

interface Props {
  idPrefix: string;
  taxonomy: Taxonomy;
  submitLabel: string;
  /** Extra fields shown before the submit button (e.g. the rationale of a proposal). */
  extra?: ReactNode;
  /** Resolves true when the operation was accepted (the form is then cleared). */
  onSubmit: (op: TaxonomyOperation) => Promise<boolean>;
}

/** One change operation at a time, with the fields its kind needs; the server validates it. */
export function TaxonomyOperationForm({ idPrefix, taxonomy, submitLabel, extra, onSubmit }: Props) {
  const { t, label } = useI18n();
  const [kind, setKind] = useState<OperationKind>('rename');
  const [facet, setFacet] = useState(() => taxonomy.facets.find((f) => f.code === 'tema')?.code ?? taxonomy.facets[0]?.code ?? '');
  const [code, setCode] = useState('');
  const [newCode, setNewCode] = useState('');
  const [parent, setParent] = useState('');
  const [labelIt, setLabelIt] = useState('');
  const [labelEn, setLabelEn] = useState('');
  const [descIt, setDescIt] = useState('');
  const [descEn, setDescEn] = useState('');
  const [target, setTarget] = useState('');
  const [relation, setRelation] = useState<(typeof RELATIONS)[number]>('exact');
  const [codes, setCodes] = useState<string[]>([]);
  const [parts, setParts] = useState('');
  const [busy, setBusy] = useState(false);

  const nodes = useMemo(() => (taxonomy.facets.find((f) => f.code === facet)?.nodes ?? []) as GovernedNode[], [taxonomy, facet]);
  const options = useMemo(() => nodeOptions(nodes, label), [nodes, label]);
  const active = options.filter((o) => !o.deprecated);
  const id = (name: string) => `${idPrefix}-${name}`;

  const reset = () => {
    for (const set of [setCode, setNewCode, setParent, setLabelIt, setLabelEn, setDescIt, setDescEn, setTarget, setParts]) set('');
    setCodes([]);
  };

  const build = (): TaxonomyOperation => {
    const base = { op: kind, facet };
    switch (kind) {
      case 'add':
        return { ...base, code: newCode.trim(), parent: parent || null, label: text(labelIt, labelEn) ?? { it: '' }, ...(descIt.trim() && { description: text(descIt, descEn) }) };
      case 'rename': {
        const l = text(labelIt, labelEn);
        const d = text(descIt, descEn);
        return { ...base, code, ...(l && { label: l }), ...(d && { description: d }) };
      }
      case 'move':
        return { ...base, code, parent: parent || null };
      case 'deprecate':
        return { ...base, code, replacement: target, relation };
      case 'merge':
        return { ...base, codes, into: target };
      case 'split':
        return {
          ...base, code,
          into: parts.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
            const [c = '', ...rest] = line.split('|');
            return { code: c.trim(), label: { it: rest.join('|').trim() } };
          }),
        };
      case 'delete':
        return { ...base, code, ...(target && { crosswalk: { to: target, relation } }) };
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      if (await onSubmit(build())) reset();
    } finally {
      setBusy(false);
    }
  };

  const nodeSelect = (name: string, fieldLabel: string, value: string, onChange: (v: string) => void, opts: { withTop?: boolean; withNone?: boolean; only?: typeof options } = {}) => (
    <Field id={id(name)} label={fieldLabel}>
      <select id={id(name)} className="form-select" value={value} onChange={(e) => onChange(e.target.value)} required={!opts.withTop && !opts.withNone}>
        <option value="">{opts.withTop ? t('taxonomyEditor.op.topLevel') : opts.withNone ? t('taxonomyEditor.op.none') : t('app.choose')}</option>
        {(opts.only ?? options).map((o) => (
          <option key={o.code} value={o.code}>
            {o.text}
          </option>
        ))}
      </select>
    </Field>
  );
  const input = (name: string, fieldLabel: string, value: string, onChange: (v: string) => void, required = false, hint?: string) => (
    <Field id={id(name)} label={fieldLabel} required={required} {...(hint && { hint })}>
      <input id={id(name)} className="form-control" value={value} onChange={(e) => onChange(e.target.value)} required={required} aria-describedby={hint ? `${id(name)}-hint` : undefined} />
    </Field>
  );
  const labels = (required: boolean) => (
    <div className="row">
      <div className="col-md-6">{input('label-it', t('taxonomyEditor.op.labelIt'), labelIt, setLabelIt, required)}</div>
      <div className="col-md-6">{input('label-en', t('taxonomyEditor.op.labelEn'), labelEn, setLabelEn)}</div>
      <div className="col-md-6">{input('desc-it', t('taxonomyEditor.op.descriptionIt'), descIt, setDescIt)}</div>
      <div className="col-md-6">{input('desc-en', t('taxonomyEditor.op.descriptionEn'), descEn, setDescEn)}</div>
    </div>
  );
  const relationSelect = (
    <Field id={id('relation')} label={t('taxonomyEditor.op.relation')}>
      <select id={id('relation')} className="form-select" value={relation} onChange={(e) => setRelation(e.target.value as (typeof RELATIONS)[number])}>
        {RELATIONS.map((r) => (
          <option key={r} value={r}>
            {t(`taxonomyEditor.op.relation.${r}`)}
          </option>
        ))}
      </select>
    </Field>
  );

  return (
    <form onSubmit={submit} data-testid={`${idPrefix}-form`}>
      <div className="row">
        <div className="col-md-6">
          <Field id={id('kind')} label={t('taxonomyEditor.op.kind')}>
            <select id={id('kind')} className="form-select" value={kind} onChange={(e) => setKind(e.target.value as OperationKind)}>
              {OPERATION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`taxonomyEditor.op.${k}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="col-md-6">
          <Field id={id('facet')} label={t('taxonomyEditor.facet')}>
            <select id={id('facet')} className="form-select" value={facet} onChange={(e) => { setFacet(e.target.value); reset(); }}>
              {taxonomy.facets.map((f) => (
                <option key={f.code} value={f.code}>
                  {label(f.label)}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </div>
      {kind === 'add' && (
        <>
          {input('new-code', t('taxonomyEditor.op.newCode'), newCode, setNewCode, true, t('taxonomyEditor.op.newCodeHint'))}
          {nodeSelect('parent', t('taxonomyEditor.op.parent'), parent, setParent, { withTop: true, only: active })}
          {labels(true)}
        </>
      )}
      {kind === 'rename' && (
        <>
          {nodeSelect('code', t('taxonomyEditor.op.code'), code, setCode)}
          {labels(false)}
        </>
      )}
      {kind === 'move' && (
        <>
          {nodeSelect('code', t('taxonomyEditor.op.code'), code, setCode)}
          {nodeSelect('parent', t('taxonomyEditor.op.parent'), parent, setParent, { withTop: true, only: active })}
        </>
      )}
      {kind === 'deprecate' && (
        <>
          {nodeSelect('code', t('taxonomyEditor.op.code'), code, setCode, { only: active })}
          {nodeSelect('target', t('taxonomyEditor.op.replacement'), target, setTarget, { only: active })}
          {relationSelect}
        </>
      )}
      {kind === 'merge' && (
        <>
          <Field id={id('codes')} label={t('taxonomyEditor.op.mergeCodes')} hint={t('taxonomyEditor.op.mergeCodesHint')}>
            <select
              id={id('codes')}
              className="form-select"
              multiple
              size={8}
              value={codes}
              aria-describedby={`${id('codes')}-hint`}
              onChange={(e) => setCodes([...e.target.selectedOptions].map((o) => o.value))}
            >
              {options.map((o) => (
                <option key={o.code} value={o.code}>
                  {o.text}
                </option>
              ))}
            </select>
          </Field>
          {nodeSelect('target', t('taxonomyEditor.op.into'), target, setTarget, { only: active })}
        </>
      )}
      {kind === 'split' && (
        <>
          {nodeSelect('code', t('taxonomyEditor.op.code'), code, setCode)}
          <Field id={id('parts')} label={t('taxonomyEditor.op.splitInto')} hint={t('taxonomyEditor.op.splitIntoHint')} required>
            <textarea id={id('parts')} className="form-control" rows={3} value={parts} onChange={(e) => setParts(e.target.value)} required aria-describedby={`${id('parts')}-hint`} />
          </Field>
        </>
      )}
      {kind === 'delete' && (
        <>
          {nodeSelect('code', t('taxonomyEditor.op.code'), code, setCode)}
          {nodeSelect('target', t('taxonomyEditor.op.crosswalkTo'), target, setTarget, { withNone: true, only: active })}
          {target && relationSelect}
        </>
      )}
      {extra}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
