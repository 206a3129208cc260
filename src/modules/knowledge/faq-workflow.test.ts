import { describe, expect, it } from 'vitest';
import { editorialState, editTarget, flagOccurrence, flagsOf, isLive, transition, WORKFLOW_ACTIONS, type WorkflowState } from './faq-workflow.js';

const S = (status: WorkflowState['status'], revisionStatus: WorkflowState['revisionStatus'] = null): WorkflowState => ({ status, revisionStatus });

describe('FAQ workflow', () => {
  it('goes draft → in_review → published → archived → draft, with reject back to draft', () => {
    expect(transition(S('draft'), 'submit')).toMatchObject({ status: 'in_review', revisionStatus: null });
    expect(transition(S('in_review'), 'reject')).toMatchObject({ status: 'draft' });
    expect(transition(S('in_review'), 'publish')).toMatchObject({ status: 'published', applyRevision: false });
    expect(transition(S('published'), 'archive')).toMatchObject({ status: 'archived', dropRevision: false });
    expect(transition(S('archived'), 'unarchive')).toMatchObject({ status: 'draft' });
    expect(transition(S('draft'), 'archive')).toMatchObject({ status: 'archived' });
  });

  it('refuses illegal transitions', () => {
    const allowed: Record<string, string[]> = {
      draft: ['submit', 'archive'],
      in_review: ['reject', 'publish', 'archive'],
      published: ['archive'],
      archived: ['unarchive'],
    };
    for (const [status, actions] of Object.entries(allowed)) {
      for (const action of WORKFLOW_ACTIONS) {
        expect(transition(S(status as WorkflowState['status']), action) !== null, `${status} ${action}`).toBe(actions.includes(action));
      }
    }
  });

  it('runs a working copy of a published FAQ through the same steps, keeping the article published', () => {
    const edit = editTarget(S('published'));
    expect(edit).toEqual({ target: 'revision', next: S('published', 'draft') });
    expect(editorialState(S('published', 'draft'))).toBe('draft');
    expect(transition(S('published', 'draft'), 'submit')).toMatchObject({ status: 'published', revisionStatus: 'in_review' });
    expect(transition(S('published', 'draft'), 'publish')).toBeNull();
    expect(transition(S('published', 'in_review'), 'reject')).toMatchObject({ status: 'published', revisionStatus: 'draft' });
    expect(transition(S('published', 'in_review'), 'publish')).toEqual({ status: 'published', revisionStatus: null, applyRevision: true, dropRevision: false });
    expect(transition(S('published', 'draft'), 'discard')).toMatchObject({ status: 'published', revisionStatus: null, dropRevision: true });
    expect(transition(S('published', 'in_review'), 'archive')).toMatchObject({ status: 'archived', dropRevision: true });
    expect(transition(S('published'), 'discard')).toBeNull();
    expect(editTarget(S('in_review'))).toEqual({ target: 'article', next: S('draft') });
    expect(editTarget(S('archived'))).toBeNull();
  });
});

describe('FAQ flags', () => {
  const now = new Date('2026-05-10T10:00:00Z');
  const ctx = { now, isActiveCode: (facet: string, code: string) => (facet === 'tema' ? code === 'tributi.tari' : code === 'informazione') };
  const base = { status: 'published' as const, reviewBy: null, tema: 'tributi.tari', tipo: 'informazione', expiresAt: null };

  it('flags stale, taxonomy-changed and expiring-soon FAQs, never archived ones', () => {
    expect(flagsOf(base, ctx)).toEqual([]);
    expect(flagsOf({ ...base, reviewBy: '2026-05-09' }, ctx)).toEqual(['stale']);
    expect(flagsOf({ ...base, reviewBy: '2026-05-10' }, ctx)).toEqual([]);
    expect(flagsOf({ ...base, tema: 'tributi.tarsu' }, ctx)).toEqual(['taxonomy_changed']);
    expect(flagsOf({ ...base, tipo: 'vecchio' }, ctx)).toEqual(['taxonomy_changed']);
    expect(flagsOf({ ...base, expiresAt: new Date('2026-05-20T00:00:00Z') }, ctx)).toEqual(['expiring_soon']);
    expect(flagsOf({ ...base, expiresAt: new Date('2026-06-20T00:00:00Z') }, ctx)).toEqual([]);
    expect(flagsOf({ ...base, expiresAt: new Date('2026-05-01T00:00:00Z') }, ctx)).toEqual([]);
    expect(flagsOf({ ...base, status: 'archived', reviewBy: '2020-01-01', tema: 'x' }, ctx)).toEqual([]);
  });

  it('names each occurrence of a flag', () => {
    expect(flagOccurrence('stale', { ...base, reviewBy: '2026-05-09' }, '1.0.0')).toBe('review_by:2026-05-09');
    expect(flagOccurrence('taxonomy_changed', { ...base, tema: 'x' }, '1.1.0')).toBe('taxonomy:1.1.0:x|informazione');
  });

  it('knows when an FAQ is live', () => {
    const at = (iso: string | null) => (iso ? new Date(iso) : null);
    expect(isLive({ status: 'published', publishAt: null, expiresAt: null }, now)).toBe(true);
    expect(isLive({ status: 'published', publishAt: at('2026-05-11T00:00:00Z'), expiresAt: null }, now)).toBe(false);
    expect(isLive({ status: 'published', publishAt: at('2026-05-09T00:00:00Z'), expiresAt: at('2026-05-10T10:00:00Z') }, now)).toBe(false);
    expect(isLive({ status: 'draft', publishAt: null, expiresAt: null }, now)).toBe(false);
  });
});
