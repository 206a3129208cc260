import { describe, expect, it } from 'vitest';
import type { Membership, Role } from '../src/api/types.js';
import { menuEntries } from '../src/components/Layout.js';
import { translator } from '../src/i18n/index.js';
import { cellView, compactFilter, countsLine, formatBytes, lastDayOfMonth, monthRange, percentDone, totalStatus } from '../src/pages/ArchiveCells.js';
import { exportFileUrl } from '../src/pages/ArchiveReleaseApi.js';
import { requestMatchTotals, searchCriteria } from '../src/pages/PrivacyRequests.js';

const t = translator('it');
const member = (role: Role, officeId: string | null = null): Membership =>
  ({ role, organisationId: 'org', organisationName: 'Ente', officeId, officeName: officeId ? 'URP' : null }) as unknown as Membership;

describe('suppressed cells of the archive counts', () => {
  it('shows a number, a small cell as ≤threshold, a complementary one as reserved, each with a reason for screen readers', () => {
    expect(cellView(12345, 'published', 3, t)).toEqual({ text: '12.345', label: null, withheld: false });
    expect(cellView(null, 'primary', 3, t)).toEqual({ text: '≤3', label: 'riservato: da 1 a 3 contatti', withheld: true });
    const secondary = cellView(null, 'secondary', 3, t);
    expect(secondary.text).toBe('riservato');
    expect(secondary.label).toMatch(/ricavare/);
    // A withheld count is never shown as zero, even without its status.
    expect(cellView(null, undefined, 3, t).withheld).toBe(true);
    expect(cellView(0, 'published', 3, t).text).toBe('0');
    expect(totalStatus(null)).toBe('secondary');
    expect(totalStatus(7)).toBe('published');
  });

  it('speaks English too', () => {
    expect(cellView(null, 'primary', 5, translator('en'))).toMatchObject({ text: '≤5', label: 'withheld: from 1 to 5 contacts' });
  });
});

describe('archive filters', () => {
  it('turns a month range into the API’s inclusive days, leap years included', () => {
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
    expect(lastDayOfMonth('2026-02')).toBe('2026-02-28');
    expect(lastDayOfMonth('2026-12')).toBe('2026-12-31');
    expect(monthRange('2026-01', '2026-03')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(monthRange('', '2026-04')).toEqual({ to: '2026-04-30' });
    expect(monthRange('x', '')).toEqual({});
  });

  it('leaves empty fields out of the query', () => {
    expect(compactFilter({ topic: 'tributi', channel: '', office: undefined })).toEqual({ topic: 'tributi' });
  });
});

describe('long jobs and their results', () => {
  it('says how far an export is and where its files are downloaded', () => {
    expect(percentDone(50, 200)).toBe(25);
    expect(percentDone(5, 0)).toBeNull();
    expect(percentDone(300, 200)).toBe(100);
    const exp = { id: 'e1', files: [{ name: 'month=2026-01/part-0.parquet', rows: 3, bytes: 10, url: '/api/v1/archive/exports/e1/files/month=2026-01/part-0.parquet' }] };
    expect(exportFileUrl(exp, 'month=2026-01/part-0.parquet')).toBe('/api/v1/archive/exports/e1/files/month=2026-01/part-0.parquet');
    expect(exportFileUrl(exp, 'catalog.jsonld')).toBe('/api/v1/archive/exports/e1/files/catalog.jsonld');
    expect(exportFileUrl({ id: 'e1', files: [] }, 'month=2026-02/a b.csv')).toBe('/api/v1/archive/exports/e1/files/month%3D2026-02/a%20b.csv');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048, 'en')).toBe('2 kB');
    expect(formatBytes(3_400_000, 'en')).toBe('3.4 MB');
  });

  it('writes the counts of a retention run as one line, zeros left out', () => {
    expect(countsLine({ requesters: 3, attachments: 0, tickets: 5 }, t)).toBe('3 richiedenti, 5 ticket');
    expect(countsLine({ requesters: 0 }, t)).toBe('nessuno');
    expect(countsLine({ somethingNew: 2 }, t)).toBe('2 somethingNew');
  });
});

describe('data subject requests', () => {
  it('sends only the criteria given, trimmed', () => {
    expect(searchCriteria({ email: ' mario@example.it ', phone: '', fiscalCode: '  ', name: 'Mario Rossi' })).toEqual({ email: 'mario@example.it', name: 'Mario Rossi' });
  });

  it('sums a request’s counts over the network', () => {
    expect(requestMatchTotals({ a: { requesters: 1, tickets: 2 }, b: { requesters: 2, tickets: 0 } })).toEqual({ requesters: 3, tickets: 2, orgs: 2 });
    expect(requestMatchTotals({})).toEqual({ requesters: 0, tickets: 0, orgs: 0 });
  });
});

describe('the menu offers the archive and data protection only to those who may use them', () => {
  const labels = (roles: Membership[]) =>
    menuEntries(roles, t, 0).flatMap((e) => ('items' in e ? [`${e.label}▾`, ...e.items.map((i) => `  ${i.label}`)] : [e.label]));
  it('analysts get the archive; administrators the data protection pages; operators neither', () => {
    expect(labels([member('analyst')])).toContain('Archivio anonimo');
    expect(labels([member('analyst')])).not.toContain('  Conservazione dei dati');
    const admin = labels([member('org_admin')]);
    // A full row: the historical import joins the data pages.
    expect(admin).toEqual(expect.arrayContaining(['Amministrazione', 'Dati e privacy▾', '  Import storico', '  Conservazione dei dati', '  Richieste degli interessati']));
    expect(admin.join('|')).not.toContain('Archivio anonimo');
    const coordinator = labels([member('network_coordinator')]);
    expect(coordinator).toEqual(expect.arrayContaining(['Amministrazione', 'Copertura', 'Dati e privacy▾', '  Archivio anonimo', '  Import storico']));
    const operator = labels([member('operator', 'o1')]).join('|');
    expect(operator).not.toMatch(/Archivio|Conservazione|interessati/);
    for (const roles of [[member('org_admin')], [member('network_coordinator')], [member('analyst')], [member('supervisor', 'o1'), member('network_coordinator')]]) {
      expect(menuEntries(roles, t, 0).length).toBeLessThanOrEqual(7);
    }
  });
});
