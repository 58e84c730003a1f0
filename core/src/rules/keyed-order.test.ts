import { describe, expect, it } from 'vitest';
import { createKeyedOrder } from './keyed-order.js';

/** A write that records when it starts and ends, and ends when `finish` is called. */
function controlled(log: string[], name: string) {
  let finish!: (fail?: boolean) => void;
  const write = () => {
    log.push(`start ${name}`);
    return new Promise<string>((resolve, reject) => {
      finish = (fail) => {
        log.push(`end ${name}`);
        if (fail) reject(new Error(name));
        else resolve(name);
      };
    });
  };
  return { write, finish: (fail?: boolean) => finish(fail) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createKeyedOrder', () => {
  it('starts a write only after the earlier writes sharing one of its keys', async () => {
    const order = createKeyedOrder();
    const log: string[] = [];
    const a = controlled(log, 'a');
    const b = controlled(log, 'b');
    const c = controlled(log, 'c');
    const first = order.run(['rule1 eve'], a.write);
    const second = order.run(['rule2 bob', 'rule1 eve'], b.write);
    const third = order.run(['rule2 bob'], c.write);
    await tick();
    expect(log).toEqual(['start a']);
    a.finish();
    await tick();
    expect(log).toEqual(['start a', 'end a', 'start b']);
    b.finish();
    await tick();
    c.finish();
    expect(await Promise.all([first, second, third])).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('lets writes with no key in common run side by side', async () => {
    const order = createKeyedOrder();
    const log: string[] = [];
    const a = controlled(log, 'a');
    const b = controlled(log, 'b');
    const both = [
      order.run(['eve'], a.write),
      order.run(['bob'], b.write),
      order.run([], () => Promise.resolve('c')),
    ];
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    b.finish();
    a.finish();
    expect(await Promise.all(both)).toEqual(['a', 'b', 'c']);
  });

  it('goes on after a failed write, which fails only its own caller', async () => {
    const order = createKeyedOrder();
    const log: string[] = [];
    const a = controlled(log, 'a');
    const first = order.run(['eve'], a.write);
    const second = order.run(['eve'], () => Promise.resolve('b'));
    await tick();
    a.finish(true);
    await expect(first).rejects.toThrow('a');
    await expect(second).resolves.toBe('b');
  });
});
