/** A whole-number benchmark setting from the environment, with a clear error when it is not one. */
export function intEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
  return value;
}

/** A comma list of whole numbers from the environment (`1000,50000`), each checked like intEnv's. */
export function intListEnv(name: string, fallback: number[], min = 1): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  return raw.split(',').map((part) => {
    const value = Number(part.trim());
    if (part.trim() === '' || !Number.isInteger(value) || value < min) throw new Error(`${name} must be a comma list of integers >= ${min}, got ${JSON.stringify(raw)}`);
    return value;
  });
}
