/**
 * What the parts of the fake Google server share: the request they are handed, the answer they
 * give, and Google's JSON error format (`{"error": {"code", "message", "errors": [{reason}], "status"}}`).
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface ApiRequest {
  readonly method: string;
  /** Path without the query, e.g. `/calendar/v3/calendars/primary/events`. */
  readonly path: string;
  /** Decoded path segments. */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
}

export interface ApiResponse {
  readonly status: number;
  /** JSON for API answers; a string is sent as it is (HTML pages). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  410: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** An error answer in Google's format. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly domain = 'global',
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  toResponse(): ApiResponse {
    return {
      status: this.status,
      headers: this.headers,
      body: {
        error: {
          code: this.status,
          message: this.message,
          errors: [{ message: this.message, domain: this.domain, reason: this.reason }],
          status: STATUS_NAMES[this.status] ?? 'UNKNOWN',
        },
      },
    };
  }
}

export const notFound = (what = 'Requested entity was not found.'): ApiError => new ApiError(404, 'notFound', what);
export const badRequest = (message: string, reason = 'invalidArgument'): ApiError => new ApiError(400, reason, message);

export function jsonBody(request: ApiRequest): Record<string, unknown> {
  if (request.rawBody.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.rawBody.toString('utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw badRequest('Invalid JSON payload received.', 'parseError');
    throw error;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('Request body must be an object.');
  return parsed as Record<string, unknown>;
}

export function ok(body: unknown): ApiResponse {
  return { status: 200, body };
}
