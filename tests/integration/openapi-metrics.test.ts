import type { Express } from 'express';
import { SchemaRegistry } from '../../daemon/src/schemas/registry.js';
import { TestDaemon, waitFor } from '../support/test-daemon.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Lists `METHOD /path` of every route the app registers, in OpenAPI form. */
function registeredRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          if (method === '_all') continue;
          const path = layer.route.path.replace(/:(\w+)/g, '{$1}');
          found.push(`${method.toUpperCase()} ${path}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return [...new Set(found)].sort();
}

describe('OpenAPI document', () => {
  let daemon: TestDaemon;

  beforeAll(async () => {
    daemon = await TestDaemon.start();
  });
  afterAll(async () => {
    await daemon.stop();
  });

  test('is public and OpenAPI 3.1', async () => {
    const res = await daemon.request('GET', '/openapi.json', { token: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
  });

  test('covers every registered route', async () => {
    const res = await daemon.request('GET', '/openapi.json');
    const documented = Object.entries(res.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(registeredRoutes(daemon.daemon.app));
  });

  test('every example validates against its schema', async () => {
    const res = await daemon.request('GET', '/openapi.json');
    const registry = new SchemaRegistry();
    const components = res.body.components.schemas as Record<string, Record<string, unknown>>;
    let checked = 0;
    for (const [name, schema] of Object.entries(components)) {
      const validate =
        name === 'Error'
          ? registry.ajv.compile(schema)
          : registry.validator(name.replace('.', '/'));
      for (const example of (schema.examples as unknown[] | undefined) ?? []) {
        expect({ name, valid: validate(example), errors: validate.errors }).toEqual({
          name,
          valid: true,
          errors: null,
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3);
  });

  test('every body schema reference resolves', async () => {
    const res = await daemon.request('GET', '/openapi.json');
    const text = JSON.stringify(res.body);
    for (const match of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"/]+)/g)) {
      expect(Object.keys(res.body.components.schemas)).toContain(match[1]);
    }
  });

  test('docs page renders', async () => {
    const res = await daemon.request('GET', '/docs/', { token: null });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('swagger-ui');
  });
});

describe('metrics', () => {
  let daemon: TestDaemon;

  beforeAll(async () => {
    daemon = await TestDaemon.start();
  });
  afterAll(async () => {
    await daemon.stop();
  });

  test('count known traffic', async () => {
    const peer = await daemon.connectPeer();
    await daemon.request('POST', '/scene/load', { body: { scene_path: 'res://scenes/main.tscn' } });
    await daemon.request('POST', '/scene/load', { body: { scene_path: 'res://scenes/main.tscn' } });
    await daemon.request('GET', '/status', { token: 'wrong' });
    expect(peer.instanceId).toBeTruthy();

    const res = await daemon.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toContain(
      'godot_bridge_http_requests_total{method="POST",route="/scene/load",status="200"} 2',
    );
    expect(res.text).toContain(
      'godot_bridge_http_requests_total{method="GET",route="unmatched",status="401"} 1',
    );
    expect(res.text).toContain(
      'godot_bridge_godot_commands_total{method="scene.load",outcome="ok"} 2',
    );
    expect(res.text).toContain('godot_bridge_instances_connected 1');
    expect(res.text).toContain('godot_bridge_process_cpu_user_seconds_total ');
    expect(res.text).toContain('godot_bridge_nodejs_eventloop_lag_seconds ');
    expect(res.text).not.toContain('process_process');
    expect(res.text).toMatch(
      /godot_bridge_http_request_duration_seconds_bucket\{le="\+Inf",method="POST",route="\/scene\/load"\} 2/,
    );
  });

  test('count webhook deliveries by outcome', async () => {
    const receiver = await WebhookReceiver.start((_delivery, index) => ({
      status: index === 0 ? 500 : 200,
    }));
    try {
      await daemon.daemon.stop();
      daemon = await TestDaemon.start({ config: { webhooks: { retryDelaysMs: [10] } } });
      await daemon.request('POST', '/webhooks', {
        body: { url: receiver.url(), events: ['ping'] },
      });
      daemon.daemon.context.events.publish('ping', {});
      await waitFor(() => receiver.received.length === 2);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const res = await daemon.request('GET', '/metrics');
      expect(res.text).toContain('godot_bridge_webhook_deliveries_total{outcome="retry"} 1');
      expect(res.text).toContain('godot_bridge_webhook_deliveries_total{outcome="success"} 1');
    } finally {
      await receiver.close();
    }
  });

  test('rate-limit rejections are counted', async () => {
    await daemon.daemon.stop();
    daemon = await TestDaemon.start({ config: { batch: { rateLimit: 1 } } });
    const body = { operations: [{ action: 'get_info' }] };
    await daemon.request('POST', '/batch', { body });
    const rejected = await daemon.request('POST', '/batch', { body });
    expect(rejected.status).toBe(429);
    const res = await daemon.request('GET', '/metrics');
    expect(res.text).toContain('godot_bridge_rate_limit_rejections_total{route="POST /batch"} 1');
  });

  test('metrics need the token by default', async () => {
    const res = await daemon.request('GET', '/metrics', { token: null });
    expect(res.status).toBe(401);
  });
});
