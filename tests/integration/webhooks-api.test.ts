import { TestDaemon } from '../support/test-daemon.js';

describe('webhook registration API', () => {
  let daemon: TestDaemon;
  const create = (body: unknown) => daemon.request('POST', '/webhooks', { body });
  const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

  beforeEach(async () => {
    daemon = await TestDaemon.start();
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test('create without secret generates one', async () => {
    const res = await create({ url: 'http://127.0.0.1:9/hook', events: ['scene.loaded'] });
    expect(res.status).toBe(201);
    const { webhook } = res.body;
    expect(res.headers.location).toBe(`/webhooks/${webhook.id}`);
    expect(webhook.id).toMatch(/^wh_[A-Za-z0-9_-]{16}$/);
    expect(webhook.url).toBe('http://127.0.0.1:9/hook');
    expect(webhook.events).toEqual(['scene.loaded']);
    expect(webhook.active).toBe(true);
    expect(webhook.disabled_reason).toBeNull();
    expect(webhook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(webhook.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
  });

  test('create with secret keeps it', async () => {
    const res = await create({
      url: 'https://127.0.0.1/hook',
      events: ['*'],
      secret,
      description: 'dashboard',
    });
    expect(res.status).toBe(201);
    expect(res.body.webhook.secret).toBe(secret);
    expect(res.body.webhook.description).toBe('dashboard');
  });

  test('secret is hidden after creation', async () => {
    const { body } = await create({ url: 'http://127.0.0.1:9/', events: ['ping'], secret });
    const id = body.webhook.id;
    const one = await daemon.request('GET', `/webhooks/${id}`);
    expect(one.body.webhook.secret).toBe('***');
    const list = await daemon.request('GET', '/webhooks');
    expect(list.body.webhooks[0].secret).toBe('***');
    const updated = await daemon.request('PUT', `/webhooks/${id}`, { body: { description: 'x' } });
    expect(updated.body.webhook.secret).toBe('***');
    expect(list.text).not.toContain(secret.slice(6));
  });

  test.each([
    ['ftp://127.0.0.1/hook', 'uses ftp; only http and https'],
    ['/relative/path', 'is not an absolute URL'],
    ['file:///etc/passwd', 'uses file'],
    ['javascript:alert(1)', 'uses javascript'],
  ])('url %s is rejected', async (url, problem) => {
    const res = await create({ url, events: ['ping'] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_WEBHOOK');
    expect(res.body.error.message).toContain(url);
    expect(res.body.error.message).toContain(problem);
    expect(res.body.error.details.field).toBe('url');
  });

  test('url with credentials is rejected without echoing the password', async () => {
    const res = await create({ url: 'http://user:hunter2@127.0.0.1/hook', events: ['ping'] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_WEBHOOK');
    expect(res.body.error.message).toContain('http://user:***@127.0.0.1/hook');
    expect(res.body.error.message).toContain('contains credentials');
    expect(res.text).not.toContain('hunter2');
  });

  test('unknown event is rejected by name', async () => {
    const res = await create({
      url: 'http://127.0.0.1/',
      events: ['scene.loaded', 'scene.exploded'],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_WEBHOOK');
    expect(res.body.error.message).toContain('"scene.exploded"');
    expect(res.body.error.message).toContain('job.completed');
    expect(res.body.error.details).toEqual({ field: 'events', value: 'scene.exploded' });
  });

  test('empty events is rejected', async () => {
    const res = await create({ url: 'http://127.0.0.1/', events: [] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('events is empty');
    expect(res.body.error.message).toMatch(/^Invalid webhook events: /);
  });

  test('missing url fails schema validation', async () => {
    const res = await create({ events: ['ping'] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain('url is required');
  });

  test('malformed secret is rejected without echo', async () => {
    const res = await create({ url: 'http://127.0.0.1/', events: ['ping'], secret: 'hunter2' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_WEBHOOK');
    expect(res.body.error.message).toContain('whsec_');
    expect(res.body.error.message).toMatch(/^Invalid webhook secret: /);
    expect(res.text).not.toContain('hunter2');
  });

  test('duplicate events are stored once', async () => {
    const res = await create({ url: 'http://127.0.0.1/', events: ['ping', 'ping', 'job.failed'] });
    expect(res.body.webhook.events).toEqual(['ping', 'job.failed']);
  });

  test('list returns every webhook', async () => {
    await create({ url: 'http://127.0.0.1/a', events: ['ping'] });
    await create({ url: 'http://127.0.0.1/b', events: ['*'] });
    const res = await daemon.request('GET', '/webhooks');
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(2);
    expect(res.body.webhooks.map((w: { url: string }) => w.url)).toEqual([
      'http://127.0.0.1/a',
      'http://127.0.0.1/b',
    ]);
  });

  test('details of unknown id is 404', async () => {
    const res = await daemon.request('GET', '/webhooks/wh_missing');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('WEBHOOK_NOT_FOUND');
    expect(res.body.error.message).toContain('wh_missing');
  });

  test('update changes only the given fields', async () => {
    const { body } = await create({
      url: 'http://127.0.0.1/a',
      events: ['ping'],
      description: 'd',
    });
    const id = body.webhook.id;
    const res = await daemon.request('PUT', `/webhooks/${id}`, {
      body: { events: ['job.completed', 'job.failed'] },
    });
    expect(res.status).toBe(200);
    expect(res.body.webhook.events).toEqual(['job.completed', 'job.failed']);
    expect(res.body.webhook.url).toBe('http://127.0.0.1/a');
    expect(res.body.webhook.description).toBe('d');
    const again = await daemon.request('GET', `/webhooks/${id}`);
    expect(again.body.webhook.events).toEqual(['job.completed', 'job.failed']);
  });

  test('update validates url and events', async () => {
    const { body } = await create({ url: 'http://127.0.0.1/a', events: ['ping'] });
    const id = body.webhook.id;
    const badUrl = await daemon.request('PUT', `/webhooks/${id}`, { body: { url: 'gopher://x' } });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.error.message).toContain('gopher://x');
    const badEvents = await daemon.request('PUT', `/webhooks/${id}`, { body: { events: [] } });
    expect(badEvents.status).toBe(400);
    const unknownField = await daemon.request('PUT', `/webhooks/${id}`, { body: { color: 'red' } });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.message).toContain('"color"');
  });

  test('update of unknown id is 404', async () => {
    const res = await daemon.request('PUT', '/webhooks/wh_missing', { body: { active: true } });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('WEBHOOK_NOT_FOUND');
  });

  test('delete removes the webhook', async () => {
    const { body } = await create({ url: 'http://127.0.0.1/a', events: ['ping'] });
    const id = body.webhook.id;
    const res = await daemon.request('DELETE', `/webhooks/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.deleted).toBe(id);
    expect((await daemon.request('GET', `/webhooks/${id}`)).status).toBe(404);
    const again = await daemon.request('DELETE', `/webhooks/${id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('WEBHOOK_NOT_FOUND');
  });

  test('deliveries paging parameters are checked', async () => {
    const { body } = await create({ url: 'http://127.0.0.1/a', events: ['ping'] });
    const id = body.webhook.id;
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'offset=-1']) {
      const res = await daemon.request('GET', `/webhooks/${id}/deliveries?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(query.split('=')[0]!);
    }
    const ok = await daemon.request('GET', `/webhooks/${id}/deliveries?limit=100&offset=0`);
    expect(ok.body).toMatchObject({ total: 0, limit: 100, offset: 0, deliveries: [] });
  });

  test('every webhook route needs the token', async () => {
    const { body } = await create({ url: 'http://127.0.0.1/a', events: ['ping'] });
    const id = body.webhook.id;
    const routes: Array<[string, string]> = [
      ['GET', '/webhooks'],
      ['POST', '/webhooks'],
      ['GET', `/webhooks/${id}`],
      ['PUT', `/webhooks/${id}`],
      ['DELETE', `/webhooks/${id}`],
      ['GET', `/webhooks/${id}/deliveries`],
      ['POST', `/webhooks/${id}/ping`],
      ['POST', `/webhooks/${id}/rotate-secret`],
      ['POST', `/webhooks/${id}/deliveries/dlv_x/redeliver`],
    ];
    for (const [method, path] of routes) {
      const res = await daemon.request(method, path, { token: null });
      expect([method, path, res.status]).toEqual([method, path, 401]);
      const wrong = await daemon.request(method, path, { token: 'wrong-token' });
      expect([method, path, wrong.status]).toEqual([method, path, 401]);
    }
    expect((await daemon.request('GET', `/webhooks/${id}`)).status).toBe(200);
  });
});
