export {
  createJobRunner,
  type JobDefinition,
  type JobLogger,
  type JobRun,
  type JobRunner,
  type JobRunnerOptions,
  poolExecutor,
  type RetryPolicy,
  type RunDueResult,
  type SendOptions,
  type SqlExecutor,
} from './job-runner.js';
export { outboxDrainJob } from './outbox-drain.job.js';
