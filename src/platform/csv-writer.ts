/**
 * Writing CSV for people who open it in a spreadsheet: a cell is quoted when it holds the
 * separator, a quote or a line break (quotes doubled), as RFC 4180 says. Reading CSV is csv.ts.
 */
export type CsvCell = string | number | boolean | null | undefined;

export function csvCell(value: CsvCell, separator = ','): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line of cells (without the line break). */
export function csvLine(cells: readonly CsvCell[], separator = ','): string {
  return cells.map((c) => csvCell(c, separator)).join(separator);
}
