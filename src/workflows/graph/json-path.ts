/** JSON paths as every refusal writes them: `$.nodes[0].config["a b"]`. Pure, safe in the workflow sandbox. */

/** `base` followed by one step per segment: `.key`, `["odd key"]` or `[index]`. */
export function jsonPath(base: string, segments: readonly PropertyKey[]): string {
  let path = base;
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(String(segment))}]`;
  }
  return path;
}
