/**
 * The payload codec of a `wf` command (DESIGN §15): WF_PAYLOAD_KEY or WF_PAYLOAD_KEYS, or,
 * when both are unset and TEMPORAL_ADDRESS is too (the command talks to `npm start`'s dev
 * server), the key `npm start` generated into .data/payload.key. Never the local file for
 * another Temporal: payloads there are encrypted with that deployment's keys or not at all.
 */
import type { DataConverter } from '@temporalio/common';
import { loadLocalStackConfig, loadPayloadKeys } from '../config';
import { payloadDataConverter } from '../payloads/data-converter';
import { payloadKeyPath, readPayloadKeyFile } from '../payloads/local-key-file';
import { DEFAULT_DATA_DIR } from '../stack/data-dir';

export function cliDataConverter(): DataConverter | undefined {
  return payloadDataConverter(
    loadPayloadKeys(undefined, () => {
      const local = loadLocalStackConfig(DEFAULT_DATA_DIR);
      return local.externalTemporal ? undefined : readPayloadKeyFile(payloadKeyPath(local.dataDir));
    }),
  );
}
