import { connect } from 'node:net';
import { BSON, MongoClient, type Document } from 'mongodb';
import { describe, expect, inject, it } from 'vitest';
import { useTestDatabase } from '../testing.js';

const t = useTestDatabase('conf_server');

function hostPort(uri: string): { host: string; port: number } {
  const url = new URL(uri.replace(/^mongodb:/, 'http:'));
  return { host: url.hostname, port: Number(url.port || 27017) };
}

/** Sends one legacy OP_QUERY command on `admin.$cmd` over a raw socket and decodes the OP_REPLY. */
async function legacyCommand(command: Document): Promise<Document> {
  const { host, port } = hostPort(inject('mongoUri'));
  const body = Buffer.concat([
    Buffer.from([0, 0, 0, 0]),
    Buffer.from('admin.$cmd\0'),
    Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]),
    Buffer.from(BSON.serialize(command)),
  ]);
  const head = Buffer.alloc(16);
  head.writeInt32LE(16 + body.length, 0);
  head.writeInt32LE(1, 4);
  head.writeInt32LE(2004, 12);
  return new Promise((resolve, reject) => {
    const socket = connect(port, host, () => socket.write(Buffer.concat([head, body])));
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4 && received.length >= received.readInt32LE(0)) {
        socket.destroy();
        expect(received.readInt32LE(12)).toBe(1);
        resolve(BSON.deserialize(received.subarray(36)));
      }
    });
    socket.on('error', reject);
  });
}

describe('handshake and server commands', () => {
  it('answers the legacy OP_QUERY handshake and refuses other OP_QUERY commands', async () => {
    const hello = await legacyCommand({ isMaster: 1 });
    expect(hello).toMatchObject({ ok: 1, ismaster: true });
    const ping = await legacyCommand({ ping: 1 });
    expect(ping).toMatchObject({ ok: 0, code: 352 });
  });

  it('answers hello as a writable standalone without topologyVersion', async () => {
    const hello = await t.db.admin().command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(21);
    expect(hello.maxBsonObjectSize).toBe(16 * 1024 * 1024);
    expect(hello.maxWriteBatchSize).toBe(100_000);
    expect(hello.localTime).toBeInstanceOf(Date);
    expect(typeof hello.logicalSessionTimeoutMinutes).toBe('number');
  });

  it('answers ping, buildInfo and the legacy isMaster', async () => {
    expect((await t.db.admin().command({ ping: 1 })).ok).toBe(1);
    const info = await t.db.admin().command({ buildInfo: 1 });
    expect(info.versionArray[0]).toBeGreaterThanOrEqual(7);
    expect((await t.db.admin().command({ isMaster: 1 })).ismaster).toBe(true);
  });

  it('rejects an unknown command with CommandNotFound', async () => {
    await expect(t.db.command({ noSuchCommandHere: 1 })).rejects.toMatchObject({
      code: 59,
      codeName: 'CommandNotFound',
    });
  });

  it('lists a database once it holds a collection, and forgets it when dropped', async () => {
    await t.db.collection('listed').insertOne({ x: 1 });
    const { databases } = await t.db.admin().listDatabases({ nameOnly: true });
    expect(databases.map((d) => d.name)).toContain(t.name);
    const collections = await t.db.listCollections({}, { nameOnly: true }).toArray();
    expect(collections.map((c) => c.name)).toContain('listed');
    await t.db.collection('listed').drop();
    expect((await t.db.listCollections({ name: 'listed' }).toArray()).length).toBe(0);
  });

  it('refuses to create an existing collection with NamespaceExists', async () => {
    await t.db.createCollection('made');
    await expect(t.db.createCollection('made')).rejects.toMatchObject({ code: 48 });
  });

  it('closes only the connection that sent a malformed message', async () => {
    const { host, port } = hostPort(inject('mongoUri'));
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect(port, host, () => {
        const junk = Buffer.alloc(32, 0xff);
        junk.writeInt32LE(32, 0);
        junk.writeInt32LE(9999, 12);
        socket.write(junk);
      });
      socket.on('close', () => resolve(true));
      socket.on('error', () => undefined);
      setTimeout(() => {
        socket.destroy();
        resolve(false);
      }, 5000);
    });
    expect(closed).toBe(true);
    expect((await t.db.admin().command({ ping: 1 })).ok).toBe(1);
  });

  it('refuses transactions as a standalone server does', async () => {
    const hello = await t.db.admin().command({ hello: 1 });
    if (hello.setName !== undefined || hello.msg === 'isdbgrid') return; // a replica set supports them
    const session = t.client.startSession();
    try {
      session.startTransaction();
      const error = (await t.db
        .collection('tx')
        .insertOne({ a: 1 }, { session })
        .catch((e: unknown) => e)) as { code?: number; originalError?: { code?: number } };
      // The driver rewraps this server error as "does not support retryable writes", keeping the original.
      expect(error.code ?? error.originalError?.code).toBe(20);
    } finally {
      await session.endSession();
    }
  });

  it('serves a second client connected with a plain URI', async () => {
    const other = new MongoClient(inject('mongoUri'));
    try {
      await other.connect();
      await other.db(t.name).collection('shared').insertOne({ from: 'other' });
      expect(await t.db.collection('shared').countDocuments({ from: 'other' })).toBe(1);
    } finally {
      await other.close();
    }
  });
});
