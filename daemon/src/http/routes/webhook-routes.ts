import { Router, type Request } from 'express';
import type { DeliveryDetails, WebhookService } from '../../webhooks/webhook-service.js';
import type { WebhookRecord } from '../../webhooks/webhook-store.js';
import type { AppContext } from '../context.js';
import { validateBody } from '../middleware/body.js';
import { checkIfMatch } from '../middleware/conditional.js';
import { integerQuery } from '../query.js';

/** What every response after the creation shows in place of the secret. */
export const hiddenSecret = '***';

const defaultPageSize = 20;
const maxPageSize = 100;

/** /webhooks: registration, history, ping, redelivery and secret rotation. */
export function webhookRoutes(context: AppContext): Router {
  const router = Router();
  const { schemas } = context;
  const webhooks: WebhookService = context.webhooks;

  router.post('/webhooks', validateBody(schemas, 'http/webhook-create'), (req, res) => {
    const webhook = webhooks.create(req.body);
    res.status(201).location(`/webhooks/${webhook.id}`);
    res.json({ success: true, webhook: webhookView(webhook, webhook.secret) });
  });

  router.get('/webhooks', (_req, res) => {
    const list = webhooks.list().map((webhook) => webhookView(webhook));
    res.json({ success: true, count: list.length, webhooks: list });
  });

  // GET /webhooks/:id returns exactly this body, so its ETag is the one that
  // If-Match on PUT and DELETE is compared with.
  const currentBody = (id: string) => ({ success: true, webhook: webhookView(webhooks.get(id)) });

  router.get('/webhooks/:id', (req, res) => {
    const webhook = webhooks.get(param(req, 'id'));
    res.locals.lastModified = new Date(webhook.updatedAt);
    res.json({ success: true, webhook: webhookView(webhook) });
  });

  router.put('/webhooks/:id', validateBody(schemas, 'http/webhook-update'), (req, res) => {
    const id = param(req, 'id');
    checkIfMatch(req, currentBody(id));
    const webhook = webhooks.update(id, req.body);
    res.json({ success: true, webhook: webhookView(webhook) });
  });

  router.delete('/webhooks/:id', (req, res) => {
    const id = param(req, 'id');
    checkIfMatch(req, currentBody(id));
    webhooks.remove(id);
    res.json({ success: true, deleted: id });
  });

  router.post(
    '/webhooks/:id/rotate-secret',
    validateBody(schemas, 'http/webhook-rotate-secret'),
    (req, res) => {
      const webhook = webhooks.rotateSecret(param(req, 'id'), req.body.secret);
      res.json({ success: true, webhook: webhookView(webhook, webhook.secret) });
    },
  );

  router.post('/webhooks/:id/ping', validateBody(schemas, 'http/empty'), async (req, res) => {
    const id = param(req, 'id');
    const { delivery, finished } = await webhooks.ping(id);
    if (!finished) res.status(202).location(`/webhooks/${id}/deliveries/${delivery.id}`);
    res.json({ success: true, delivery: deliveryView(delivery) });
  });

  router.get('/webhooks/:id/deliveries', (req, res) => {
    const limit = integerQuery(req, 'limit', defaultPageSize, 1, maxPageSize);
    const offset = integerQuery(req, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    const page = webhooks.deliveries(param(req, 'id'), limit, offset);
    res.json({
      success: true,
      total: page.total,
      limit,
      offset,
      deliveries: page.deliveries.map(deliveryView),
    });
  });

  router.get('/webhooks/:id/deliveries/:delivery_id', (req, res) => {
    const delivery = webhooks.delivery(param(req, 'id'), param(req, 'delivery_id'));
    res.locals.lastModified = new Date(delivery.updatedAt);
    res.json({ success: true, delivery: deliveryView(delivery) });
  });

  router.post(
    '/webhooks/:id/deliveries/:delivery_id/redeliver',
    validateBody(schemas, 'http/empty'),
    (req, res) => {
      const id = param(req, 'id');
      const delivery = webhooks.redeliver(id, param(req, 'delivery_id'));
      res.status(202).location(`/webhooks/${id}/deliveries/${delivery.id}`);
      res.json({ success: true, delivery: deliveryView(delivery) });
    },
  );

  return router;
}

/** Builds the public form of a webhook, which shows `secret` only when it is given. */
export function webhookView(webhook: WebhookRecord, secret?: string): Record<string, unknown> {
  const graceRunning =
    webhook.previousSecretExpiresAt !== null && webhook.previousSecretExpiresAt > Date.now();
  return {
    id: webhook.id,
    url: webhook.url,
    events: webhook.events,
    description: webhook.description,
    active: webhook.active,
    disabled_reason: webhook.disabledReason,
    consecutive_failures: webhook.consecutiveFailures,
    secret: secret ?? hiddenSecret,
    previous_secret_expires_at: graceRunning ? iso(webhook.previousSecretExpiresAt) : null,
    created_at: iso(webhook.createdAt),
    updated_at: iso(webhook.updatedAt),
  };
}

/** Builds the public form of a delivery, with the payload it sends and its attempts. */
export function deliveryView(delivery: DeliveryDetails): Record<string, unknown> {
  return {
    id: delivery.id,
    webhook_id: delivery.webhookId,
    event: delivery.event,
    status: delivery.status,
    success: delivery.status === 'succeeded',
    attempt: delivery.attempt,
    redelivery_count: delivery.redeliveryCount,
    status_code: delivery.statusCode,
    duration_ms: delivery.durationMs,
    error: delivery.error,
    created_at: iso(delivery.createdAt),
    updated_at: iso(delivery.updatedAt),
    last_attempt_at: iso(delivery.lastAttemptAt),
    next_attempt_at: iso(delivery.nextAttemptAt),
    completed_at: iso(delivery.completedAt),
    payload: JSON.parse(delivery.body) as unknown,
    attempts: delivery.attempts.map((attempt) => ({
      attempt: attempt.attempt,
      started_at: iso(attempt.startedAt),
      duration_ms: attempt.durationMs,
      status_code: attempt.statusCode,
      success: attempt.success,
      error: attempt.error,
    })),
  };
}

function iso(time: number | null): string | null {
  return time === null ? null : new Date(time).toISOString();
}

function param(req: Request, name: string): string {
  return String(req.params[name]);
}
