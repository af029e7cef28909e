export { EngineClient, concurrencyKeyOf, connectEngineClient, newExecutionId, type StartOptions, type StartedExecution } from './engine-client';
export { InvalidRequestError, GraphVersionConflictError, NotFoundError, UnavailableError } from './errors';
export type { ExecutionView, StepView } from './execution-view';
export type { DeadLetterView, DeadLetterFilter } from './dead-letters';
export type { ExecutionPage, ExecutionSummary } from './execution-list';
export type { TriggerView } from './triggers';
