import { describe, expect, it } from 'vitest';
import { makeEvent } from '../test-support/event-factory.js';
import { compileConditions, viewOf } from './match-rule.js';
import { RuleConditions } from './schemas.js';
import type { RuleRequest } from './schemas.js';
import { burstMembers } from './thresholds.js';

const matches = (conditions: RuleRequest['conditions'], overrides: Parameters<typeof makeEvent>[0]) =>
  compileConditions(RuleConditions.parse(conditions))(viewOf(makeEvent(overrides)));

describe('compileConditions', () => {
  it('compares whole values without regard to case', () => {
    expect(matches({ service: 'exchange' }, { service: 'Exchange' })).toBe(true);
    expect(matches({ service: 'exchange' }, { service: 'Exchange Online' })).toBe(false);
    expect(matches({ actor: ['BOB@contoso.com'] }, { actor_display: 'bob@contoso.com' })).toBe(true);
    expect(
      matches({ target: 'global administrator' }, { target_displays: ['x', 'Global Administrator'] }),
    ).toBe(true);
  });

  it('needs every condition, and any one value of each', () => {
    const rule = { source: ['intune' as const], result: ['failure', 'timeout'] };
    expect(matches(rule, { source: 'intune', result: 'Timeout' })).toBe(true);
    expect(matches(rule, { source: 'directory', result: 'failure' })).toBe(false);
    expect(matches(rule, { source: 'intune', result: 'success' })).toBe(false);
  });

  it('expands * in operations and treats every other character literally', () => {
    expect(matches({ operation: 'Add member*' }, { operation: 'Add member to role.' })).toBe(true);
    expect(matches({ operation: '*to role.' }, { operation: 'Add member to role.' })).toBe(true);
    expect(matches({ operation: 'Add*role' }, { operation: 'Add member to role.' })).toBe(false);
    expect(matches({ operation: 'Update user.' }, { operation: 'Update userX' })).toBe(false);
    expect(matches({ operation: 'a(b|c)+' }, { operation: 'ab' })).toBe(false);
    expect(matches({ operation: 'a(b|c)+' }, { operation: 'A(B|C)+' })).toBe(true);
  });

  it('matches free text the way event search does', () => {
    const event = { operation: 'Set mailbox', extraRaw: { ForwardingSmtpAddress: 'smtp:attacker@evil.com' } };
    expect(matches({ text: 'attacker@evil.com' }, event)).toBe(true);
    expect(matches({ text: 'mailbox attacker' }, event)).toBe(true);
    expect(matches({ text: 'mailbox nobody' }, event)).toBe(false);
  });
});

describe('burstMembers', () => {
  const minutes = (...values: number[]) => values.map((m) => m * 60_000);
  it('marks every time inside a window holding enough times', () => {
    expect(burstMembers(minutes(0, 1, 2, 30, 31), 3, 5 * 60_000)).toEqual([true, true, true, false, false]);
    expect(burstMembers(minutes(0, 4, 8, 12), 3, 5 * 60_000)).toEqual([false, false, false, false]);
    expect(burstMembers(minutes(0, 4, 8, 12), 2, 5 * 60_000)).toEqual([true, true, true, true]);
    expect(burstMembers(minutes(0, 5), 2, 5 * 60_000)).toEqual([true, true]);
    expect(burstMembers([], 1, 1)).toEqual([]);
    expect(burstMembers(minutes(7), 1, 1)).toEqual([true]);
  });
});
