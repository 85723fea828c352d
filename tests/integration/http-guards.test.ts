import { TestDaemon } from '../support/test-daemon.js';

describe('HTTP guards', () => {
  let daemon: TestDaemon;

  beforeAll(async () => {
    daemon = await TestDaemon.start();
  });
  afterAll(async () => {
    await daemon.stop();
  });

  test('health answers without a token', async () => {
    const res = await daemon.request('GET', '/health', { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, status: 'ok' });
  });

  test('missing token gets 401 with a Bearer challenge', async () => {
    const res = await daemon.request('GET', '/status', { token: null });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.body.success).toBe(false);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
    expect(res.body.error.message).toContain('godot-bridge token');
  });

  test('wrong token gets 401', async () => {
    const res = await daemon.request('GET', '/status', { token: 'not-the-token' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  test('token in another scheme gets 401', async () => {
    const res = await daemon.request('GET', '/status', {
      token: null,
      headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
    });
    expect(res.status).toBe(401);
  });

  test('status reports version, uptime and project', async () => {
    const res = await daemon.request('GET', '/status');
    expect(res.status).toBe(200);
    expect(res.body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(typeof res.body.uptime_seconds).toBe('number');
    expect(res.body.project.path).toBe(daemon.projectDir);
    expect(res.body.instances).toEqual([]);
  });

  test('foreign Host header is rejected', async () => {
    const res = await daemon.request('GET', '/status', { headers: { host: 'evil.example:80' } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('HOST_NOT_ALLOWED');
  });

  test('Host without the port names it', async () => {
    const res = await daemon.request('GET', '/status', { headers: { host: '127.0.0.1' } });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(`Use 127.0.0.1:${daemon.port} or localhost:`);
  });

  test('rebound DNS name on the right port is rejected', async () => {
    const res = await daemon.request('GET', '/health', {
      headers: { host: `attacker.test:${daemon.port}` },
    });
    expect(res.status).toBe(403);
  });

  test('localhost Host header is accepted', async () => {
    const res = await daemon.request('GET', '/status', {
      headers: { host: `localhost:${daemon.port}` },
    });
    expect(res.status).toBe(200);
  });

  test('foreign Origin header is rejected', async () => {
    const res = await daemon.request('GET', '/status', {
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('ORIGIN_NOT_ALLOWED');
  });

  test('Origin of the daemon itself is accepted', async () => {
    const res = await daemon.request('GET', '/status', {
      headers: { origin: `http://127.0.0.1:${daemon.port}` },
    });
    expect(res.status).toBe(200);
  });

  test('malformed JSON gets 400 with the parser message', async () => {
    const res = await daemon.request('POST', '/scene/load', { rawBody: '{"scene_path": ' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_JSON');
    expect(res.body.error.message).toMatch(/JSON/);
  });

  test('body over 1 MB gets 413', async () => {
    const big = JSON.stringify({ scene_path: 'res://a.tscn', pad: 'x'.repeat(1024 * 1024) });
    const res = await daemon.request('POST', '/scene/load', { rawBody: big });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('BODY_TOO_LARGE');
  });

  test('non-JSON content type gets 415', async () => {
    const res = await daemon.request('POST', '/scene/load', {
      rawBody: 'scene_path=res://a.tscn',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  test('unknown charset gets 415', async () => {
    const res = await daemon.request('POST', '/scene/load', {
      rawBody: '{"scene_path": "res://scenes/main.tscn"}',
      headers: { 'content-type': 'application/json; charset=latin1' },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(res.body.error.message).toContain('LATIN1');
  });

  test('unknown charset on batch gets 415', async () => {
    const res = await daemon.request('POST', '/batch', {
      rawBody: '{}',
      headers: { 'content-type': 'application/json; charset=koi8-r' },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  test('unknown content encoding gets 415', async () => {
    const res = await daemon.request('POST', '/scene/load', {
      rawBody: '{"scene_path": "res://scenes/main.tscn"}',
      headers: { 'content-encoding': 'compress' },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(res.body.error.message).toContain('compress');
  });

  test('body that fails to gunzip gets 400', async () => {
    const res = await daemon.request('POST', '/scene/load', {
      rawBody: '{"scene_path": "res://scenes/main.tscn"}',
      headers: { 'content-encoding': 'gzip' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  test('broken percent-encoding in a path gets 400', async () => {
    const job = await daemon.request('GET', '/jobs/%E0%A4%A');
    expect(job.status).toBe(400);
    expect(job.body.error.code).toBe('VALIDATION_FAILED');
    expect(job.body.error.message).toContain('%E0%A4%A');

    const webhook = await daemon.request('GET', '/webhooks/%ff');
    expect(webhook.status).toBe(400);
    expect(webhook.body.error.code).toBe('VALIDATION_FAILED');
  });

  test('schema violation names the field', async () => {
    const missing = await daemon.request('POST', '/scene/load', { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('VALIDATION_FAILED');
    expect(missing.body.error.message).toContain('scene_path is required');

    const extra = await daemon.request('POST', '/scene/load', {
      body: { scene_path: 'res://scenes/main.tscn', force: true },
    });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('"force"');

    const wrongType = await daemon.request('POST', '/scene/load', { body: { scene_path: 7 } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.message).toContain('scene_path must be string');
  });

  test('unknown route gets 404 in the shared shape', async () => {
    const res = await daemon.request('GET', '/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      success: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining('GET /nope') },
    });
  });

  test('wrong method gets 405 with Allow', async () => {
    const cases: Array<[string, string, string]> = [
      ['DELETE', '/status', 'GET, HEAD'],
      ['GET', '/scene/load', 'POST'],
      ['PUT', '/jobs', 'GET, HEAD, POST'],
      ['PATCH', '/jobs/some-id', 'GET, HEAD, DELETE'],
      ['GET', '/webhooks/wh_x/ping', 'POST'],
    ];
    for (const [method, urlPath, allow] of cases) {
      const res = await daemon.request(method, urlPath);
      expect(`${method} ${urlPath} ${res.status}`).toBe(`${method} ${urlPath} 405`);
      expect(res.headers.allow).toBe(allow);
      expect(res.body.error.code).toBe('METHOD_NOT_ALLOWED');
      expect(res.body.error.message).toContain(`${method} ${urlPath}`);
      expect(res.body.error.message).toContain(allow);
    }
  });

  test('wrong method still needs the token', async () => {
    const res = await daemon.request('DELETE', '/status', { token: null });
    expect(res.status).toBe(401);
  });
});
