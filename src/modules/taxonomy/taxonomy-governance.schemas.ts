import { Type } from 'typebox';
import { IsoDateTime, Nullable, StringEnum, Uuid } from '../../platform/schema.js';
import { CROSSWALK_RELATIONS, OPERATION_KINDS } from './taxonomy-changes.js';
import { TaxonomyDocumentRef } from './taxonomy.schemas.js';

const Version = Type.String({ pattern: '^\\d+\\.\\d+\\.\\d+$', description: 'Semantic version MAJOR.MINOR.PATCH' });
const Code = Type.String({ minLength: 1, maxLength: 200, pattern: '^[a-z0-9_.]+$' });
const Localised = Type.Object(
  { it: Type.String({ minLength: 1, maxLength: 2000 }), en: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: Type.String({ maxLength: 2000 }) },
);
/** A label or description as the API answers it: Italian always, other languages by code. */
const LocalisedText = Type.Object({ it: Type.String(), en: Type.Optional(Type.String()) }, { additionalProperties: Type.String() });

/**
 * One change operation. Only `op` and `facet` are fixed here; the fields of each kind are checked
 * by parseOperations (taxonomy-changes.ts), which names every mistake in Italian.
 */
export const OperationSchema = Type.Object(
  {
    op: StringEnum(OPERATION_KINDS),
    facet: Type.String({ minLength: 1, maxLength: 100 }),
  },
  {
    additionalProperties: true,
    description:
      'add {code, parent|null, label, description?} · rename {code, label?, description?} · move {code, parent|null} · deprecate {code, replacement, relation?} · ' +
      'merge {codes[], into} · split {code, into[{code, label, description?}]} · delete {code, crosswalk?{to, relation?}}; relation: exact | broader | narrower',
  },
);
export const OperationsBody = Type.Object({ operations: Type.Array(OperationSchema, { minItems: 1, maxItems: 200 }) }, { additionalProperties: false });
export const ValidateBody = Type.Object({ operations: Type.Optional(Type.Array(OperationSchema, { maxItems: 200 })) }, { additionalProperties: false });

export const OpenDraftBody = Type.Object({ version: Version, note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });

export const ProblemItem = Type.Object({ code: Type.String(), path: Type.String(), message: Type.String() });
export const CrosswalkEntrySchema = Type.Object({
  facet: Type.String(), fromCode: Type.String(), toCode: Type.String(), relation: StringEnum(CROSSWALK_RELATIONS), note: Nullable(Type.String()),
});
/** The taxonomy document the draft produces. */
const Document = TaxonomyDocumentRef();

export const DraftSummarySchema = Type.Object({
  id: Uuid, baseVersion: Type.String(), version: Type.String(), status: StringEnum(['open', 'published', 'discarded'] as const), note: Nullable(Type.String()),
  revision: Type.Integer(), operationCount: Type.Integer(), createdAt: IsoDateTime, updatedAt: IsoDateTime, publishedAt: Nullable(IsoDateTime),
});
export const DraftSchema = Type.Object({
  id: Uuid, baseVersion: Type.String(), version: Type.String(), status: StringEnum(['open', 'published', 'discarded'] as const), note: Nullable(Type.String()),
  revision: Type.Integer(), operations: Type.Array(OperationSchema), createdAt: IsoDateTime, updatedAt: IsoDateTime,
  publishedAt: Nullable(IsoDateTime), document: Document, crosswalk: Type.Array(CrosswalkEntrySchema), problems: Type.Array(ProblemItem),
});
export const ValidationSchema = Type.Object({
  ok: Type.Boolean({ description: 'True when the draft (with the given operations) could be published' }),
  problems: Type.Array(ProblemItem, { description: 'Every problem of the complete result' }),
  introduced: Type.Array(ProblemItem, { description: 'Problems the given operations would add (they would be rejected)' }),
  crosswalk: Type.Array(CrosswalkEntrySchema),
});
export const PublishResultSchema = Type.Object({
  version: Type.String(), crosswalk: Type.Integer(), localNodes: Type.Object({ reparented: Type.Integer(), orphaned: Type.Integer() }),
});

export const CrosswalkQuery = Type.Object({ format: Type.Optional(StringEnum(['json', 'csv'] as const)) }, { additionalProperties: false });
export const CrosswalkSchema = Type.Object({
  scheme: Type.String(), fromVersion: Nullable(Type.String()), toVersion: Type.String(), entries: Type.Array(CrosswalkEntrySchema),
  note: Type.String(),
});

export const TranslateQuery = Type.Object(
  { facet: Type.String({ minLength: 1, maxLength: 100 }), code: Code, fromVersion: Version, toVersion: Type.Optional(Version) },
  { additionalProperties: false },
);
export const TranslationSchema = Type.Object({
  facet: Type.String(), code: Type.String(), fromVersion: Type.String(), toVersion: Type.String(),
  targets: Type.Array(Type.Object({
    code: Type.String(), relation: StringEnum(CROSSWALK_RELATIONS), label: Nullable(LocalisedText),
    via: Type.Array(Type.Object({ version: Type.String(), code: Type.String(), relation: StringEnum(CROSSWALK_RELATIONS) })),
  })),
  lost: Type.Array(Type.Object({ code: Type.String(), version: Type.String() })),
});

export const ProposalSchema = Type.Object({
  id: Uuid, organisationId: Uuid, organisationName: Type.String(), proposedBy: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  operations: Type.Array(OperationSchema), rationale: Type.String(),
  status: StringEnum(['pending', 'approved', 'rejected'] as const), decisionReason: Nullable(Type.String()), decidedAt: Nullable(IsoDateTime), draftId: Nullable(Uuid),
  createdAt: IsoDateTime,
});
export const CreateProposalBody = Type.Object(
  { organisationId: Uuid, operations: Type.Array(OperationSchema, { minItems: 1, maxItems: 50 }), rationale: Type.String({ minLength: 10, maxLength: 4000 }) },
  { additionalProperties: false },
);
export const ProposalQuery = Type.Object({ status: Type.Optional(StringEnum(['pending', 'approved', 'rejected'] as const)) }, { additionalProperties: false });
export const RejectBody = Type.Object({ reason: Type.String({ minLength: 3, maxLength: 2000 }) }, { additionalProperties: false });

export const LocalNodeSchema = Type.Object({
  id: Uuid, organisationId: Uuid, facet: Type.String(), code: Type.String(), parentCode: Type.String(), networkVersion: Type.String(),
  label: LocalisedText, description: Nullable(LocalisedText),
  status: StringEnum(['active', 'orphaned', 'retired'] as const), statusNote: Nullable(Type.String()), version: Type.Integer(), createdAt: IsoDateTime, updatedAt: IsoDateTime,
});
export const LocalNodeQuery = Type.Object({ organisationId: Type.Optional(Uuid) }, { additionalProperties: false });
export const CreateLocalNodeBody = Type.Object(
  {
    organisationId: Uuid,
    facet: Type.String({ minLength: 1, maxLength: 100 }),
    parentCode: Code,
    localCode: Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z0-9_]+$', description: 'Last segment of the code: the full code is <parentCode>.<organisation>.<localCode>' }),
    label: Localised,
    description: Type.Optional(Localised),
  },
  { additionalProperties: false },
);
export const UpdateLocalNodeBody = Type.Object(
  { label: Type.Optional(Localised), description: Type.Optional(Nullable(Localised)), parentCode: Type.Optional(Code) },
  { additionalProperties: false, minProperties: 1 },
);
