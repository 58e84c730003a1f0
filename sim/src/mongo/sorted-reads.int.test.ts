import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing.js';

/**
 * Sorted, limited pages read again and again between writes, as the console reads its event list while
 * ingestion runs: every page is the server's answer, whatever the sim keeps between reads.
 */

const t = useTestDatabase('conf_sorted_reads');

interface Row {
  _id: string;
  service: string;
  ts: number;
  n: number;
}

const COUNT = 6_000;
const rows = () => t.db.collection<Row>('rows');
const page = async (skip = 0) =>
  (
    await rows()
      .find({ service: 'A' }, { sort: { ts: -1, n: 1 }, skip, limit: 10, projection: { n: 1 } })
      .toArray()
  ).map((row) => row.n);

/** The page computed here, from what is stored. */
async function expected(skip = 0): Promise<number[]> {
  const all = await rows().find({ service: 'A' }).toArray();
  all.sort((a, b) => b.ts - a.ts || a.n - b.n);
  return all.slice(skip, skip + 10).map((row) => row.n);
}

describe('sorted pages between writes', () => {
  beforeAll(async () => {
    await rows().insertMany(
      Array.from({ length: COUNT }, (_, n) => ({ _id: `r${n}`, service: 'ABC'[n % 3]!, ts: n % 50, n })),
    );
  });

  it('answers repeated reads, and sees each insert, update and removal at once', async () => {
    for (let i = 0; i < 3; i++) expect(await page(5)).toEqual(await expected(5));

    await rows().insertOne({ _id: 'new', service: 'A', ts: 60, n: -1 });
    expect((await page())[0]).toBe(-1);
    expect(await page()).toEqual(await expected());

    await rows().updateOne({ _id: 'r3' }, { $set: { ts: 70 } });
    expect((await page()).slice(0, 2)).toEqual([3, -1]);

    await rows().deleteOne({ _id: 'r3' });
    await rows().updateMany({ n: { $lt: 30 } }, { $inc: { ts: 100 } });
    for (let i = 0; i < 3; i++) expect(await page(2)).toEqual(await expected(2));
  });
});
