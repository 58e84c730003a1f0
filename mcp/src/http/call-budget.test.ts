import { describe, expect, it } from 'vitest';
import { createCallBudget } from './call-budget.js';

describe('createCallBudget', () => {
  it('allows perMinute calls per key in a minute, then refuses with RATE_LIMITED until the window ends', () => {
    let now = 0;
    const budget = createCallBudget(2, () => now);
    budget.take('alice');
    budget.take('alice');
    expect(() => budget.take('alice')).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }));
    budget.take('bob');
    now = 59_999;
    expect(() => budget.take('alice')).toThrow(/wait 1 s/);
    now = 60_000;
    budget.take('alice');
  });
});
