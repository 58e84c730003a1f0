/** One injected failure. Matching requests consume it; after `times` uses it is spent. */
export interface FaultRule {
  /** Substring of the path (with query), or a pattern tested against it. Absent: every request. */
  path?: string | RegExp;
  method?: string;
  /** Respond with this status and the service's error body. */
  status?: number;
  /** Seconds, sent as the Retry-After header. */
  retryAfter?: number;
  /** Hold the response this long (alone: a slow success; with `status`: a slow failure). */
  delayMs?: number;
  /** Destroy the connection without answering. */
  reset?: boolean;
  /** How many matching requests it affects (default: all). */
  times?: number;
  /** Let this many matching requests through first. */
  skip?: number;
}

export interface ActiveFault
  extends Required<Pick<FaultRule, 'times' | 'skip'>>, Omit<FaultRule, 'times' | 'skip'> {
  id: number;
  hits: number;
}

/**
 * Test controls for failures. Rules are checked in the order added; the first live match applies.
 * Also carries the token and content-blob faults the routes consult.
 */
export interface Faults {
  add(rule: FaultRule): number;
  remove(id: number): void;
  /** Removes every rule and blob expiry, and restores the token lifetime. */
  clear(): void;
  /** The next matching request fails with `status` (default 503), later ones succeed. */
  failOnce(path?: string | RegExp, status?: number): number;
  /** 429 with Retry-After, `times` times (default once). */
  throttle(path?: string | RegExp, retryAfter?: number, times?: number): number;
  /** Connection resets, `times` times (default once). */
  reset(path?: string | RegExp, times?: number): number;
  /** Slow responses: each of the next `times` matching requests waits `delayMs` first. */
  slow(path: string | RegExp | undefined, delayMs: number, times?: number): number;
  /** Content blobs with these contentIds answer AF20051 and are listed as already expired. */
  expireBlobs(contentIds: Iterable<string>): void;
  /** The next `count` distinct blobs fetched expire just before they are read. */
  expireNextBlobs(count: number): void;
  /** Every token issued so far stops working now (401 on its next use). */
  expireTokens(): void;
  /** New tokens live this many seconds (`expires_in`). */
  tokenLifetime(seconds: number): void;
  readonly rules: readonly ActiveFault[];
  /** The rule that applies to this request, consuming one use; undefined when none does. */
  take(method: string, pathWithQuery: string): ActiveFault | undefined;
  isBlobExpired(contentId: string): boolean;
  /** Called when a blob is fetched; true when the blob expires because of expireNextBlobs. */
  consumeBlobExpiry(contentId: string): boolean;
}

export function createFaults(tokens: { expireAll(): void; setLifetime(seconds: number): void }): Faults {
  let rules: ActiveFault[] = [];
  let nextId = 1;
  const expiredBlobs = new Set<string>();
  let expireNext = 0;
  const add = (rule: FaultRule): number => {
    const id = nextId;
    nextId += 1;
    rules.push({ ...rule, id, hits: 0, times: rule.times ?? Infinity, skip: rule.skip ?? 0 });
    return id;
  };
  const matches = (rule: ActiveFault, method: string, path: string): boolean => {
    if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
    if (rule.path === undefined) return true;
    return typeof rule.path === 'string' ? path.includes(rule.path) : rule.path.test(path);
  };
  return {
    add,
    remove(id) {
      rules = rules.filter((r) => r.id !== id);
    },
    clear() {
      rules = [];
      expiredBlobs.clear();
      expireNext = 0;
      tokens.setLifetime(3599);
    },
    failOnce: (path, status = 503) => add({ path, status, times: 1 }),
    throttle: (path, retryAfter = 1, times = 1) => add({ path, status: 429, retryAfter, times }),
    reset: (path, times = 1) => add({ path, reset: true, times }),
    slow: (path, delayMs, times = Infinity) => add({ path, delayMs, times }),
    expireBlobs(contentIds) {
      for (const id of contentIds) expiredBlobs.add(id);
    },
    expireNextBlobs(count) {
      expireNext += count;
    },
    expireTokens: () => tokens.expireAll(),
    tokenLifetime: (seconds) => tokens.setLifetime(seconds),
    get rules() {
      return rules;
    },
    take(method, path) {
      for (const rule of rules) {
        if (rule.hits >= rule.skip + rule.times || !matches(rule, method, path)) continue;
        rule.hits += 1;
        if (rule.hits <= rule.skip) continue;
        return rule;
      }
      return undefined;
    },
    isBlobExpired: (contentId) => expiredBlobs.has(contentId),
    consumeBlobExpiry(contentId) {
      if (expiredBlobs.has(contentId)) return true;
      if (expireNext <= 0) return false;
      expireNext -= 1;
      expiredBlobs.add(contentId);
      return true;
    },
  };
}
