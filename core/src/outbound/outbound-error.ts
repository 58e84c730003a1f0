import { AppError } from '../errors.js';

/** Why the guard refused a URL: each is a distinct SSRF defence, named so logs and tests can tell them apart. */
export type OutboundRefusal = 'scheme' | 'host' | 'address' | 'redirect' | 'url';

/**
 * An outbound call the guard refused before (or instead of) sending anything. `FORBIDDEN`: the setting or rule
 * asks for a destination AOC will not reach; the message says which check failed and how to fix it.
 */
export class OutboundRefusedError extends AppError {
  override readonly name = 'OutboundRefusedError';
  readonly reason: OutboundRefusal;
  constructor(reason: OutboundRefusal, message: string) {
    super('FORBIDDEN', message, { details: { reason } });
    this.reason = reason;
  }
}
