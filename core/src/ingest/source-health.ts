import type { Collection, Db } from 'mongodb';
import type { Source } from '../events/model.js';
import { COLLECTIONS } from '../store/collections.js';

/** Why a source failed, so the console can say what to do about it. */
export type FailureKind = 'credentials' | 'subscription' | 'upstream' | 'internal';

/** A stretch of time whose events can no longer be fetched (the source forgot them before we asked). */
export interface Gap {
  from: Date;
  to: Date;
  recorded_at: Date;
  reason: string;
}

/** A document of `source_health`, one per source. */
export interface SourceHealthDocument {
  _id: Source;
  source: Source;
  last_attempt_at?: Date;
  last_success_at?: Date;
  last_error?: string | null;
  last_error_kind?: FailureKind | null;
  last_error_at?: Date | null;
  /** Events fetched by the last finished run. */
  events_fetched?: number;
  /** Events stored (new or refreshed) by the last finished run. */
  events_stored?: number;
  /** Up to where events are known stored (the oldest watermark of the source). */
  watermark?: Date;
  warnings?: string[];
  gaps?: Gap[];
  next_run_at?: Date | null;
}

/**
 * The SIEM forwarder's side of its health entry (`source: 'siem'`, present only when SIEM_ENABLED): what waits
 * in the outbox and how delivery is going. The entry's `lag_seconds` is the age of the oldest pending item.
 */
export interface SiemDelivery {
  /** Events and alerts waiting for the SIEM. */
  backlog: number;
  /** When the oldest of them was queued; null when nothing waits. */
  oldest_pending_at: Date | null;
  /** Alert notifications waiting for rule webhooks (they do not change the status). */
  webhook_backlog: number;
  /** Failed requests since the last accepted one (each retry counts). */
  consecutive_failures: number;
  /** The delivery circuit breaker: `open` means requests are refused while the SIEM recovers. */
  circuit: 'closed' | 'open' | 'half-open' | 'isolated';
  /** How old the oldest pending item may get before the entry is failing. */
  stalled_after_seconds: number;
}

/** What a health entry is about: an audit log source, or the SIEM forwarder. */
export type HealthSubject = Source | 'siem';

/** One source's health as every surface shows it. */
export interface SourceHealth {
  source: HealthSubject;
  /** `failing` whenever collection has stopped; `degraded` when it runs but lost or skipped something. */
  status: 'ok' | 'degraded' | 'failing' | 'unknown';
  reason: string | null;
  last_attempt_at: Date | null;
  last_success_at: Date | null;
  last_error: string | null;
  last_error_kind: FailureKind | null;
  events_fetched: number;
  events_stored: number;
  /** Seconds between now and the watermark: how far behind collection is. */
  lag_seconds: number | null;
  warnings: string[];
  gaps: Gap[];
  next_run_at: Date | null;
  /** Only on the `siem` entry. */
  siem?: SiemDelivery;
}

export const SOURCES: readonly Source[] = ['directory', 'intune', 'unified'];
const MAX_GAPS = 50;

function collection(db: Db): Collection<SourceHealthDocument> {
  return db.collection<SourceHealthDocument>(COLLECTIONS.sourceHealth);
}

export interface HealthStore {
  attempt(source: Source, at: Date): Promise<void>;
  success(
    source: Source,
    at: Date,
    run: { fetched: number; stored: number; watermark?: Date; warnings: string[] },
  ): Promise<void>;
  failure(
    source: Source,
    at: Date,
    error: { message: string; kind: FailureKind; fetched: number; stored: number },
  ): Promise<void>;
  gap(source: Source, gap: Gap): Promise<void>;
  schedule(next: Date | null): Promise<void>;
  read(now: Date, expectedIntervalMs: number | undefined): Promise<SourceHealth[]>;
}

