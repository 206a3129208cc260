import type { HistoryEntry } from '../api/types.js';
import { type Translate, translateCode } from '../i18n/index.js';

/** A history value as text: people by name, lists joined, null as a dash; codes go through `label`. */
export function formatChangeValue(value: unknown, label: (code: string) => string = (c) => c): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return label(value);
  if (typeof value === 'boolean') return label(String(value));
  if (typeof value === 'number') return String(value);
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

/** The dictionary a `status` value belongs to, by the action that recorded it (a share's status is not a ticket's). */
function statusPrefix(action: string): string {
  if (/^share/.test(action) || action === 'shared') return 'share.status';
  if (/^(transfer|escalat)/.test(action)) return 'transfer.status';
  if (/^task/.test(action)) return 'tasks.status';
  return 'status';
}

/**
 * A code recorded in the history as words of the user's language: statuses (of the ticket, of a
 * share, of a transfer, of a task), share modes, transfer reasons, yes/no. Codes it does not know
 * come back unchanged.
 */
export function historyCodeLabel(t: Translate, action: string, field: string, code: string): string {
  if (code === 'true' || code === 'false') return t(`history.value.${code}`);
  switch (field) {
    case 'status':
      return translateCode(t, statusPrefix(action), code);
    case 'taskStatus':
      return translateCode(t, 'tasks.status', code);
    case 'mode':
      return translateCode(t, 'share.mode', code);
    case 'reasonCode':
      return translateCode(t, 'transfer.reason', code);
    case 'priority':
      return translateCode(t, 'priority', code);
    case 'message':
      return translateCode(t, 'history.value', code);
    default:
      return code;
  }
}
