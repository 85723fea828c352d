import type { SchemaRegistry } from '../../schemas/registry.js';
import { daemonVersion } from '../../version.js';
import type { RouteDoc } from './route-docs.js';

/** Name of a schema id inside components.schemas: `http/scene-path` → `http.scene-path`. */
export function componentName(schemaId: string): string {
  return schemaId.replaceAll('/', '.');
}

const statusText: Record<number, string> = {
  304: 'Not modified: the representation matches If-None-Match.',
  400: 'The request is invalid; error.message names the value.',
  401: 'The bearer token is missing or wrong.',
  403: 'The Host or Origin is not allowed, or the scene path is off the allow-list.',
  404: 'Not found.',
  409: 'Conflict with the current state; error.message says which.',
  412: 'If-Match names a version that is not current.',
  413: 'The body is larger than the limit.',
  415: 'The body is not JSON.',
  422: 'Godot could not load the scene.',
  429: 'Rate limited; wait Retry-After seconds.',
  500: 'The daemon failed unexpectedly.',
  502: 'Godot answered with an unknown error.',
  503: 'No Godot instance is connected, or the link dropped.',
  504: 'Godot did not answer before the deadline.',
};

/**
 * Builds the OpenAPI 3.1 document from the route table and the JSON Schemas
 * of schemas/, the same schemas that validate requests.
 */
export function buildOpenApiDocument(
  routes: RouteDoc[],
  schemas: SchemaRegistry,
): Record<string, unknown> {
  const components: Record<string, unknown> = { Error: errorSchema };
  for (const [id, schema] of schemas.schemas) {
    if (id.startsWith('http/'))
      components[componentName(id)] = toComponent(componentName(id), schema);
  }
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'godot-bridge',
      version: daemonVersion,
      description:
        'Drive live Godot 4 instances over HTTP: scenes, batches, jobs, webhooks and events.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'The pairing token; `godot-bridge token` prints it.',
        },
      },
    },
  };
}

function operation(route: RouteDoc): Record<string, unknown> {
  const responses: Record<string, unknown> = {
    [route.success.status]: {
      description: route.success.description,
      content: { [route.success.contentType ?? 'application/json']: {} },
      ...(route.cacheable ? { headers: cacheHeaders } : {}),
    },
  };
  const errorStatuses = new Set([...(route.errors ?? []), 500]);
  if (!route.public) errorStatuses.add(401);
  if (route.cacheable) responses['304'] = { description: statusText[304] };
  if (route.ifMatch) errorStatuses.add(412);
  for (const status of [...errorStatuses].sort()) {
    responses[status] = {
      description: statusText[status] ?? 'Error.',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  const result: Record<string, unknown> = {
    tags: [route.tag],
    summary: route.summary,
    operationId: `${route.method}${route.path.replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    responses,
  };
  if (route.description) result.description = route.description;
  if (route.public) result.security = [];
  const parameters: unknown[] = (route.query ?? []).map((param) => ({
    in: 'query',
    required: false,
    ...param,
  }));
  for (const match of route.path.matchAll(/\{(\w+)\}/g)) {
    parameters.push({ in: 'path', name: match[1], required: true, schema: { type: 'string' } });
  }
  if (route.ifMatch) {
    parameters.push({
      in: 'header',
      name: 'If-Match',
      required: false,
      schema: { type: 'string' },
      description: 'ETag from a previous GET. A stale one gets 412.',
    });
  }
  if (parameters.length > 0) result.parameters = parameters;
  if (route.body) {
    result.requestBody = {
      required: route.body !== 'http/empty',
      content: {
        'application/json': {
          schema: { $ref: `#/components/schemas/${componentName(route.body)}` },
        },
      },
    };
  }
  return result;
}

const cacheHeaders = {
  ETag: { description: 'Strong entity tag: SHA-256 of the body.', schema: { type: 'string' } },
  'Cache-Control': { description: 'private, max-age=60 by default.', schema: { type: 'string' } },
};

const errorSchema = {
  type: 'object',
  required: ['success', 'error'],
  properties: {
    success: { const: false },
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable code; docs/errors.md lists them.' },
        message: { type: 'string', description: 'What failed, on which value, and what to do.' },
        details: {},
      },
    },
  },
  examples: [
    { success: false, error: { code: 'NO_INSTANCE', message: 'No Godot instance is connected.' } },
  ],
};

/** Rewrites a schema of schemas/ for components: no $id, references to other components. */
function toComponent(name: string, schema: Record<string, unknown>): Record<string, unknown> {
  const rewritten = JSON.parse(JSON.stringify(schema), (key, value: unknown) => {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) {
      return `#/components/schemas/${name}${value.slice(1)}`;
    }
    if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) {
      const [id, pointer] = value.split('#');
      const target = id!.includes('/') ? id! : `http/${id}`;
      return `#/components/schemas/${componentName(target)}${pointer ? pointer : ''}`;
    }
    return value;
  }) as Record<string, unknown>;
  delete rewritten.$id;
  return rewritten;
}
