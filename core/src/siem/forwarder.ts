import { ObjectId } from 'mongodb';
import type { Db } from 'mongodb';
import { CircuitState } from 'cockatiel';
import { UpstreamError, isAppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { OutboundGuard } from '../outbound/outbound-guard.js';
import { alertsCollection, rulesCollection } from '../rules/store.js';
import { apiAlerts } from '../rules/alert-views.js';
import { createDeliveryPolicy } from './delivery-policy.js';
import type { DeliveryOptions, DeliveryPolicy } from './delivery-policy.js';
import { createDeliveryStateWriter } from './delivery-state.js';
import { backlog, claimBatch, complete, release } from './outbox.js';
import type { OutboxDocument, OutboxDestination } from './outbox.js';
import { loadItems } from './payload.js';
import type { SiemBatch } from './payload.js';

/** Knobs of the forwarder; tests shrink them. */
export interface ForwarderOptions {
  /** Items per SIEM request (default 500). */
  batchSize?: number;
  /** Poll interval when the outbox is empty and nothing woke the forwarder (default 5 s). */
  idleMs?: number;
  /** How long a failed batch waits in the outbox before the next try (default 15 s). */
  failureDelayMs?: number;
  /** How long a claimed batch is held before another sender may take it (default 2 min). */
  leaseMs?: number;
  delivery?: DeliveryOptions;
  /** Age of the oldest pending SIEM item at which source health says delivery is failing (default 15 min). */
  stalledAfterMs?: number;
}

/** Delivery health of this process's forwarder, for `/metrics` (source health reads `delivery-state.ts`). */
export interface ForwarderStats {
  enabled: boolean;
  /** Events and alerts waiting for the SIEM. */
  backlog: number;
  /** Alert notifications waiting for rule webhooks. */
  webhook_backlog: number;
  /** Items the SIEM accepted since start. */
  sent: number;
  /** Failed requests (each retry counts) since start. */
  failures: number;
  circuit: 'closed' | 'open' | 'half-open' | 'isolated';
  last_success_at: string | null;
  last_failure_at: string | null;
  last_error: string | null;
}

export interface ForwarderDeps {
  db: Db;
  log: Logger;
  clock: () => Date;
  /** SIEM_WEBHOOK_URL when forwarding is on. */
  siemUrl: string | undefined;
  siemGuard: OutboundGuard;
  webhookGuard: OutboundGuard;
  options: ForwarderOptions;
}

/** With the default 15 s failure delay plus retries, about a day of trying. */
const MAX_WEBHOOK_ATTEMPTS = 5000;

const CIRCUIT: Record<CircuitState, ForwarderStats['circuit']> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/**
 * Drains the outbox: SIEM batches and rule notifications, each through the outbound guard and a retry +
 * circuit-breaker policy. It runs beside ingestion and never inside it: ingestion only writes the outbox.
 */
export function createForwarder(deps: ForwarderDeps) {
  const { db, log, clock, options } = deps;
  const batchSize = options.batchSize ?? 500;
  const leaseMs = options.leaseMs ?? 120_000;
  const failureDelayMs = options.failureDelayMs ?? 15_000;
  const siemPolicy = createDeliveryPolicy(options.delivery);
  const webhookPolicies = new Map<string, DeliveryPolicy>();
  const counters = {
    sent: 0,
    failures: 0,
    lastSuccess: null as Date | null,
    lastFailure: null as Date | null,
    lastError: null as string | null,
    consecutiveSiemFailures: 0,
  };
  // Source health reads delivery state from the database, so every process (not only this one) sees it.
  const state = createDeliveryStateWriter(db, log);
  const circuit = () => CIRCUIT[siemPolicy.breaker.state];
  if (deps.siemUrl)
    siemPolicy.breaker.onStateChange(() => state.record({ circuit: circuit(), updated_at: clock() }));

  /** One SIEM request: `post`, with its outcome recorded for source health. */
  const postSiem = async (url: string, batch: SiemBatch, signal: AbortSignal) => {
    const at = clock();
    try {
      await post(deps.siemGuard, url, batch, signal);
    } catch (error) {
      counters.consecutiveSiemFailures += 1;
      state.record({
        last_attempt_at: at,
        last_error: counters.lastError,
        last_error_at: clock(),
        consecutive_failures: counters.consecutiveSiemFailures,
        circuit: circuit(),
        updated_at: clock(),
      });
      throw error;
    }
    counters.consecutiveSiemFailures = 0;
    state.record({
      last_attempt_at: at,
      last_success_at: clock(),
      consecutive_failures: 0,
      circuit: circuit(),
      updated_at: clock(),
    });
  };

  const post = async (guard: OutboundGuard, url: string, body: unknown, signal: AbortSignal) => {
    try {
      const response = await guard.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new UpstreamError(`the receiver answered HTTP ${response.status}`);
    } catch (error) {
      counters.failures += 1;
      counters.lastFailure = clock();
      counters.lastError = isAppError(error) ? error.message : (error as Error).message;
      throw error;
    }
  };

  const failed = async (entries: OutboxDocument[], dest: OutboxDestination, error: unknown) => {
    log.warn({ err: error, dest, items: entries.length }, 'outbound delivery failed; kept in the outbox');
    await release(db, entries, new Date(clock().getTime() + failureDelayMs));
  };

  /** One SIEM batch; returns how many entries were settled (0 when there was nothing, or it failed). */
  const deliverSiem = async (): Promise<number> => {
    if (!deps.siemUrl) return 0;
    const url = deps.siemUrl;
    const entries = await claimBatch(db, 'siem', batchSize, clock(), leaseMs);
    if (entries.length === 0) return 0;
    const items = await loadItems(db, entries);
    try {
      if (items.length > 0) {
        const batch: SiemBatch = { source: 'aoc', sent_at: clock().toISOString(), items };
        await siemPolicy.execute((signal) => postSiem(url, batch, signal));
        counters.sent += items.length;
        counters.lastSuccess = clock();
      }
    } catch (error) {
      await failed(entries, 'siem', error);
      return 0;
    }
    await complete(db, entries);
    return entries.length;
  };

  const deliverWebhook = async (entry: OutboxDocument): Promise<void> => {
    const alert = ObjectId.isValid(entry.ref)
      ? await alertsCollection(db).findOne({ _id: new ObjectId(entry.ref) })
      : null;
    const rule = alert ? await rulesCollection(db).findOne({ _id: alert.rule_id }) : null;
    if (!alert || !rule?.webhook_url) return;
    const url = rule.webhook_url;
    let policy = webhookPolicies.get(url);
    if (!policy) {
      policy = createDeliveryPolicy(options.delivery);
      webhookPolicies.set(url, policy);
    }
    const body = {
      type: 'alert',
      id: entry.ref,
      rule: { id: rule._id.toHexString(), name: rule.name },
      alert: (await apiAlerts(db, [alert]))[0],
    };
    await policy.execute((signal) => post(deps.webhookGuard, url, body, signal));
  };

  const deliverWebhooks = async (): Promise<number> => {
    const entries = await claimBatch(db, 'webhook', 20, clock(), leaseMs);
    let settled = 0;
    for (const entry of entries) {
      try {
        await deliverWebhook(entry);
        await complete(db, [entry]);
        settled += 1;
      } catch (error) {
        // A rule's notification is not the record of what happened (the alert is): after a day of retries it
        // goes, so one dead receiver cannot keep a growing queue. SIEM entries are never dropped.
        if (entry.attempts + 1 >= MAX_WEBHOOK_ATTEMPTS) {
          log.error(
            { err: error, alert: entry.ref },
            'rule webhook notification dropped after repeated failures',
          );
          await complete(db, [entry]);
        } else await failed([entry], 'webhook', error);
      }
    }
    return settled;
  };

  return {
    /**
     * Record that a forwarder (re)starts with a closed circuit and no failures yet, so the state a stopped
     * process left (an open circuit) does not outlive it while nothing is pending.
     */
    begin(): void {
      if (deps.siemUrl) state.record({ circuit: circuit(), consecutive_failures: 0, updated_at: clock() });
    },
    /** Resolves once the delivery state recorded so far is written. */
    settled: () => state.settled(),
    /** One round over both destinations; returns the entries settled. */
    async round(): Promise<number> {
      const [siem, webhooks] = await Promise.all([deliverSiem(), deliverWebhooks()]);
      return siem + webhooks;
    },
    async stats(): Promise<ForwarderStats> {
      const [siemBacklog, webhookBacklog] = await Promise.all([backlog(db, 'siem'), backlog(db, 'webhook')]);
      return {
        enabled: Boolean(deps.siemUrl),
        backlog: siemBacklog,
        webhook_backlog: webhookBacklog,
        sent: counters.sent,
        failures: counters.failures,
        circuit: circuit(),
        last_success_at: counters.lastSuccess?.toISOString() ?? null,
        last_failure_at: counters.lastFailure?.toISOString() ?? null,
        last_error: counters.lastError,
      };
    },
  };
}

export type Forwarder = ReturnType<typeof createForwarder>;
