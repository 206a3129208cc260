/**
 * The staff pages' addresses and who sees them in the menu. Kept apart from the pages themselves so
 * that the layout and the router can name a page without loading it: each staff page is its own
 * chunk, fetched when first opened, and the citizens' portal never downloads them.
 */
import type { Membership } from '../api/types.js';
import { hasRole } from '../lib/session.js';

export const FAQ_EDITORIAL_PATH = '/faq/redazione';
export const HISTORY_IMPORT_PATH = '/admin/import-storico';
export const INCIDENTS_PATH = '/incidenti';
export const MAIL_PATH = '/posta';
export const COVERAGE_PATH = '/copertura';
export const ONBOARDING_IMPORTS_PATH = '/admin/importazioni';
export const ANALYTICS_PATH = '/analisi';
export const ARCHIVE_PATH = '/archivio';
export const ARCHIVE_EXPORTS_PATH = '/archivio/esportazioni';
export const PRIVACY_REQUESTS_PATH = '/privacy/richieste';
export const RETENTION_PATH = '/privacy/conservazione';
export const ROUTING_SETTINGS_PATH = '/instradamento/impostazioni';
export const WALLBOARD_PATH = '/instradamento/pannello';

/** Roles that may propose FAQs in their organisation (the network coordination edits them all). */
export const PROPOSER_ROLES = ['operator', 'back_office', 'supervisor', 'org_admin'];

export function canAuthorFaqs(memberships: readonly Membership[]): boolean {
  return memberships.some((m) => m.role === 'network_coordinator' || PROPOSER_ROLES.includes(m.role));
}

export function canManageMail(memberships: readonly Membership[]): boolean {
  return hasRole(memberships, ['org_admin', 'network_coordinator', 'supervisor']);
}

/** Analysts read the archive; the network coordination also runs it, sets it up and exports it. */
export function canReadArchive(memberships: readonly Membership[]): boolean {
  return hasRole(memberships, ['analyst', 'network_coordinator']);
}

/** The dashboards: network-wide for those who read the archive, a body's own for its supervisors and administrators. */
export function canReadDashboard(memberships: readonly Membership[]): boolean {
  return canReadArchive(memberships) || hasRole(memberships, ['supervisor', 'org_admin']);
}

/** The bodies whose own dashboard the user reads as their supervisor or administrator. */
export function dashboardBodies(memberships: readonly Membership[]): string[] {
  return [...new Set(memberships.filter((m) => m.role === 'supervisor' || m.role === 'org_admin').map((m) => m.organisationId))];
}

export function canWatchWallboard(memberships: readonly Membership[]): boolean {
  return hasRole(memberships, ['supervisor', 'org_admin', 'network_coordinator']);
}
