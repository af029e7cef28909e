/**
 * What turns text into vectors for a corpus (DESIGN §12). A corpus names its embedder when
 * it is created and keeps it: its chunks and every query against it are embedded by the same
 * one, so scores compare. Vectors come back L2-normalized, which makes cosine a dot product.
 */

/** How a corpus embeds, as stored on it (knowledge_corpora.embedder). */
export type EmbedderSpec = HashEmbedderSpec | ProviderEmbedderSpec;

/** The built-in deterministic embedder: feature hashing of normalized tokens. */
export type HashEmbedderSpec = {
  kind: 'hash';
  dimensions: number;
};

/** An OpenAI-compatible `POST {url}/embeddings`, its key an organization secret. */
export type ProviderEmbedderSpec = {
  kind: 'openai';
  /** The API base, e.g. https://api.openai.com/v1 (the request goes to `${url}/embeddings`). */
  url: string;
  model: string;
  dimensions: number;
  /** The name of the organization's secret holding the API key. */
  apiKeySecret: string;
};

export interface Embedder {
  /** Vector length; every vector it returns has exactly this many numbers. */
  readonly dimensions: number;
  /** One L2-normalized vector per text, in order. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
}

export const DEFAULT_EMBEDDER: HashEmbedderSpec = { kind: 'hash', dimensions: 256 };

/** Scales `vector` to length 1; a zero vector stays zero (it matches nothing). */
export function l2Normalize(vector: number[]): number[] {
  let sum = 0;
  for (const value of vector) sum += value * value;
  if (sum === 0) return vector;
  const norm = Math.sqrt(sum);
  return vector.map((value) => value / norm);
}

/** Two specs embed alike (a query embedded once serves every corpus of that spec). */
export function embedderKey(spec: EmbedderSpec): string {
  return spec.kind === 'hash' ? `hash:${spec.dimensions}` : `openai:${spec.url}:${spec.model}:${spec.dimensions}:${spec.apiKeySecret}`;
}
