import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleWhen,
  retry,
  wrap,
} from 'cockatiel';
import type { CircuitBreakerPolicy, IPolicy } from 'cockatiel';
import { isAppError } from '../errors.js';

/** Delays and limits of delivery; the defaults suit a real SIEM, tests shrink them. */
export interface DeliveryOptions {
  /** Attempts of one batch before it goes back to the outbox (default 4). */
  attempts?: number;
  /** First retry delay; later ones grow exponentially with decorrelated jitter (default 500 ms). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Consecutive failed attempts that open the circuit (default 5). */
  breakAfter?: number;
  /** How long an open circuit refuses before one trial request (default 30 s). */
  halfOpenAfterMs?: number;
}

/** A delivery policy: retries with jittered exponential backoff inside a circuit breaker. */
export interface DeliveryPolicy {
  execute<T>(send: (signal: AbortSignal) => Promise<T>): Promise<T>;
  breaker: CircuitBreakerPolicy;
}

// A refused destination (the outbound guard) cannot succeed on retry; the breaker's own refusals are not retried.
const retryable = handleWhen(
  (error) => !(error instanceof BrokenCircuitError) && !(isAppError(error) && error.code === 'FORBIDDEN'),
);

/** Build a delivery policy (one per destination, so one dead webhook does not open the SIEM's circuit). */
export function createDeliveryPolicy(options: DeliveryOptions = {}): DeliveryPolicy {
  const breaker = circuitBreaker(retryable, {
    halfOpenAfter: options.halfOpenAfterMs ?? 30_000,
    breaker: new ConsecutiveBreaker(options.breakAfter ?? 5),
  });
  const retries = retry(retryable, {
    maxAttempts: (options.attempts ?? 4) - 1,
    backoff: new ExponentialBackoff({
      initialDelay: options.initialDelayMs ?? 500,
      maxDelay: options.maxDelayMs ?? 30_000,
    }),
  });
  const policy: IPolicy = wrap(retries, breaker);
  return {
    breaker,
    execute: (send) => policy.execute(({ signal }) => send(signal)),
  };
}
