import { UpstreamError } from '../errors.js';

/**
 * Refuse a server-supplied link (`@odata.nextLink`, `NextPageUri`, `contentUri`) that leaves the configured
 * origin: following it would send our bearer token to another host.
 */
export function assertSameOrigin(link: string, baseUrl: string, source: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new UpstreamError(`${source}: the server returned an invalid link`);
  }
  if (url.origin !== new URL(baseUrl).origin) {
    throw new UpstreamError(`${source}: refusing to follow a link to another origin (${url.origin})`);
  }
  return link;
}
