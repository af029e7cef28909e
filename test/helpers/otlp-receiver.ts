/**
 * A local OTLP/HTTP trace receiver for tests: POST /v1/traces with a JSON body (what
 * @opentelemetry/exporter-trace-otlp-http sends), on 127.0.0.1 and a free port. It keeps every
 * span it was sent, flattened, and the headers of the last request.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  serviceName: string;
  attributes: Record<string, string | number | boolean>;
}

export interface OtlpReceiver {
  /** http://127.0.0.1:port/v1/traces */
  tracesUrl: string;
  spans: ReceivedSpan[];
  lastHeaders?: IncomingHttpHeaders;
  stop(): Promise<void>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpBody {
  resourceSpans?: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: { spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string; attributes?: OtlpAttribute[] }[] }[] }[];
}

function attributesOf(list: OtlpAttribute[] = []): Record<string, string | number | boolean> {
  const attributes: Record<string, string | number | boolean> = {};
  for (const { key, value } of list) {
    const found = value.stringValue ?? value.boolValue ?? value.doubleValue ?? (value.intValue === undefined ? undefined : Number(value.intValue));
    if (found !== undefined) attributes[key] = found;
  }
  return attributes;
}

export function flattenSpans(body: OtlpBody): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of body.resourceSpans ?? []) {
    const serviceName = String(attributesOf(resourceSpans.resource?.attributes)['service.name'] ?? '');
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        spans.push({ traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId ?? '', name: span.name, serviceName, attributes: attributesOf(span.attributes) });
      }
    }
  }
  return spans;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const receiver: Omit<OtlpReceiver, 'tracesUrl' | 'stop'> = { spans: [] };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/traces' || !String(request.headers['content-type']).includes('application/json')) {
        response.writeHead(404).end();
        return;
      }
      receiver.lastHeaders = request.headers;
      receiver.spans.push(...flattenSpans(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpBody));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    tracesUrl: `http://127.0.0.1:${port}/v1/traces`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
