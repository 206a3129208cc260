/**
 * Public surface of analytics (issue 14): the dashboards of an office, an organisation, a territory
 * or the whole network, computed on the anonymised archive's columnar files (never on live tables);
 * alarms on the network's series and emerging subjects; action plans and their measured effect;
 * staffing with Erlang C/A; the time-series engine behind `urpnet analyze`. The tables
 * `action_plans`, `contact_counts`, `analytics_alarms`, `analytics_alarm_states`, `alarm_watches` and `alarm_scans` belong to
 * this module.
 */
export { analyticsJobs, registerAnalyticsRoutes, WEEKLY_REPORT_JOB } from './analytics.routes.js';
export { sendWeeklyReports } from './reports/reports.service.js';
export { analyticsErrors } from './analytics.errors.js';
export { buildDashboard, type Dashboard, type DashboardFilter, type DashboardQuery, DEFAULT_SLA_MINUTES, RESOLVED_OUTCOMES } from './dashboard.js';
export { DASHBOARD_GRANULARITIES, type DashboardGranularity } from './dashboard-periods.js';
