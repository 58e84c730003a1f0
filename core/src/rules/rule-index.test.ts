import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { makeEvent } from '../test-support/event-factory.js';
import type { CompiledRule } from './compiled-rules.js';
import { compileConditions, viewOf } from './match-rule.js';
import { indexRules } from './rule-index.js';
import { RuleConditions } from './schemas.js';
import type { RuleRequest } from './schemas.js';
import type { RuleDocument } from './store.js';

function compiled(name: string, input: RuleRequest['conditions']): CompiledRule {
  const conditions = RuleConditions.parse(input);
  const rule = { _id: new ObjectId(), name, conditions } as RuleDocument;
  return { rule, filter: {}, matches: compileConditions(conditions), threshold: null };
}

describe('indexRules', () => {
  const rules = [
    compiled('actor', { actor: ['Bob@Contoso.com', 'bob@contoso.com'], operation: 'Add*' }),
    compiled('operation', { operation: ['Update user', 'Delete user'] }),
    compiled('wildcard only', { operation: 'Add member*', result: 'failure' }),
    compiled('service', { service: 'Exchange', text: 'forwarding' }),
    compiled('source', { source: ['intune'] }),
    compiled('target only', { target: 'Global Administrator' }),
    compiled('text only', { text: 'mailbox' }),
  ];
  const events = [
    makeEvent({ actor_display: 'BOB@contoso.com', operation: 'Add member to role.' }),
    makeEvent({ operation: 'UPDATE USER', result: 'failure' }),
    makeEvent({ operation: 'Add member to group', result: 'Failure' }),
    makeEvent({ service: 'exchange', operation: 'Set mailbox', extraRaw: { Forwarding: 'forwarding' } }),
    makeEvent({ source: 'intune', target_displays: ['global administrator'] }),
    makeEvent({ operation: 'Delete userX', actor_display: 'alice@contoso.com' }),
  ];

  it('finds exactly the rules that testing every rule finds, each once', () => {
    const candidates = indexRules(rules);
    for (const event of events) {
      const view = viewOf(event);
      const everyRule = rules.filter((rule) => rule.matches(view)).map((rule) => rule.rule.name);
      const visited: string[] = [];
      candidates(view, (rule) => visited.push(rule.rule.name));
      expect(new Set(visited).size).toBe(visited.length);
      const viaIndex = visited.filter((name) => rules.find((r) => r.rule.name === name)!.matches(view));
      expect(viaIndex.sort()).toEqual(everyRule.sort());
    }
    // The fixture is not vacuous: each rule matches some event.
    for (const rule of rules) expect(events.some((event) => rule.matches(viewOf(event)))).toBe(true);
  });

  it('does not offer a rule anchored on another value', () => {
    const candidates = indexRules(rules);
    const visited: string[] = [];
    candidates(viewOf(makeEvent({ operation: 'Reset password', actor_display: 'carol' })), (rule) =>
      visited.push(rule.rule.name),
    );
    expect(visited).not.toContain('actor');
    expect(visited).not.toContain('operation');
  });
});
