/** Public surface of the taxonomy module. */
export * from './taxonomy.js';
export { currentTaxonomy, invalidateCurrentTaxonomy, listVersions, NETWORK_SCHEME, publishTaxonomyVersion, taxonomyVersion } from './taxonomy.service.js';
export { registerTaxonomyRoutes } from './taxonomy.routes.js';
export { type LocalNode, rollUpToNetwork, withLocalNodes } from './taxonomy-local.js';
export { translateCode } from './taxonomy-governance.service.js';
export { type CodeUsageCheck, registerCodeUsage } from './code-usage.js';
