import type { Context } from 'hono';
import type { Identity } from './auth/identity.js';

/** Request-scoped values every handler can read from `c.get(...)`. */
export interface AppVariables {
  requestId: string;
  /** The verified caller when auth is enabled; undefined on public routes and when auth is off. */
  identity: Identity | undefined;
}

export interface AppEnv {
  Variables: AppVariables;
}

export type AppContext = Context<AppEnv>;

/**
 * The address of the peer that opened the connection, as the runtime reports it (Node: the socket,
 * Deno: `info.remoteAddr`). Undefined when the runtime gives none (e.g. `app.request()` in tests).
 */
export type SocketAddressOf = (c: Context) => string | undefined;
