/**
 * A secret reference, `{ "$secret": "name" }` (DESIGN §10): how a graph names a stored secret
 * inside an `http` or `notify` node's config. It stays a reference in the graph, the
 * workflow, its history and the mirror; only the node's activity resolves it, at call time.
 * Pure code, used by validation in the workflow sandbox and by the activities.
 */
import { z } from 'zod';

/** Secret names: lowercase letters, digits, `.`, `_`, `-`; up to 64 characters. */
export const SECRET_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export const secretNameSchema = z.string().regex(SECRET_NAME_PATTERN, 'a secret name is 1-64 of a-z, 0-9, ".", "_", "-", starting with a letter or digit');

export const secretRefSchema = z.strictObject({ $secret: secretNameSchema });

export type SecretRef = z.infer<typeof secretRefSchema>;

/** A string, or a reference to a secret whose value is a string. */
export const stringOrSecret = z.union([z.string(), secretRefSchema]);

export function isSecretRef(value: unknown): value is SecretRef {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { $secret?: unknown }).$secret === 'string';
}
