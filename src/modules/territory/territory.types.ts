/**
 * The Italian territory as reference data (issue 11): the 20 regions, every province-level unit
 * (province, città metropolitane, liberi consorzi, provinces autonomous, Aosta) and every comune with
 * its ISTAT code, names, cadastral code and resident population, plus the successions that map the
 * codes of comuni merged away to the comuni that replaced them.
 *
 * Codes: a region is 2 digits ("13"), a province-level unit is the 3-digit historical province code
 * that prefixes the codes of its comuni ("066"), a comune is 6 digits ("066031").
 */
export type ProvinceKind = 'provincia' | 'provincia_autonoma' | 'citta_metropolitana' | 'libero_consorzio' | 'unita_non_amministrativa';

export interface Region {
  code: string;
  name: string;
}

export interface Province {
  code: string;
  /** Two-letter vehicle-registration abbreviation ("AQ"), as IPA and addresses use it. */
  sigla: string;
  name: string;
  regionCode: string;
  kind: ProvinceKind;
}

export interface Comune {
  code: string;
  /** Italian name ("Bolzano"). */
  name: string;
  /** The name in the other official language, where there is one ("Bozen"), else null. */
  altName: string | null;
  provinceCode: string;
  regionCode: string;
  /** Cadastral code ("H501"): IPA codes of comuni are `c_` + this code in lower case. */
  cadastralCode: string | null;
  population: number | null;
}

/** A comune that no longer exists and the comune that took its territory. */
export interface Succession {
  oldCode: string;
  oldName: string;
  newCode: string;
  /** ISO date from which the old code stopped being valid; null when only the two lists are known. */
  since: string | null;
}

export type PlaceKind = 'regione' | 'provincia' | 'comune';

export interface Place {
  code: string;
  name: string;
  kind: PlaceKind;
}

/** Everything the territory is made of, as stored and as imported. */
export interface TerritoryData {
  regions: Region[];
  provinces: Province[];
  comuni: Comune[];
  successions: Succession[];
}
