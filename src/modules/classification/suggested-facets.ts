/** The taxonomy facets the suggester proposes codes for. */
export const SUGGESTED_FACETS = ['tema', 'tipo'] as const;
export type SuggestedFacet = (typeof SUGGESTED_FACETS)[number];
