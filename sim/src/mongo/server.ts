import type { Document } from 'bson';
import { createServer, type Socket } from 'node:net';
import { Catalog } from './catalog.js';
import { runCommand } from './commands/index.js';
import { createExclusive, type CommandContext } from './commands/context.js';
import { CursorRegistry } from './cursors.js';
import { expireDocuments } from './ttl.js';
import { decodeMessage, encodeReply, frameLength, OP_QUERY } from './wire.js';

/** Options of {@link startMongoSim}. */
export interface MongoSimOptions {
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /** How often the TTL monitor runs; the server's default (`ttlMonitorSleepSecs`) is 60 s. */
  ttlIntervalMs?: number;
}

/** A running sim server. */
export interface MongoSim {
  /** `mongodb://127.0.0.1:<port>` — usable as is by the `mongodb` driver. */
  uri: string;
  /** Closes the listener and every open connection. */
  stop(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 48_000_000;
/** The server's `cursorTimeoutMillis` default. */
const CURSOR_TIMEOUT_MS = 10 * 60_000;

/**
 * Starts an in-memory MongoDB wire-protocol server on 127.0.0.1 that the official driver talks to as to a
 * standalone MongoDB 7. Data lives only as long as the server; see sim/README.md for the differences from a
 * real server.
 */
export async function startMongoSim(options: MongoSimOptions = {}): Promise<MongoSim> {
  const catalog = new Catalog();
  const cursors = new CursorRegistry();
  const exclusive = createExclusive();
  const sockets = new Set<Socket>();
  let connections = 0;

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    serveConnection(socket, { catalog, cursors, db: 'admin', connectionId: ++connections, exclusive });
  });

  const ttl = setInterval(() => {
    cursors.expireIdle(Date.now(), CURSOR_TIMEOUT_MS);
    void exclusive(() => Promise.resolve(expireDocuments(catalog, new Date())));
  }, options.ttlIntervalMs ?? 60_000);
  ttl.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    uri: `mongodb://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        clearInterval(ttl);
        cursors.clear();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Reads frames off one connection and answers them in order; a malformed frame closes the connection. */
function serveConnection(socket: Socket, base: CommandContext): void {
  // Chunks are joined only once a whole frame has arrived: re-joining on every chunk is quadratic for the
  // multi-megabyte batches of an insertMany.
  let chunks: Buffer[] = [];
  let buffered = 0;
  let needed = 0;
  let queue: Promise<void> = Promise.resolve();

  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    buffered += chunk.length;
    if (buffered < needed) return;
    let pending: Buffer = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, buffered);
    try {
      for (;;) {
        const length = frameLength(pending, MAX_MESSAGE_BYTES);
        if (length === undefined) break;
        const request = decodeMessage(pending.subarray(0, length), { lazySequences: true });
        pending = pending.subarray(length);
        queue = queue.then(async () => {
          const reply: Document = await runCommand(
            request.command,
            { ...base, db: request.db },
            request.opCode === OP_QUERY,
          );
          if (!request.moreToCome && !socket.destroyed) socket.write(encodeReply(request, reply));
        });
      }
    } catch {
      socket.destroy();
      return;
    }
    chunks = pending.length > 0 ? [pending] : [];
    buffered = pending.length;
    needed = pending.length >= 4 ? pending.readInt32LE(0) : 0;
  });
}
