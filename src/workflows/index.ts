// The workflow bundle's entry: workflow functions only.
export { graphExecution } from './graph-workflow';
export { deadLetter } from './dead-letter-workflow';
export { concurrencySlots } from './slots-workflow';
export { notificationDelivery } from './notification-delivery-workflow';
export { knowledgeIngest } from './knowledge-ingest-workflow';
