/**
 * `wf key create | revoke | list`: API keys of an organization, straight in PostgreSQL.
 * A new key is printed once; list never shows secrets.
 */
import { createApiKey } from '../../client/keys';
import { isRole, ROLES, type Role } from '../../common/keys';
import { listApiKeys } from '../../store/keys/list-keys';
import { revokeApiKey } from '../../store/keys/revoke-key';
import { CliError } from '../cli-error';
import { EXIT } from '../exit-codes';
import { createdKeyJson, requireOrganization, withDatabase } from './org';

type Out = (line: string) => void;

function parseRole(role: string): Role {
  if (isRole(role)) return role;
  throw new CliError(`--role must be one of ${ROLES.join(', ')}, not ${JSON.stringify(role)}`, EXIT.invalid);
}

export async function keyCreateCommand(options: { org: string; role: string; name?: string; json?: boolean }, out: Out): Promise<number> {
  const role = parseRole(options.role);
  const name = options.name?.trim() || null;
  return withDatabase(async (db) => {
    await requireOrganization(db, options.org);
    const created = await createApiKey(db, options.org, role, name ?? undefined);
    if (options.json) {
      out(JSON.stringify(createdKeyJson(created, name)));
      return EXIT.ok;
    }
    out(`created ${role} key ${created.keyId}${name ? ` (${JSON.stringify(name)})` : ''} for organization ${created.organizationId}`);
    out(`API key (shown once, store it): ${created.apiKey}`);
    return EXIT.ok;
  });
}

export async function keyRevokeCommand(keyId: string, options: { org?: string }, out: Out): Promise<number> {
  return withDatabase(async (db) => {
    if (!(await revokeApiKey(db, options.org, keyId))) {
      throw new CliError(`no active key "${keyId}"${options.org ? ` in organization "${options.org}"` : ''}`, EXIT.invalid);
    }
    out(`revoked ${keyId}`);
    return EXIT.ok;
  });
}

export async function keyListCommand(options: { org: string; json?: boolean }, out: Out): Promise<number> {
  return withDatabase(async (db) => {
    await requireOrganization(db, options.org);
    const keys = await listApiKeys(db, options.org);
    if (options.json) {
      out(JSON.stringify(keys));
      return EXIT.ok;
    }
    if (keys.length === 0) out('no keys');
    for (const key of keys) {
      out(`${key.keyId}  ${key.role.padEnd(8)}  ${key.revokedAt ? `revoked ${key.revokedAt}` : 'active'}  created ${key.createdAt}${key.name ? `  ${JSON.stringify(key.name)}` : ''}`);
    }
    return EXIT.ok;
  });
}
