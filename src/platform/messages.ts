/**
 * The few server-written sentences that are not errors (e.g. why the directory proposes an office),
 * in the languages of the web app. The language is the one the client asks for with
 * `Accept-Language` (the web app sends the UI language), Italian otherwise.
 */
const LANGUAGES = ['it', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const CATALOGUE = {
  'directory.reason.competence': { it: 'competenza: {topic}', en: 'competence: {topic}' },
  'directory.reason.territory': { it: 'territorio: {place}', en: 'territory: {place}' },
  'directory.reason.territory_within': { it: 'territorio comprende {place}', en: 'territory includes {place}' },
  'directory.reason.national': { it: 'competenza nazionale', en: 'nationwide competence' },
  'directory.reason.no_territory': { it: 'territorio non indicato', en: 'no territory given' },
} satisfies Record<string, Record<Language, string>>;

export type MessageKey = keyof typeof CATALOGUE;

/** The first supported language of an Accept-Language header, by quality (`en-GB;q=0.8` counts as `en`). */
/** A text carried in both languages (`message` Italian, `en` English) in the caller's. */
export const inLanguage = (p: { message: string; en: string }, lang: Language): string => (lang === 'en' ? p.en : p.message);

export function requestLanguage(acceptLanguage: string | string[] | undefined): Language {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : (acceptLanguage ?? '');
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...attrs] = part.trim().toLowerCase().split(';');
      const q = Number(attrs.find((a) => a.trim().startsWith('q='))?.trim().slice(2) ?? '1');
      return { lang: tag.split('-')[0] ?? '', q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked.find((x) => (LANGUAGES as readonly string[]).includes(x.lang))?.lang as Language | undefined) ?? 'it';
}

export function message(lang: Language, key: MessageKey, params: Record<string, string> = {}): string {
  return CATALOGUE[key][lang].replace(/\{(\w+)\}/g, (match, name: string) => params[name] ?? match);
}
