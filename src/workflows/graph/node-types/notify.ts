import { z } from 'zod';
import { secretRefSchema } from '../secret-ref';
import { literal, templated, withSchemas, type ActivityNodeType } from './common';

/**
 * `notify` (DESIGN §10): posts a signed JSON body from its activity
 * (src/activities/nodes/notify.ts). Either `webhook`, the id of one of the organization's
 * webhooks (signed with its signing secret), or `url` with `secret`, a `{"$secret"}`
 * reference to the signing secret. `body` is templated JSON (default `{}`); `event` names it:
 * the receiver sees `Wf-Event: notify.<event>`.
 */

/** A notify node's event name, sent as `notify.<name>` (also what webhooks may subscribe to). */
export const NOTIFY_EVENT_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

function notifyConfig<Field extends z.ZodType>(field: (schema: z.ZodType<string>) => Field) {
  const webhookId = z.string().regex(/^wh_[0-9a-f]{1,64}$/, 'a webhook id (wh_…, from wf webhook create)');
  const eventName = z.string().regex(NOTIFY_EVENT_NAME_PATTERN, 'an event name is 1-64 of a-z, 0-9, ".", "_", "-"');
  const httpUrl = z.url({ protocol: /^https?$/, error: 'an http or https URL' });
  return z
    .strictObject({
      webhook: field(webhookId).optional(),
      url: field(httpUrl).optional(),
      secret: secretRefSchema.optional(),
      body: z.unknown().optional(),
      event: field(eventName).optional(),
    })
    .superRefine((config, context) => {
      const hasWebhook = config.webhook !== undefined;
      const hasUrl = config.url !== undefined;
      if (hasWebhook === hasUrl) context.addIssue({ code: 'custom', path: [hasWebhook ? 'url' : 'webhook'], message: 'give either webhook (an organization webhook id) or url with secret' });
      if (hasUrl && config.secret === undefined) context.addIssue({ code: 'custom', path: ['secret'], message: 'url needs secret: {"$secret": "name"} of the signing secret' });
      if (hasWebhook && config.secret !== undefined) context.addIssue({ code: 'custom', path: ['secret'], message: 'a webhook is signed with its own signing secret: drop secret' });
    });
}

const renderedNotifyConfig = () => notifyConfig(literal);

export type NotifyConfig = z.infer<ReturnType<typeof renderedNotifyConfig>>;

export const notify = withSchemas('notify', { runtime: 'activity', compensable: false, acceptsSecrets: true }, () => ({
  config: notifyConfig(templated),
  rendered: renderedNotifyConfig(),
})) satisfies ActivityNodeType<NotifyConfig>;
