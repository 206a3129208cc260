import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Database } from './database.js';
import * as m0001 from './migrations/0001-foundation.js';
import * as m0002 from './migrations/0002-sharing.js';
import * as m0003 from './migrations/0003-knowledge.js';
import * as m0004 from './migrations/0004-shared-inbox.js';
import * as m0005 from './migrations/0005-similar-indexes.js';
import * as m0006 from './migrations/0006-faq-editorial.js';
import * as m0007 from './migrations/0007-faq-feedback.js';
import * as m0008 from './migrations/0008-taxonomy-governance.js';
import * as m0009 from './migrations/0009-classification-models.js';
import * as m0010 from './migrations/0010-historical-import.js';
import * as m0011 from './migrations/0011-notification-links.js';
import * as m0012 from './migrations/0012-invitations.js';
import * as m0014 from './migrations/0014-similar-cleaned-text.js';
import * as m0015 from './migrations/0015-requester-search.js';
import * as m0016 from './migrations/0016-structured-notifications.js';
import * as m0020 from './migrations/0020-thesaurus-revision.js';
import * as m0021 from './migrations/0021-similar-private-words.js';
import * as m0022 from './migrations/0022-login-throttle-budgets.js';
import * as m0024 from './migrations/0024-notification-events.js';
import * as m0025 from './migrations/0025-outbox-deliveries.js';
import * as m0026 from './migrations/0026-history-import-commit-job.js';
import * as m0027 from './migrations/0027-credential-notify.js';
import * as m0028 from './migrations/0028-notification-ticket-code.js';
import * as m0029 from './migrations/0029-network-setup.js';
import * as m0030 from './migrations/0030-territory.js';
import * as m0031 from './migrations/0031-bulk-import.js';
import * as m0032 from './migrations/0032-competence-scale.js';
import * as m0033 from './migrations/0033-organisation-exit.js';
import * as m0034 from './migrations/0034-archive.js';
import * as m0035 from './migrations/0035-privacy.js';
import * as m0036 from './migrations/0036-analytics.js';
import * as m0037 from './migrations/0037-routing.js';
import * as m0038 from './migrations/0038-citizen-channels.js';
import * as m0039 from './migrations/0039-privacy-notices.js';
import * as m0040 from './migrations/0040-mailbox-outgoing.js';
import * as m0041 from './migrations/0041-alarm-states.js';
import * as m0042 from './migrations/0042-mailbox-imap.js';
import * as m0043 from './migrations/0043-faq-deflection-days.js';

/** Every migration, in order. A static list so the compiled server needs no directory scanning. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-sharing': m0002,
  '0003-knowledge': m0003,
  '0004-shared-inbox': m0004,
  '0005-similar-indexes': m0005,
  '0006-faq-editorial': m0006,
  '0007-faq-feedback': m0007,
  '0008-taxonomy-governance': m0008,
  '0009-classification-models': m0009,
  '0010-historical-import': m0010,
  '0011-notification-links': m0011,
  '0012-invitations': m0012,
  '0014-similar-cleaned-text': m0014,
  '0015-requester-search': m0015,
  '0016-structured-notifications': m0016,
  '0020-thesaurus-revision': m0020,
  '0021-similar-private-words': m0021,
  '0022-login-throttle-budgets': m0022,
  '0024-notification-events': m0024,
  '0025-outbox-deliveries': m0025,
  '0026-history-import-commit-job': m0026,
  '0027-credential-notify': m0027,
  '0028-notification-ticket-code': m0028,
  '0029-network-setup': m0029,
  '0030-territory': m0030,
  '0031-bulk-import': m0031,
  '0032-competence-scale': m0032,
  '0033-organisation-exit': m0033,
  '0034-archive': m0034,
  '0035-privacy': m0035,
  '0036-analytics': m0036,
  '0037-routing': m0037,
  '0038-citizen-channels': m0038,
  '0039-privacy-notices': m0039,
  '0040-mailbox-outgoing': m0040,
  '0041-alarm-states': m0041,
  '0042-mailbox-imap': m0042,
  '0043-faq-deflection-days': m0043,
};

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

export interface MigrationOutcome {
  applied: string[];
}

/** Applies every pending migration; throws with the failing migration's name on error. */
export async function migrateToLatest(db: Database): Promise<MigrationOutcome> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider(), migrationTableName: 'urpnet_migrations', migrationLockTableName: 'urpnet_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`Migrazione del database non riuscita${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
