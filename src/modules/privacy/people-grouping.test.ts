import { describe, expect, it } from 'vitest';
import type { MatchedRequester } from '../tickets/index.js';
import { groupIntoPeople } from './data-subject-requests.js';

const record = (id: string, r: Partial<MatchedRequester>): MatchedRequester => ({
  id, organisationId: 'o', name: null, email: null, phone: null, fiscalCode: null, createdAt: new Date(0), tickets: [], matchedOn: [], ...r,
});

describe('grouping matching records into people', () => {
  it('joins records that share a codice fiscale, an e-mail or a phone, transitively', () => {
    const groups = groupIntoPeople([
      record('a', { name: 'Mario Rossi', fiscalCode: 'RSSMRA80A01H501U' }),
      record('b', { name: 'M. Rossi', fiscalCode: 'rssmra80a01h501u', email: 'mario@esempio.it' }),
      record('c', { email: 'MARIO@esempio.it ', phone: '+39 333 1234567' }),
      record('d', { phone: '333-1234567' }),
    ]);
    expect(groups.map((g) => g.map((r) => r.id))).toEqual([['a', 'b', 'c', 'd']]);
  });

  it('keeps apart people with the same name and different codici fiscali', () => {
    const groups = groupIntoPeople([
      record('a', { name: 'Mario Rossi', fiscalCode: 'RSSMRA80A01H501U' }),
      record('b', { name: 'Mario Rossi', fiscalCode: 'RSSMRA91M21F839P' }),
    ]);
    expect(groups).toHaveLength(2);
  });

  it('groups records with nothing but a name by that name (accents, case and spaces aside)', () => {
    const groups = groupIntoPeople([
      record('a', { name: 'Niccolò  Bianchi' }),
      record('b', { name: 'niccolo bianchi' }),
      record('c', { name: 'Niccolò Bianchi', email: 'nb@esempio.it' }),
    ]);
    expect(groups.map((g) => g.map((r) => r.id))).toEqual([['a', 'b'], ['c']]);
  });
});
