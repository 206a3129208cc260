import { Type } from 'typebox';
import { ROLES, TOKEN_SCOPES } from '../../platform/actor.js';
import { IsoDateTime, Nullable, StringEnum, Uuid } from '../../platform/schema.js';

export const ORGANISATION_TYPES = ['regione', 'provincia', 'citta_metropolitana', 'comune', 'asl', 'ente_nazionale', 'altro'] as const;
export const OFFICE_KINDS = ['urp', 'back_office', 'contact_centre'] as const;
export const OFFICE_CHANNELS = ['telefono', 'email', 'pec', 'web', 'sportello', 'chat', 'app', 'social'] as const;

const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$', description: 'kebab-case identifier, unique in the network' });
const Email = Type.String({ format: 'email', maxLength: 254 });

export const LoginBody = Type.Object(
  { email: Type.String({ minLength: 3, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);

export const MembershipSchema = Type.Object({
  role: StringEnum(ROLES),
  officeId: Nullable(Uuid),
  officeName: Nullable(Type.String()),
  organisationId: Uuid,
  organisationName: Type.String(),
});

export const SessionSchema = Type.Object({
  user: Type.Object({ id: Uuid, email: Type.String(), name: Type.String(), locale: StringEnum(['it', 'en'] as const) }),
  memberships: Type.Array(MembershipSchema),
  csrfToken: Nullable(Type.String()),
});

export const OrganisationSchema = Type.Object({
  id: Uuid,
  slug: Type.String(),
  name: Type.String(),
  type: StringEnum(ORGANISATION_TYPES),
  ipaCode: Type.String(),
  istatCode: Nullable(Type.String()),
  taxCode: Nullable(Type.String()),
  regionIstat: Nullable(Type.String()),
  parentId: Nullable(Uuid),
  active: Type.Boolean(),
  version: Type.Integer(),
});

export const CreateOrganisationBody = Type.Object(
  {
    slug: Slug,
    name: Type.String({ minLength: 2, maxLength: 200 }),
    type: StringEnum(ORGANISATION_TYPES),
    ipaCode: Type.String({ pattern: '^[a-z0-9_]{2,20}$' }),
    istatCode: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{2,6}$' }))),
    taxCode: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{11}$' }))),
    regionIstat: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{2}$' }))),
    parentId: Type.Optional(Nullable(Uuid)),
  },
  { additionalProperties: false },
);

export const UpdateOrganisationBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
    ipaCode: Type.Optional(Type.String({ pattern: '^[a-z0-9_]{2,20}$' })),
    istatCode: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{2,6}$' }))),
    taxCode: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{11}$' }))),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

const TimeRangeSchema = Type.Object({ open: Type.String({ pattern: '^\\d{2}:\\d{2}$' }), close: Type.String({ pattern: '^\\d{2}:\\d{2}$' }) }, { additionalProperties: false });
const DayHours = Type.Optional(Type.Array(TimeRangeSchema, { maxItems: 6 }));
export const CalendarSchema = Type.Object(
  {
    timeZone: Type.String({ default: 'Europe/Rome' }),
    weekly: Type.Object({ mon: DayHours, tue: DayHours, wed: DayHours, thu: DayHours, fri: DayHours, sat: DayHours, sun: DayHours }, { additionalProperties: false }),
    closures: Type.Array(
      Type.Object({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }), reason: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
      { maxItems: 400 },
    ),
    patronDays: Type.Optional(Type.Array(Type.Object({ month: Type.Integer({ minimum: 1, maximum: 12 }), day: Type.Integer({ minimum: 1, maximum: 31 }), name: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }), { maxItems: 5 })),
    observeNationalHolidays: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const OfficeSchema = Type.Object({
  id: Uuid,
  organisationId: Uuid,
  slug: Type.String(),
  name: Type.String(),
  kind: StringEnum(OFFICE_KINDS),
  email: Nullable(Type.String()),
  pec: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  address: Nullable(Type.String()),
  channels: Type.Array(Type.String()),
  calendar: CalendarSchema,
  territory: Type.Array(Type.String()),
  active: Type.Boolean(),
  version: Type.Integer(),
  openNow: Type.Boolean(),
}, { $id: 'Office' });

const OfficeFields = {
  name: Type.String({ minLength: 2, maxLength: 200 }),
  email: Nullable(Email),
  pec: Nullable(Email),
  phone: Nullable(Type.String({ maxLength: 40 })),
  address: Nullable(Type.String({ maxLength: 300 })),
  channels: Type.Array(StringEnum(OFFICE_CHANNELS), { maxItems: 8, uniqueItems: true }),
  calendar: CalendarSchema,
  territory: Type.Array(Type.String({ pattern: '^[0-9]{2,6}$' }), { maxItems: 500 }),
};

export const CreateOfficeBody = Type.Object(
  {
    slug: Slug,
    kind: StringEnum(OFFICE_KINDS),
    name: OfficeFields.name,
    email: Type.Optional(OfficeFields.email),
    pec: Type.Optional(OfficeFields.pec),
    phone: Type.Optional(OfficeFields.phone),
    address: Type.Optional(OfficeFields.address),
    channels: Type.Optional(OfficeFields.channels),
    calendar: Type.Optional(OfficeFields.calendar),
    territory: Type.Optional(OfficeFields.territory),
  },
  { additionalProperties: false },
);

export const UpdateOfficeBody = Type.Object(
  {
    name: Type.Optional(OfficeFields.name),
    email: Type.Optional(OfficeFields.email),
    pec: Type.Optional(OfficeFields.pec),
    phone: Type.Optional(OfficeFields.phone),
    address: Type.Optional(OfficeFields.address),
    channels: Type.Optional(OfficeFields.channels),
    calendar: Type.Optional(OfficeFields.calendar),
    territory: Type.Optional(OfficeFields.territory),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const RoleGrantSchema = Type.Object({
  id: Uuid,
  role: StringEnum(ROLES),
  organisationId: Uuid,
  officeId: Nullable(Uuid),
  organisationName: Type.Optional(Type.String()),
  officeName: Type.Optional(Nullable(Type.String())),
});

export const UserSchema = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  locale: StringEnum(['it', 'en'] as const),
  active: Type.Boolean(),
  roles: Type.Array(RoleGrantSchema),
});

export const GrantRoleBody = Type.Object(
  { role: StringEnum(ROLES), organisationId: Uuid, officeId: Type.Optional(Nullable(Uuid)) },
  { additionalProperties: false },
);

export const CreateUserBody = Type.Object(
  {
    email: Email,
    name: Type.String({ minLength: 2, maxLength: 120 }),
    password: Type.String({ minLength: 10, maxLength: 1024 }),
    locale: Type.Optional(StringEnum(['it', 'en'] as const)),
    roles: Type.Optional(Type.Array(GrantRoleBody, { maxItems: 20 })),
  },
  { additionalProperties: false },
);

export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 2, maxLength: 120 })),
    locale: Type.Optional(StringEnum(['it', 'en'] as const)),
    active: Type.Optional(Type.Boolean()),
    password: Type.Optional(Type.String({ minLength: 10, maxLength: 1024 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const TokenSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  prefix: Type.String(),
  scopes: Type.Array(StringEnum(TOKEN_SCOPES)),
  createdAt: IsoDateTime,
  lastUsedAt: Nullable(IsoDateTime),
  expiresAt: Nullable(IsoDateTime),
});

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(StringEnum(TOKEN_SCOPES), { minItems: 1, uniqueItems: true }),
    expiresInDays: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 730 }))),
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Uuid });
