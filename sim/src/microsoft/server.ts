import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { faultResponse, graphError } from './error-bodies.js';
import { createBlobIndex } from './blobs.js';
import { createFaults, type Faults } from './faults.js';
import { json, type Route, type SimRequest, type SimResponse } from './http.js';
import type { Knobs } from './knobs.js';
import { countGenerated, expectedIds, idsOf } from './expectations.js';
import { startLiveTraffic, type LiveTraffic } from './live-traffic.js';
import { createRng, saltOf } from './random.js';
import { logEntry, type LoggedRequest } from './request-log.js';
import { graphAuditsRoute } from './routes/graph-audits.js';
import { graphBatchRoute } from './routes/graph-batch.js';
import { graphObjectsRoute } from './routes/graph-objects.js';
import { loginRoute } from './routes/login.js';
import { managementRoute, noticeOf, type Quotas } from './routes/management.js';
import { isContentType, SOURCE_NAMES, type ContentType, type SourceName } from './sources.js';
import { createSubscriptionState } from './subscriptions.js';
import { createTokenService, type Audience } from './tokens.js';
import { notify } from './webhooks.js';
import { createWorld, type World } from './world.js';

export interface MicrosoftSimOptions {
  /** Port of the login listener; Graph and Management use the next two. 0 (default): three free ports. */
  port?: number;
  seed?: number;
  /** Total generated events over all sources (default 3000). */
  events?: number;
  /** History length the events spread over, ending at start time (default 7). */
  days?: number;
  now?: () => Date;
  /** Added to every response. */
  latencyMs?: number;
  clientSecret?: string;
  knobs?: Partial<Knobs>;
  /** Content types whose subscription is already enabled at start (default none: clients call start). */
  subscribed?: readonly ContentType[];
  /** Management Activity API request quotas per minute (defaults: shared 600, per publisher 2000). */
  quotas?: Partial<Quotas>;
  /** Records per content blob (default 50). */
  blobSize?: number;
  /** Minutes between a record's time and its blob becoming available (default 30; capped at start time). */
  contentLagMinutes?: number;
  /** How many requests `requests` keeps, newest last (default 50,000). */
  requestLogLimit?: number;
  /** Keep the tenant alive (the demo): every `everyMs`, `count` new events of the interval just passed. */
  liveEvents?: LiveTraffic;
}

export interface MicrosoftSim {
  /** Origins: token URL `{login}/{tenant}/oauth2/v2.0/token`, Graph `{graph}/v1.0/…`, `{management}/api/v1.0/{tenant}/activity/feed/…`. */
  urls: { login: string; graph: string; management: string };
  tenantId: string;
  /** The tenant's initial domain, also accepted in the token URL. */
  tenantDomain: string;
  clientId: string;
  clientSecret: string;
  faults: Faults;
  knobs: Knobs;
  /** Requests received (the newest `requestLogLimit`), oldest first; clear with `requests.length = 0`. */
  requests: LoggedRequest[];
  world: World;
  /** Adds late-arriving events: activity time `lateByHours` ago, available now. Returns their ids. */
  addEvents(count: number, options?: { lateByHours?: number; sources?: SourceName[] }): string[];
  /** How many events each source holds. */
  generated(): { total: number; bySource: Record<SourceName, number> };
  /** The ids a complete fetch of each source must yield now (unique; expired content excluded). */
  expectedIds(): Record<SourceName, Set<string>>;
  /** Resolves once every webhook notification sent so far has been answered. */
  flushNotifications(): Promise<void>;
  stop(): Promise<void>;
}

type Listener = 'login' | 'graph' | 'management';

