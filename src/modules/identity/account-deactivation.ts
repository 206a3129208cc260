/**
 * Deactivating accounts (issue 11: "deactivating a user ends their sessions, tokens and notification
 * streams at once"). One use case for the administrator's PATCH of a user and for a body leaving the
 * network, written in the caller's transaction:
 *
 * - the account is marked inactive: a session or token still in a client's hands resolves to nobody
 *   from the next request on (platform/auth.ts checks `users.active` with every credential), and a
 *   one-time password link of the account is refused (network-setup.ts checks it too);
 * - its sessions are deleted and its API tokens revoked, so that re-activating the account later
 *   does not bring an old credential back to life;
 * - its open notification streams end on every instance: the writes above fire the
 *   `urpnet_credentials` NOTIFY (migration 0027) at commit, and each instance's realtime hub
 *   re-checks all its held credentials in one query and ends those that no longer hold.
 */
import type { Trx } from '../../platform/http.js';

export interface EndedCredentials {
  sessions: number;
  tokens: number;
}

/** Deletes the users' sessions and revokes their live API tokens. */
export async function endCredentials(trx: Trx, userIds: readonly string[], now: Date): Promise<EndedCredentials> {
  if (userIds.length === 0) return { sessions: 0, tokens: 0 };
  const sessions = await trx.deleteFrom('sessions').where('user_id', 'in', userIds).executeTakeFirst();
  const tokens = await trx.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', 'in', userIds).where('revoked_at', 'is', null).executeTakeFirst();
  return { sessions: Number(sessions.numDeletedRows), tokens: Number(tokens.numUpdatedRows) };
}

/** Marks the accounts inactive and ends every credential they hold (see the file's comment). */
export async function deactivateAccounts(trx: Trx, userIds: readonly string[], now: Date): Promise<EndedCredentials> {
  if (userIds.length === 0) return { sessions: 0, tokens: 0 };
  await trx.updateTable('users').set({ active: false, updated_at: now }).where('id', 'in', userIds).where('active', '=', true).execute();
  return endCredentials(trx, userIds, now);
}

/** Deletes every session of a user (a new password: whoever held the old one is signed out). */
export async function endSessions(trx: Trx, userId: string): Promise<void> {
  await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
}
