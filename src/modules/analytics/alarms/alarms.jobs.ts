/**
 * The alarms' jobs: the live counts refreshed every hour, the scan every morning (and on request),
 * the digest by e-mail after it. Each is idempotent: counts replace their days, alarms are recorded
 * once, and the digest is sent once a day by the schedule (a retried digest may send twice: the
 * mailer is not transactional).
 */
import type { JobDefinition } from '../../../platform/jobs/index.js';
import type { Mailer } from '../../../platform/mailer.js';
import { type AlarmDeps, refreshContactCounts, runAlarmScan, sendAlarmDigest } from './alarm-scan.js';

export const ALARM_SCAN_JOB = 'analytics.alarm-scan';
export const CONTACT_COUNTS_JOB = 'analytics.contact-counts';
export const ALARM_DIGEST_JOB = 'analytics.alarm-digest';

interface Logger {
  info(obj: object, msg: string): void;
}

export function alarmJobs(deps: AlarmDeps & { mailer: Mailer | null; baseUrl: string; log?: Logger; now?: () => Date }): JobDefinition<{ trigger?: 'schedule' | 'manual' }>[] {
  const now = () => deps.now?.() ?? new Date();
  const jobs: JobDefinition<{ trigger?: 'schedule' | 'manual' }>[] = [
    {
      name: CONTACT_COUNTS_JOB,
      schedule: '17 * * * *',
      retry: { limit: 2, delaySeconds: 60, backoff: true },
      expireInSeconds: 30 * 60,
      async handler() {
        await refreshContactCounts(deps.db, now());
      },
    },
    {
      name: ALARM_SCAN_JOB,
      schedule: '0 6 * * *',
      timeZone: 'Europe/Rome',
      retry: { limit: 2, delaySeconds: 300, backoff: true },
      expireInSeconds: 60 * 60,
      async handler(data) {
        const r = await runAlarmScan(deps, { now: now(), trigger: data.trigger ?? 'schedule' });
        deps.log?.info({ series: r.seriesScanned, alarms: r.alarms.length, records: r.recordsRead, seconds: r.seconds }, 'alarm scan done');
      },
    },
  ];
  const mailer = deps.mailer;
  if (mailer) {
    jobs.push({
      name: ALARM_DIGEST_JOB,
      schedule: '30 7 * * *',
      timeZone: 'Europe/Rome',
      retry: { limit: 1, delaySeconds: 600 },
      expireInSeconds: 30 * 60,
      async handler() {
        const r = await sendAlarmDigest(deps, mailer, { now: now(), baseUrl: deps.baseUrl });
        if (r.sent > 0) deps.log?.info(r, 'alarm digests sent');
      },
    });
  }
  return jobs;
}
