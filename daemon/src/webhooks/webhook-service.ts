import { randomBytes } from 'node:crypto';
import { BridgeError } from '../errors/catalogue.js';
import type { BridgeEvent, EventBus, EventName } from '../events/event-bus.js';
import type { Logger } from '../logging/logger.js';
import type { AttemptOutcome } from './delivery-worker.js';
import type { Database } from '../store/database.js';
import { daemonVersion } from '../version.js';
import { DeliveryWorker, type WebhookSettings } from './delivery-worker.js';
import { HttpSender, type Resolver } from './http-sender.js';
import { generateSecret } from './signing.js';
import {
  WebhookStore,
  type AttemptRecord,
  type DeliveryRecord,
  type WebhookRecord,
} from './webhook-store.js';
import { checkEvents, checkSecret, checkWebhookUrl, subscribes } from './webhook-validation.js';

export interface WebhookInput {
  url: string;
  events: string[];
  secret?: string;
  description?: string | null;
}

export interface WebhookPatch {
  url?: string;
  events?: string[];
  secret?: string;
  active?: boolean;
  description?: string | null;
}

export interface WebhookServiceOptions {
  db: Database;
  settings: Readonly<WebhookSettings>;
  events: EventBus;
  log: Logger;
  now?: () => number;
  /** Replaces DNS resolution of receiver host names. */
  resolve?: Resolver;
  /** Called with the outcome of every delivery attempt, for metrics. */
  onAttempt?: (outcome: AttemptOutcome) => void;
}

/** A delivery with its attempts, for the history API. */
export interface DeliveryDetails extends DeliveryRecord {
  attempts: AttemptRecord[];
}

/** Extra wait for a ping's result beyond the attempt timeout, for a busy queue. */
const pingQueueSlackMs = 5000;

/**
 * Webhook registrations and the outbox. Every event on the bus becomes one
 * outbox row per matching active webhook, written in one transaction before
 * anything is sent. The delivery worker sends the rows.
 */
