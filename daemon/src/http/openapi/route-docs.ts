/** How one route appears in the OpenAPI document. */
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
  /** Error statuses this route can answer besides 401 and 500. */
  errors?: number[];
  public?: boolean;
  /** Sends ETag and Cache-Control, and answers 304 to If-None-Match. */
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
