import { describe, expect, it } from 'vitest';
import { ALL_OFFICES, DEFAULT_STATUSES, filtersToApiQuery, filtersToSearch, isOverdue, parseFilters, toggleStatus } from '../src/lib/filters.js';

describe('inbox filters in the query string', () => {
  it('defaults to the open work when the URL says nothing', () => {
    const filters = parseFilters('');
    expect(filters.status).toEqual(DEFAULT_STATUSES);
    expect(filters).toMatchObject({ officeId: '', channel: '', topic: '', assignee: '', q: '' });
  });

  it('round-trips every filter', () => {
    const filters = { officeId: 'o1', status: ['resolved'], channel: 'telefono', topic: 'identita_digitale', assignee: 'me', q: 'carta identità' };
    const search = filtersToSearch(filters);
    expect(search).toContain('office=o1');
    expect(search).toContain('q=carta+identit');
    expect(parseFilters(search)).toEqual(filters);
  });

  it('keeps an explicitly empty status list distinct from the default', () => {
    const search = filtersToSearch({ ...parseFilters(''), status: [] });
    expect(search).toBe('?status=');
    expect(parseFilters(search).status).toEqual([]);
  });

  it('leaves the default status list and empty values out of the URL', () => {
    expect(filtersToSearch(parseFilters(''))).toBe('');
    expect(filtersToSearch({ ...parseFilters(''), q: '   ' })).toBe('');
  });

  it('toggles a status in and out', () => {
    const base = parseFilters('?status=new');
    expect(toggleStatus(base, 'open').status).toEqual(['new', 'open']);
    expect(toggleStatus(base, 'new').status).toEqual([]);
  });
});

describe('API query', () => {
  it('maps page filters to the API parameters', () => {
    const query = filtersToApiQuery(parseFilters('?office=o1&status=new,open&assignee=none&topic=tributi&q=%20tari%20'), 'c1', 10);
    expect(query).toEqual({ officeId: 'o1', status: 'new,open', assignee: 'none', topic: 'tributi', q: 'tari', cursor: 'c1', limit: 10 });
  });

  it('sends no officeId for "all my offices"', () => {
    expect(filtersToApiQuery({ ...parseFilters(''), officeId: ALL_OFFICES })).not.toHaveProperty('officeId');
  });
});

describe('isOverdue', () => {
  const now = new Date('2026-03-10T10:00:00Z');
  it('is true only for past due dates of tickets still being worked', () => {
    expect(isOverdue('2026-03-10T09:00:00Z', 'open', now)).toBe(true);
    expect(isOverdue('2026-03-10T11:00:00Z', 'open', now)).toBe(false);
    expect(isOverdue('2026-03-10T09:00:00Z', 'resolved', now)).toBe(false);
    expect(isOverdue('2026-03-10T09:00:00Z', 'closed', now)).toBe(false);
    expect(isOverdue(null, 'open', now)).toBe(false);
    expect(isOverdue('not a date', 'open', now)).toBe(false);
  });
});

describe('inbox views in the query string', () => {
  it('keeps the view in the URL and sends it to the API, leaving out the default', () => {
    const filters = { ...parseFilters(''), view: 'shared' as const, officeId: 'o1' };
    const search = filtersToSearch(filters);
    expect(search).toContain('view=shared');
    expect(parseFilters(search).view).toBe('shared');
    expect(filtersToApiQuery(filters).view).toBe('shared');
    expect(filtersToSearch({ ...filters, view: 'all' })).not.toContain('view=');
    expect(parseFilters('?view=bogus').view).toBeUndefined();
  });
});
