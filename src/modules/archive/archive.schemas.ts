import { Type } from 'typebox';
import { IsoDateTime, Nullable, StringEnum, Uuid } from '../../platform/schema.js';

export const TIME_GRANULARITIES = ['hour', 'day'] as const;
export const RUN_STATES = ['queued', 'running', 'done', 'failed'] as const;

const settingsFields = {
  graceDays: Type.Integer({ minimum: 0, maximum: 365, description: 'Giorni di attesa dopo la chiusura prima di archiviare (la pratica può ancora essere riaperta)' }),
  minComunePopulation: Type.Integer({ minimum: 0, maximum: 5_000_000, description: 'Sotto questa popolazione il comune è generalizzato alla provincia' }),
  timeGranularity: StringEnum(TIME_GRANULARITIES, { description: "Dettaglio dell'orario di apertura: ora del giorno o solo giorno" }),
};

export const ArchiveSettingsSchema = Type.Object({ ...settingsFields, version: Type.Integer(), updatedAt: IsoDateTime }, { $id: 'ArchiveSettings' });
export const ArchiveSettingsBody = Type.Object(settingsFields, { additionalProperties: false });

export const ArchiveRunSchema = Type.Object({
  id: Uuid,
  state: StringEnum(RUN_STATES),
  requestedAt: IsoDateTime,
  startedAt: Nullable(IsoDateTime),
  finishedAt: Nullable(IsoDateTime),
  ticketsArchived: Type.Integer(),
  historicalArchived: Type.Integer(),
  partsWritten: Type.Integer(),
  error: Nullable(Type.String()),
}, { $id: 'ArchiveRun' });

export const ArchiveStatusSchema = Type.Object({
  stagedRecords: Type.Integer({ description: 'Record anonimi in attesa di essere scritti in Parquet' }),
  archivedTickets: Type.Integer(),
  pendingHistorical: Type.Integer({ description: 'Contatti storici non ancora anonimizzati' }),
  parts: Type.Object({ written: Type.Integer(), writing: Type.Integer() }),
  months: Type.Array(Type.Object({ month: Type.String(), parts: Type.Integer(), records: Type.Integer(), staged: Type.Integer() })),
  settings: Type.Object(settingsFields),
  lastRun: Nullable(ArchiveRunSchema),
});

export const RunParams = Type.Object({ id: Uuid });
