import { createConnection, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

/**
 * A TCP pass-through on a fixed 127.0.0.1 port to a server. Stopping it drops every connection and refuses
 * new ones — to its clients, the server behind it is down — and starting it again on the same port brings the
 * server back with its data intact: a database restart without the in-memory sim losing what it held.
 */
export interface TcpProxy {
  readonly port: number;
  /** Listens again on the same port; does nothing while already listening. */
  start(): Promise<void>;
  /** Drops every connection at once (before it returns) and stops listening; does nothing while stopped. */
  stop(): Promise<void>;
}

/** Starts a {@link TcpProxy} to `target` on `port` (0: a free one, kept across restarts). */
export async function startTcpProxy(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let boundPort = port;
  const start = async () => {
    if (server) return;
    const listening = createServer((client) => {
      const upstream = createConnection(target);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(boundPort, '127.0.0.1', () => resolve());
    });
    const address = listening.address();
    if (address && typeof address === 'object') boundPort = address.port;
    server = listening;
  };
  await start();
  return {
    get port() {
      return boundPort;
    },
    start,
    stop: () =>
      new Promise<void>((resolve) => {
        const closing = server;
        server = undefined;
        for (const socket of sockets) socket.destroy();
        sockets.clear();
        if (!closing) resolve();
        else closing.close(() => resolve());
      }),
  };
}