export class WebhookService {
  readonly store: WebhookStore;
  readonly sender: HttpSender;
  readonly worker: DeliveryWorker;
  private readonly now: () => number;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: WebhookServiceOptions) {
    this.now = options.now ?? Date.now;
    this.store = new WebhookStore(options.db);
    this.sender = new HttpSender({
      allowPrivateNetworks: options.settings.allowPrivateNetworks,
      resolve: options.resolve,
    });
    this.worker = new DeliveryWorker({
      store: this.store,
      sender: this.sender,
      settings: options.settings,
      log: options.log,
      now: this.now,
      onAttempt: options.onAttempt,
    });
  }

  start(): void {
    this.unsubscribe = this.options.events.subscribe((event) => this.enqueueEvent(event));
    this.worker.start();
    this.options.log.info({ webhooks: this.store.activeWebhooks().length }, 'webhooks started');
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.worker.stop();
    this.sender.close();
  }

  create(input: WebhookInput): WebhookRecord {
    const now = this.now();
    const webhook: WebhookRecord = {
      id: newId('wh'),
      url: checkWebhookUrl(input.url),
      events: checkEvents(input.events),
      secret: input.secret === undefined ? generateSecret() : checkSecret(input.secret),
      previousSecret: null,
      previousSecretExpiresAt: null,
      description: input.description ?? null,
      active: true,
      disabledReason: null,
      consecutiveFailures: 0,
      createdAt: now,
      updatedAt: now,
    };
    this.store.insertWebhook(webhook);
    this.options.log.info(
      { webhook_id: webhook.id, url: webhook.url, events: webhook.events },
      'webhook registered',
    );
    return webhook;
  }

  list(): WebhookRecord[] {
    return this.store.listWebhooks();
  }

  get(id: string): WebhookRecord {
    const webhook = this.store.getWebhook(id);
    if (!webhook) {
      throw new BridgeError(
        'WEBHOOK_NOT_FOUND',
        `No webhook has id "${id}". GET /webhooks lists the registered ones.`,
      );
    }
    return webhook;
  }

  /**
   * Applies a partial update. `active: true` re-enables a webhook the daemon
   * disabled and resets its failure count; other fields leave the state as it
   * is. `active: false` deactivates it and fails its queued deliveries.
   */
  update(id: string, patch: WebhookPatch): WebhookRecord {
    return this.store.transaction(() => {
      const current = this.get(id);
      const now = this.now();
      const next: WebhookRecord = { ...current, updatedAt: now };
      if (patch.url !== undefined) next.url = checkWebhookUrl(patch.url);
      if (patch.events !== undefined) next.events = checkEvents(patch.events);
      if (patch.secret !== undefined) {
        next.secret = checkSecret(patch.secret);
        next.previousSecret = null;
        next.previousSecretExpiresAt = null;
      }
      if (patch.description !== undefined) next.description = patch.description;
      if (patch.active === true) {
        next.active = true;
        next.disabledReason = null;
        next.consecutiveFailures = 0;
      } else if (patch.active === false) {
        next.active = false;
        next.disabledReason = null;
        this.store.cancelPending(id, 'not sent: webhook deactivated', now);
      }
      this.store.saveWebhook(next);
      this.options.log.info(
        { webhook_id: id, fields: Object.keys(patch), active: next.active },
        'webhook updated',
      );
      return next;
    });
  }

  remove(id: string): void {
    if (!this.store.deleteWebhook(id)) this.get(id);
    this.options.log.info({ webhook_id: id }, 'webhook deleted');
  }

  /**
   * Replaces the secret with a new one (the caller's or a generated one). The
   * old secret keeps signing next to the new one for `secretGraceMs`; a
   * second rotation within that time drops the oldest secret.
   */
  rotateSecret(id: string, secret?: string): WebhookRecord {
    return this.store.transaction(() => {
      const current = this.get(id);
      const now = this.now();
      const grace = this.options.settings.secretGraceMs;
      const next: WebhookRecord = {
        ...current,
        secret: secret === undefined ? generateSecret() : checkSecret(secret),
        previousSecret: grace > 0 ? current.secret : null,
        previousSecretExpiresAt: grace > 0 ? now + grace : null,
        updatedAt: now,
      };
      this.store.saveWebhook(next);
      this.options.log.info(
        { webhook_id: id, previous_secret_expires_at: next.previousSecretExpiresAt },
        'webhook secret rotated',
      );
      return next;
    });
  }

  /** Stores one outbox row per active webhook that subscribes to the event. */
  enqueueEvent(event: BridgeEvent): DeliveryRecord[] {
    // Most events match no webhook, and those cost no transaction at all.
    const matching = this.store
      .activeWebhooks()
      .filter((webhook) => subscribes(webhook.events, event.event));
    if (matching.length === 0) return [];
    const deliveries = this.store.transaction(() =>
      matching.map((webhook) => this.queueDelivery(webhook, event.event, event.data)),
    );
    if (deliveries.length > 0) this.worker.kick();
    return deliveries;
  }

  /**
   * Queues a `ping` for one webhook, whatever its event filter, and waits
   * for the first attempt. Returns the delivery and whether that attempt
   * finished in time.
   */
  async ping(id: string): Promise<{ delivery: DeliveryDetails; finished: boolean }> {
    const webhook = this.activeWebhook(id);
    const data = { message: 'ping from godot-bridge', daemon_version: daemonVersion };
    const queued = this.queueDelivery(webhook, 'ping', data);
    const attempted = this.worker.waitForAttempt(
      queued.id,
      this.options.settings.timeoutMs + pingQueueSlackMs,
    );
    this.worker.kick();
    const result = await attempted;
    return { delivery: this.delivery(id, queued.id), finished: result !== undefined };
  }

  /**
   * Sends a finished delivery again: the same delivery id and body, the
   * attempt counter continuing, and a fresh round of retries.
   */
  redeliver(webhookId: string, deliveryId: string): DeliveryDetails {
    this.activeWebhook(webhookId);
    const delivery = this.delivery(webhookId, deliveryId);
    if (delivery.status === 'pending') {
      throw new BridgeError(
        'DELIVERY_PENDING',
        `Delivery "${deliveryId}" is still queued; wait until it has succeeded or ` +
          'failed, then redeliver it.',
      );
    }
    const now = this.now();
    this.store.saveDelivery({
      ...delivery,
      status: 'pending',
      roundAttempts: 0,
      redeliveryCount: delivery.redeliveryCount + 1,
      nextAttemptAt: now,
      completedAt: null,
      updatedAt: now,
    });
    this.options.log.info({ webhook_id: webhookId, delivery_id: deliveryId }, 'webhook redelivery');
    this.worker.kick();
    return this.delivery(webhookId, deliveryId);
  }

  deliveries(
    webhookId: string,
    limit: number,
    offset: number,
  ): { total: number; deliveries: DeliveryDetails[] } {
    this.get(webhookId);
    const page = this.store.listDeliveries(webhookId, limit, offset);
    const attempts = this.store.attemptsOf(page.deliveries.map((delivery) => delivery.id));
    return {
      total: page.total,
      deliveries: page.deliveries.map((delivery) => ({
        ...delivery,
        attempts: attempts.get(delivery.id) ?? [],
      })),
    };
  }

  /** Lists the newest deliveries across every webhook, with their attempts. */
  recentDeliveries(limit: number): DeliveryDetails[] {
    const deliveries = this.store.recentDeliveries(limit);
    const attempts = this.store.attemptsOf(deliveries.map((delivery) => delivery.id));
    return deliveries.map((delivery) => ({
      ...delivery,
      attempts: attempts.get(delivery.id) ?? [],
    }));
  }

  delivery(webhookId: string, deliveryId: string): DeliveryDetails {
    const delivery = this.store.getDelivery(deliveryId);
    if (!delivery || delivery.webhookId !== webhookId) {
      throw new BridgeError(
        'DELIVERY_NOT_FOUND',
        `Webhook "${webhookId}" has no delivery "${deliveryId}". ` +
          `GET /webhooks/${webhookId}/deliveries lists its recent ones.`,
      );
    }
    return { ...delivery, attempts: this.store.attemptsOf([deliveryId]).get(deliveryId) ?? [] };
  }

  private activeWebhook(id: string): WebhookRecord {
    const webhook = this.get(id);
    if (!webhook.active) {
      const state = webhook.disabledReason ? `disabled: ${webhook.disabledReason}` : 'deactivated';
      throw new BridgeError(
        'WEBHOOK_INACTIVE',
        `Webhook "${id}" is ${state}. Re-enable it with PUT /webhooks/${id} {"active": true}.`,
      );
    }
    return webhook;
  }

  private queueDelivery(
    webhook: WebhookRecord,
    event: EventName,
    data: Record<string, unknown>,
  ): DeliveryRecord {
    const now = this.now();
    const id = newId('dlv');
    const body = JSON.stringify({
      event,
      webhook_id: webhook.id,
      delivery_id: id,
      timestamp: new Date(now).toISOString(),
      data,
    });
    const delivery: DeliveryRecord = {
      id,
      webhookId: webhook.id,
      event,
      body,
      status: 'pending',
      attempt: 0,
      roundAttempts: 0,
      redeliveryCount: 0,
      nextAttemptAt: now,
      statusCode: null,
      durationMs: null,
      error: null,
      createdAt: now,
      updatedAt: now,
      lastAttemptAt: null,
      completedAt: null,
    };
    this.store.insertDelivery(delivery);
    return delivery;
  }
}

function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}
