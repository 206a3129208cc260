import { defineErrors } from '../../platform/errors.js';

/* Errors of analytics (issue 14): dashboards, action plans, staffing and alarms. Codes are part of the API contract. */

export const analyticsErrors = defineErrors('analytics', {
  /** Thrown when a dashboard's period starts after it ends. */
  invalidRange: {
    code: 'analytics.invalid_range',
    status: 422,
    example: { from: '2026-03-01', to: '2026-01-31' },
    it: (p: { from: string; to: string }) => `Periodo non valido: l'inizio (${p.from}) è successivo alla fine (${p.to}).`,
    en: (p: { from: string; to: string }) => `Invalid period: the start (${p.from}) is after the end (${p.to}).`,
  },
  /** Thrown when the hourly series is asked for without a period, or over a period longer than `maxDays`. */
  hourRangeTooLong: {
    code: 'analytics.hour_range_too_long',
    status: 422,
    example: { maxDays: 31 },
    it: (p: { maxDays: number }) => `La serie oraria richiede un periodo (dal… al…) di al massimo ${p.maxDays} giorni: restringi il periodo o scegli il giorno.`,
    en: (p: { maxDays: number }) => `The hourly series needs a period (from… to…) of at most ${p.maxDays} days: narrow the period or choose the day.`,
  },
  // Action plans and staffing.
  actionNotFound: {
    code: 'analytics.action_not_found',
    status: 404,
    example: { id: '00000000-0000-0000-0000-000000000000' },
    it: (p: { id: string }) => `Nessuna azione ${p.id} visibile.`,
    en: (p: { id: string }) => `No visible action ${p.id}.`,
  },
  /** The caller may not plan actions for that organisation (supervisors, administrators and analysts of it, or the network coordination). */
  cannotPlan: {
    code: 'analytics.cannot_plan_actions',
    status: 403,
    it: () => "Solo i supervisori, gli amministratori e gli analisti dell'ente (o il coordinamento della rete) pianificano le sue azioni.",
    en: () => "Only the body's supervisors, administrators and analysts (or the network coordination) plan its actions.",
  },
  /** A status change the life of an action does not allow (e.g. a cancelled action straight to done). */
  invalidTransition: {
    code: 'analytics.invalid_action_transition',
    status: 409,
    example: { from: 'cancelled', to: 'done' },
    it: (p: { from: string; to: string }) => `Un'azione non passa da «${p.from}» a «${p.to}».`,
    en: (p: { from: string; to: string }) => `An action cannot go from "${p.from}" to "${p.to}".`,
  },
  /** The owner named is not an active member of the action's organisation. */
  ownerNotMember: {
    code: 'analytics.owner_not_member',
    status: 422,
    it: () => "Il responsabile dell'azione deve essere un utente attivo dell'ente.",
    en: () => "The action's owner must be an active user of the body.",
  },
  /** The day the action took effect is in the future. */
  effectiveInFuture: {
    code: 'analytics.effective_date_in_future',
    status: 422,
    it: () => "La data in cui l'azione ha avuto effetto non può essere futura.",
    en: () => 'The date the action took effect cannot be in the future.',
  },
  /** Offices compared in a pooling what-if must give their volumes for the same half hours. */
  poolingMismatch: {
    code: 'analytics.pooling_intervals_mismatch',
    status: 422,
    example: { label: 'URP Celano' },
    it: (p: { label: string }) => `Le mezz'ore di «${p.label}» non coincidono con quelle degli altri uffici: indicare gli stessi intervalli per tutti.`,
    en: (p: { label: string }) => `The half hours of "${p.label}" do not match the other offices': give the same intervals for all.`,
  },
  /** The office does not exist or its planning is not the caller's to see. */
  officeNotFound: {
    code: 'analytics.office_not_found',
    status: 404,
    example: { id: '00000000-0000-0000-0000-000000000000' },
    it: (p: { id: string }) => `Nessun ufficio ${p.id} visibile.`,
    en: (p: { id: string }) => `No visible office ${p.id}.`,
  },
  /** A day to staff outside what the archive can forecast: after its complete history, within the horizon. */
  planningDateOutOfRange: {
    code: 'analytics.planning_date_out_of_range',
    status: 422,
    example: { from: '2026-11-16', to: '2027-02-13' },
    it: (p: { from: string; to: string }) => `Si può pianificare un giorno dal ${p.from} al ${p.to} (dopo lo storico completo dell'archivio).`,
    en: (p: { from: string; to: string }) => `A day from ${p.from} to ${p.to} can be planned (after the archive's complete history).`,
  },
  /** A supervisor's dashboard without their own body in the filter. */
  dashboardBodyRequired: {
    code: 'analytics.dashboard_body_required',
    status: 403,
    it: () => "Responsabili e amministratori leggono il cruscotto del proprio ente: sceglilo nel filtro «ente». La rete intera è per analisti e coordinamento.",
    en: () => "Supervisors and administrators read their own body's dashboard: choose it in the “body” filter. The whole network is for analysts and the coordination.",
  },
  /** A forecast of the whole network (no office or body in the slice), or of a body the caller is not a member of. */
  forecastForbidden: {
    code: 'analytics.forecast_forbidden',
    status: 403,
    it: () => "La previsione di un ufficio o di un ente è per i suoi membri, gli analisti e il coordinamento; quella della rete per analisti e coordinamento.",
    en: () => "An office's or a body's forecast is for its members, analysts and the coordination; the network's for analysts and the coordination.",
  },
  // Alarms.
  /** Alarms are read by supervisors, administrators, analysts and the network coordination. */
  alarmsForbidden: {
    code: 'analytics.alarms_forbidden',
    status: 403,
    it: () => "Gli allarmi sono riservati a responsabili, amministratori, analisti e coordinamento della rete.",
    en: () => 'Alarms are for supervisors, administrators, analysts and the network coordination.',
  },
  alarmNotFound: {
    code: 'analytics.alarm_not_found',
    status: 404,
    example: { id: '00000000-0000-0000-0000-000000000000' },
    it: (p: { id: string }) => `Nessun allarme ${p.id}.`,
    en: (p: { id: string }) => `No alarm ${p.id}.`,
  },
  watchNotFound: {
    code: 'analytics.watch_not_found',
    status: 404,
    example: { id: '00000000-0000-0000-0000-000000000000' },
    it: (p: { id: string }) => `Nessuna porzione seguita ${p.id}.`,
    en: (p: { id: string }) => `No watched slice ${p.id}.`,
  },
  // Weekly reports.
  /** A report read by someone who is not a supervisor, administrator or analyst of its organisation (nor an analyst or the coordination). */
  reportForbidden: {
    code: 'analytics.report_forbidden',
    status: 403,
    it: () => "Il rapporto di un ente è per i suoi responsabili, amministratori e analisti; quello della rete per analisti e coordinamento.",
    en: () => "A body's report is for its supervisors, administrators and analysts; the network's for analysts and the coordination.",
  },
  reportWeekInFuture: {
    code: 'analytics.report_week_in_future',
    status: 422,
    example: { week: '2027-W10' },
    it: (p: { week: string }) => `La settimana ${p.week} non è ancora cominciata.`,
    en: (p: { week: string }) => `Week ${p.week} has not started yet.`,
  },
});
