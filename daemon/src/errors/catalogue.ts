/**
 * The catalogue of every error the daemon returns. Each code is stable: tools
 * match on it. docs/errors.md has one row per code, kept in step by a test.
 */
export const errorCatalogue = {
  UNAUTHORIZED: { status: 401, summary: 'The bearer token is missing or wrong.' },
  HOST_NOT_ALLOWED: { status: 403, summary: 'The Host header does not name this daemon.' },
  ORIGIN_NOT_ALLOWED: { status: 403, summary: 'The request came from a web page of another site.' },
  INVALID_JSON: { status: 400, summary: 'The request body is not valid JSON.' },
  BODY_TOO_LARGE: { status: 413, summary: 'The request body is larger than the limit.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, summary: 'The request body is not application/json.' },
  VALIDATION_FAILED: { status: 400, summary: 'The request does not match its schema.' },
  INVALID_SCENE_PATH: { status: 400, summary: 'The scene path is not a clean res:// scene path.' },
  SCENE_PATH_NOT_ALLOWED: { status: 403, summary: 'The scene path is outside the allow-list.' },
  NO_INSTANCE: { status: 503, summary: 'No Godot instance is connected.' },
  AMBIGUOUS_INSTANCE: {
    status: 409,
    summary: 'Several instances are connected and none was chosen.',
  },
  INSTANCE_NOT_FOUND: { status: 404, summary: 'No connected instance has the requested id.' },
  GODOT_TIMEOUT: { status: 504, summary: 'Godot did not answer before the deadline.' },
  GODOT_DISCONNECTED: { status: 503, summary: 'The link to Godot dropped before it answered.' },
  GODOT_ERROR: { status: 502, summary: 'Godot answered with an error the daemon does not know.' },
  SCENE_NOT_FOUND: { status: 404, summary: 'The scene file does not exist in the project.' },
  SCENE_LOAD_FAILED: { status: 422, summary: 'Godot could not load or instantiate the scene.' },
  NO_CURRENT_SCENE: { status: 409, summary: 'The instance has no current scene.' },
  SCENE_CHANGE_IN_PROGRESS: { status: 409, summary: 'Another scene change is still running.' },
  PRECONDITION_FAILED: { status: 412, summary: 'If-Match names a version that is not current.' },
  JOB_NOT_FOUND: { status: 404, summary: 'No job has the requested id.' },
  JOB_NOT_CANCELLABLE: { status: 409, summary: 'The job has already finished.' },
  JOB_INTERRUPTED: { status: 500, summary: 'The daemon stopped while the job was running.' },
  IDEMPOTENCY_KEY_CONFLICT: {
    status: 422,
    summary: 'The idempotency key was already used for a different request.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    summary: 'The work needs a job type or service this daemon does not have.',
  },
  UNKNOWN_ACTION: {
    status: 400,
    summary: 'A batch operation names an action that does not exist.',
  },
  SCENE_INVALID: { status: 422, summary: 'Validation found errors in the scene.' },
  OPERATION_SKIPPED: {
    status: 424,
    summary: 'A batch operation was not run because another operation failed.',
  },
  OPERATION_CANCELLED: {
    status: 409,
    summary: 'A batch operation was not run because the batch was cancelled.',
  },
  INVALID_WEBHOOK: {
    status: 400,
    summary: 'The webhook URL, event list or secret is invalid.',
  },
  WEBHOOK_NOT_FOUND: { status: 404, summary: 'No webhook has the requested id.' },
  DELIVERY_NOT_FOUND: { status: 404, summary: 'The webhook has no delivery with that id.' },
  WEBHOOK_INACTIVE: { status: 409, summary: 'The webhook is deactivated or disabled.' },
  DELIVERY_PENDING: { status: 409, summary: 'The delivery is still queued or being sent.' },
  NOT_FOUND: { status: 404, summary: 'No such route or resource.' },
  METHOD_NOT_ALLOWED: { status: 405, summary: 'The route exists but not with this method.' },
  RATE_LIMITED: { status: 429, summary: 'Too many requests from this client.' },
  INTERNAL_ERROR: { status: 500, summary: 'The daemon failed unexpectedly.' },
} as const satisfies Record<string, { status: number; summary: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

/** An error that maps to an HTTP status and a stable code. */
export class BridgeError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: unknown; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'BridgeError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.details = options.details;
    this.headers = options.headers;
  }

  /** Builds the shared error body: `{"success": false, "error": {...}}`. */
  toBody(): { success: false; error: { code: ErrorCode; message: string; details?: unknown } } {
    const error: { code: ErrorCode; message: string; details?: unknown } = {
      code: this.code,
      message: this.message,
    };
    if (this.details !== undefined) error.details = this.details;
    return { success: false, error };
  }
}
