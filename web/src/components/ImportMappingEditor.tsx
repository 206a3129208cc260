import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { apiGet, client, fieldErrors, unwrap } from '../api/client.js';
import type { Taxonomy, TaxonomyFacet } from '../api/types.js';
import { useI18n } from '../i18n/index.js';
import { flattenNodes, findFacet } from '../lib/taxonomy.js';
import { FacetSelect } from './FacetSelect.js';
import { type CategoryRule, type DistinctValues, type HistoryImport, type HistoryMapping, type LegacyValue, legacyKey } from './ImportTypes.js';
import { TaxonomyPicker } from './TaxonomyPicker.js';
import { DataTable, ErrorAlert, Field, fieldA11y, Notice, Spinner } from './ui.js';

type Rules = Record<string, CategoryRule>;
type Pairs = Record<string, { legacy: string; code: string }>;

/** A compact select over a small facet with a label for screen readers (one per table row). */
function CodeSelect({ id, facet, value, label, onChange }: { id: string; facet: TaxonomyFacet | undefined; value: string; label: string; onChange: (code: string) => void }) {
  const { t, locale } = useI18n();
  const nodes = useMemo(() => (facet ? flattenNodes(facet.nodes, locale) : []), [facet, locale]);
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <select id={id} className="form-select form-select-sm" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('historicalImport.none')}</option>
        {nodes.map((n) => (
          <option key={n.code} value={n.code}>
            {'\u00a0\u00a0'.repeat(n.depth)}
            {n.label}
          </option>
        ))}
      </select>
    </>
  );
}

function rulesOf(mapping: HistoryMapping | undefined): { categories: Rules; channels: Pairs; statuses: Pairs } {
  const categories: Rules = {};
  const channels: Pairs = {};
  const statuses: Pairs = {};
  for (const r of mapping?.categories ?? []) categories[legacyKey(r.legacy)] = r;
  for (const r of mapping?.channels ?? []) channels[legacyKey(r.legacy)] = { legacy: r.legacy, code: r.canale };
  for (const r of mapping?.statuses ?? []) statuses[legacyKey(r.legacy)] = { legacy: r.legacy, code: r.esito };
  return { categories, channels, statuses };
}

interface Props {
  imp: HistoryImport;
  taxonomy: Taxonomy;
  mappings: HistoryMapping[];
  mappingId: string;
  onMappingChosen: (id: string) => void;
  onSaved: (mapping: HistoryMapping) => void;
}

/**
 * Step 3: each distinct legacy value of the file with its count, mapped to taxonomy codes (tema
 * required; tipo, canale, esito optional); filter on unmapped values and bulk assignment. Saving
 * creates a new version of the named mapping, reusable for later imports.
 */
