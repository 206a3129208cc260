/**
 * Place names for the local boost: the territory of an organisation ("Comune di Celano" → celano,
 * "Regione Autonoma della Sardegna" → sardegna) and the Italian regions by ISTAT code. Pure.
 */
import { normaliseText } from '../../platform/text/text-analysis.js';
import type { Territory } from '../territory/index.js';

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

/**
 * The places of Italy a portal question names, and its context (the `place` the portal passes, a
 * comune's name or its body's), found with the territory: any of the ~7,900 comuni, not only the
 * network's own bodies. Each place comes with the province and region that contain it, so that a
 * question about Treviglio does not push down the FAQs of Regione Lombardia.
 */
export function placesNamed(territory: Territory, texts: readonly (string | null | undefined)[]): { places: string[]; enclosing: string[] } {
  const places = new Set<string>();
  const enclosing = new Set<string>();
  for (const text of texts) {
    if (!text?.trim()) continue;
    const place = territory.findPlace(text);
    if (!place) continue;
    places.add(normaliseText(place.name));
    for (const code of [territory.provinceOf(place.code), territory.regionOf(place.code)]) {
      const name = code && code !== place.code ? territory.nameOf(code) : null;
      if (name) enclosing.add(normaliseText(name));
    }
  }
  for (const p of places) enclosing.delete(p);
  return { places: [...places], enclosing: [...enclosing] };
}
