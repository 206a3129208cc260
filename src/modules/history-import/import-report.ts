/**
 * The report of a dry run or commit, accumulated row by row in bounded memory: counts by reason,
 * the first rejected lines, and the unmapped legacy values with their counts. It never holds the
 * contacts' free text (personal data), only line numbers, reasons and legacy labels.
 */
import { REJECTION_REASONS, type RejectionReason, type RowOutcome } from './contact-row.js';

export const MAX_REJECTED_LISTED = 500;
export const MAX_DISTINCT_VALUES = 5000;

export interface RejectedRow {
  line: number;
  reason: RejectionReason;
  message: string;
}

export interface ValueCount {
  value: string;
  count: number;
}

export interface ImportReport {
  mode: 'dry_run' | 'commit';
  unmappedPolicy: 'skip' | 'unclassified';
  totalRows: number;
  /** Rows imported (commit) or that would be imported (dry run), new ones only. */
  imported: number;
  /** Of those, imported without a topic because their category is unmapped. */
  unclassified: number;
  /** Rows whose legacy id is already stored for this organisation and source (not imported again). */
  alreadyPresent: number;
  rejected: number;
  rejectedByReason: Record<RejectionReason, number>;
  rejectedRows: RejectedRow[];
  unmappedCategories: ValueCount[];
  unmappedChannels: ValueCount[];
  unmappedStatuses: ValueCount[];
  /** True when a list was cut at its limit. */
  truncated: boolean;
}

class Counter {
  private readonly counts = new Map<string, number>();
  truncated = false;

  add(value: string): void {
    const n = this.counts.get(value);
    if (n !== undefined) this.counts.set(value, n + 1);
    else if (this.counts.size < MAX_DISTINCT_VALUES) this.counts.set(value, 1);
    else this.truncated = true;
  }

  list(): ValueCount[] {
    return [...this.counts.entries()].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  }
}

export class ReportBuilder {
  private readonly report: ImportReport;
  private readonly categories = new Counter();
  private readonly channels = new Counter();
  private readonly statuses = new Counter();

  constructor(mode: ImportReport['mode'], unmappedPolicy: ImportReport['unmappedPolicy']) {
    this.report = {
      mode, unmappedPolicy, totalRows: 0, imported: 0, unclassified: 0, alreadyPresent: 0, rejected: 0,
      rejectedByReason: Object.fromEntries(REJECTION_REASONS.map((r) => [r, 0])) as Record<RejectionReason, number>,
      rejectedRows: [], unmappedCategories: [], unmappedChannels: [], unmappedStatuses: [], truncated: false,
    };
  }

  reject(line: number, reason: RejectionReason, message: string): void {
    this.report.rejected++;
    this.report.rejectedByReason[reason]++;
    if (this.report.rejectedRows.length < MAX_REJECTED_LISTED) this.report.rejectedRows.push({ line, reason, message });
    else this.report.truncated = true;
  }

  /** Records a row's outcome; returns whether it is importable. */
  row(line: number, outcome: RowOutcome): boolean {
    this.report.totalRows++;
    if (!outcome.ok) {
      for (const v of outcome.unmappedCategories ?? []) this.categories.add(v);
      this.reject(line, outcome.reason, outcome.message);
      return false;
    }
    for (const v of outcome.unmappedCategories) this.categories.add(v);
    if (outcome.unmappedChannel !== null) this.channels.add(outcome.unmappedChannel);
    if (outcome.unmappedStatus !== null) this.statuses.add(outcome.unmappedStatus);
    return true;
  }

  /** A row read with an error before conversion (e.g. unterminated quote). */
  unreadable(line: number, reason: RejectionReason, message: string): void {
    this.report.totalRows++;
    this.reject(line, reason, message);
  }

  stored(imported: number, unclassified: number, alreadyPresent: number): void {
    this.report.imported += imported;
    this.report.unclassified += unclassified;
    this.report.alreadyPresent += alreadyPresent;
  }

  build(): ImportReport {
    return {
      ...this.report,
      unmappedCategories: this.categories.list(),
      unmappedChannels: this.channels.list(),
      unmappedStatuses: this.statuses.list(),
      truncated: this.report.truncated || this.categories.truncated || this.channels.truncated || this.statuses.truncated,
    };
  }
}
