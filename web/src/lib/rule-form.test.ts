import { describe, expect, it } from 'vitest';
import { EMPTY_RULE_FORM, formToRule, ruleToForm, splitValues, type RuleForm } from './rule-form.js';

const form = (patch: Partial<RuleForm>): RuleForm => ({ ...EMPTY_RULE_FORM, ...patch });

describe('rule form', () => {
  it('builds a rule from comma lists, text and a threshold', () => {
    const result = formToRule(
      form({
        name: ' Role grants ',
        severity: 'high',
        conditions: {
          ...EMPTY_RULE_FORM.conditions,
          operation: 'Add member to role., Add eligible member*',
          actor: 'Smith, Jane; bob',
        },
        text: 'Global Administrator',
        thresholdCount: '3',
        thresholdMinutes: '10',
      }),
    );
    expect(result).toEqual({
      rule: {
        name: 'Role grants',
        enabled: true,
        severity: 'high',
        conditions: {
          operation: ['Add member to role.', 'Add eligible member*'],
          actor: ['Smith, Jane', 'bob'],
          text: 'Global Administrator',
        },
        threshold: { count: 3, window_minutes: 10 },
        webhook_url: null,
      },
    });
  });

  it('names every problem of an incomplete rule', () => {
    const result = formToRule(form({ thresholdCount: '0' }));
    expect('problems' in result && result.problems).toEqual([
      'Name is required.',
      'Add at least one condition, or the rule would match everything.',
      'A threshold needs a whole number of events (≥ 1) and of minutes (≥ 1).',
    ]);
  });

  it('accepts only known sources', () => {
    const sources = (text: string) =>
      formToRule(form({ name: 'x', conditions: { ...EMPTY_RULE_FORM.conditions, source: text } }));
    expect(sources('intune, unified')).toMatchObject({
      rule: { conditions: { source: ['intune', 'unified'] } },
    });
    expect(sources('intune, exchange')).toEqual({
      problems: ['Unknown source exchange: use directory, intune, unified.'],
    });
  });

  it('round-trips a rule through the form', () => {
    const start = form({
      name: 'x',
      conditions: { ...EMPTY_RULE_FORM.conditions, service: 'Exchange, SharePoint' },
      webhookUrl: 'https://hook.test/a',
    });
    const built = formToRule(start);
    if (!('rule' in built)) throw new Error('expected a rule');
    expect(ruleToForm(built.rule)).toEqual(
      form({ ...start, conditions: { ...start.conditions, service: 'Exchange, SharePoint' } }),
    );
    expect(splitValues(' a,,b , a', 'service')).toEqual(['a', 'b']);
  });
});
