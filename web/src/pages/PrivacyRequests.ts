/** Pure helpers of the data subject's requests desk. */

/** The search criteria as the API takes them: trimmed, the empty ones left out (the API rejects empty strings). */
export function searchCriteria<K extends string>(form: Record<K, string>): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const [key, value] of Object.entries(form) as [K, string][]) {
    const trimmed = value.trim();
    if (trimmed) out[key] = trimmed;
  }
  return out;
}

/** A request's per-organisation counts (`{ orgId: { requesters, tickets } }`) summed over the network. */
export function requestMatchTotals(matched: Record<string, Record<string, number>>): { requesters: number; tickets: number; orgs: number } {
  let requesters = 0;
  let tickets = 0;
  for (const counts of Object.values(matched)) {
    requesters += counts.requesters ?? 0;
    tickets += counts.tickets ?? 0;
  }
  return { requesters, tickets, orgs: Object.keys(matched).length };
}
