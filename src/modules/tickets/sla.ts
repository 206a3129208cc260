import { addBusinessMinutes, type OfficeCalendar } from '../identity/index.js';
import type { Priority } from './tickets.schemas.js';

/**
 * Resolution targets in business minutes of the owning office (its opening hours, holidays and
 * closures). Defaults for an URP; the routing issue will let supervisors set their own.
 * 'normal' is 30 opening hours, in line with answering well within the 30 days of Law 241/1990.
 */
export const RESOLUTION_TARGET_MINUTES: Record<Priority, number> = {
  urgent: 4 * 60,
  high: 12 * 60,
  normal: 30 * 60,
  low: 60 * 60,
};

export function resolutionDueAt(calendar: OfficeCalendar, priority: Priority, openedAt: Date): Date {
  return addBusinessMinutes(calendar, openedAt, RESOLUTION_TARGET_MINUTES[priority]);
}
