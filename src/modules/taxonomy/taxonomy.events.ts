declare module '../../platform/event-catalogue.js' {
  interface EventCatalogue {
    /** A new version of the network taxonomy was published, with `crosswalk` mappings from the previous one. */
    'taxonomy.version_published': { scheme: string; version: string; from: string; crosswalk: number };
  }
}

export {};
