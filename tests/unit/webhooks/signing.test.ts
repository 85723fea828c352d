import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  bodySignature,
  generateSecret,
  secretProblem,
  signatureHeaders,
  standardSignature,
} from '../../../daemon/src/webhooks/signing.js';

// Test vector published with the Standard Webhooks reference libraries.
const vector = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  standard: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  // Computed with `openssl dgst -sha256 -hmac SECRET` over the same body.
  hex: 'sha256=80ec8a89ce3cd22133a1066caecb4d04fea7467657c8514d717ec42c38a5c94c',
};

describe('webhook signing', () => {
  test('standard signature matches the published vector', () => {
    expect(standardSignature(vector.secret, vector.id, vector.timestamp, vector.body)).toBe(
      vector.standard,
    );
  });

  test('body signature matches the openssl vector', () => {
    expect(bodySignature(vector.secret, vector.body)).toBe(vector.hex);
  });

  test('standard signature agrees with node:crypto', () => {
    const secret = generateSecret();
    const body = JSON.stringify({ event: 'scene.loaded', data: { path: 'res://a.tscn' } });
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`dlv_1.1700000000.${body}`).digest('base64');
    expect(standardSignature(secret, 'dlv_1', 1700000000, body)).toBe(`v1,${expected}`);
  });

  test('headers verify with the reference library', () => {
    const secret = generateSecret();
    const body = '{"event":"ping"}';
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signatureHeaders({
      deliveryId: 'dlv_2',
      timestampSeconds: timestamp,
      body,
      secret,
    });
    expect(new Webhook(secret).verify(body, headers)).toEqual({ event: 'ping' });
    expect(headers['webhook-id']).toBe('dlv_2');
    expect(headers['webhook-timestamp']).toBe(String(timestamp));
  });

  test('rotation signs with both secrets', () => {
    const [secret, previousSecret] = [generateSecret(), generateSecret()];
    const body = '{"event":"ping"}';
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signatureHeaders({
      deliveryId: 'dlv_3',
      timestampSeconds: timestamp,
      body,
      secret,
      previousSecret,
    });
    const signatures = headers['webhook-signature']!.split(' ');
    expect(signatures).toEqual([
      standardSignature(secret, 'dlv_3', timestamp, body),
      standardSignature(previousSecret, 'dlv_3', timestamp, body),
    ]);
    expect(() => new Webhook(secret).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(previousSecret).verify(body, headers)).not.toThrow();
    expect(headers['x-webhook-signature']).toBe(bodySignature(secret, body));
  });

  test('generated secrets have the standard form', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(secretProblem(secret)).toBeUndefined();
    expect(generateSecret()).not.toBe(secret);
  });

  test.each([
    ['plain-text-secret', 'does not start with'],
    ['whsec_not base64!', 'not valid base64'],
    ['whsec_c2hvcnQ=', 'decodes to 5 bytes'],
    [`whsec_${Buffer.alloc(65).toString('base64')}`, 'decodes to 65 bytes'],
  ])('secret %s is rejected', (secret, problem) => {
    expect(secretProblem(secret)).toContain(problem);
  });
});