export function createHealthStore(db: Db): HealthStore {
  const col = collection(db);
  const set = (source: Source, fields: Partial<SourceHealthDocument>) =>
    col.updateOne({ _id: source }, { $set: { source, ...fields } }, { upsert: true });
  return {
    async attempt(source, at) {
      await set(source, { last_attempt_at: at });
    },
    async success(source, at, run) {
      await set(source, {
        last_success_at: at,
        last_error: null,
        last_error_kind: null,
        last_error_at: null,
        events_fetched: run.fetched,
        events_stored: run.stored,
        warnings: run.warnings.slice(0, 50),
        ...(run.watermark ? { watermark: run.watermark } : {}),
      });
    },
    async failure(source, at, error) {
      await set(source, {
        last_error: error.message,
        last_error_kind: error.kind,
        last_error_at: at,
        events_fetched: error.fetched,
        events_stored: error.stored,
      });
    },
    async gap(source, gap) {
      await col.updateOne(
        { _id: source },
        { $set: { source }, $push: { gaps: { $each: [gap], $slice: -MAX_GAPS } } },
        { upsert: true },
      );
    },
    async schedule(next) {
      for (const source of SOURCES) await set(source, { next_run_at: next });
    },
    async read(now, expectedIntervalMs) {
      const docs = await col.find({ _id: { $in: [...SOURCES] } }).toArray();
      const bySource = new Map(docs.map((doc) => [doc._id, doc]));
      return SOURCES.map((source) => present(source, bySource.get(source), now, expectedIntervalMs));
    },
  };
}

const RECENT_GAP_MS = 7 * 24 * 3_600_000;

/**
 * The status rules: a source is failing when its last attempt failed (credentials rejected and subscriptions
 * disabled say so), or when scheduled fetching is on and its last success is older than twice the interval —
 * never "ok" while collection has stopped. Gaps recorded in the last 7 days and warnings of the last run
 * make it degraded.
 */
function present(
  source: Source,
  doc: SourceHealthDocument | undefined,
  now: Date,
  expectedIntervalMs: number | undefined,
): SourceHealth {
  const lastSuccess = doc?.last_success_at ?? null;
  const lastErrorAt = doc?.last_error_at ?? null;
  const gaps = doc?.gaps ?? [];
  const warnings = doc?.warnings ?? [];
  let status: SourceHealth['status'] = 'ok';
  let reason: string | null = null;
  if (!doc?.last_attempt_at) {
    status = 'unknown';
    reason = 'never fetched';
  } else if (lastErrorAt && (!lastSuccess || lastErrorAt >= lastSuccess)) {
    status = 'failing';
    reason = describeFailure(doc.last_error_kind ?? 'upstream', doc.last_error ?? 'unknown error');
  } else if (
    expectedIntervalMs !== undefined &&
    (!lastSuccess || now.getTime() - lastSuccess.getTime() > 2 * expectedIntervalMs)
  ) {
    status = 'failing';
    const minutes = lastSuccess ? Math.round((now.getTime() - lastSuccess.getTime()) / 60_000) : undefined;
    reason =
      minutes === undefined
        ? 'no successful fetch yet'
        : `no successful fetch for ${minutes} min (expected every ${Math.round(expectedIntervalMs / 60_000)} min)`;
  } else if (gaps.some((gap) => now.getTime() - gap.recorded_at.getTime() < RECENT_GAP_MS)) {
    status = 'degraded';
    const last = gaps[gaps.length - 1];
    reason = last
      ? `events between ${last.from.toISOString()} and ${last.to.toISOString()} are lost: ${last.reason}`
      : null;
  } else if (warnings.length > 0) {
    status = 'degraded';
    reason = warnings[0] ?? null;
  }
  return {
    source,
    status,
    reason,
    last_attempt_at: doc?.last_attempt_at ?? null,
    last_success_at: lastSuccess,
    last_error: doc?.last_error ?? null,
    last_error_kind: doc?.last_error_kind ?? null,
    events_fetched: doc?.events_fetched ?? 0,
    events_stored: doc?.events_stored ?? 0,
    lag_seconds: doc?.watermark
      ? Math.max(0, Math.round((now.getTime() - doc.watermark.getTime()) / 1000))
      : null,
    warnings,
    gaps,
    next_run_at: doc?.next_run_at ?? null,
  };
}

function describeFailure(kind: FailureKind, message: string): string {
  switch (kind) {
    case 'credentials':
      return `credentials rejected: ${message}`;
    case 'subscription':
      return `subscription disabled: ${message}`;
    case 'upstream':
    case 'internal':
      return message;
  }
}
