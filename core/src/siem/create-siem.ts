import type { Config } from '../config.js';
import type { CoreContext } from '../context.js';
import { ConfigError, isAppError } from '../errors.js';
import type { NormalizedEvent } from '../events/model.js';
import { createOutboundGuard } from '../outbound/outbound-guard.js';
import type { OutboundDeps, OutboundGuard } from '../outbound/outbound-guard.js';
import type { SourceHealth } from '../ingest/source-health.js';
import type { EvaluationResult } from '../rules/evaluate.js';
import { createForwarder } from './forwarder.js';
import type { ForwarderOptions, ForwarderStats } from './forwarder.js';
import { enqueue, ensureOutboxIndexes } from './outbox.js';
import { DEFAULT_STALLED_AFTER_MS, readSiemHealth } from './siem-health.js';

export type { OutboundDeps };

/**
 * `core.siem`: the outbox and its forwarder. Ingestion calls `enqueue` (a Mongo write, nothing more); the API
 * process calls `start()` so a forwarder drains the outbox in the background, and `stop()` at shutdown.
 */
export interface SiemApi {
  /** SIEM_ENABLED with a URL the guard accepts. */
  enabled: boolean;
  /** The guards of SIEM and rule-webhook URLs (SIEM_ALLOWED_DOMAINS), for anyone else sending there. */
  guards: { siem: OutboundGuard; webhooks: OutboundGuard };
  /** Record new events and alerts for the SIEM (when forwarding is on), and alerts for their rule's webhook. */
  enqueue(events: readonly NormalizedEvent[], raised: EvaluationResult): Promise<void>;
  /** Start draining in the background (idempotent). */
  start(): void;
  /** Stop draining; resolves once the current round is over. */
  stop(): Promise<void>;
  /** Deliver until nothing is claimable (a failed batch waits in the outbox); returns the entries settled. */
  flush(): Promise<number>;
  /** Backlog, failures and circuit state of this process's forwarder, for `/metrics`. */
  stats(): Promise<ForwarderStats>;
  /**
   * The `siem` entry of source health (see `presentSiemHealth`), read from the database so every process gives
   * the same answer; null when forwarding is off.
   */
  health(): Promise<SourceHealth | null>;
}

/** The hosts SIEM and rule webhooks may reach: SIEM_ALLOWED_DOMAINS, or else the SIEM URL's own host. */
export function siemAllowedHosts(siem: Config['siem']): string[] {
  if (siem.allowedDomains.length > 0) return siem.allowedDomains;
  return siem.webhookUrl ? [new URL(siem.webhookUrl).hostname] : [];
}

export async function createSiem(
  ctx: CoreContext,
  deps: { outbound?: OutboundDeps; options?: ForwarderOptions } = {},
): Promise<SiemApi> {
  const { config, db, log, clock } = ctx;
  const guardOptions = {
    allowedHosts: siemAllowedHosts(config.siem),
    allowlistName: 'SIEM_ALLOWED_DOMAINS',
    ...(deps.outbound?.allowLoopback ? { allowLoopback: true } : {}),
    ...(deps.outbound?.resolve ? { resolve: deps.outbound.resolve } : {}),
  };
  const guards = { siem: createOutboundGuard(guardOptions), webhooks: createOutboundGuard(guardOptions) };
  const siemUrl = config.siem.enabled ? config.siem.webhookUrl : undefined;
  if (siemUrl) {
    try {
      guards.siem.checkUrl(siemUrl);
    } catch (error) {
      const message = isAppError(error) ? error.message : String(error);
      throw new ConfigError(`SIEM_WEBHOOK_URL: ${message}`, { details: [`SIEM_WEBHOOK_URL: ${message}`] });
    }
  }
  await ensureOutboxIndexes(db);
  const forwarder = createForwarder({
    db,
    log,
    clock,
    siemUrl,
    siemGuard: guards.siem,
    webhookGuard: guards.webhooks,
    options: deps.options ?? {},
  });
  const idleMs = deps.options?.idleMs ?? 5000;
  let running: { stop: AbortController; done: Promise<void> } | undefined;
  let wake: (() => void) | undefined;

  const pause = (signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, idleMs);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        wake = undefined;
        resolve();
      }
      wake = done;
      signal.addEventListener('abort', done, { once: true });
    });

  const loop = async (signal: AbortSignal) => {
    while (!signal.aborted) {
      let settled = 0;
      try {
        settled = await forwarder.round();
      } catch (error) {
        log.error({ err: error }, 'outbox round failed');
      }
      if (settled === 0 && !signal.aborted) await pause(signal);
    }
  };

  return {
    enabled: siemUrl !== undefined,
    guards,
    async enqueue(events, { alerts, notify }) {
      const entries: { dest: 'siem' | 'webhook'; kind: 'event' | 'alert'; ref: string }[] = [];
      if (siemUrl) {
        for (const key of new Set(events.map((e) => e.dedupe_key)))
          entries.push({ dest: 'siem', kind: 'event', ref: key });
        for (const alert of alerts)
          entries.push({ dest: 'siem', kind: 'alert', ref: alert._id.toHexString() });
      }
      for (const alert of notify)
        entries.push({ dest: 'webhook', kind: 'alert', ref: alert._id.toHexString() });
      await enqueue(db, entries, clock());
      if (entries.length > 0) wake?.();
    },
    start() {
      if (running) return;
      forwarder.begin();
      const stop = new AbortController();
      running = { stop, done: loop(stop.signal) };
    },
    async stop() {
      if (!running) return;
      const { stop, done } = running;
      running = undefined;
      stop.abort();
      await done;
      await forwarder.settled();
    },
    async flush() {
      let total = 0;
      for (;;) {
        const settled = await forwarder.round();
        if (settled === 0) return total;
        total += settled;
      }
    },
    stats: () => forwarder.stats(),
    health: async () =>
      siemUrl ? readSiemHealth(db, clock(), deps.options?.stalledAfterMs ?? DEFAULT_STALLED_AFTER_MS) : null,
  };
}
