import type { ColumnType } from 'kysely';

/*
 * Kysely types of the columns added by migration 0015-requester-search, merged into the tables of
 * schema.ts (interface merging) so that the migration's columns are declared next to it.
 */
declare module '../schema.js' {
  interface RequestersTable {
    /** Normalised copies for the inbox search, written by a trigger: never written by the app. */
    search_text: ColumnType<string | null, never, never>;
    search_phone: ColumnType<string | null, never, never>;
    search_fiscal_code: ColumnType<string | null, never, never>;
  }
  interface TicketParticipantsTable {
    /** A former owner's copy of the requester as it handed the ticket over, once the new owner changed it. */
    kept_requester_id: ColumnType<string | null, string | null | undefined, string | null>;
  }
}