/** Path and query, percent-decoded, so fault paths can be written as a client reads them (`$skiptoken=`). */
function matchable(url: URL): string {
  const raw = `${url.pathname}${url.search}`;
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/**
 * Starts the simulated Microsoft cloud on 127.0.0.1: Entra token endpoint, Graph and the Office 365 Management
 * Activity API, each on its own port so that a token's audience follows the requested scope's origin.
 */
export async function startMicrosoftSim(options: MicrosoftSimOptions = {}): Promise<MicrosoftSim> {
  const now = options.now ?? (() => new Date());
  const seed = options.seed ?? 1;
  const world = createWorld({
    seed,
    events: options.events ?? 3000,
    days: options.days ?? 7,
    anchorMs: now().getTime(),
  });
  const ids = createRng(seed, saltOf('app'));
  const clientId = ids.guid();
  const clientSecret = options.clientSecret ?? `sim~${ids.hex(34)}`;
  const tokens = createTokenService(now);
  const faults = createFaults(tokens);
  const knobs: Knobs = {
    duplicateAcrossPages: false,
    duplicateAcrossBlobs: 0,
    graphPageSize: 1000,
    contentPageSize: 200,
    ...options.knobs,
  };
  const requests: LoggedRequest[] = [];
  const logLimit = options.requestLogLimit ?? 50_000;
  // A demo tenant runs for days: keep the newest entries only, trimming in batches to stay cheap.
  const record = (entry: LoggedRequest): void => {
    requests.push(entry);
    if (requests.length > logLimit * 1.1) requests.splice(0, requests.length - logLimit);
  };
  const blobs = createBlobIndex(world, options.blobSize ?? 50, (options.contentLagMinutes ?? 30) * 60_000);
  const state = createSubscriptionState(options.subscribed ?? []);
  const quotas: Quotas = { sharedPerMinute: 600, tenantPerMinute: 2000, ...options.quotas };
  const urls = { login: '', graph: '', management: '' };
  const resources = new Map<string, { audience: Audience; aud: string }>();
  const graphAud = { audience: 'graph' as const, aud: 'https://graph.microsoft.com' };
  const managementAud = { audience: 'management' as const, aud: 'https://manage.office.com' };
  resources.set('https://graph.microsoft.com', graphAud);
  resources.set('https://manage.office.com', managementAud);

  const routes: Record<Listener, Route[]> = {
    login: [
      loginRoute({
        tenantId: world.tenant.tenantId,
        tenantDomain: world.tenant.domain,
        clientId,
        clientSecret,
        resources,
        tokens,
      }),
    ],
    graph: [
      graphAuditsRoute({ world, tokens, knobs, origin: () => urls.graph }),
      graphObjectsRoute({ tenant: world.tenant, tokens, origin: () => urls.graph }),
      graphBatchRoute({
        tokens,
        origin: () => urls.graph,
        run: (sub, itemId) => {
          const entry = { ...logEntry('graph', sub, now()), batchItem: itemId };
          record(entry);
          return execute('graph', sub, entry);
        },
      }),
    ],
    management: [
      managementRoute({
        tenantId: world.tenant.tenantId,
        tokens,
        blobs,
        knobs,
        faults,
        state,
        quotas,
        now,
        origin: () => urls.management,
      }),
    ],
  };

  async function dispatch(listener: Listener, req: SimRequest): Promise<SimResponse> {
    for (const route of routes[listener]) {
      const response = await route(req);
      if (response) return response;
    }
    if (listener === 'graph')
      return graphError(
        400,
        'BadRequest',
        `Resource not found for the segment '${req.url.pathname.split('/').pop() ?? ''}'.`,
      );
    if (listener === 'management')
      return json(404, {
        Message: `No HTTP resource was found that matches the request URI '${req.url.toString()}'.`,
      });
    return json(404, { error: 'not_found' });
  }

  /** Applies the first matching fault, else the routes; records the status on the log entry. */
  async function execute(
    listener: Listener,
    req: SimRequest,
    entry: LoggedRequest,
  ): Promise<SimResponse | 'reset'> {
    const fault = faults.take(req.method, matchable(req.url));
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.reset) return 'reset';
    let response: SimResponse;
    if (fault?.status) {
      const retry: Record<string, string> =
        fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
      const method =
        req.method === 'GET' && req.url.pathname.includes('/activity/feed/audit/') ? 'GetBlob' : req.method;
      response = faultResponse(listener, fault.status, retry, method);
    } else {
      response = await dispatch(listener, req);
    }
    entry.status = response.status;
    return response;
  }

  async function handle(
    listener: Listener,
    incoming: IncomingMessage,
    outgoing: ServerResponse,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(incoming.headers))
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const req: SimRequest = {
      method: incoming.method ?? 'GET',
      url: new URL(incoming.url ?? '/', urls[listener]),
      headers,
      body: Buffer.concat(chunks),
    };
    const entry = logEntry(listener, req, now());
    record(entry);
    if (options.latencyMs) await sleep(options.latencyMs);
    const response = await execute(listener, req, entry);
    if (response === 'reset') {
      incoming.socket.destroy();
      return;
    }
    const body =
      response.body === undefined
        ? ''
        : typeof response.body === 'string'
          ? response.body
          : JSON.stringify(response.body);
    outgoing.writeHead(response.status, { 'content-length': Buffer.byteLength(body), ...response.headers });
    outgoing.end(body);
  }

  const servers: Server[] = [];
  const listen = async (listener: Listener, port: number): Promise<string> => {
    const server = createServer((incoming, outgoing) => {
      handle(listener, incoming, outgoing).catch((error: unknown) => {
        if (outgoing.headersSent) return;
        outgoing.writeHead(500, { 'content-type': 'application/json' });
        outgoing.end(JSON.stringify({ error: { code: 'InternalServerError', message: String(error) } }));
      });
    });
    servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const base = options.port ?? 0;
  urls.login = await listen('login', base);
  urls.graph = await listen('graph', base === 0 ? 0 : base + 1);
  urls.management = await listen('management', base === 0 ? 0 : base + 2);
  resources.set(urls.graph, graphAud);
  resources.set(urls.management, managementAud);

  /** Adds events to one source; content types get a new blob, announced to the type's webhook. */
  function addExtras(
    source: SourceName,
    count: number,
    at: { nowMs: number; endMs: number; spreadMs: number },
  ): string[] {
    if (count <= 0) return [];
    const seqs = world.addLate(source, count, at).map((e) => e.seq);
    if (isContentType(source)) {
      const blob = blobs.addLate(source, seqs, at.nowMs);
      const notice = noticeOf(blob, {
        blobs,
        faults,
        now,
        origin: () => urls.management,
        tenantId: world.tenant.tenantId,
      });
      notify(state, { tenantId: world.tenant.tenantId, clientId }, [notice], now);
    }
    return [...idsOf(world, source, seqs)];
  }

  const stopLive = options.liveEvents
    ? startLiveTraffic(seed, options.liveEvents, now, addExtras)
    : undefined;

  return {
    urls,
    tenantId: world.tenant.tenantId,
    tenantDomain: world.tenant.domain,
    clientId,
    clientSecret,
    faults,
    knobs,
    requests,
    world,
    addEvents(count, addOptions = {}) {
      const sources = addOptions.sources ?? SOURCE_NAMES;
      const nowMs = now().getTime();
      const endMs = nowMs - (addOptions.lateByHours ?? 2) * 3_600_000;
      const added: string[] = [];
      sources.forEach((source, index) => {
        const share = Math.floor(count / sources.length) + (index < count % sources.length ? 1 : 0);
        added.push(...addExtras(source, share, { nowMs, endMs, spreadMs: 3_600_000 }));
      });
      return added;
    },
    generated: () => countGenerated(world),
    expectedIds: () => expectedIds(world, blobs, faults, now().getTime()),
    async flushNotifications() {
      while (state.pending.size > 0) await Promise.all([...state.pending]);
    },
    async stop() {
      stopLive?.();
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
