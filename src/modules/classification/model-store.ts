/**
 * Where trained suggester models live: one row per facet and version in `classification_models`
 * (serialised weights, no training text), so that every server instance loads the newest; a
 * one-row lease so that one instance trains at a time; and the operators' feedback per model.
 */
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';

type Db = Database | Trx;

export interface StoredModelHead {
  id: string;
  facet: string;
  version: number;
}

export interface StoredModel extends StoredModelHead {
  taxonomyVersion: string;
  trigger: string;
  trainedBy: string | null;
  trainedAt: Date;
  trainMs: number;
  trainingCounts: Record<string, number>;
  metrics: Record<string, number | null>;
  modelBytes: number;
}

export interface ModelWithFeedback extends StoredModel {
  feedback: { total: number; accepted: number; inTop3: number; corrected: number; acceptanceRate: number | null; correctionRate: number | null };
  suggestions: number;
}

/** The newest model of every facet (id and version only: cheap enough to ask on every request burst). */
export async function latestHeads(db: Db): Promise<StoredModelHead[]> {
  const rows = await db
    .selectFrom('classification_models as m')
    .select(['m.id', 'm.facet', 'm.version'])
    .where(({ eb, selectFrom }) => eb('m.version', '=', selectFrom('classification_models as n').select((n) => n.fn.max('n.version').as('v')).whereRef('n.facet', '=', 'm.facet')))
    .execute();
  return rows;
}

export async function loadSerialisedModel(db: Db, id: string): Promise<{ head: StoredModelHead; serialised: string } | null> {
  const row = await db.selectFrom('classification_models').select(['id', 'facet', 'version', 'model']).where('id', '=', id).executeTakeFirst();
  return row ? { head: { id: row.id, facet: row.facet, version: row.version }, serialised: row.model } : null;
}

export interface NewModel {
  facet: string;
  taxonomyVersion: string;
  trigger: 'manual' | 'schedule' | 'startup';
  trainedBy: string | null;
  trainedAt: Date;
  trainMs: number;
  trainingCounts: Record<string, number>;
  metrics: Record<string, number | null>;
  modelFormat: number;
  serialised: string;
}

/** Inserts the next version of a facet's model (the caller holds the training lease). */
export async function insertModel(db: Database, model: NewModel): Promise<StoredModel> {
  return db.transaction().execute(async (trx) => {
    const last = await trx.selectFrom('classification_models').select((eb) => eb.fn.max('version').as('v')).where('facet', '=', model.facet).executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    const row = await trx
      .insertInto('classification_models')
      .values({
        facet: model.facet,
        version,
        taxonomy_version: model.taxonomyVersion,
        trigger: model.trigger,
        trained_by: model.trainedBy,
        trained_at: model.trainedAt,
        train_ms: Math.round(model.trainMs),
        training_counts: JSON.stringify(model.trainingCounts),
        metrics: JSON.stringify(model.metrics),
        model_format: model.modelFormat,
        model_bytes: Buffer.byteLength(model.serialised, 'utf8'),
        model: model.serialised,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    return {
      id: row.id, facet: model.facet, version, taxonomyVersion: model.taxonomyVersion, trigger: model.trigger, trainedBy: model.trainedBy, trainedAt: model.trainedAt,
      trainMs: Math.round(model.trainMs), trainingCounts: model.trainingCounts, metrics: model.metrics, modelBytes: Buffer.byteLength(model.serialised, 'utf8'),
    };
  });
}

/**
 * Takes the training lease when it is free or expired (a crashed trainer's lease runs out).
 * Atomic: of two instances asking at once, one row update wins.
 */
export async function tryAcquireLease(db: Database, holder: string, now: Date, ttlMs: number): Promise<boolean> {
  const result = await db
    .updateTable('classification_training_lease')
    .set({ holder, acquired_at: now, expires_at: new Date(now.getTime() + ttlMs) })
    .where('id', '=', 1)
    .where((eb) => eb.or([eb('holder', 'is', null), eb('expires_at', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function releaseLease(db: Database, holder: string): Promise<void> {
  await db.updateTable('classification_training_lease').set({ holder: null, expires_at: new Date(0) }).where('id', '=', 1).where('holder', '=', holder).execute();
}

/** Model history, newest first, with what operators did with each model's suggestions. */
export async function listModels(db: Db, limit: number): Promise<ModelWithFeedback[]> {
  const rows = await db
    .selectFrom('classification_models as m')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('classification_feedback')
          .select((f) => [
            'model_id',
            f.fn.countAll<string>().as('total'),
            sql<string>`count(*) filter (where chosen_rank = 1)`.as('accepted'),
            sql<string>`count(*) filter (where chosen_rank is not null)`.as('in_top3'),
          ])
          .groupBy('model_id')
          .as('f'),
      (join) => join.onRef('f.model_id', '=', 'm.id'),
    )
    .select([
      'm.id', 'm.facet', 'm.version', 'm.taxonomy_version', 'm.trigger', 'm.trained_by', 'm.trained_at', 'm.train_ms', 'm.training_counts', 'm.metrics', 'm.model_bytes',
      'f.total', 'f.accepted', 'f.in_top3',
    ])
    .select(sql<string>`(select count(*) from classification_suggestions s where s.suggested -> m.facet ->> 'modelId' = m.id::text)`.as('suggestions'))
    .orderBy('m.trained_at', 'desc')
    .orderBy('m.facet')
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const total = Number(r.total ?? 0);
    const accepted = Number(r.accepted ?? 0);
    return {
      id: r.id, facet: r.facet, version: r.version, taxonomyVersion: r.taxonomy_version, trigger: r.trigger, trainedBy: r.trained_by, trainedAt: r.trained_at, trainMs: r.train_ms,
      trainingCounts: r.training_counts, metrics: r.metrics, modelBytes: r.model_bytes, suggestions: Number(r.suggestions),
      feedback: {
        total, accepted, inTop3: Number(r.in_top3 ?? 0), corrected: total - accepted,
        acceptanceRate: total > 0 ? accepted / total : null, correctionRate: total > 0 ? (total - accepted) / total : null,
      },
    };
  });
}
