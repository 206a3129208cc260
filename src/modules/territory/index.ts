/** Public surface of the territory module: the Italian territory as reference data (issue 11). */
export { Territory } from './territory.js';
export { ensureTerritory, importIstatList, type ImportReport, loadTerritory, territoryInfo } from './territory.service.js';
export { registerTerritoryRoutes } from './territory.routes.js';
export { describeListProblem } from './territory.errors.js';
export type { Comune, Place, PlaceKind, Province, ProvinceKind, Region, Succession, TerritoryData } from './territory.types.js';
