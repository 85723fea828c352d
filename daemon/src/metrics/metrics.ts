import type { Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventBus } from '../events/event-bus.js';
import type { InstanceRegistry } from '../godot/instance-registry.js';

/** Outcome of one relayed command, as the metrics count it. */
export type CommandOutcome = 'ok' | 'error' | 'timeout' | 'disconnected';

/** Receives the outcome of every relayed command. */
export type CommandObserver = (method: string, outcome: CommandOutcome, seconds: number) => void;

/**
 * The daemon's Prometheus metrics, in a registry of its own so that several
 * daemons in one process (as in tests) do not share counters.
 */
export class BridgeMetrics {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route'>;
  private readonly commands: Counter<'method' | 'outcome'>;
  private readonly commandDuration: Histogram<'method'>;
  readonly webhookDeliveries: Counter<'outcome'>;
  private readonly rateLimitRejections: Counter<'route'>;

  constructor(options: { registry: InstanceRegistry; events: EventBus }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'godot_bridge_' });
    this.httpRequests = new Counter({
      name: 'godot_bridge_http_requests_total',
      help: 'HTTP requests by method, route and status code.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'godot_bridge_http_request_duration_seconds',
      help: 'HTTP request latency in seconds, by method and route.',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    });
    this.commands = new Counter({
      name: 'godot_bridge_godot_commands_total',
      help: 'Commands relayed to Godot, by method and outcome.',
      labelNames: ['method', 'outcome'],
      registers,
    });
    this.commandDuration = new Histogram({
      name: 'godot_bridge_godot_command_duration_seconds',
      help: 'Round trip of commands relayed to Godot, in seconds, by method.',
      labelNames: ['method'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    });
    new Gauge({
      name: 'godot_bridge_instances_connected',
      help: 'Godot instances connected now.',
      registers,
      collect() {
        this.set(options.registry.size);
      },
    });
    this.webhookDeliveries = new Counter({
      name: 'godot_bridge_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome.',
      labelNames: ['outcome'],
      registers,
    });
    this.rateLimitRejections = new Counter({
      name: 'godot_bridge_rate_limit_rejections_total',
      help: 'Requests rejected by a rate limit, by route.',
      labelNames: ['route'],
      registers,
    });
    options.events.subscribe((event) => {
      if (event.event === 'rate_limit.exceeded') {
        this.rateLimitRejections.inc({ route: String(event.data.route ?? 'unknown') });
      }
    });
  }

  /** Records one finished HTTP request, labelled by its route pattern. */
  readonly observeRequest = (req: Request, res: Response, seconds: number): void => {
    const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
    const key = `${req.method} ${route} ${res.statusCode}`;
    let series = this.requestSeries.get(key);
    if (!series) {
      // Bound children skip prom-client's label hashing on every request.
      series = {
        count: this.httpRequests.labels({
          method: req.method,
          route,
          status: String(res.statusCode),
        }),
        duration: this.httpDuration.labels({ method: req.method, route }),
      };
      this.requestSeries.set(key, series);
    }
    series.count.inc();
    series.duration.observe(seconds);
  };

  private readonly requestSeries = new Map<
    string,
    { count: { inc: () => void }; duration: { observe: (value: number) => void } }
  >();

  readonly observeCommand: CommandObserver = (method, outcome, seconds) => {
    this.commands.inc({ method, outcome });
    this.commandDuration.observe({ method }, seconds);
  };

  /** Adds a gauge whose value is read at each scrape. */
  addGauge(
    name: string,
    help: string,
    labelNames: string[],
    read: () => Array<[Record<string, string>, number]>,
  ): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [labels, value] of read()) this.set(labels, value);
      },
    });
  }
}
