import { createHash, timingSafeEqual } from 'node:crypto';

/** Compare a received secret with the expected one in constant time (hashing first equalizes lengths). */
export function safeEqual(received: unknown, expected: string): boolean {
  if (typeof received !== 'string') return false;
  const a = createHash('sha256').update(received).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
