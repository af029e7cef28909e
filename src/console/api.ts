/**
 * The API client of the console: every call sends the tab's key as `Authorization: Bearer`
 * (never in the URL) and turns an error body `{error: {type, message}}` into an ApiError
 * whose message is the API's own (sanitized, no stack trace).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { type?: string; message?: string; problems?: { path: string; message: string }[] };
}

export class Api {
  constructor(
    private readonly key: string,
    /** Called when the key is refused (401): revoked while the tab was open. */
    private readonly onUnauthorized: (error: ApiError) => void = () => undefined,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path);
  }

  /** A streaming GET (server-sent events): the response, its body not yet read. */
  async stream(path: string, signal: AbortSignal): Promise<Response> {
    const response = await this.send('GET', path, undefined, signal, 'text/event-stream');
    if (!response.ok) throw await this.failure(response);
    return response;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    if (!response.ok) throw await this.failure(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  private async send(method: string, path: string, body: unknown, signal?: AbortSignal, accept = 'application/json'): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.key}`, accept };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit', signal });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiError(0, 'Unreachable', `the API did not answer (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  private async failure(response: Response): Promise<ApiError> {
    let body: ErrorBody = {};
    try {
      body = (await response.json()) as ErrorBody;
    } catch {
      body = {};
    }
    const problems = body.error?.problems?.map((p) => `${p.path}: ${p.message}`).join('; ');
    const message = body.error?.message ?? `the API answered ${response.status} ${response.statusText}`;
    const error = new ApiError(response.status, body.error?.type ?? 'HttpError', problems && !message.includes(problems) ? `${message} (${problems})` : message);
    if (response.status === 401) this.onUnauthorized(error);
    return error;
  }
}

/** Path segment: ids go into paths encoded. */
export const segment = (text: string): string => encodeURIComponent(text);
