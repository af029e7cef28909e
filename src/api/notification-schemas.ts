/** Request and response schemas of /api/v1/webhooks and /api/v1/notifications (DESIGN §10). */
import { z } from 'zod';
import { NOTIFICATION_STATUSES } from '../store/notifications/list-notifications';
import { MAX_WEBHOOK_EVENTS, MAX_WEBHOOK_URL_LENGTH } from '../notifications/webhooks';
import { EVENT_RULE } from '../notifications/events';

/** Loose in the document and when serializing, typed as the plain object (as in responses.ts). */
const extensible = <Shape extends z.ZodRawShape>(shape: Shape): z.ZodObject<Shape> => z.looseObject(shape) as unknown as z.ZodObject<Shape>;
const timestamp = z.string().describe('ISO 8601 timestamp');

// URL and event names are checked by createWebhook, which names every problem with its path.
export const createWebhookBody = z.strictObject({
  url: z.string().min(1).max(MAX_WEBHOOK_URL_LENGTH).describe('http or https'),
  events: z.array(z.string().min(1).max(200)).min(1).max(MAX_WEBHOOK_EVENTS).describe(EVENT_RULE),
});

export const notificationsQuery = z.strictObject({ status: z.enum(NOTIFICATION_STATUSES).optional() });

export const webhookView = extensible({ id: z.string(), url: z.string(), events: z.array(z.string()), createdAt: timestamp });
export const createdWebhook = extensible({ id: z.string(), url: z.string(), events: z.array(z.string()), createdAt: timestamp, signingSecret: z.string().describe('shown once') });
export const notificationView = extensible({
  id: z.string().describe('also the Wf-Delivery-Id of every attempt'),
  event: z.string(),
  webhookId: z.string(),
  status: z.enum(NOTIFICATION_STATUSES),
  attempts: z.number().int().min(0),
  createdAt: timestamp,
  deliveredAt: timestamp.nullable(),
  lastError: z.string().nullable(),
});
