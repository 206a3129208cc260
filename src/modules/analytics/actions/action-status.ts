/**
 * The life of an action plan (issue 14): planned → in progress → done, or cancelled. Done is when
 * the action took effect: from that day its effect is measured, so reopening a done action forgets
 * the frozen forecast (it is taken again when the action is done again).
 */
export const ACTION_STATUSES = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const ACTION_KINDS = ['preventive', 'corrective'] as const;
export const ACTION_TYPES = ['publish_faq', 'fix_online_form', 'extend_hours', 'inform_body', 'other'] as const;
export const ACTION_ORIGINS = ['alarm', 'trend', 'faq_gap', 'manual'] as const;

const NEXT: Record<ActionStatus, readonly ActionStatus[]> = {
  planned: ['in_progress', 'done', 'cancelled'],
  in_progress: ['planned', 'done', 'cancelled'],
  done: ['in_progress'],
  cancelled: ['planned'],
};

/** True when an action may go from one status to the other (staying put is always allowed). */
export function canMoveAction(from: ActionStatus, to: ActionStatus): boolean {
  return from === to || NEXT[from].includes(to);
}

/** The statuses reachable from one, for the web app's status menu. */
export const nextStatuses = (from: ActionStatus): readonly ActionStatus[] => NEXT[from];
