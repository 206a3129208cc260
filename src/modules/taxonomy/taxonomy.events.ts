declare module '../../platform/event-catalogue.js' {
  interface EventCatalogue {
    /** A new version of the network taxonomy was published, with `crosswalk` mappings from the previous one. */
    'taxonomy.version_published': { scheme: string; version: string; from: string; crosswalk: number };
    /** The coordinator put a proposal's operations into the open draft (`version`). */
    'taxonomy.proposal_approved': { proposalId: string; proposedBy: string | null; version: string; rationale: string; actorId: string };
    /** The coordinator rejected a proposal, with a reason. */
    'taxonomy.proposal_rejected': { proposalId: string; proposedBy: string | null; reason: string; actorId: string };
  }
}

export {};
