import type { HistoryEntry } from '../api/types.js';

/** A history value as text: people by name, lists joined, null as a dash; codes go through `label`. */
export function formatChangeValue(value: unknown, label: (code: string) => string = (c) => c): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return label(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((v) => formatChangeValue(v, label)).join(', ');
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.name === 'string') return record.name;
    const entries = Object.entries(record).filter(([, v]) => v !== null && v !== undefined && v !== '');
    if (entries.length === 0) return '—';
    return entries.map(([k, v]) => `${k}: ${formatChangeValue(v, label)}`).join('; ');
  }
  return String(value);
}

export interface ChangeLine {
  field: string;
  from: unknown;
  to: unknown;
}

/**
 * The changes of a history entry as one line per field; a nested object change
 * (`classification: {from:{tema:a}, to:{tema:b}}`) becomes one line per changed key.
 */
export function changeLines(entry: Pick<HistoryEntry, 'changes'>): ChangeLine[] {
  const lines: ChangeLine[] = [];
  for (const [field, change] of Object.entries(entry.changes ?? {})) {
    const from = change?.from;
    const to = change?.to;
    const isPlainObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && !('name' in (v as object));
    if (field === 'classification' && (isPlainObject(from) || isPlainObject(to))) {
      const a = (from ?? {}) as Record<string, unknown>;
      const b = (to ?? {}) as Record<string, unknown>;
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) lines.push({ field: `${field}.${key}`, from: a[key], to: b[key] });
      }
      continue;
    }
    lines.push({ field, from, to });
  }
  return lines;
}
