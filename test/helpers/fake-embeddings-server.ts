/**
 * A fake OpenAI-compatible embeddings API on 127.0.0.1 for provider embedder tests:
 * `POST /v1/embeddings {model, input: [...]}` answers one deterministic vector per text
 * (fakeVector, deliberately not normalized, listed in reverse with their indexes), and
 * 401 for any key but its own. Some model names misbehave on purpose:
 * `flaky-*` answers 500 to its first request, `short-*` answers vectors 3 numbers short.
 * Every request is recorded with the model, the inputs and the Authorization header.
 */
import type { ServerResponse } from 'node:http';
import { startTestHttpServer, type TestHttpServer } from './http-test-server';

export interface EmbeddingsCall {
  model: string;
  input: string[];
  authorization: string | undefined;
  status: number;
}

export interface FakeEmbeddingsServer {
  /** The API base to give a corpus (`http://127.0.0.1:PORT/v1`). */
  readonly url: string;
  readonly calls: EmbeddingsCall[];
  callsFor(model: string): EmbeddingsCall[];
  stop(): Promise<void>;
}

/** The fake's vector of a text: a histogram of its UTF-16 code units modulo `dimensions`, plus 1 everywhere. */
export function fakeVector(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(1);
  for (let index = 0; index < text.length; index++) vector[text.charCodeAt(index) % dimensions]! += 1;
  return vector;
}

const json = (response: ServerResponse, status: number, body: unknown): void => void response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

export async function startFakeEmbeddingsServer(apiKey: string, dimensions: number): Promise<FakeEmbeddingsServer> {
  const calls: EmbeddingsCall[] = [];
  const flaked = new Set<string>();
  const server: TestHttpServer = await startTestHttpServer({
    '/v1/embeddings': (request, response) => {
      if (request.method !== 'POST') return json(response, 405, { error: { message: 'POST only' } });
      const parsed = JSON.parse(request.body) as { model: string; input: string[] };
      const authorization = request.headers.authorization;
      const call = { model: parsed.model, input: parsed.input, authorization, status: 200 };
      calls.push(call);
      // Echoes what it was given, as some providers do: a message built from this body would leak the key.
      if (authorization !== `Bearer ${apiKey}`) return json(response, (call.status = 401), { error: { message: `Incorrect API key provided: ${authorization}` } });
      if (parsed.model.startsWith('flaky-') && !flaked.has(parsed.model)) {
        flaked.add(parsed.model);
        return json(response, (call.status = 500), { error: { message: 'overloaded' } });
      }
      const size = parsed.model.startsWith('short-') ? dimensions - 3 : dimensions;
      const data = parsed.input.map((text, index) => ({ object: 'embedding', index, embedding: fakeVector(text, size) })).reverse();
      return json(response, 200, { object: 'list', model: parsed.model, data, usage: { prompt_tokens: 0, total_tokens: 0 } });
    },
  });
  return {
    url: `${server.origin}/v1`,
    calls,
    callsFor: (model) => calls.filter((call) => call.model === model),
    stop: () => server.stop(),
  };
}
