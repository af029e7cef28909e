/**
 * What one activity attempt knows about secrets: it resolves `{ "$secret": "name" }`
 * references of its organization at call time, and remembers every value it resolved so that
 * nothing it returns or throws carries one (redacted to `***`). src/activities/node-activity.ts
 * creates one per attempt and redacts the output and the error with it, whatever the node
 * type did; a type redacts its own messages too, before they are built into anything else.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { isSecretRef } from '../workflows/graph/secret-ref';
import type { Json } from '../workflows/graph/types';

/** Reads a stored secret's plaintext; undefined when the organization has none of that name. */
export interface SecretLookup {
  value(organizationId: string, name: string): Promise<string | undefined>;
}

export const REDACTED = '***';

/** Values shorter than this are not redacted from text (a 1-character secret would redact every occurrence of that letter). */
const MIN_REDACTED_LENGTH = 4;

export class SecretScope {
  private readonly values = new Set<string>();

  constructor(
    private readonly organizationId: string,
    private readonly lookup: SecretLookup | undefined,
  ) {}

  /** The value of one secret; fails the node with SecretNotFound (not retried) when unknown. */
  async secret(name: string): Promise<string> {
    const value = this.lookup ? await this.lookup.value(this.organizationId, name) : undefined;
    if (value === undefined) {
      throw ApplicationFailure.create({ type: 'SecretNotFound', message: `secret "${name}" is not stored for this organization (wf secret set ${name})`, nonRetryable: true });
    }
    this.values.add(value);
    return value;
  }

  /** `value` with every secret reference replaced by the secret's value. */
  async resolve<T extends Json | undefined>(value: T): Promise<T> {
    if (isSecretRef(value)) return (await this.secret(value.$secret)) as T;
    if (Array.isArray(value)) return (await Promise.all(value.map((item) => this.resolve(item)))) as T;
    if (value && typeof value === 'object') {
      const entries = await Promise.all(Object.entries(value).map(async ([key, item]) => [key, await this.resolve(item)] as const));
      return Object.fromEntries(entries) as T;
    }
    return value;
  }

  /** Remembers a value derived from secrets (a Basic credential, an encoded form) so it is redacted too. */
  remember(derived: string): void {
    this.values.add(derived);
  }

  /** `text` with every resolved secret value (and its URL-encoded and base64 forms) replaced by `***`. */
  redactText(text: string): string {
    let out = text;
    for (const value of this.forms()) out = out.split(value).join(REDACTED);
    return out;
  }

  /** `value` with every string redacted, keys included. */
  redact<T extends Json | undefined>(value: T): T {
    if (this.values.size === 0) return value;
    if (typeof value === 'string') return this.redactText(value) as T;
    if (Array.isArray(value)) return value.map((item) => this.redact(item)) as T;
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [this.redactText(key), this.redact(item)])) as T;
    return value;
  }

  private forms(): string[] {
    const forms = new Set<string>();
    for (const value of this.values) {
      if (value.length < MIN_REDACTED_LENGTH) continue;
      forms.add(value);
      forms.add(encodeURIComponent(value));
      forms.add(Buffer.from(value).toString('base64'));
      forms.add(JSON.stringify(value).slice(1, -1)); // as it appears inside a JSON string
    }
    // Longest first, so a value is not half-redacted by a shorter one inside it.
    return [...forms].sort((a, b) => b.length - a.length);
  }
}
