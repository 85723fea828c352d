import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Field paths whose values never reach a log line. */
const redactPaths = [
  'token',
  'secret',
  '*.token',
  '*.secret',
  'req.headers.authorization',
  'headers.authorization',
  'params.token',
];

/**
 * Creates the daemon's logger: JSON lines by default, pretty output when
 * `pretty` is set (the CLI sets it when stdout is a terminal).
 */
export function createLogger(options: { level?: string; pretty?: boolean } = {}): Logger {
  const base: LoggerOptions = {
    level: options.level ?? 'info',
    redact: { paths: redactPaths, censor: '[redacted]' },
  };
  if (options.pretty) {
    return pino({
      ...base,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, translateTime: 'SYS:HH:MM:ss' },
      },
    });
  }
  return pino(base);
}

/** Creates a logger that drops everything, for tests that do not read logs. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
