import pino from 'pino';
import type { Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  /** Pretty, human-readable lines instead of JSON (the entry decides, usually when stdout is a TTY). */
  pretty?: boolean;
  /** Where to write; stdout by default. The MCP stdio server passes stderr: its stdout is the protocol. */
  destination?: 1 | 2;
}

/**
 * Structured JSON logs. Anything that could carry a credential is redacted by path, so a careless
 * `log.info({ headers })` cannot leak a token.
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? 1;
  const redact = {
    paths: [
      'authorization',
      '*.authorization',
      '*.headers.authorization',
      '*.headers["api-key"]',
      'headers.authorization',
      'token',
      '*.token',
      'access_token',
      '*.access_token',
      'client_secret',
      '*.client_secret',
      'clientSecret',
      '*.clientSecret',
      'apiKey',
      '*.apiKey',
      'password',
      '*.password',
    ],
    censor: '[redacted]',
  };
  if (options.pretty) {
    return pino({
      level: options.level,
      redact,
      transport: {
        target: 'pino-pretty',
        options: { destination, colorize: true, translateTime: 'SYS:HH:MM:ss.l' },
      },
    });
  }
  return pino({ level: options.level, redact }, pino.destination({ dest: destination, sync: false }));
}

/** A logger that drops everything, for tests and tools that must stay quiet. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
