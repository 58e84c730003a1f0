/** One live MCP session: its owner, and how to end it. */
export interface Session<T> {
  id: string;
  owner: string;
  handle: T;
  lastSeen: number;
  close(): Promise<void>;
}

export interface SessionRegistryOptions {
  /** A session unused this long is closed (default 30 min). */
  idleMs?: number;
  /** Sessions one caller may hold; opening one more closes their least recently used (default 16). */
  perOwner?: number;
  /** Sessions in all; beyond it new ones are refused (default 1000). */
  total?: number;
  now?: () => number;
}

/**
 * The open sessions of one process, each bound to the caller that opened it: a lookup by another caller finds
 * nothing, exactly as for an unknown id. Idle sessions are closed by a sweep whose timer never keeps the
 * process alive.
 */
export class SessionRegistry<T> {
  readonly #sessions = new Map<string, Session<T>>();
  readonly #idleMs: number;
  readonly #perOwner: number;
  readonly #total: number;
  readonly #now: () => number;
  #sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(options: SessionRegistryOptions = {}) {
    this.#idleMs = options.idleMs ?? 30 * 60_000;
    this.#perOwner = options.perOwner ?? 16;
    this.#total = options.total ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  /** Whether one more session may be opened at all. */
  hasRoom(): boolean {
    return this.#sessions.size < this.#total;
  }

  add(session: Omit<Session<T>, 'lastSeen'>): void {
    const owned = [...this.#sessions.values()].filter((s) => s.owner === session.owner);
    if (owned.length >= this.#perOwner) {
      const oldest = owned.reduce((a, b) => (a.lastSeen <= b.lastSeen ? a : b));
      this.#end(oldest);
    }
    this.#sessions.set(session.id, { ...session, lastSeen: this.#now() });
    this.#sweeper ??= setInterval(() => this.#sweep(), Math.min(this.#idleMs, 60_000));
    this.#sweeper.unref?.();
  }

  /** The session with this id if `owner` opened it (and marks it used); otherwise undefined. */
  get(id: string, owner: string): Session<T> | undefined {
    const session = this.#sessions.get(id);
    if (!session || session.owner !== owner) return undefined;
    session.lastSeen = this.#now();
    return session;
  }

  /** Forget a session that ended by itself (client DELETE, stream closed). */
  remove(id: string): void {
    this.#sessions.delete(id);
    if (this.#sessions.size === 0) this.#stopSweeper();
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** Close every session (shutdown). */
  async closeAll(): Promise<void> {
    const all = [...this.#sessions.values()];
    this.#sessions.clear();
    this.#stopSweeper();
    await Promise.allSettled(all.map((session) => session.close()));
  }

  #end(session: Session<T>): void {
    this.#sessions.delete(session.id);
    void session.close().catch(() => undefined);
  }

  #sweep(): void {
    const cutoff = this.#now() - this.#idleMs;
    for (const session of [...this.#sessions.values()]) {
      if (session.lastSeen < cutoff) this.#end(session);
    }
    if (this.#sessions.size === 0) this.#stopSweeper();
  }

  #stopSweeper(): void {
    if (this.#sweeper !== undefined) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }
}
