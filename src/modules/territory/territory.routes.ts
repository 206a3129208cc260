import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { access } from '../../platform/policy.js';
import { errorResponses, Nullable, StringEnum } from '../../platform/schema.js';
import { territoryErrors as errors } from './territory.errors.js';
import { loadTerritory, territoryInfo } from './territory.service.js';

const tags = { tags: ['territory'] };
const PLACE_KINDS = ['regione', 'provincia', 'comune'] as const;
const Place = Type.Object({ code: Type.String(), name: Type.String(), kind: StringEnum(PLACE_KINDS) });
const PlaceDetail = Type.Object({
  code: Type.String(),
  name: Type.String(),
  altName: Nullable(Type.String()),
  kind: StringEnum(PLACE_KINDS),
  provinceCode: Nullable(Type.String()),
  provinceName: Nullable(Type.String()),
  provinceSigla: Nullable(Type.String()),
  regionCode: Type.String(),
  regionName: Type.String(),
  population: Nullable(Type.Integer()),
  cadastralCode: Nullable(Type.String()),
  /** For the code of a comune merged away: the comune it became, and since when. */
  mergedInto: Nullable(Type.Object({ code: Type.String(), name: Type.String(), since: Nullable(Type.String()) })),
});

/** The territory as public reference data (ISTAT codes are open data): search and look-up. */
export function registerTerritoryRoutes(root: FastifyInstance, ctx: AppContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = ctx;

  app.get('/api/v1/territory', {
    config: { access: access.public },
    schema: {
      ...tags,
      summary: 'Il territorio in uso: fonte, versione, numero di regioni, province e comuni, e le regioni',
      response: {
        200: Type.Object({
          version: Type.String(), source: Type.String(), updatedAt: Nullable(Type.String({ format: 'date-time' })),
          counts: Type.Object({ regions: Type.Integer(), provinces: Type.Integer(), comuni: Type.Integer(), successions: Type.Integer() }),
          regions: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
        }),
      },
    },
  }, async () => {
    const info = await territoryInfo(db);
    return { ...info, updatedAt: info.updatedAt?.toISOString() ?? null, regions: (await loadTerritory(db)).regions() };
  });

  app.get('/api/v1/territory/places', {
    config: { access: access.public },
    schema: {
      ...tags,
      summary: 'Cerca regioni, province e comuni per nome (inizio del nome), oppure riconosce il luogo nominato in una frase (text)',
      querystring: Type.Object({
        q: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
        text: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
      }),
      response: { 200: Type.Object({ items: Type.Array(Place) }), ...errorResponses(400) },
    },
  }, async (request) => {
    const t = await loadTerritory(db);
    const { q, text, limit } = request.query;
    if (text) {
      const found = t.findPlace(text);
      return { items: found ? [found] : [] };
    }
    return { items: q ? t.search(q, limit ?? 10) : [] };
  });

  app.get('/api/v1/territory/places/:code', {
    config: { access: access.public },
    schema: {
      ...tags,
      summary: 'Un luogo dal codice ISTAT (2 cifre regione, 3 provincia, 6 comune); il codice di un comune soppresso porta al comune che lo ha sostituito',
      params: Type.Object({ code: Type.String({ pattern: '^([0-9]{2}|[0-9]{3}|[0-9]{6})$' }) }),
      response: { 200: PlaceDetail, ...errorResponses(400, 404) },
    },
  }, async (request) => {
    const t = await loadTerritory(db);
    const code = request.params.code;
    const current = t.resolve(code);
    if (current === null) throw errors.unknownPlace({ code });
    const merged = current !== code ? t.successor(code) : undefined;
    const region = (c: string) => t.region(c)!;
    if (current.length === 2) {
      const r = region(current);
      return { code: r.code, name: r.name, altName: null, kind: 'regione' as const, provinceCode: null, provinceName: null, provinceSigla: null, regionCode: r.code, regionName: r.name, population: sumPopulation(t.comuni(r.code)), cadastralCode: null, mergedInto: null };
    }
    if (current.length === 3) {
      const p = t.province(current)!;
      return { code: p.code, name: p.name, altName: null, kind: 'provincia' as const, provinceCode: p.code, provinceName: p.name, provinceSigla: p.sigla, regionCode: p.regionCode, regionName: region(p.regionCode).name, population: sumPopulation(t.comuni(p.code)), cadastralCode: null, mergedInto: null };
    }
    const c = t.comune(current)!;
    const p = t.province(c.provinceCode);
    return {
      code: c.code, name: c.name, altName: c.altName, kind: 'comune' as const, provinceCode: c.provinceCode, provinceName: p?.name ?? null, provinceSigla: p?.sigla ?? null,
      regionCode: c.regionCode, regionName: region(c.regionCode).name, population: c.population, cadastralCode: c.cadastralCode,
      mergedInto: merged ? { code: c.code, name: c.name, since: merged.succession.since } : null,
    };
  });
}

function sumPopulation(comuni: readonly { population: number | null }[]): number | null {
  return comuni.some((c) => c.population === null) ? null : comuni.reduce((s, c) => s + (c.population ?? 0), 0);
}
