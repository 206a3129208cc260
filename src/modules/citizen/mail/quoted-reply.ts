/**
 * Separating what the citizen wrote from the history their mail client quoted below it.
 *
 * Mail clients mark the start of the quoted history with an attribution line or a header block;
 * everything from the first such marker on is history. Lines starting with `>` are quoted wherever
 * they appear (answers written between quoted lines are kept).
 */

/** Attribution lines that end with "ha scritto:" / "wrote:" (Gmail, Thunderbird, Apple Mail, K-9). */
const ATTRIBUTION_START = /^(?:il giorno|in data|il|on|am|le)\b/i;
const ATTRIBUTION_END = /(?:ha scritto|hanno scritto|wrote|schrieb|a écrit)\s*:\s*$/i;
/** A single line separator: Outlook's "-----Messaggio originale-----", Thunderbird's "-------- Messaggio inoltrato --------" is NOT one (forwarded content is the message). */
const SEPARATOR_LINE = /^-{3,}\s*(?:messaggio originale|original message|ursprüngliche nachricht|message d'origine)\s*-{3,}$/i;
/** Outlook header blocks: "Da: …" followed by "Inviato:"/"Data:" (or "From: …" with "Sent:"/"Date:") within the next lines. */
const HEADER_BLOCK_FROM = /^\*?(?:da|from|von|de)\s*:\*?\s+\S/i;
const HEADER_BLOCK_NEXT = /^\*?(?:inviato|data|sent|date|gesendet|envoyé)\s*:\*?\s*\S/i;
/** Outlook's underscore rule that precedes its header block in HTML-derived text. */
const UNDERSCORE_RULE = /^_{10,}$/;
/** Gmail may wrap a long attribution line over up to this many lines. */
const ATTRIBUTION_MAX_LINES = 3;

function isAttributionAt(lines: readonly string[], index: number): boolean {
  const first = (lines[index] ?? '').trim();
  if (!ATTRIBUTION_START.test(first)) return false;
  let joined = '';
  for (let i = index; i < Math.min(lines.length, index + ATTRIBUTION_MAX_LINES); i++) {
    joined = `${joined} ${(lines[i] ?? '').trim()}`.trim();
    // A real attribution carries the date of the quoted message: "Il sindaco ha scritto:" is prose.
    if (ATTRIBUTION_END.test(joined)) return /\d/.test(joined);
    if ((lines[i] ?? '').trim() === '') return false;
  }
  return false;
}

function isHeaderBlockAt(lines: readonly string[], index: number): boolean {
  if (!HEADER_BLOCK_FROM.test((lines[index] ?? '').trim())) return false;
  for (let i = index + 1; i < Math.min(lines.length, index + 4); i++) {
    if (HEADER_BLOCK_NEXT.test((lines[i] ?? '').trim())) return true;
  }
  return false;
}

/** Index of the first line where the quoted history starts, or -1. */
function historyStart(lines: readonly string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (SEPARATOR_LINE.test(line) || isAttributionAt(lines, i) || isHeaderBlockAt(lines, i)) return i;
    if (UNDERSCORE_RULE.test(line) && isHeaderBlockAt(lines, i + 1)) return i;
  }
  return -1;
}

/**
 * Removes the quoted history from the text of a reply: everything from the first reply separator
 * ("Il giorno … ha scritto:", "On … wrote:", "-----Messaggio originale-----",
 * "-----Original Message-----", an Outlook "Da: … / Inviato: …" block) on, and every line
 * starting with `>`. Line endings are normalised to `\n`; the result is trimmed.
 */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const start = historyStart(lines);
  const own = start >= 0 ? lines.slice(0, start) : lines;
  return own
    .filter((line) => !line.trimStart().startsWith('>'))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
