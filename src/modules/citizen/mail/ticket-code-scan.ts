import { normalizeTicketCode } from '../../tickets/index.js';

/**
 * Ticket codes (`K7M2-Q9X4-B`, see tickets/ticket-code.ts) quoted in the subject of a citizen's
 * e-mail, so a reply can be attached to its ticket.
 *
 * Two shapes are looked for:
 * - the dashed form `XXXX-XXXX-C` anywhere (dashes make it distinctive);
 * - the compact or spaced forms (`K7M2Q9X4B`, `K7M2 Q9X4 B`) only right after a marker such as
 *   `[URP `, `Rif.`, `Ticket`, `Pratica`, `#`: nine letters alone are too common in Italian
 *   ("RICHIESTA" passes the check symbol with probability 1/32).
 * Every candidate must pass `normalizeTicketCode`, which also verifies the check symbol.
 */

// Crockford symbols plus the look-alikes O, I, L that normalizeTicketCode maps to digits.
const SYMBOL = '[0-9A-Za-z]';
const DASHED = new RegExp(`(?<![0-9A-Za-z])(${SYMBOL}{4}-${SYMBOL}{4}-${SYMBOL})(?![0-9A-Za-z])`, 'g');
const MARKED = new RegExp(
  `(?:\\[\\s*(?:URP\\s*)?|\\b(?:URP|rif|riferimento|ref|ticket|pratica|segnalazione|codice|richiesta)\\b\\.?\\s*(?:n\\.?|nr\\.?|num\\.?)?\\s*[:#]?\\s*|#\\s*)` +
    `(${SYMBOL}{4}[ .]?${SYMBOL}{4}[ .]?${SYMBOL})(?![0-9A-Za-z])`,
  'gi',
);

/** Valid ticket codes in `subject`, normalised to `XXXX-XXXX-C`, in order of appearance, without repeats. */
export function ticketCodesIn(subject: string): string[] {
  const found: Array<{ at: number; code: string }> = [];
  for (const pattern of [DASHED, MARKED]) {
    for (const match of subject.matchAll(pattern)) {
      const candidate = match[1];
      if (candidate === undefined) continue;
      const code = normalizeTicketCode(candidate);
      if (code !== null) found.push({ at: (match.index ?? 0) + match[0].lastIndexOf(candidate), code });
    }
  }
  found.sort((a, b) => a.at - b.at);
  return [...new Set(found.map((entry) => entry.code))];
}
