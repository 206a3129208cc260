/** Public surface of the privacy module: retention of live personal data and the data subject's requests (issue 13). */
export { registerPrivacyRoutes } from './privacy.routes.js';
export { monthsBefore, privacyRetentionJob, RETENTION_BATCH_SIZE, type RetentionCounts, type RetentionResult, runRetention } from './retention.js';
export { createDataSubjectRequest, EXPORT_TTL_DAYS, groupIntoPeople, MATCH_LIMIT, searchDataSubject } from './data-subject-requests.js';
export { PERSONAL_DATA_LOCATIONS, type PersonalDataLocation, TOOL_TABLES } from './personal-data-map.js';
export { RETENTION_DEFAULTS } from './privacy.repository.js';
export { retentionRunAction } from './privacy.command.js';
export { privacyErrors } from './privacy.errors.js';
