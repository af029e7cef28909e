/** Size limits of DESIGN §3. */
export const LIMITS = {
  graphBytes: 1024 * 1024,
  nodes: 10_000,
  inputBytes: 256 * 1024,
  /** Levels of arrays and objects in a graph document, an execution input or a payload (json-limits.ts). */
  jsonDepth: 64,
} as const;

/** UTF-8 byte length of a string, without TextEncoder (not every sandbox has it). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export function jsonBytes(value: unknown): number {
  return utf8Length(JSON.stringify(value) ?? 'null');
}
