/**
 * The local stack's payload key (DESIGN §15): `npm start` generates one into
 * `.data/payload.key` (mode 0600) on first start, unless WF_PAYLOAD_KEY or WF_PAYLOAD_KEYS is
 * set; the `wf` CLI next to it reads the same file. Same format and handling as the secrets
 * key file (a base64 key on one line), hence the same helpers.
 */
import { join } from 'node:path';

export { ensureSecretsKeyFile as ensurePayloadKeyFile, readSecretsKeyFile as readPayloadKeyFile } from '../secrets/local-key-file';

export const PAYLOAD_KEY_FILE = 'payload.key';

export function payloadKeyPath(dataDir: string): string {
  return join(dataDir, PAYLOAD_KEY_FILE);
}
