/**
 * Local fields of network FAQs. A network FAQ's title or body may name fields that each adopting
 * organisation fills in, so that the shared text is never forked:
 *
 *   {{orari_ufficio}}                         a field without a default
 *   {{costo|il costo stabilito dal tuo Comune}} a field with the text shown when it is not filled in
 *
 * Names are lower-case letters, digits and underscores (starting with a letter, at most 40);
 * anything else between braces is plain text. The network's own rendering shows the default, or the
 * field's name in square brackets ("[orari ufficio]"). Pure.
 */
export interface TemplateField {
  name: string;
  default: string | null;
}

const PLACEHOLDER = /\{\{\s*([a-z][a-z0-9_]{0,39})\s*(?:\|([^{}]{0,300}))?\}\}/g;

/** The fields named in the texts, first occurrence first; the first default given for a name wins. */
export function templateFields(...texts: string[]): TemplateField[] {
  const out = new Map<string, TemplateField>();
  for (const text of texts) {
    for (const m of text.matchAll(PLACEHOLDER)) {
      const name = m[1]!;
      const def = m[2]?.trim() || null;
      const known = out.get(name);
      if (!known) out.set(name, { name, default: def });
      else if (known.default === null && def !== null) known.default = def;
    }
  }
  return [...out.values()];
}

/** The text with each field replaced by its local value, else its default, else its name in brackets. */
export function renderTemplate(text: string, values: Readonly<Record<string, string>> = {}): string {
  const defaults = new Map(templateFields(text).map((f) => [f.name, f.default]));
  return text.replace(PLACEHOLDER, (_m, name: string) => {
    const value = values[name]?.trim();
    if (value) return value;
    return defaults.get(name) ?? `[${name.replace(/_/g, ' ')}]`;
  });
}

/** True when the text names at least one field. */
export function hasTemplateFields(text: string): boolean {
  return templateFields(text).length > 0;
}
