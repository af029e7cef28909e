/**
 * The signature of every delivery, outbox or notify node (DESIGN §10): `Wf-Timestamp` (unix
 * seconds) and `Wf-Signature: v1=<hex HMAC-SHA256(signingSecret, timestamp + "." + rawBody)>`.
 * The timestamp is inside the signed text, so a captured request cannot be replayed later
 * than the receiver's tolerance.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_VERSION = 'v1';
export const HEADERS = {
  timestamp: 'Wf-Timestamp',
  signature: 'Wf-Signature',
  deliveryId: 'Wf-Delivery-Id',
  event: 'Wf-Event',
} as const;

/** How far a receiver lets a timestamp be from its clock, by default (README snippet). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A new signing secret: `whsec_` and 32 random bytes, hex. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('hex')}`;
}

export function signature(signingSecret: string, timestamp: number, rawBody: string): string {
  return `${SIGNATURE_VERSION}=${createHmac('sha256', signingSecret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/** The four headers of one delivery attempt (plus content-type). */
export function signedHeaders(options: { signingSecret: string; rawBody: string; deliveryId: string; event: string; now?: Date }): Record<string, string> {
  const timestamp = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return {
    'content-type': 'application/json',
    [HEADERS.timestamp]: String(timestamp),
    [HEADERS.signature]: signature(options.signingSecret, timestamp, options.rawBody),
    [HEADERS.deliveryId]: options.deliveryId,
    [HEADERS.event]: options.event,
  };
}

/**
 * What a receiver runs (the README's snippet is this function): true when the signature
 * matches the raw body and the timestamp is within `toleranceSeconds` of now. Compared in
 * constant time, so the answer's timing tells an attacker nothing about the expected value.
 */
export function verifySignature(options: { signingSecret: string; rawBody: string; timestamp: string | undefined; signature: string | undefined; toleranceSeconds?: number; nowSeconds?: number }): boolean {
  const { signingSecret, rawBody, timestamp, signature: given } = options;
  if (!timestamp || !given || !/^\d+$/.test(timestamp)) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(`v1=${createHmac('sha256', signingSecret).update(`${timestamp}.${rawBody}`).digest('hex')}`);
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
