import { describe, expect, it } from 'vitest';
import { createAsyncAction } from './async-action.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createAsyncAction', () => {
  it('is busy while the call runs, then holds its result, even an empty one', async () => {
    const call = deferred<string>();
    const action = createAsyncAction(() => call.promise);
    expect(action.busy()).toBe(false);
    expect(action.done()).toBeUndefined();
    const running = action.run();
    expect(action.busy()).toBe(true);
    call.resolve('');
    await running;
    expect(action.busy()).toBe(false);
    expect(action.done()).toEqual(expect.objectContaining({ result: '' }));
    expect(action.error()).toBeUndefined();
  });

  it('keeps a failure to show instead of throwing it, and a retry replaces it', async () => {
    const failure = new Error('model unavailable');
    let attempts = 0;
    const action = createAsyncAction((question: string) => {
      attempts += 1;
      return attempts === 1 ? Promise.reject(failure) : Promise.resolve(`answer to ${question}`);
    });
    await action.run('who?');
    expect(action.error()).toBe(failure);
    expect(action.done()).toBeUndefined();
    await action.run('who?');
    expect(action.error()).toBeUndefined();
    expect(action.done()?.result).toBe('answer to who?');
  });
});
