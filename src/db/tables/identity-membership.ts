import type { ColumnType, Generated } from 'kysely';

/* Kysely types of the tables created by migration 0012-invitations (plus users.home_organisation_id in schema.ts). */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface OrganisationMembersTable {
  user_id: string;
  organisation_id: string;
  /** 'created': the organisation created the account; 'invitation': the user accepted its invitation; 'coordinator': a network coordinator added the user. */
  joined_via: string;
  invitation_id: string | null;
  created_at: Timestamp;
}

export interface OrganisationInvitationsTable {
  id: Generated<string>;
  organisation_id: string;
  email: string;
  role: string;
  office_id: string | null;
  status: Generated<string>;
  invited_by: string | null;
  answered_by: string | null;
  created_at: Timestamp;
  answered_at: NullableTimestamp;
}

export interface IdentityMembershipTables {
  organisation_members: OrganisationMembersTable;
  organisation_invitations: OrganisationInvitationsTable;
}
