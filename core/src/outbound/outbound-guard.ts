import { Agent, fetch as undiciFetch } from 'undici';
import type { RequestInit as UndiciRequestInit } from 'undici';
import { addressRefusal } from './address-policy.js';
import { hostAllowed } from './host-allowlist.js';
import { OutboundRefusedError } from './outbound-error.js';
import { literalAddress, pinnedLookup, systemResolve } from './resolve-host.js';
import type { ResolveHost, ResolvedAddress } from './resolve-host.js';

/** Outbound settings only tests change (they are `createCore` dependencies, never environment variables). */
export interface OutboundDeps {
  /** Accept plain http and loopback addresses, for a receiver on 127.0.0.1. Never set in production. */
  allowLoopback?: boolean;
  /** Name resolution (tests simulate DNS answers). */
  resolve?: ResolveHost;
}

/** What an outbound destination (SIEM, rule webhooks, the LLM) may be. */
export interface OutboundGuardOptions {
  /** Host patterns (see `hostAllowed`, wildcards like `*.example.com`), or `'any'` for no host restriction. */
  allowedHosts: readonly string[] | 'any';
  /** The setting behind `allowedHosts`, named in refusals so the operator knows what to change. */
  allowlistName: string;
  /**
   * Tests only: accept plain `http:` and loopback addresses (127.0.0.0/8, ::1), so a receiver on 127.0.0.1
   * can stand in for a SIEM. Private and link-local addresses stay refused.
   */
  allowLoopback?: boolean;
  /**
   * Accept private addresses (see `AddressPolicy.allowPrivate`) for a destination behind a private endpoint.
   * Loopback, link-local and metadata addresses stay refused; plain `http:` stays refused.
   */
  allowPrivateNetwork?: boolean;
  /** Name resolution; the system resolver by default (tests inject answers to simulate DNS). */
  resolve?: ResolveHost;
  /** Same-host redirects followed at most (default 3); a redirect to another host is always refused. */
  maxRedirects?: number;
  /** Whole-request timeout including redirects (default 15 s). */
  timeoutMs?: number;
}

/** A checked destination: the URL and the one address the connection is pinned to. */
export interface PinnedTarget {
  url: URL;
  address: ResolvedAddress;
}

/** The one gate every outbound URL goes through. */
export interface OutboundGuard {
  /**
   * The checks that need no network: a parseable URL without credentials, `https:` (or `http:` under
   * `allowLoopback`), a host on the allowlist, and — for IP literals, including decimal/octal/hex forms the URL
   * parser normalizes — a public address. Throws `OutboundRefusedError`; use it to validate a URL when saved.
   */
  checkUrl(url: string | URL): URL;
  /** `checkUrl`, then resolve the host once and refuse unless every address it has is public. */
  resolve(url: string | URL): Promise<PinnedTarget>;
  /**
   * `fetch` to a guarded URL: resolved once, connected to the checked address only (TLS still verifies the
   * host name), redirects followed only on the same host and scheme (each re-checked), and refused with
   * `OutboundRefusedError` otherwise. Network failures reject as `fetch` does.
   */
  fetch(url: string | URL, init?: RequestInit): Promise<Response>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Build a guard for one kind of destination (see `OutboundGuardOptions`). */
export function createOutboundGuard(options: OutboundGuardOptions): OutboundGuard {
  const allowLoopback = options.allowLoopback ?? false;
  const policy = { allowLoopback, allowPrivate: options.allowPrivateNetwork ?? false };
  const resolveHost = options.resolve ?? systemResolve;
  const maxRedirects = options.maxRedirects ?? 3;

  const checkUrl = (input: string | URL): URL => {
    let url: URL;
    try {
      url = new URL(String(input));
    } catch {
      throw new OutboundRefusedError('url', 'not a valid URL');
    }
    if (url.username || url.password)
      throw new OutboundRefusedError(
        'url',
        'credentials in the URL are not accepted; use a token in the path',
      );
    const httpOk = allowLoopback && url.protocol === 'http:';
    if (url.protocol !== 'https:' && !httpOk)
      throw new OutboundRefusedError('scheme', `only https URLs are allowed, got ${url.protocol}//`);
    if (options.allowedHosts !== 'any' && !hostAllowed(url.hostname, options.allowedHosts)) {
      throw new OutboundRefusedError(
        'host',
        `host "${url.hostname}" is not in ${options.allowlistName} (${options.allowedHosts.join(', ') || 'empty'})`,
      );
    }
    const literal = literalAddress(url.hostname);
    if (literal) refuseAddress(url, literal);
    return url;
  };

  const refuseAddress = (url: URL, resolved: ResolvedAddress) => {
    const why = addressRefusal(resolved.address, policy);
    if (why !== undefined)
      throw new OutboundRefusedError('address', `refused to connect to "${url.hostname}": ${why}`);
  };

  const resolve = async (input: string | URL): Promise<PinnedTarget> => {
    const url = checkUrl(input);
    const literal = literalAddress(url.hostname);
    if (literal) return { url, address: literal };
    const addresses = await resolveHost(url.hostname);
    if (addresses.length === 0)
      throw new OutboundRefusedError('address', `"${url.hostname}" did not resolve to any address`);
    // Every answer must be public: picking the "good" one of a mixed answer invites a retry that gets the other.
    for (const address of addresses) refuseAddress(url, address);
    return { url, address: addresses[0]! };
  };

  const send = async (target: PinnedTarget, init: RequestInit, signal: AbortSignal): Promise<Response> => {
    const agent = new Agent({ connect: { lookup: pinnedLookup(target.address) } });
    try {
      // undici's Response is the web Response; the types differ only in how each lib declares streams.
      const response: unknown = await undiciFetch(target.url, {
        ...(init as UndiciRequestInit),
        redirect: 'manual',
        dispatcher: agent,
        signal,
      });
      return response as Response;
    } finally {
      // Graceful: waits for the body to be read before the agent's sockets go.
      void agent.close();
    }
  };

  const guardedFetch = async (input: string | URL, init: RequestInit = {}): Promise<Response> => {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 15_000);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let target = await resolve(input);
    let request = init;
    for (let hop = 0; ; hop += 1) {
      const response = await send(target, request, signal);
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || location === null) return response;
      await response.body?.cancel();
      const next = new URL(location, target.url);
      if (next.hostname !== target.url.hostname || next.protocol !== target.url.protocol) {
        throw new OutboundRefusedError(
          'redirect',
          `refused to follow a redirect from "${target.url.hostname}" to "${next.protocol}//${next.host}"`,
        );
      }
      if (hop >= maxRedirects)
        throw new OutboundRefusedError(
          'redirect',
          maxRedirects === 0 ? 'redirects are not followed' : `more than ${maxRedirects} redirects`,
        );
      // 303, and 301/302 after a POST, turn into a GET without a body, as browsers do.
      const toGet =
        response.status === 303 ||
        ((response.status === 301 || response.status === 302) && request.method === 'POST');
      if (toGet) {
        const { body: _body, ...rest } = request;
        request = { ...rest, method: 'GET' };
      }
      target = { url: next, address: target.address };
    }
  };

  return { checkUrl, resolve, fetch: guardedFetch };
}
