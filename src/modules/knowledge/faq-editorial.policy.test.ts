import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../platform/actor.js';
import { canCreate, canEdit, canPublish, canRead, type FaqAccessSubject } from './faq-editorial.policy.js';

const A = 'org-a';
const B = 'org-b';
const actor = (role: Role, organisationId: string, userId = `${role}-${organisationId}`, scopes: Actor['scopes'] = null): Actor => ({
  userId, email: `${userId}@example.org`, name: userId, locale: 'it', via: scopes ? 'token' : 'session', scopes, sessionId: null, csrfToken: null,
  grants: [{ id: 'g', role, organisationId, officeId: role === 'org_admin' ? null : 'office' }],
});
const faq = (over: Partial<FaqAccessSubject> = {}): FaqAccessSubject => ({ scope: 'organisation', organisationId: A, createdBy: 'operator-org-a', status: 'draft', everPublished: false, ...over });

describe('FAQ editorial policy', () => {
  it('keeps unpublished FAQs inside their organisation (and the editorial board)', () => {
    expect(canRead(actor('operator', A), faq())).toBe(true);
    expect(canRead(actor('org_admin', B), faq())).toBe(false);
    expect(canRead(actor('org_admin', B), faq({ status: 'published' }))).toBe(true);
    expect(canRead(actor('network_coordinator', 'national'), faq())).toBe(true);
    expect(canRead(actor('analyst', A), faq())).toBe(false);
    expect(canRead(actor('org_admin', A), faq({ scope: 'network', organisationId: null, createdBy: 'someone' }))).toBe(false);
  });

  it('lets operators propose and edit their own never-published drafts only', () => {
    const operator = actor('operator', A);
    expect(canCreate(operator, 'organisation', A)).toBe(true);
    expect(canCreate(operator, 'organisation', B)).toBe(false);
    expect(canCreate(operator, 'network', null)).toBe(false);
    expect(canEdit(operator, faq())).toBe(true);
    expect(canEdit(operator, faq({ createdBy: 'someone-else' }))).toBe(false);
    expect(canEdit(operator, faq({ everPublished: true, status: 'published' }))).toBe(false);
    expect(canPublish(operator, faq())).toBe(false);
  });

  it('gives supervisors and org admins their organisation, the board the network', () => {
    expect(canPublish(actor('supervisor', A), faq())).toBe(true);
    expect(canPublish(actor('org_admin', A), faq())).toBe(true);
    expect(canPublish(actor('org_admin', B), faq())).toBe(false);
    expect(canPublish(actor('network_coordinator', 'national'), faq({ scope: 'network', organisationId: null }))).toBe(true);
    expect(canPublish(actor('org_admin', A), faq({ scope: 'network', organisationId: null }))).toBe(false);
    expect(canCreate(actor('network_coordinator', 'national'), 'network', null)).toBe(true);
  });

  it('lets API tokens write only with the admin scope', () => {
    expect(canPublish(actor('org_admin', A, 'token-user', ['tickets:write']), faq())).toBe(false);
    expect(canPublish(actor('org_admin', A, 'token-user', ['admin']), faq())).toBe(true);
    expect(canRead(actor('operator', A, 'token-user', ['tickets:read']), faq())).toBe(true);
  });
});
