const positiveInteger = { type: 'integer', minimum: 1 } as const;
const duration = { type: 'integer', minimum: 0 } as const;
const stringList = { type: 'array', items: { type: 'string' } } as const;

function section(properties: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties),
    properties,
  };
}

/** JSON Schema of the whole configuration, checked once at start-up. */
export const configSchema = section({
  host: { type: 'string', minLength: 1 },
  port: { type: 'integer', minimum: 0, maximum: 65535 },
  projectDir: { type: 'string', minLength: 1 },
  stateDir: { type: 'string', minLength: 1 },
  logLevel: { enum: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] },
  allowedHosts: stringList,
  allowedOrigins: stringList,
  bodyLimitBytes: positiveInteger,
  sceneAllowList: { ...stringList, minItems: 1 },
  relay: section({
    helloTimeoutMs: positiveInteger,
    pingIntervalMs: positiveInteger,
    commandTimeoutMs: positiveInteger,
    loadTimeoutMs: positiveInteger,
  }),
  batch: section({
    maxOperations: positiveInteger,
    rateLimit: positiveInteger,
    rateLimitWindowMs: positiveInteger,
  }),
  jobs: section({
    concurrency: positiveInteger,
    retentionMs: duration,
    cleanupIntervalMs: positiveInteger,
    instanceWaitMs: duration,
  }),
  webhooks: section({
    concurrency: positiveInteger,
    timeoutMs: positiveInteger,
    retryDelaysMs: { type: 'array', items: duration },
    maxRetryAfterMs: duration,
    historyLimit: positiveInteger,
    disableAfterFailures: positiveInteger,
    secretGraceMs: duration,
    allowPrivateNetworks: { type: 'boolean' },
  }),
  http: section({
    cacheMaxAgeSeconds: duration,
    publicMetrics: { type: 'boolean' },
  }),
  events: section({
    bufferSize: positiveInteger,
    keepAliveMs: positiveInteger,
    maxClientBacklogBytes: positiveInteger,
  }),
  scenes: section({ maxParseDepth: positiveInteger }),
});
