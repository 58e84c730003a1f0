export { createHttpClient, DEFAULT_RETRY } from './http-client.js';
export type {
  BearerAuth,
  HttpClient,
  HttpClientOptions,
  HttpRequest,
  RetryNotice,
  RetryOptions,
} from './http-client.js';
export { HttpError, httpFailure, msErrorCode } from './http-error.js';
export type { HttpFailure } from './http-error.js';
export { createRetryBudget } from './retry-budget.js';
export type { RetryBudget } from './retry-budget.js';
export { createRateLimiter } from './rate-limiter.js';
export type { RateLimiter } from './rate-limiter.js';
export { abortableSleep } from './sleep.js';
export type { Sleep } from './sleep.js';
