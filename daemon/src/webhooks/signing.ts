import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Prefix of a Standard Webhooks secret; base64 of the key bytes follows it. */
export const secretPrefix = 'whsec_';

/** Key sizes the Standard Webhooks specification allows, in bytes. */
export const minSecretBytes = 24;
export const maxSecretBytes = 64;

/** Creates a `whsec_` secret from 32 random bytes. */
export function generateSecret(): string {
  return secretPrefix + randomBytes(32).toString('base64');
}

/**
 * Checks a caller's secret and returns a sentence naming the problem, or
 * undefined when the secret is a usable `whsec_` secret.
 */
export function secretProblem(secret: string): string | undefined {
  const fix =
    `a secret is "${secretPrefix}" followed by base64 of ${minSecretBytes} to ` +
    `${maxSecretBytes} random bytes; omit "secret" and the daemon generates one`;
  if (!secret.startsWith(secretPrefix))
    return `secret does not start with "${secretPrefix}": ${fix}`;
  const encoded = secret.slice(secretPrefix.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    return `secret is not valid base64 after "${secretPrefix}": ${fix}`;
  }
  const size = Buffer.from(encoded, 'base64').length;
  if (size < minSecretBytes || size > maxSecretBytes) {
    return `secret decodes to ${size} bytes: ${fix}`;
  }
  return undefined;
}

/**
 * Computes the `X-Webhook-Signature` value: `sha256=` and the hex HMAC-SHA256 of the
 * body, keyed with the UTF-8 bytes of the whole secret string (`whsec_...`
 * included), the way GitHub-style receivers compute it.
 */
export function bodySignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Computes one Standard Webhooks signature, `v1,` and the base64 HMAC-SHA256 of
 * `id.timestamp.body`, keyed with the base64-decoded part of the secret.
 * Signing goes through the `standardwebhooks` reference library.
 */
export function standardSignature(
  secret: string,
  deliveryId: string,
  timestampSeconds: number,
  body: string,
): string {
  return new Webhook(secret).sign(deliveryId, new Date(timestampSeconds * 1000), body);
}

/** Signing input of one attempt: the body and the secrets in force. */
export interface SigningInput {
  deliveryId: string;
  timestampSeconds: number;
  body: string;
  secret: string;
  /** The secret before the last rotation, while its grace period runs. */
  previousSecret?: string | undefined;
}

/**
 * Builds the signature headers of one attempt. During a rotation's grace period
 * `webhook-signature` carries a signature per secret, the new one first,
 * separated by a space as the Standard Webhooks header allows.
 */
export function signatureHeaders(input: SigningInput): Record<string, string> {
  const { deliveryId, timestampSeconds, body, secret, previousSecret } = input;
  const signatures = [standardSignature(secret, deliveryId, timestampSeconds, body)];
  if (previousSecret !== undefined) {
    signatures.push(standardSignature(previousSecret, deliveryId, timestampSeconds, body));
  }
  return {
    'x-webhook-signature': bodySignature(secret, body),
    'webhook-id': deliveryId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signatures.join(' '),
  };
}
