/**
 * The search of test/integration/secret-scan.test.ts: each secret value in every form it could
 * be written in (as is, URL-encoded, base64, base64url, hex, JSON-escaped), looked for in
 * texts where byte arrays and base64 blobs (Temporal payloads) are decoded first, because a
 * value inside an encoded payload is not a substring of the payload's encoding.
 */

export interface Place {
  /** Where the text came from, printed with a hit. */
  where: string;
  text: string;
}

export interface Needle {
  /** Which secret, in which form. */
  label: string;
  value: string;
}

export interface Hit {
  where: string;
  label: string;
  excerpt: string;
}

/** Each value in every form it could be written in. */
export function needlesFor(values: Record<string, string>): Needle[] {
  const needles: Needle[] = [];
  for (const [name, value] of Object.entries(values)) {
    const bytes = Buffer.from(value, 'utf8');
    const forms: Record<string, string> = {
      plain: value,
      'url-encoded': encodeURIComponent(value),
      'form-encoded': new URLSearchParams({ v: value }).toString().slice(2),
      base64: bytes.toString('base64'),
      base64url: bytes.toString('base64url'),
      hex: bytes.toString('hex'),
      'json-escaped': JSON.stringify(value).slice(1, -1),
    };
    const seen = new Set<string>();
    for (const [form, text] of Object.entries(forms)) {
      if (seen.has(text)) continue;
      seen.add(text);
      needles.push({ label: `${name} (${form})`, value: text });
    }
  }
  return needles;
}

const BASE64 = /^[A-Za-z0-9+/_-]{8,}={0,2}$/;

function decodedText(bytes: Buffer, out: string[], depth: number): void {
  const text = bytes.toString('utf8');
  out.push(text);
  try {
    collect(JSON.parse(text), out, depth + 1);
  } catch {
    // Not JSON: the text itself is enough.
  }
}

function collect(value: unknown, out: string[], depth: number): void {
  if (depth > 6 || value === null || value === undefined) return;
  if (typeof value === 'string') {
    out.push(value);
    if (BASE64.test(value)) decodedText(Buffer.from(value, 'base64'), out, depth) // Node reads base64url here too;
    return;
  }
  if (value instanceof Uint8Array) return decodedText(Buffer.from(value), out, depth);
  if (typeof value !== 'object') return void out.push(String(value));
  for (const [key, item] of Object.entries(value)) {
    out.push(key);
    collect(item, out, depth);
  }
}

/** `value` as searchable text: its JSON (where it has one), every string and key, every payload decoded. */
export function searchableText(value: unknown): string {
  const out: string[] = [];
  if (typeof value === 'string') {
    out.push(value);
    try {
      collect(JSON.parse(value), out, 0);
    } catch {
      // Not JSON: searched as it is.
    }
  } else collect(value, out, 0);
  return out.join('\n');
}

export function findHits(places: Place[], needles: Needle[]): Hit[] {
  const hits: Hit[] = [];
  for (const place of places) {
    for (const needle of needles) {
      const at = place.text.indexOf(needle.value);
      if (at >= 0) hits.push({ where: place.where, label: needle.label, excerpt: place.text.slice(Math.max(0, at - 120), at + needle.value.length + 120) });
    }
  }
  return hits;
}

/** A readable report of hits, for the assertion's message. */
export function describeHits(hits: Hit[]): string {
  return hits.map((hit) => `${hit.label} in ${hit.where}:\n  …${hit.excerpt.replace(/\n/g, '\\n')}…`).join('\n');
}
