import { TestDaemon } from '../support/test-daemon.js';

describe('If-Match on webhooks', () => {
  let daemon: TestDaemon;
  let id: string;

  beforeEach(async () => {
    daemon = await TestDaemon.start();
    const created = await daemon.request('POST', '/webhooks', {
      body: { url: 'http://127.0.0.1:9/hook', events: ['scene.loaded'], description: 'first' },
    });
    id = created.body.webhook.id;
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test('GET sends ETag and Last-Modified', async () => {
    const res = await daemon.request('GET', `/webhooks/${id}`);
    expect(res.headers.etag).toMatch(/^"/);
    expect(Date.parse(res.headers['last-modified'] as string)).not.toBeNaN();
  });

  test('current tag lets PUT through', async () => {
    const { headers } = await daemon.request('GET', `/webhooks/${id}`);
    const res = await daemon.request('PUT', `/webhooks/${id}`, {
      body: { description: 'second' },
      headers: { 'if-match': headers.etag as string },
    });
    expect(res.status).toBe(200);
    expect(res.body.webhook.description).toBe('second');
  });

  test('stale tag gets 412 and changes nothing', async () => {
    const { headers } = await daemon.request('GET', `/webhooks/${id}`);
    await daemon.request('PUT', `/webhooks/${id}`, { body: { description: 'other tool' } });
    const res = await daemon.request('PUT', `/webhooks/${id}`, {
      body: { description: 'mine' },
      headers: { 'if-match': headers.etag as string },
    });
    expect(res.status).toBe(412);
    expect(res.body.error.code).toBe('PRECONDITION_FAILED');
    const after = await daemon.request('GET', `/webhooks/${id}`);
    expect(after.body.webhook.description).toBe('other tool');
    expect(res.body.error.details.current_etag).toBe(after.headers.etag);
  });

  test('stale tag on DELETE keeps the webhook', async () => {
    const { headers } = await daemon.request('GET', `/webhooks/${id}`);
    await daemon.request('PUT', `/webhooks/${id}`, { body: { events: ['*'] } });
    const res = await daemon.request('DELETE', `/webhooks/${id}`, {
      headers: { 'if-match': headers.etag as string },
    });
    expect(res.status).toBe(412);
    expect((await daemon.request('GET', `/webhooks/${id}`)).status).toBe(200);
  });

  test('weak tag never satisfies If-Match', async () => {
    const { headers } = await daemon.request('GET', `/webhooks/${id}`);
    const res = await daemon.request('DELETE', `/webhooks/${id}`, {
      headers: { 'if-match': `W/${headers.etag as string}` },
    });
    expect(res.status).toBe(412);
  });

  test('If-Match star deletes an existing webhook', async () => {
    const res = await daemon.request('DELETE', `/webhooks/${id}`, { headers: { 'if-match': '*' } });
    expect(res.status).toBe(200);
    expect((await daemon.request('GET', `/webhooks/${id}`)).status).toBe(404);
  });

  test('list tag changes when a webhook changes', async () => {
    const before = await daemon.request('GET', '/webhooks');
    await daemon.request('PUT', `/webhooks/${id}`, { body: { description: 'changed' } });
    const after = await daemon.request('GET', '/webhooks');
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });
});
