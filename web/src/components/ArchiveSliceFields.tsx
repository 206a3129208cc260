import { type MessageKey, useI18n } from '../i18n/index.js';
import { useApiGet, useTaxonomy } from '../lib/hooks.js';
import { findFacet, flattenNodes, pathLabel } from '../lib/taxonomy.js';
import { Field } from './ui.js';

/** The slice of the anonymised archive a form filters on: body, office, topic, channel, source. */
export interface ArchiveSliceValues {
  organisationId: string;
  officeId: string;
  topic: string;
  channel: string;
  source: string;
}

type Key = keyof ArchiveSliceValues;

/**
 * The fields that choose a slice of the archive, shared by the archive browser and the dashboards:
 * the body (its offices load when one is chosen), the office, the topic, the channel and the source.
 * Each page words them in its own messages (`archive.filters.*` or `analytics.filters.*`, and
 * `*.source.*`); ids are `${idPrefix}-org`, `${idPrefix}-office`, …. `organisations`: the only
 * bodies that may be chosen, one of them always (a supervisor's own dashboard).
 */
export function ArchiveSliceFields({ idPrefix, messages, values, onChange, organisations }: { idPrefix: string; messages: 'archive' | 'analytics'; values: ArchiveSliceValues; onChange: (key: Key, value: string) => void; organisations?: readonly string[] }) {
  const { t, locale } = useI18n();
  const NAMES: Record<Key | 'any', string> = { organisationId: 'organisation', officeId: 'office', topic: 'topic', channel: 'channel', source: 'source', any: 'any' };
  const label = (key: Key | 'any' | 'ticket' | 'historical') => t((key === 'ticket' || key === 'historical' ? `${messages}.source.${key}` : `${messages}.filters.${NAMES[key]}`) as MessageKey);
  const taxonomy = useTaxonomy();
  const orgs = useApiGet('/organisations');
  const offices = useApiGet(values.organisationId ? '/organisations/{id}/offices' : null, { path: { id: values.organisationId } });
  const topics = flattenNodes(findFacet(taxonomy, 'tema')?.nodes ?? [], locale);
  const channels = flattenNodes(findFacet(taxonomy, 'canale')?.nodes ?? [], locale);
  const select = (key: Key, suffix: string, options: { value: string; label: string }[], disabled = false, required = false) => (
    <div className="col-12 col-md-3">
      <Field id={`${idPrefix}-${suffix}`} label={label(key)}>
        <select id={`${idPrefix}-${suffix}`} className="form-select" value={values[key]} onChange={(e) => onChange(key, e.target.value)} disabled={disabled}>
          {!required && <option value="">{label('any')}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
  return (
    <>
      {select('organisationId', 'org', (orgs.data?.items ?? []).filter((o) => !organisations || organisations.includes(o.id)).map((o) => ({ value: o.id, label: o.name })), false, organisations !== undefined)}
      {select('officeId', 'office', (offices.data?.items ?? []).map((o) => ({ value: o.id, label: o.name })), !values.organisationId)}
      {select('topic', 'topic', topics.map((n) => ({ value: n.code, label: pathLabel(n) })))}
      {select('channel', 'channel', channels.map((n) => ({ value: n.code, label: n.label })))}
      {select('source', 'source', [
        { value: 'ticket', label: label('ticket') },
        { value: 'historical', label: label('historical') },
      ])}
    </>
  );
}
