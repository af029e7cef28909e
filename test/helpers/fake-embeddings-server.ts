/**
 * A fake OpenAI-compatible embeddings API on 127.0.0.1 for provider embedder tests:
 * `POST /v1/embeddings {model, input: [...]}` answers one deterministic vector per text
 * (fakeVector, deliberately not normalized, listed in reverse with their indexes), and
 * 401 for any key but its own. Some model names misbehave on purpose:
 * `flaky-*` answers 500 to its first request, `cut-*` breaks its first answer off midway,
 * `short-*` answers vectors 3 numbers short, `huge-*` streams 33 MiB that never end a JSON.
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

/** 33 MiB of an answer that goes on and on (chunked: no length declared up front), while the client reads. */
async function streamHuge(response: ServerResponse): Promise<void> {
  response.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(1024 * 1024, ' ');
  for (let sent = 0; sent < 33 && !response.destroyed; sent++) {
    if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve).once('close', resolve));
  }
  if (!response.destroyed) response.end();
}

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
      if (parsed.model.startsWith('cut-') && !flaked.has(parsed.model)) {
        flaked.add(parsed.model);
        response.writeHead(200, { 'content-type': 'application/json' }).write('{"object": "list", "data": [');
        return void setTimeout(() => response.destroy(), 50);
      }
      if (parsed.model.startsWith('huge-')) return streamHuge(response);
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
