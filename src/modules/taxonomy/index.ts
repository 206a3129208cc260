/** Public surface of the taxonomy module. */
export * from './taxonomy.js';
export { currentTaxonomy, listVersions, NETWORK_SCHEME, publishTaxonomyVersion, taxonomyVersion } from './taxonomy.service.js';
export { registerTaxonomyRoutes } from './taxonomy.routes.js';
