/**
 * The one DataConverter every Client and Worker of the engine gets: the encryption codec
 * when payload keys are configured (DESIGN §15), otherwise undefined (the SDK's default,
 * payloads in plain JSON). Built once by each entry point and passed down.
 */
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './encryption-codec';
import type { PayloadKey } from './payload-keys';

export function payloadDataConverter(keys: readonly PayloadKey[] | undefined): DataConverter | undefined {
  return keys?.length ? { payloadCodecs: [new EncryptionCodec(keys)] } : undefined;
}

/** The codec of a converter (the API's /codec routes use it); undefined without one. */
export function codecOf(dataConverter: DataConverter | undefined): EncryptionCodec | undefined {
  return dataConverter?.payloadCodecs?.find((codec): codec is EncryptionCodec => codec instanceof EncryptionCodec);
}
