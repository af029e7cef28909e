/** A webhook as listed and returned: never its signing secret. */
export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
}

export interface WebhookRow {
  id: string;
  url: string;
  events: string[];
  created_at: string;
}

export function webhookView(row: WebhookRow): WebhookView {
  return { id: row.id, url: row.url, events: row.events, createdAt: row.created_at };
}
