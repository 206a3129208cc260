/** Roles a user can hold on an office or on a whole organisation. */
export const ROLES = ['operator', 'back_office', 'supervisor', 'org_admin', 'network_coordinator', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

export interface RoleGrant {
  readonly id: string;
  readonly role: Role;
  readonly organisationId: string;
  /** null: the role applies to every office of the organisation. */
  readonly officeId: string | null;
}

/**
 * API token scopes; a token can never do more than its user's roles allow. `profile` manages the
 * user's own profile and tokens (never creates tokens), `notifications` reads and marks the user's
 * notifications, `faq:feedback` rates and records uses of FAQs in the user's name, `routing` sets the
 * user's presence and answers the contacts offered to them (a softphone or desk integration), `cti`
 * lets a telephone exchange (PBX) report calls to the offices the user supervises.
 */
export const TOKEN_SCOPES = ['tickets:read', 'tickets:write', 'admin', 'profile', 'notifications', 'faq:feedback', 'routing', 'cti'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** The authenticated caller of a request. */
export interface Actor {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly locale: 'it' | 'en';
  readonly grants: readonly RoleGrant[];
  readonly via: 'session' | 'token';
  /** Only for tokens: what the token may do. */
  readonly scopes: readonly TokenScope[] | null;
  readonly sessionId: string | null;
  /** Only for tokens: the token's id, to re-check on long-lived responses that it still holds. */
  readonly tokenId?: string | null;
  readonly csrfToken: string | null;
}

export const TICKET_ROLES: readonly Role[] = ['operator', 'back_office', 'supervisor'];
