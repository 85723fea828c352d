import {
  AddressRejectedError,
  DeliveryTimeoutError,
  HttpSender,
  type Resolver,
} from '../../../daemon/src/webhooks/http-sender.js';
import { WebhookReceiver } from '../../support/webhook-receiver.js';

describe('webhook HTTP sender', () => {
  let receiver: WebhookReceiver;
  let sender: HttpSender | undefined;

  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(async () => {
    sender?.close();
    await receiver.close();
  });

  const post = (url: string, timeoutMs = 2000) =>
    sender!.send({ url, headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs });

  test('posts the body and returns the status', async () => {
    sender = new HttpSender({ allowPrivateNetworks: true });
    receiver.handler = () => ({ status: 204 });
    const response = await post(receiver.url('/in?x=1'));
    expect(response.statusCode).toBe(204);
    expect(receiver.received[0]!.path).toBe('/in?x=1');
    expect(receiver.received[0]!.body).toBe('{}');
  });

  test.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://0.0.0.0:1/',
    'http://[::]:1/',
    'http://[::169.254.169.254]/',
  ])('rejects %s before connecting', async (url) => {
    sender = new HttpSender({ allowPrivateNetworks: true });
    await expect(post(url)).rejects.toBeInstanceOf(AddressRejectedError);
    expect(sender.requestsStarted).toBe(0);
  });

  test('rejects loopback when private networks are off', async () => {
    sender = new HttpSender({ allowPrivateNetworks: false });
    await expect(post(receiver.url())).rejects.toThrow('allowPrivateNetworks is false');
    expect(sender.requestsStarted).toBe(0);
    expect(receiver.received).toHaveLength(0);
  });

  // The resolver replaces DNS because these answers cannot be produced on loopback.
  test('rejects a name when any address is blocked', async () => {
    const resolve: Resolver = async () => [
      { address: '127.0.0.1', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ];
    sender = new HttpSender({ allowPrivateNetworks: true, resolve });
    await expect(post(`http://mixed.test:${receiver.port}/`)).rejects.toThrow(
      'mixed.test resolves to 169.254.169.254 is a cloud metadata address',
    );
    expect(sender.requestsStarted).toBe(0);
  });

  test('connects to the checked address only', async () => {
    const answers = ['127.0.0.1', '169.254.169.254'];
    let lookups = 0;
    // A rebinding DNS server: the first answer passes the check, later ones point elsewhere.
    const resolve: Resolver = async () => [{ address: answers[lookups++]!, family: 4 }];
    sender = new HttpSender({ allowPrivateNetworks: true, resolve });
    const response = await post(`http://rebind.test:${receiver.port}/pinned`);
    expect(response.statusCode).toBe(200);
    expect(lookups).toBe(1);
    expect(receiver.received[0]!.headers.host).toBe(`rebind.test:${receiver.port}`);
  });

  test('times out a slow receiver', async () => {
    sender = new HttpSender({ allowPrivateNetworks: true });
    receiver.handler = () => ({ status: 200, delayMs: 1000 });
    await expect(post(receiver.url(), 100)).rejects.toBeInstanceOf(DeliveryTimeoutError);
  });

  test('reports a refused connection', async () => {
    sender = new HttpSender({ allowPrivateNetworks: true });
    const closed = await WebhookReceiver.start();
    const url = closed.url();
    await closed.close();
    await expect(post(url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
