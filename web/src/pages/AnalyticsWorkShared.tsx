import { useEffect, useState } from 'react';
import { apiGet } from '../api/client.js';
import { Field } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { useTaxonomy } from '../lib/hooks.js';
import { codeLabel, findFacet, flattenNodes, type FlatNode, pathLabel } from '../lib/taxonomy.js';
import type { SliceNames } from './analytics-work.js';

/** Shared pieces of the alarms and actions pages: the names of a slice's parts and the fields to choose one. */

export interface SliceChoices {
  names: SliceNames;
  topics: FlatNode[];
  channels: FlatNode[];
}

/**
 * Labels of topics and channels (from the taxonomy) and names of places (fetched once each, by
 * ISTAT code; the code until the name arrives), for the slices shown on a page.
 */
export function useSliceChoices(territories: readonly string[]): SliceChoices {
  const { locale } = useI18n();
  const taxonomy = useTaxonomy();
  const [places, setPlaces] = useState<Record<string, string>>({});
  const key = [...new Set(territories)].sort().join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the codes, by value
  useEffect(() => {
    let alive = true;
    for (const code of key ? key.split(',') : []) {
      if (places[code]) continue;
      apiGet('/territory/places/{code}', { path: { code } }).then(
        ({ data }) => alive && setPlaces((p) => ({ ...p, [code]: data.name })),
        () => {},
      );
    }
    return () => {
      alive = false;
    };
  }, [key]);
  return {
    names: {
      topic: (code) => codeLabel(taxonomy, 'tema', code, locale) || code,
      channel: (code) => codeLabel(taxonomy, 'canale', code, locale) || code,
      territory: (code) => places[code] ?? code,
    },
    topics: flattenNodes(findFacet(taxonomy, 'tema')?.nodes ?? [], locale),
    channels: flattenNodes(findFacet(taxonomy, 'canale')?.nodes ?? [], locale),
  };
}

export interface SliceForm {
  topic: string;
  territory: string;
  channel: string;
}

export const EMPTY_SLICE: SliceForm = { topic: '', territory: '', channel: '' };

/** Topic, territory and channel of a slice, as three labelled fields (`prefix` keeps their ids unique on the page). */
export function SliceFields({ prefix, value, onChange, choices, anyLabel }: { prefix: string; value: SliceForm; onChange: (next: SliceForm) => void; choices: SliceChoices; anyLabel: string }) {
  const { t } = useI18n();
  const set = (k: keyof SliceForm) => (e: { target: { value: string } }) => onChange({ ...value, [k]: e.target.value });
  return (
    <>
      <div className="col-12 col-md-4">
        <Field id={`${prefix}-topic`} label={t('analyticsWork.slice.topic')}>
          <select id={`${prefix}-topic`} className="form-select" value={value.topic} onChange={set('topic')}>
            <option value="">{anyLabel}</option>
            {choices.topics.map((n) => (
              <option key={n.code} value={n.code}>
                {pathLabel(n)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="col-12 col-md-4">
        <Field id={`${prefix}-territory`} label={t('analyticsWork.slice.territory')} hint={t('analyticsWork.slice.territoryHint')}>
          <input id={`${prefix}-territory`} aria-describedby={`${prefix}-territory-hint`} className="form-control" inputMode="numeric" pattern="\d{2,6}" value={value.territory} onChange={set('territory')} />
        </Field>
      </div>
      <div className="col-12 col-md-4">
        <Field id={`${prefix}-channel`} label={t('analyticsWork.slice.channel')}>
          <select id={`${prefix}-channel`} className="form-select" value={value.channel} onChange={set('channel')}>
            <option value="">{anyLabel}</option>
            {choices.channels.map((n) => (
              <option key={n.code} value={n.code}>
                {n.label}
              </option>
            ))}
          </select>
        </Field>
      </div>
    </>
  );
}
