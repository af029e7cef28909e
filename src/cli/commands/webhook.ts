/**
 * `wf webhook create | list | delete` and `wf notifications list` (DESIGN §10), straight in
 * PostgreSQL like `wf key`: no Temporal needed. A new webhook's signing secret is printed once.
 */
import { configWithOrg } from '../config-with-org';
import { createWebhook, deleteWebhook } from '../../notifications/webhooks';
import { listNotifications, NOTIFICATION_STATUSES, type NotificationStatus } from '../../store/notifications/list-notifications';
import { listWebhooks } from '../../store/notifications/list-webhooks';
import { CliError } from '../cli-error';
import { EXIT } from '../exit-codes';
import { cliSecretCipher } from '../secrets-key';
import { requireOrganization, withDatabase } from './org';

type Out = (line: string) => void;

export async function webhookCreateCommand(options: { url: string; events: string; org?: string; json?: boolean }, out: Out): Promise<number> {
  const { organizationId } = configWithOrg(options.org);
  const events = options.events.split(',').map((event) => event.trim()).filter(Boolean);
  // The same key as `wf secret` (and the workers that sign with it): WF_SECRETS_KEY, or npm start's local key.
  const cipher = cliSecretCipher();
  return withDatabase(async (db) => {
    await requireOrganization(db, organizationId);
    const created = await createWebhook(db, cipher, organizationId, { url: options.url, events });
    if (options.json) {
      out(JSON.stringify({ id: created.id, url: created.url, events: created.events, signingSecret: created.signingSecret }));
      return EXIT.ok;
    }
    out(`created webhook ${created.id} for ${created.url} (events: ${created.events.join(', ')})`);
    out(`signing secret (shown once, store it): ${created.signingSecret}`);
    return EXIT.ok;
  });
}

export async function webhookListCommand(options: { org?: string; json?: boolean }, out: Out): Promise<number> {
  const { organizationId } = configWithOrg(options.org);
  return withDatabase(async (db) => {
    const webhooks = await listWebhooks(db, organizationId);
    if (options.json) {
      out(JSON.stringify(webhooks));
      return EXIT.ok;
    }
    if (webhooks.length === 0) out('no webhooks');
    for (const webhook of webhooks) out(`${webhook.id}  ${webhook.url}  ${webhook.events.join(',')}  created ${webhook.createdAt}`);
    return EXIT.ok;
  });
}

export async function webhookDeleteCommand(id: string, options: { org?: string }, out: Out): Promise<number> {
  const { organizationId } = configWithOrg(options.org);
  return withDatabase(async (db) => {
    await deleteWebhook(db, organizationId, id);
    out(`deleted ${id}`);
    return EXIT.ok;
  });
}

function parseStatus(status: string | undefined): NotificationStatus | undefined {
  if (status === undefined) return undefined;
  if ((NOTIFICATION_STATUSES as readonly string[]).includes(status)) return status as NotificationStatus;
  throw new CliError(`--status must be one of ${NOTIFICATION_STATUSES.join(', ')}, not ${JSON.stringify(status)}`, EXIT.invalid);
}

export async function notificationsListCommand(options: { status?: string; org?: string; json?: boolean }, out: Out): Promise<number> {
  const { organizationId } = configWithOrg(options.org);
  const status = parseStatus(options.status);
  return withDatabase(async (db) => {
    const notifications = await listNotifications(db, organizationId, { status });
    if (options.json) {
      out(JSON.stringify(notifications));
      return EXIT.ok;
    }
    if (notifications.length === 0) out('no notifications');
    for (const n of notifications) {
      const when = n.deliveredAt ? `delivered ${n.deliveredAt}` : `created ${n.createdAt}`;
      out(`${n.id}  ${n.event.padEnd(20)}  ${n.status.padEnd(10)}  attempts ${n.attempts}  ${n.webhookId}  ${when}${n.lastError ? `  last error: ${n.lastError}` : ''}`);
    }
    return EXIT.ok;
  });
}
