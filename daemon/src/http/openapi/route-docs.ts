/** The OpenAPI description of one route. */
export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI path template, such as `/jobs/{id}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Schema id of the JSON body in schemas/, such as `http/scene-path`. */
  body?: string;
  query?: Array<{ name: string; description: string; schema: Record<string, unknown> }>;
  /** Success status and what it returns. */
  success: { status: number; description: string; contentType?: string };
  /** Error statuses this route can return besides 401 and 500. */
  errors?: number[];
  public?: boolean;
  /** Sends ETag and Cache-Control, and returns 304 to a matching If-None-Match. */
  cacheable?: boolean;
  /** Honours If-Match with 412 on a stale tag. */
  ifMatch?: boolean;
}

const instanceQuery = {
  name: 'instance',
  description:
    'Target instance: an id, a name from Project Settings, or a role (editor, game) when unambiguous. Optional with one instance connected.',
  schema: { type: 'string' },
};

/**
 * Every route the daemon serves. A test checks that this table and the
 * routes the app registers are the same set.
 */
export const routeDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/health',
    tag: 'system',
    summary: 'Liveness check',
    success: { status: 200, description: 'The daemon is running.' },
    public: true,
    cacheable: true,
  },
  {
    method: 'get',
    path: '/status',
    tag: 'system',
    summary: 'Daemon version, uptime, project and connected instances',
    success: { status: 200, description: 'The daemon status.' },
    cacheable: true,
  },
  {
    method: 'get',
    path: '/instances',
    tag: 'instances',
    summary: 'Connected Godot instances',
    success: {
      status: 200,
      description: 'Each instance with role, engine version, platform, XR state and current scene.',
    },
    cacheable: true,
  },
  {
    method: 'get',
    path: '/overview',
    tag: 'system',
    summary: 'Daemon, instances, latest jobs and latest webhook deliveries in one answer',
    description:
      'What the editor dock shows: the daemon version, uptime and project, every connected instance, and the newest jobs and webhook deliveries (newest first). warnings names a list that could not be read.',
    query: [
      {
        name: 'limit',
        description: 'Entries per list, 1 to 50; 5 when absent.',
        schema: { type: 'integer', minimum: 1, maximum: 50, default: 5 },
      },
    ],
    success: { status: 200, description: 'The overview.' },
    errors: [400],
    cacheable: true,
  },
  {
    method: 'get',
    path: '/scene',
    tag: 'scenes',
    summary: 'Current scene of the target instance',
    query: [instanceQuery],
    success: { status: 200, description: 'Path, root node name and type, node count.' },
    errors: [404, 409, 502, 503, 504],
    cacheable: true,
  },
  {
    method: 'post',
    path: '/scene/load',
    tag: 'scenes',
    summary: 'Load a scene in Godot',
    description:
      'Answers once the new scene is current and inside the tree, with its info and the time it took.',
    body: 'http/scene-path',
    query: [instanceQuery],
    success: { status: 200, description: 'The loaded scene and load_ms.' },
    errors: [400, 403, 404, 409, 413, 415, 422, 502, 503, 504],
  },
  {
    method: 'post',
    path: '/scene/reload',
    tag: 'scenes',
    summary: 'Reload the current scene',
    body: 'http/empty',
    query: [instanceQuery],
    success: { status: 200, description: 'The reloaded scene and load_ms.' },
    errors: [404, 409, 422, 502, 503, 504],
  },
  {
    method: 'post',
    path: '/scene/validate',
    tag: 'scenes',
    summary: 'Validate a scene statically, in Godot, or both',
    description:
      'The static pass reads the scene from disk; the live pass asks Godot to load and instantiate it without changing the current scene. valid is true only if every pass that ran found no error.',
    body: 'http/scene-validate',
    query: [instanceQuery],
    success: {
      status: 200,
      description: 'valid, the passes that ran, and their errors and warnings.',
    },
    errors: [400, 403, 409, 413, 415, 502, 503, 504],
  },
  {
    method: 'post',
    path: '/batch',
    tag: 'batch',
    summary: 'Run many scene operations in order',
    description:
      'continue runs every operation and reports each; transactional checks every operation first, stops at the first failure and restores the scene that was current before the batch. Rate limited per token; every answer carries the RateLimit headers.',
    body: 'http/batch-request',
    query: [instanceQuery],
    success: {
      status: 200,
      description: 'Per-operation results in request order, with counts and a message.',
    },
    errors: [400, 404, 409, 413, 415, 429, 503, 504],
  },
  {
    method: 'post',
    path: '/webhooks',
    tag: 'webhooks',
    summary: 'Register a webhook',
    description:
      'Without a secret the daemon generates one. The secret is shown in this answer only.',
    body: 'http/webhook-create',
    success: { status: 201, description: 'The webhook with its secret.' },
    errors: [400, 413, 415],
  },
  {
    method: 'get',
    path: '/webhooks',
    tag: 'webhooks',
    summary: 'List webhooks',
    success: { status: 200, description: 'Every webhook, secrets hidden.' },
    cacheable: true,
  },
  {
    method: 'get',
    path: '/webhooks/{id}',
    tag: 'webhooks',
    summary: 'One webhook',
    success: { status: 200, description: 'The webhook, secret hidden, with Last-Modified.' },
    errors: [404],
    cacheable: true,
  },
  {
    method: 'put',
    path: '/webhooks/{id}',
    tag: 'webhooks',
    summary: 'Update a webhook',
    description:
      'Partial update of url, events, secret, description and active. {"active": true} re-enables a disabled webhook.',
    body: 'http/webhook-update',
    success: { status: 200, description: 'The updated webhook.' },
    errors: [400, 404, 413, 415],
    ifMatch: true,
  },
  {
    method: 'delete',
    path: '/webhooks/{id}',
    tag: 'webhooks',
    summary: 'Delete a webhook',
    success: { status: 200, description: 'The id of the deleted webhook.' },
    errors: [404],
    ifMatch: true,
  },
  {
    method: 'post',
    path: '/webhooks/{id}/rotate-secret',
    tag: 'webhooks',
    summary: 'Rotate the signing secret',
    description:
      'During the grace period deliveries carry signatures made with the old and the new secret.',
    body: 'http/webhook-rotate-secret',
    success: { status: 200, description: 'The webhook with its new secret.' },
    errors: [400, 404],
  },
  {
    method: 'post',
    path: '/webhooks/{id}/ping',
    tag: 'webhooks',
    summary: 'Send a ping event now',
    body: 'http/empty',
    success: {
      status: 200,
      description: 'The delivery and its outcome; 202 with Location when it takes longer.',
    },
    errors: [404, 409],
  },
  {
    method: 'get',
    path: '/webhooks/{id}/deliveries',
    tag: 'webhooks',
    summary: 'Delivery history, newest first',
    query: [
      {
        name: 'limit',
        description: 'Page size, 1 to 100 (default 20).',
        schema: { type: 'integer' },
      },
      { name: 'offset', description: 'Deliveries to skip.', schema: { type: 'integer' } },
    ],
    success: { status: 200, description: 'A page of deliveries with total.' },
    errors: [400, 404],
    cacheable: true,
  },
  {
    method: 'get',
    path: '/webhooks/{id}/deliveries/{delivery_id}',
    tag: 'webhooks',
    summary: 'One delivery with its attempts',
    success: { status: 200, description: 'The delivery, its payload and every attempt.' },
    errors: [404],
    cacheable: true,
  },
  {
    method: 'post',
    path: '/webhooks/{id}/deliveries/{delivery_id}/redeliver',
    tag: 'webhooks',
    summary: 'Send a past delivery again',
    body: 'http/empty',
    success: { status: 202, description: 'The delivery, queued again under the same id.' },
    errors: [404, 409],
  },
  {
    method: 'post',
    path: '/jobs',
    tag: 'jobs',
    summary: 'Submit a background job',
    description:
      'Stores the job and answers at once with its id, a Location header and a Retry-After polling hint. The parameters are checked against the schema of the job type. With an Idempotency-Key header, a repeated submission returns the first job (200, Idempotent-Replayed: true) and the same key with other parameters gets 422.',
    body: 'http/job-submit',
    query: [instanceQuery],
    success: { status: 202, description: 'The queued job.' },
    errors: [400, 403, 413, 415, 422],
  },
  {
    method: 'get',
    path: '/jobs',
    tag: 'jobs',
    summary: 'List jobs, newest first',
    query: [
      {
        name: 'status',
        description: 'Only jobs with this status: queued, running, completed, failed or cancelled.',
        schema: { enum: ['queued', 'running', 'completed', 'failed', 'cancelled'] },
      },
      {
        name: 'type',
        description: 'Only jobs of this type.',
        schema: { type: 'string' },
      },
      {
        name: 'limit',
        description: 'Page size, 1 to 100; 20 when absent.',
        schema: { type: 'integer', minimum: 1, maximum: 100 },
      },
      {
        name: 'offset',
        description: 'Number of jobs to skip; 0 when absent.',
        schema: { type: 'integer', minimum: 0 },
      },
    ],
    success: { status: 200, description: 'One page of jobs with total, limit and offset.' },
    errors: [400],
    cacheable: true,
  },
  {
    method: 'get',
    path: '/jobs/{id}',
    tag: 'jobs',
    summary: 'Status, progress, result or error of a job',
    success: { status: 200, description: 'The job.' },
    errors: [404],
    cacheable: true,
  },
  {
    method: 'delete',
    path: '/jobs/{id}',
    tag: 'jobs',
    summary: 'Cancel a queued or running job',
    description:
      'A queued job is cancelled at once. A running job is aborted and stops at its next step: the answer is 200 with status cancelled when it stopped within a second, or 202 while it winds down.',
    success: { status: 200, description: 'The cancelled job.' },
    errors: [404, 409],
  },
  {
    method: 'get',
    path: '/events',
    tag: 'events',
    summary: 'Server-Sent Events stream of every event webhooks receive',
    description:
      'Each event has a numeric id; reconnect with Last-Event-ID to resume from the in-memory buffer. A comment is sent every 15 s to keep the connection open.',
    query: [
      {
        name: 'events',
        description: 'Comma-separated event names to receive; all when absent.',
        schema: { type: 'string' },
      },
    ],
    success: { status: 200, description: 'The event stream.', contentType: 'text/event-stream' },
    errors: [400],
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'system',
    summary: 'Prometheus metrics',
    success: {
      status: 200,
      description: 'Metrics in the Prometheus text format.',
      contentType: 'text/plain',
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'system',
    summary: 'This OpenAPI document',
    success: { status: 200, description: 'The OpenAPI 3.1 document.' },
    public: true,
  },
  {
    method: 'get',
    path: '/docs',
    tag: 'system',
    summary: 'Interactive API reference',
    success: {
      status: 200,
      description: 'An HTML page rendering this document.',
      contentType: 'text/html',
    },
    public: true,
  },
];
