import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveRow, writeArchiveRows } from '../src/modules/archive/archive-release.fixtures.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp } from './helpers/test-app.js';

/** A body's own dashboard over HTTP (issue 14): its supervisors and administrators read it, and nothing beyond it. */
let t: TestApp;
let supervisor: Client;
let admin: Client;
let operator: Client;
let napoli: Client;

beforeAll(async () => {
  t = await buildTestApp();
  supervisor = await login(t.app, demoEmail('responsabile', 'comune-celano'));
  admin = await login(t.app, demoEmail('admin', 'comune-celano'));
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
  napoli = await login(t.app, demoEmail('operatore', 'comune-napoli'));
  await writeArchiveRows(path.join(t.config.dataDir, 'archive'), [
    // 25 TARI contacts of the Celano URP, and 9 of Naples.
    ...Array.from({ length: 25 }, () => archiveRow({ organisation_id: supervisor.organisationId, office_id: supervisor.officeId, opened_day: '2026-01-12' })),
    ...Array.from({ length: 9 }, () => archiveRow({ organisation_id: napoli.organisationId, office_id: napoli.officeId, opened_day: '2026-01-12' })),
  ]);
});
afterAll(async () => {
  await t?.close();
});

describe("a body's own dashboard", () => {
  it('is read by its supervisor and its administrator, with its contacts only', async () => {
    for (const reader of [supervisor, admin]) {
      const res = await reader.get(`/api/v1/analytics/dashboard?organisationId=${supervisor.organisationId}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().total).toBe(25);
    }
    const office = await supervisor.get(`/api/v1/analytics/dashboard?organisationId=${supervisor.organisationId}&officeId=${supervisor.officeId}`);
    expect(office.statusCode, office.body).toBe(200);
    expect(office.json().total).toBe(25);
  });

  it('is not a way to read the network, another body or another body’s office', async () => {
    const network = await supervisor.get('/api/v1/analytics/dashboard');
    expect(network.statusCode).toBe(403);
    expect(network.headers['content-type']).toContain('application/problem+json');
    expect(network.json().code).toBe('analytics.dashboard_body_required');
    const other = await supervisor.get(`/api/v1/analytics/dashboard?organisationId=${napoli.organisationId}`);
    expect(other.statusCode).toBe(403);
    const theirOffice = await supervisor.get(`/api/v1/analytics/dashboard?organisationId=${supervisor.organisationId}&officeId=${napoli.officeId}`);
    expect(theirOffice.statusCode).toBe(404);
    expect(theirOffice.json().code).toBe('analytics.office_not_found');
    // Operators read no dashboard, even of their own body.
    const op = await operator.get(`/api/v1/analytics/dashboard?organisationId=${operator.organisationId}`);
    expect(op.statusCode).toBe(403);
    // The records behind the charts stay the analysts': the archive browser is not opened to supervisors.
    const records = await supervisor.get(`/api/v1/archive/records?organisationId=${supervisor.organisationId}`);
    expect(records.statusCode).toBe(403);
  });
});
