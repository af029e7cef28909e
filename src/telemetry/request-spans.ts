/**
 * One server span per API request, hand-written with @opentelemetry/api (no Fastify
 * instrumentation package is installed). A caller's `traceparent` header makes it a child of
 * the caller's span. The handler runs in the span's context, so an execution it starts
 * (the client interceptors) joins this trace, and with it the workflow and its activities.
 */
import { context, createContextKey, propagation, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TRACE_ATTRIBUTES } from '../workflows/contracts/trace-attributes';

const REQUEST_SPAN = createContextKey('wf.api.request-span');

/** The request span of the API request this context belongs to. */
export function requestSpanOf(active: Context): Span | undefined {
  return active.getValue(REQUEST_SPAN) as Span | undefined;
}

export function registerRequestSpans(app: FastifyInstance, tracer: Tracer): void {
  const contexts = new WeakMap<FastifyRequest, Context>();
  app.addHook('onRequest', (request, _reply, done) => {
    const parent = propagation.extract(context.active(), request.headers);
    const route = request.routeOptions.url;
    const span = tracer.startSpan(
      route ? `${request.method} ${route}` : request.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'url.path': request.url.split('?')[0], ...(route ? { 'http.route': route } : {}) } },
      parent,
    );
    const spanContext = trace.setSpan(parent, span).setValue(REQUEST_SPAN, span);
    contexts.set(request, spanContext);
    context.with(spanContext, done);
  });
  // A safeguard: the body is read through stream events, whose callbacks need not run in the
  // context onRequest entered; the handler (and the start it makes) always runs in it.
  app.addHook('preHandler', (request, _reply, done) => {
    const spanContext = contexts.get(request);
    if (spanContext) context.with(spanContext, done);
    else done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const span = contexts.get(request) && requestSpanOf(contexts.get(request)!);
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (request.identity) span.setAttribute(TRACE_ATTRIBUTES.organization, request.identity.organizationId);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      contexts.delete(request);
    }
    done();
  });
}
