/**
 * Records what the operator did with a suggestion: per facet, the code suggested first, the code
 * chosen and its rank among the suggestions (1 = confirmed, 2–3 = picked another suggestion,
 * null = corrected to a code not suggested). Re-recording a facet replaces the earlier choice.
 * Used by the feedback route and by the `ticket.created` handler (classification.handlers.ts) when
 * the ticket was opened from a suggestion (`classificationSuggestionId`).
 */
import { sql } from 'kysely';
import type { SuggestedJson } from '../../db/tables/classification.js';
import type { Actor } from '../../platform/actor.js';
import type { Trx } from '../../platform/http.js';
import { suggestionErrors as errors } from './suggestion.errors.js';

export interface FeedbackChoice {
  facet: string;
  code: string;
}

export interface RecordedFeedback {
  facet: string;
  modelVersion: number;
  suggestedCode: string;
  chosenCode: string;
  chosenRank: number | null;
}

/** The suggestion, if it exists and was made for this user (others' suggestions are not found). */
async function ownSuggestion(trx: Trx, actor: Pick<Actor, 'userId'>, suggestionId: string): Promise<{ id: string; organisation_id: string | null; suggested: SuggestedJson } | null> {
  const row = await trx
    .selectFrom('classification_suggestions')
    .select(['id', 'organisation_id', 'suggested'])
    .where('id', '=', suggestionId)
    .where('user_id', '=', actor.userId)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * @param strict when false (a ticket was opened from it), an unknown suggestion or an unsuggested
 *   facet is skipped instead of failing: the ticket matters more than the statistics.
 */
export async function recordFeedback(trx: Trx, actor: Pick<Actor, 'userId'>, suggestionId: string, choices: readonly FeedbackChoice[], ticketId: string | null, now: Date, strict = true): Promise<RecordedFeedback[]> {
  const suggestion = await ownSuggestion(trx, actor, suggestionId);
  if (!suggestion) {
    if (strict) throw errors.suggestionNotFound();
    return [];
  }
  const seen = new Set<string>();
  for (const c of choices) {
    if (seen.has(c.facet)) throw errors.duplicateFacet({ facet: c.facet });
    seen.add(c.facet);
  }
  if (ticketId !== null) {
    const other = await trx
      .selectFrom('classification_feedback')
      .select('ticket_id')
      .where('suggestion_id', '=', suggestionId)
      .where('ticket_id', 'is not', null)
      .where('ticket_id', '!=', ticketId)
      .executeTakeFirst();
    if (other) {
      if (strict) throw errors.ticketMismatch();
      return [];
    }
  }
  const out: RecordedFeedback[] = [];
  for (const choice of choices) {
    const facet = suggestion.suggested[choice.facet];
    if (!facet || facet.codes.length === 0) {
      if (strict) throw errors.facetNotSuggested({ facet: choice.facet });
      continue;
    }
    const index = facet.codes.findIndex((c) => c.code === choice.code);
    const row = {
      suggestion_id: suggestion.id, model_id: facet.modelId, model_version: facet.modelVersion, facet: choice.facet, suggested_code: facet.codes[0]!.code,
      chosen_code: choice.code, chosen_rank: index >= 0 ? index + 1 : null, ticket_id: ticketId, user_id: actor.userId, organisation_id: suggestion.organisation_id,
      created_at: now, updated_at: now,
    };
    await trx
      .insertInto('classification_feedback')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['suggestion_id', 'facet']).doUpdateSet({
          chosen_code: row.chosen_code, chosen_rank: row.chosen_rank, updated_at: now,
          ticket_id: sql<string | null>`coalesce(excluded.ticket_id, classification_feedback.ticket_id)`,
        }),
      )
      .execute();
    out.push({ facet: choice.facet, modelVersion: facet.modelVersion, suggestedCode: row.suggested_code, chosenCode: choice.code, chosenRank: row.chosen_rank });
  }
  return out;
}
