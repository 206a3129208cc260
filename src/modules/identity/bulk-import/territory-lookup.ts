/**
 * What the onboarding checks ask of the territory module (src/modules/territory, `loadTerritory`):
 * written as the shape they need, so that the row checks stay pure functions of a file and a
 * territory. The territory module's `Territory` has this shape.
 */
export interface PlaceComune {
  code: string;
  name: string;
  provinceCode: string;
  regionCode: string;
}

export interface PlaceProvince {
  code: string;
  sigla: string;
  name: string;
  regionCode: string;
}

export interface PlaceRegion {
  code: string;
  name: string;
}

export interface TerritoryLookup {
  /** A current comune by its 6-digit ISTAT code. */
  comune(code: string): PlaceComune | undefined;
  /** A current comune by its cadastral code ('H501'). */
  comuneByCadastral(code: string): PlaceComune | undefined;
  /** For the code of a comune merged away: the succession and the comune that took its territory. */
  successor(code: string): { succession: { oldCode: string; oldName: string; newCode: string; since: string | null }; current: PlaceComune } | undefined;
  province(codeOrSigla: string): PlaceProvince | undefined;
  region(codeOrName: string): PlaceRegion | undefined;
}
