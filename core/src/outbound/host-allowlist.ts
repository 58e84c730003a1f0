import { domainToASCII } from 'node:url';

/**
 * Host allowlists of outbound calls (`LLM_ALLOWED_DOMAINS`, `SIEM_ALLOWED_DOMAINS`). A pattern is either an exact
 * host (`api.openai.com`, `10.0.0.5`, `::1`) or `*.` followed by a domain (`*.openai.azure.com`), which matches
 * any host with at least one more label in front of that domain (`res.openai.azure.com`, `a.b.openai.azure.com`)
 * but never the domain itself nor a host that merely ends with the same characters (`evilopenai.azure.com`).
 * Hosts and patterns are compared as ASCII (IDN → punycode), case-insensitively, without a trailing dot and
 * without IPv6 brackets. A pattern that is not a usable host (empty, `*`, `*.`, a wildcard in the middle)
 * matches nothing, so a typo can only make the list stricter.
 */

/** A host in the form it is compared in, or undefined when it is not a usable host name or address. */
export function normalizeHost(host: string): string | undefined {
  let value = host.trim();
  if (value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1);
  if (value.endsWith('.')) value = value.slice(0, -1);
  if (value === '') return undefined;
  // IPv6 literals are not domain names: compare them as written, lower-cased.
  if (value.includes(':')) return /^[0-9a-f:.]+$/i.test(value) ? value.toLowerCase() : undefined;
  const ascii = domainToASCII(value);
  if (ascii === '' || ascii.split('.').some((label) => label === '')) return undefined;
  return ascii.toLowerCase();
}

interface HostPattern {
  /** The exact host, or the domain under which any subdomain matches. */
  host: string;
  wildcard: boolean;
}

function parsePattern(pattern: string): HostPattern | undefined {
  const text = pattern.trim();
  const wildcard = text.startsWith('*.');
  const rest = wildcard ? text.slice(2) : text;
  if (rest.includes('*')) return undefined;
  const host = normalizeHost(rest);
  if (host === undefined || (wildcard && host.includes(':'))) return undefined;
  return { host, wildcard };
}

/**
 * Whether `host` (a URL's `hostname`, brackets allowed) is matched by one of `patterns`. An empty list matches
 * nothing: "no list means any host" is a policy the caller decides, not this matcher.
 */
export function hostAllowed(host: string, patterns: readonly string[]): boolean {
  const normalized = normalizeHost(host);
  if (normalized === undefined) return false;
  return patterns.some((raw) => {
    const pattern = parsePattern(raw);
    if (pattern === undefined) return false;
    if (!pattern.wildcard) return normalized === pattern.host;
    return normalized.endsWith(`.${pattern.host}`);
  });
}

/** The patterns of a list that can never match anything (for a startup warning or a config error). */
export function unusableHostPatterns(patterns: readonly string[]): string[] {
  return patterns.filter((pattern) => parsePattern(pattern) === undefined);
}
