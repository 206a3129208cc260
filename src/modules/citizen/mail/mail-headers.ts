/**
 * Header fields read straight from raw header text (RFC 5322 §2.2): for the parts mailparser hands
 * over as opaque attachments (`text/rfc822-headers`, `message/delivery-status`, an attached
 * `message/rfc822`), and for the raw lines of the top-level header, where mailparser's structured
 * values would lose repeated or unusual fields.
 */

export interface HeaderField {
  /** Lower-cased field name. */
  name: string;
  /** Unfolded value, trimmed. */
  value: string;
}

/**
 * Parses one header block (up to the first empty line) into fields, unfolding continuation lines
 * (RFC 5322 §2.2.3). Lines that are neither a field nor a continuation are skipped.
 */
export function parseHeaderBlock(text: string): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') {
      if (fields.length > 0) break;
      continue;
    }
    const last = fields[fields.length - 1];
    if (/^[ \t]/.test(line)) {
      if (last) last.value = `${last.value} ${line.trim()}`.trim();
      continue;
    }
    const match = /^([!-9;-~]+)[ \t]*:(.*)$/.exec(line);
    if (match?.[1] !== undefined) fields.push({ name: match[1].toLowerCase(), value: (match[2] ?? '').trim() });
  }
  return fields;
}

/**
 * Splits a `message/delivery-status` body (RFC 3464 §2.1) into its groups of fields: the
 * per-message group first, then one group per recipient.
 */
export function parseFieldGroups(text: string): HeaderField[][] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((block) => parseHeaderBlock(block))
    .filter((group) => group.length > 0);
}

/** The raw header lines mailparser keeps (`{ key, line }`, line being `Name: value` possibly folded). */
export function fieldsFromHeaderLines(lines: ReadonlyArray<{ key: string; line: string }>): HeaderField[] {
  return lines.map(({ key, line }) => {
    const colon = line.indexOf(':');
    return { name: key.toLowerCase(), value: line.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').trim() };
  });
}

export function headerValues(fields: readonly HeaderField[], name: string): string[] {
  const wanted = name.toLowerCase();
  return fields.filter((field) => field.name === wanted).map((field) => field.value);
}

export function firstHeader(fields: readonly HeaderField[], name: string): string | null {
  return headerValues(fields, name)[0] ?? null;
}

/**
 * Message ids found in a header value (`<a@b> <c@d>`), without angle brackets. A value without
 * brackets (some clients and PEC providers write a bare id) counts as one id per word.
 */
export function messageIdsIn(value: string | null | undefined): string[] {
  if (!value) return [];
  const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((match) => match[1] ?? '').filter((id) => id !== '');
  if (bracketed.length > 0) return bracketed;
  return value
    .split(/[\s,]+/)
    .map((id) => id.replace(/^<|>$/g, ''))
    .filter((id) => id.includes('@'));
}

export function firstMessageId(value: string | null | undefined): string | null {
  return messageIdsIn(value)[0] ?? null;
}
