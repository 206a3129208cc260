import { Type } from 'typebox';
import { IsoDateTime, Nullable, StringEnum, Uuid } from '../../platform/schema.js';

export const IdParams = Type.Object({ id: Uuid });

/** Months: at least one (retention never runs before the archive's grace period of days), at most ten years. */
const Months = Type.Integer({ minimum: 1, maximum: 120 });

export const RetentionPolicySchema = Type.Object({
  organisationId: Uuid,
  requesterMonths: Type.Integer({ description: "Mesi dopo la chiusura del ticket dopo i quali si cancellano i dati del richiedente e si ripulisce il testo (ticket, messaggi, cronologia)" }),
  attachmentMonths: Type.Integer({ description: 'Mesi dopo la chiusura del ticket dopo i quali si cancellano gli allegati (righe e file)' }),
  isDefault: Type.Boolean({ description: "true finché l'ente non ha impostato nulla (valori predefiniti)" }),
  version: Type.Integer(),
  updatedAt: Nullable(IsoDateTime),
}, { $id: 'RetentionPolicy' });

export const RetentionPolicyBody = Type.Object({ requesterMonths: Months, attachmentMonths: Months }, { additionalProperties: false });

export const RetentionRunSchema = Type.Object({
  id: Uuid,
  organisationId: Uuid,
  trigger: StringEnum(['schedule', 'manual'] as const),
  startedAt: IsoDateTime,
  finishedAt: Nullable(IsoDateTime),
  counts: Type.Record(Type.String(), Type.Integer()),
}, { $id: 'RetentionRun' });

export const RetentionRunsQuery = Type.Object({
  organisationId: Type.Optional(Uuid),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
});

const text = (max: number) => Type.Optional(Type.String({ minLength: 1, maxLength: max }));

export const CriteriaBody = Type.Object({
  email: text(320),
  phone: text(40),
  fiscalCode: text(20),
  name: text(200),
}, { additionalProperties: false });

export const CandidateSchema = Type.Object({
  id: Type.String({ description: 'Identificativo opaco della persona candidata, da indicare nella richiesta' }),
  matchedOn: Type.Array(Type.String()),
  organisations: Type.Array(Type.Object({ organisationId: Uuid, organisationName: Type.String(), requesters: Type.Integer(), tickets: Type.Integer() })),
  records: Type.Array(Type.Object({
    organisationId: Uuid, name: Nullable(Type.String()), email: Nullable(Type.String()), phone: Nullable(Type.String()), fiscalCode: Nullable(Type.String()), ticketCodes: Type.Array(Type.String()),
  }), { description: "Solo i dati degli enti che il chiamante amministra: degli altri enti solo i conteggi" }),
}, { $id: 'PrivacyCandidate' });

export const SearchResultSchema = Type.Object({
  found: Type.Boolean(),
  ambiguous: Type.Boolean({ description: 'Più persone diverse corrispondono: scegliere tra i candidati' }),
  candidates: Type.Array(CandidateSchema),
});

export const NewRequestBody = Type.Object({
  kind: StringEnum(['erasure', 'access'] as const),
  criteria: CriteriaBody,
  candidates: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20 }),
  confirm: Type.Boolean(),
  organisationId: Type.Optional(Uuid),
}, { additionalProperties: false });

export const DataSubjectRequestSchema = Type.Object({
  id: Uuid,
  kind: StringEnum(['erasure', 'access'] as const),
  organisationId: Uuid,
  status: StringEnum(['executed', 'failed'] as const),
  criteriaKinds: Type.Array(Type.String(), { description: 'Quali criteri sono stati usati (mai i loro valori)' }),
  candidateCount: Type.Integer(),
  matched: Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer()), { description: 'Per ente: richiedenti e ticket trovati (conteggi)' }),
  result: Type.Record(Type.String(), Type.Integer()),
  createdAt: IsoDateTime,
  executedAt: Nullable(IsoDateTime),
  exportAvailable: Type.Boolean(),
  exportExpiresAt: Nullable(IsoDateTime),
  exportDownloadedAt: Nullable(IsoDateTime),
}, { $id: 'DataSubjectRequest' });
