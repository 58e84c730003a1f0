import type { MicrosoftSim } from '../server.js';
import { CONTENT_TYPES } from '../sources.js';
import { call, feedRoot, getToken, listAllContent, walkGraph } from './client.js';

const DAY = 86_400_000;

export interface WalkResult {
  ids: Record<string, Set<string>>;
  records: number;
  requests: number;
}

/**
 * What a plain client does: tokens for both audiences, every Graph page, then for each content type the
 * subscription, every 24-hour window of the last 7 days, every listing page and every blob.
 */
export async function walkEverything(sim: MicrosoftSim, nowMs: () => number): Promise<WalkResult> {
  const before = sim.requests.length;
  const graph = await getToken(sim, sim.urls.graph);
  const management = await getToken(sim, sim.urls.management);
  const ids: Record<string, Set<string>> = {};
  let records = 0;
  for (const [source, path] of [
    ['directoryAudits', '/v1.0/auditLogs/directoryAudits'],
    ['intuneAuditEvents', '/v1.0/deviceManagement/auditEvents'],
  ] as const) {
    const walked = await walkGraph(`${sim.urls.graph}${path}`, graph);
    ids[source] = new Set(walked.records.map((r: { id: string }) => r.id));
    records += walked.records.length;
  }
  for (const type of CONTENT_TYPES) {
    const start = await call(
      `${feedRoot(sim)}/subscriptions/start?contentType=${type}&PublisherIdentifier=${sim.tenantId}`,
      management,
      { method: 'POST' },
    );
    if (start.status !== 200 && start.body?.error?.code !== 'AF20024')
      throw new Error(`start ${type}: ${start.status}`);
    const seen = new Set<string>();
    // Windows end now and step back a day at a time; the oldest starts a minute inside the 7-day limit.
    const end = nowMs();
    for (let day = 0; day < 7; day += 1) {
      const windowEnd = end - day * DAY;
      const windowStart = Math.max(windowEnd - DAY, end - 7 * DAY + 60_000);
      const url = `${feedRoot(sim)}/subscriptions/content?contentType=${type}&startTime=${new Date(windowStart).toISOString()}&endTime=${new Date(windowEnd).toISOString()}&PublisherIdentifier=${sim.tenantId}`;
      const { entries } = await listAllContent(url, management);
      for (const entry of entries as Array<{ contentUri: string }>) {
        const blob = await call(`${entry.contentUri}?PublisherIdentifier=${sim.tenantId}`, management);
        if (blob.status !== 200) throw new Error(`blob ${entry.contentUri}: ${blob.status}`);
        for (const record of blob.body as Array<{ Id: string }>) seen.add(record.Id);
        records += (blob.body as unknown[]).length;
      }
    }
    ids[type] = seen;
  }
  return { ids, records, requests: sim.requests.length - before };
}
