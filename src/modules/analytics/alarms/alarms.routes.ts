import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../../platform/auth.js';
import type { AppContext } from '../../../platform/context.js';
import { access } from '../../../platform/policy.js';
import { errorResponses } from '../../../platform/schema.js';
import type { AlarmDeps } from './alarm-scan.js';
import * as repo from './alarms.repository.js';
import * as s from './alarms.schemas.js';
import * as service from './alarms.service.js';

const tags = { tags: ['analytics'] };

export const presentAlarm = (a: repo.StoredAlarm) => ({
  id: a.id, slice: a.slice, kind: a.kind, day: a.day, since: a.since, term: a.term || null,
  observed: a.observed, expected: Math.round(a.expected * 100) / 100, score: a.score, status: a.status,
  statusAt: a.statusAt?.toISOString() ?? null, createdAt: a.createdAt.toISOString(),
});
const presentWatch = (w: repo.AlarmWatch) => ({ id: w.id, slice: w.slice, digest: w.digest, createdAt: w.createdAt.toISOString() });
const presentScan = (r: repo.AlarmScan) => ({ ...r, startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null });

/** Alarms on the network's series and emerging subjects, the slices users watch, and scans (issue 14). */
export function registerAlarmRoutes(root: FastifyInstance, ctx: AppContext, deps: AlarmDeps & { now: () => Date }): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = ctx;
  // Sessions only; the roles are checked by the service (supervisors, administrators, analysts, coordination).
  const staff = { access: access.authenticated };

  app.get('/api/v1/analytics/alarms', {
    config: staff,
    schema: { ...tags, summary: 'Allarmi sulle serie dei contatti (picchi, salti di livello, tendenze, cali) e argomenti emergenti, i più recenti prima', querystring: s.AlarmsQuery, response: { 200: Type.Object({ items: Type.Array(s.AlarmSchema) }), ...errorResponses(400, 403) } },
  }, async (request) => {
    const actor = requireActor(request);
    service.assertReadsAlarms(actor);
    const { limit, ...filter } = request.query;
    return { items: (await repo.listAlarms(db, { ...filter, organisationId: service.alarmBody(actor), limit: limit ?? 100 })).map(presentAlarm) };
  });

  app.get('/api/v1/analytics/alarms/scans', {
    config: staff,
    schema: { ...tags, summary: 'Le ultime scansioni degli allarmi: serie esaminate, allarmi trovati, durata', response: { 200: Type.Object({ items: Type.Array(s.ScanSchema) }), ...errorResponses(403) } },
  }, async (request) => {
    service.assertReadsAlarms(requireActor(request));
    return { items: (await repo.listScans(db, 20)).map(presentScan) };
  });

  app.post('/api/v1/analytics/alarms/scans', {
    config: staff,
    schema: { ...tags, summary: 'Chiede una scansione degli allarmi fuori orario (analisti e coordinamento): risponde 202, la scansione gira in background', response: { 202: Type.Object({ queued: Type.Boolean() }), ...errorResponses(403) } },
  }, async (request, reply) => {
    await service.requestScan(ctx.jobs, requireActor(request));
    return reply.status(202).send({ queued: true });
  });

  app.get('/api/v1/analytics/alarms/:id', {
    config: staff,
    schema: { ...tags, summary: "Un allarme con il grafico della sua porzione: contatti osservati e attesi giorno per giorno", params: s.AlarmIdParams, response: { 200: s.AlarmDetailSchema, ...errorResponses(403, 404) } },
  }, async (request) => {
    const alarm = await service.readAlarm(db, requireActor(request), request.params.id);
    return { alarm: presentAlarm(alarm), chart: await service.alarmChart(deps, alarm, deps.now()) };
  });

  app.patch('/api/v1/analytics/alarms/:id', {
    config: staff,
    schema: { ...tags, summary: "Prende in carico o archivia un allarme per l'ente di chi lo fa (ogni ente ha il proprio stato di ogni allarme)", params: s.AlarmIdParams, body: s.AlarmStatusBody, response: { 200: s.AlarmSchema, ...errorResponses(400, 403, 404) } },
  }, async (request) => presentAlarm(await service.changeAlarmStatus(db, requireActor(request), request.params.id, request.body.status, deps.now())));

  app.get('/api/v1/analytics/alarm-watches', {
    config: staff,
    schema: { ...tags, summary: "Le porzioni (tema, territorio, canale) di cui l'utente riceve gli allarmi", response: { 200: Type.Object({ items: Type.Array(s.WatchSchema) }) } },
  }, async (request) => ({ items: (await repo.listWatches(db, requireActor(request).userId)).map(presentWatch) }));

  app.post('/api/v1/analytics/alarm-watches', {
    config: staff,
    schema: { ...tags, summary: 'Segue una porzione: i suoi allarmi arrivano come notifiche e, se richiesto, nel riepilogo quotidiano per e-mail', body: s.WatchBody, response: { 200: s.WatchSchema, ...errorResponses(400, 403) } },
  }, async (request) => presentWatch(await service.watch(db, requireActor(request), request.body.slice, request.body.digest ?? true)));

  app.delete('/api/v1/analytics/alarm-watches/:id', {
    config: staff,
    schema: { ...tags, summary: 'Smette di seguire una porzione', params: s.WatchIdParams, response: { ...errorResponses(404) } },
  }, async (request, reply) => {
    await service.unwatch(db, requireActor(request), request.params.id);
    return reply.status(204).send();
  });
}