export function ImportMappingEditor({ imp, taxonomy, mappings, mappingId, onMappingChosen, onSaved }: Props) {
  const { t, label: localLabel } = useI18n();
  const chosen = mappings.find((m) => m.id === mappingId);
  const [name, setName] = useState(chosen?.name ?? imp.source);
  const [rules, setRules] = useState(() => rulesOf(chosen));
  const [values, setValues] = useState<DistinctValues | null>(null);
  const [loading, setLoading] = useState(false);
  const [onlyUnmapped, setOnlyUnmapped] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkTema, setBulkTema] = useState('');
  const [bulkTipo, setBulkTipo] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const facets = { tema: findFacet(taxonomy, 'tema'), tipo: findFacet(taxonomy, 'tipo'), canale: findFacet(taxonomy, 'canale'), esito: findFacet(taxonomy, 'esito') };

  useEffect(() => {
    setRules(rulesOf(chosen));
    if (chosen) setName(chosen.name);
  }, [chosen]);

  const loadValues = async () => {
    setLoading(true);
    setError(null);
    try {
      setValues((await apiGet('/history-imports/{id}/values', { path: { id: imp.id }, query: { mappingId: mappingId || undefined } })).data);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };

  const setRule = (value: string, patch: Partial<CategoryRule>) =>
    setRules((r) => {
      const key = legacyKey(value);
      const next = { ...(r.categories[key] ?? { legacy: value, tema: '' }), ...patch };
      for (const f of ['tipo', 'canale', 'esito'] as const) if (!next[f]) delete next[f];
      return { ...r, categories: { ...r.categories, [key]: next } };
    });
  const setPair = (kind: 'channels' | 'statuses', value: string, code: string) =>
    setRules((r) => ({ ...r, [kind]: { ...r[kind], [legacyKey(value)]: { legacy: value, code } } }));

  const isMapped = (v: LegacyValue) => Boolean(rules.categories[legacyKey(v.value)]?.tema);
  const visible = (list: LegacyValue[]) => (onlyUnmapped ? list.filter((v) => !isMapped(v)) : list);
  const categoryRows = values ? visible([...values.categories, ...values.combinations]) : [];
  const unmappedCount = values ? values.categories.filter((v) => !isMapped(v)).length : 0;

  const applyBulk = () => {
    for (const key of selected) {
      const v = categoryRows.find((r) => legacyKey(r.value) === key);
      if (v) setRule(v.value, { ...(bulkTema && { tema: bulkTema }), ...(bulkTipo && { tipo: bulkTipo }) });
    }
    setSelected(new Set());
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = {
        organisationId: imp.organisationId,
        name: name.trim(),
        taxonomyVersion: taxonomy.version,
        categories: Object.values(rules.categories).filter((r) => r.tema),
        channels: Object.values(rules.channels).filter((p) => p.code).map((p) => ({ legacy: p.legacy, canale: p.code })),
        statuses: Object.values(rules.statuses).filter((p) => p.code).map((p) => ({ legacy: p.legacy, esito: p.code })),
      };
      const response = await unwrap(client.POST('/history-mappings', { body }));
      setNotice(response.status === 201 ? t('historicalImport.mappingSaved', { name: response.data.name, version: response.data.version }) : t('historicalImport.mappingUnchanged', { version: response.data.version }));
      onSaved(response.data);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const errors = fieldErrors(error);

  const label = (v: string) => (v === '' ? t('historicalImport.empty') : v);
  const pairTable = (kind: 'channels' | 'statuses', list: LegacyValue[], facet: TaxonomyFacet | undefined, labelKey: 'historicalImport.canaleFor' | 'historicalImport.esitoFor', title: string) =>
    list.length > 0 && (
      <>
        <h3 className="h6 mt-3">{title}</h3>
        <DataTable caption={title} columns={[t('historicalImport.value'), t('historicalImport.count'), facet ? localLabel(facet.label) : '']} className="table-sm align-middle">
          {list.map((v, i) => (
            <tr key={v.value}>
              <td>{label(v.value)}</td>
              <td>{v.count}</td>
              <td>
                <CodeSelect id={`hi-${kind}-${i}`} facet={facet} value={rules[kind][legacyKey(v.value)]?.code ?? ''} label={t(labelKey, { value: label(v.value) })} onChange={(c) => setPair(kind, v.value, c)} />
              </td>
            </tr>
          ))}
        </DataTable>
      </>
    );

  return (
    <form onSubmit={save} noValidate aria-busy={busy}>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <Notice text={notice} onClose={() => setNotice(null)} />
      <div className="row align-items-end">
        <div className="col-12 col-md-5">
          <Field id="hi-mapping" label={t('historicalImport.mapping')}>
            <select id="hi-mapping" className="form-select" value={mappingId} onChange={(e) => onMappingChosen(e.target.value)}>
              <option value="">{t('historicalImport.mapping.new')}</option>
              {mappings.map((m) => (
                <option key={m.id} value={m.id}>
                  {t('historicalImport.mapping.version', { name: m.name, version: m.version })}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="col-12 col-md-4">
          <Field id="hi-mapping-name" label={t('historicalImport.mapping.name')} hint={t('historicalImport.mapping.nameHint')} error={errors.name} required>
            <input type="text" className="form-control" value={name} onChange={(e) => setName(e.target.value)} {...fieldA11y('hi-mapping-name', errors.name, true)} />
          </Field>
        </div>
        <div className="col-12 col-md-3 mb-3">
          <button type="button" className="btn btn-outline-primary" onClick={loadValues} disabled={loading}>
            {t('historicalImport.loadValues')}
          </button>
        </div>
      </div>
      {loading && <Spinner />}
      {values && (
        <>
          <p role="status" data-testid="unmapped-count">
            {t('historicalImport.unmappedCount', { count: unmappedCount, total: values.categories.length })}
          </p>
          <div className="form-check mb-3">
            <input id="hi-only-unmapped" type="checkbox" className="form-check-input" checked={onlyUnmapped} onChange={(e) => setOnlyUnmapped(e.target.checked)} />
            <label htmlFor="hi-only-unmapped" className="form-check-label">
              {t('historicalImport.onlyUnmapped')}
            </label>
          </div>
          <fieldset className="border rounded p-3 mb-3">
            <legend className="fs-6 fw-semibold float-none w-auto px-1">{t('historicalImport.bulk')}</legend>
            <div className="row align-items-end">
              <div className="col-12 col-md-5">{facets.tema && <TaxonomyPicker id="hi-bulk-tema" facet={facets.tema} value={bulkTema} onChange={setBulkTema} label={t('historicalImport.bulkTema')} />}</div>
              <div className="col-12 col-md-4">{facets.tipo && <FacetSelect id="hi-bulk-tipo" facet={facets.tipo} value={bulkTipo} onChange={setBulkTipo} required={false} />}</div>
              <div className="col-12 col-md-3 mb-3">
                <button type="button" className="btn btn-secondary" disabled={selected.size === 0 || (!bulkTema && !bulkTipo)} onClick={applyBulk}>
                  {t('historicalImport.bulkApply', { count: selected.size })}
                </button>
              </div>
            </div>
          </fieldset>
          <h3 className="h6">{t('historicalImport.values.categories')}</h3>
          {values.combinations.length > 0 && <p className="form-text">{t('historicalImport.values.combinationsHint')}</p>}
          <DataTable
            caption={t('historicalImport.values.categories')}
            className="table-sm align-middle"
            columns={[
              <>
                <label htmlFor="hi-select-all" className="visually-hidden">
                  {t('historicalImport.selectAll')}
                </label>
                <input
                  id="hi-select-all"
                  type="checkbox"
                  className="form-check-input"
                  checked={categoryRows.length > 0 && categoryRows.every((v) => selected.has(legacyKey(v.value)))}
                  onChange={(e) => setSelected(e.target.checked ? new Set(categoryRows.map((v) => legacyKey(v.value))) : new Set())}
                />
              </>,
              t('historicalImport.value'),
              t('historicalImport.count'),
              facets.tema ? localLabel(facets.tema.label) : 'tema',
              facets.tipo ? localLabel(facets.tipo.label) : 'tipo',
              facets.canale ? localLabel(facets.canale.label) : 'canale',
              facets.esito ? localLabel(facets.esito.label) : 'esito',
            ]}
          >
            {categoryRows.map((v, i) => {
              const key = legacyKey(v.value);
              const rule = rules.categories[key];
              return (
                <tr key={v.value} data-legacy={v.value}>
                  <td>
                    <input
                      id={`hi-sel-${i}`}
                      type="checkbox"
                      className="form-check-input"
                      aria-label={t('historicalImport.select', { value: label(v.value) })}
                      checked={selected.has(key)}
                      onChange={(e) => {
                        const next = new Set(selected);
                        if (e.target.checked) next.add(key);
                        else next.delete(key);
                        setSelected(next);
                      }}
                    />
                  </td>
                  <td>{label(v.value)}</td>
                  <td>{v.count}</td>
                  <td className="hi-tema-cell">
                    {facets.tema && <TaxonomyPicker id={`hi-tema-${i}`} facet={facets.tema} value={rule?.tema ?? ''} onChange={(code) => setRule(v.value, { tema: code })} label={t('historicalImport.temaFor', { value: label(v.value) })} />}
                  </td>
                  {(['tipo', 'canale', 'esito'] as const).map((f) => (
                    <td key={f}>
                      <CodeSelect id={`hi-${f}-${i}`} facet={facets[f]} value={rule?.[f] ?? ''} label={t(`historicalImport.${f}For`, { value: label(v.value) })} onChange={(code) => setRule(v.value, { [f]: code })} />
                    </td>
                  ))}
                </tr>
              );
            })}
          </DataTable>
          {pairTable('channels', values.channels, facets.canale, 'historicalImport.canaleFor', t('historicalImport.values.channels'))}
          {pairTable('statuses', values.statuses, facets.esito, 'historicalImport.esitoFor', t('historicalImport.values.statuses'))}
        </>
      )}
      <button type="submit" className="btn btn-primary mt-2" disabled={busy || name.trim() === ''}>
        {t('historicalImport.saveMapping')}
      </button>
    </form>
  );
}
