/**
 * Place names for the local boost: the territory of an organisation ("Comune di Celano" → celano,
 * "Regione Autonoma della Sardegna" → sardegna) and the Italian regions by ISTAT code. Pure.
 */
import { normaliseText } from '../../platform/text/text-analysis.js';

/** ISTAT region codes → region names (stable since 2001). */
export const ITALIAN_REGIONS: Readonly<Record<string, string>> = {
  '01': 'Piemonte', '02': "Valle d'Aosta", '03': 'Lombardia', '04': 'Trentino-Alto Adige', '05': 'Veneto', '06': 'Friuli-Venezia Giulia',
  '07': 'Liguria', '08': 'Emilia-Romagna', '09': 'Toscana', '10': 'Umbria', '11': 'Marche', '12': 'Lazio', '13': 'Abruzzo', '14': 'Molise',
  '15': 'Campania', '16': 'Puglia', '17': 'Basilicata', '18': 'Calabria', '19': 'Sicilia', '20': 'Sardegna',
};

const BODY_PREFIX =
  /^(comune di|comune|regione autonoma (della|del|di)|regione|provincia autonoma di|provincia di|provincia|citta metropolitana di|libero consorzio comunale di|unione dei comuni( di| del| della)?)\s+/;

/** The place an organisation's name refers to, as a normalised key; null when the name names no place ("Rete URP"). */
export function placeOfOrganisationName(name: string): string | null {
  const n = normaliseText(name);
  const stripped = n.replace(BODY_PREFIX, '');
  return stripped !== n && stripped.length >= 2 ? stripped : null;
}

/** Normalised key of a free-text place ("Celano", "celano ") as the portal's `place` parameter gives it. */
export function placeKey(text: string): string {
  return normaliseText(text);
}
