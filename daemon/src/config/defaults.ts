/**
 * Every setting the daemon has, with its default. Durations are in
 * milliseconds and sizes in bytes unless the name says otherwise.
 */
export interface BridgeConfig {
  /** Address the HTTP server and the addon's WebSocket listen on. */
  host: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** The Godot project folder, which contains project.godot. */
  projectDir: string;
  /** Folder for the token, the discovery file and the SQLite state. */
  stateDir: string;
  logLevel: string;
  /** Extra Host header values the daemon accepts, such as a LAN name. */
  allowedHosts: string[];
  /** Extra origins (`scheme://host:port`) whose pages may call the API. */
  allowedOrigins: string[];
  /** Largest accepted JSON request body. */
  bodyLimitBytes: number;
  /** Glob patterns over res:// paths; scenes outside them get 403. */
  sceneAllowList: string[];
  relay: {
    /** Time the addon has to send its hello after connecting. */
    helloTimeoutMs: number;
    /** Interval of WebSocket pings; a socket that misses one is dropped. */
    pingIntervalMs: number;
    /** Deadline of a relayed command other than a load. */
    commandTimeoutMs: number;
    /** Deadline of scene.load, scene.reload and scene.preload. */
    loadTimeoutMs: number;
  };
  batch: {
    maxOperations: number;
    /** Batch requests a client may send per window. */
    rateLimit: number;
    rateLimitWindowMs: number;
  };
  jobs: {
    concurrency: number;
    retentionMs: number;
    cleanupIntervalMs: number;
    /** How long a job that needs Godot waits for an instance to connect. */
    instanceWaitMs: number;
  };
  webhooks: {
    /** Deliveries sent at once. */
    concurrency: number;
    /** Deadline of one delivery attempt, response included. */
    timeoutMs: number;
    /** Delay before each retry of a failed attempt; its length is the number of retries. */
    retryDelaysMs: number[];
    /** Largest wait a receiver's Retry-After header can ask for. */
    maxRetryAfterMs: number;
    /** Finished deliveries kept per webhook. */
    historyLimit: number;
    /** Deliveries in a row that fail after their last retry before a webhook is disabled. */
    disableAfterFailures: number;
    /** Time the old secret keeps signing after a rotation. */
    secretGraceMs: number;
    /** Allow loopback and private-network receivers. */
    allowPrivateNetworks: boolean;
  };
  http: {
    /** max-age of Cache-Control on GET responses, in seconds. */
    cacheMaxAgeSeconds: number;
    /** Serve /metrics without a token. */
    publicMetrics: boolean;
  };
  events: {
    bufferSize: number;
    keepAliveMs: number;
    /** Unsent bytes an event stream client may fall behind by before it is disconnected. */
    maxClientBacklogBytes: number;
  };
  scenes: {
    /** Deepest nesting of arrays and dictionaries the scene parser accepts. */
    maxParseDepth: number;
  };
}

export function defaultConfig(projectDir: string): BridgeConfig {
  return {
    host: '127.0.0.1',
    port: 8080,
    projectDir,
    stateDir: `${projectDir}/.godot/godot_bridge`,
    logLevel: 'info',
    allowedHosts: [],
    allowedOrigins: [],
    bodyLimitBytes: 1024 * 1024,
    sceneAllowList: ['res://**/*.tscn', 'res://**/*.scn'],
    relay: {
      helloTimeoutMs: 5000,
      pingIntervalMs: 10_000,
      commandTimeoutMs: 10_000,
      loadTimeoutMs: 60_000,
    },
    batch: { maxOperations: 50, rateLimit: 10, rateLimitWindowMs: 60_000 },
    jobs: {
      concurrency: 3,
      retentionMs: 24 * 3600_000,
      cleanupIntervalMs: 3600_000,
      instanceWaitMs: 30_000,
    },
    webhooks: {
      concurrency: 5,
      timeoutMs: 10_000,
      retryDelaysMs: [1000, 5000, 15_000],
      maxRetryAfterMs: 600_000,
      historyLimit: 100,
      disableAfterFailures: 50,
      secretGraceMs: 24 * 3600_000,
      allowPrivateNetworks: true,
    },
    http: { cacheMaxAgeSeconds: 60, publicMetrics: false },
    events: { bufferSize: 1000, keepAliveMs: 15_000, maxClientBacklogBytes: 4 * 1024 * 1024 },
    scenes: { maxParseDepth: 128 },
  };
}
