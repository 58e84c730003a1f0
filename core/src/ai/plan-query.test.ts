import { describe, expect, it } from 'vitest';
import { filtersAsQuery, parseQuestion, planQuery } from './plan-query.js';

const NOW = new Date('2026-11-18T15:30:00Z');
const VOCABULARY = {
  actors: ['alice@contoso.com', 'bob@contoso.com'],
  targets: ['Finance Team', 'HR Team'],
  services: ['Exchange'],
  operations: ['Add member to group'],
  results: ['success', 'failure'],
};

function plan(question: string, explicit = {}) {
  return planQuery(parseQuestion(question, NOW, VOCABULARY), explicit, NOW);
}

describe('planQuery', () => {
  it('applies what the question says when no filter is given', () => {
    const { filters, interpretation } = plan('failed Exchange changes by alice@contoso.com yesterday');
    expect(filtersAsQuery(filters)).toEqual({
      start: '2026-11-17T00:00:00.000Z',
      end: '2026-11-18T00:00:00.000Z',
      service: ['Exchange'],
      result: ['failure'],
      actor: ['alice@contoso.com'],
    });
    expect(interpretation.from_question).toEqual(['service', 'result', 'actor', 'start', 'end']);
    expect(interpretation.time.from).toBe('question');
  });

  it('lets every explicit filter win over the same field of the question', () => {
    const { filters, interpretation } = plan(
      'failed Exchange changes by alice@contoso.com to Finance Team yesterday',
      {
        actor: ['bob@contoso.com'],
        entity: 'HR Team',
        result: ['success'],
        start: new Date('2026-11-01T00:00:00Z'),
        end: new Date('2026-11-02T00:00:00Z'),
      },
    );
    expect(filters).toMatchObject({
      actor: ['bob@contoso.com'],
      entity: 'HR Team',
      result: ['success'],
      service: ['Exchange'],
      start: new Date('2026-11-01T00:00:00Z'),
      end: new Date('2026-11-02T00:00:00Z'),
    });
    expect(interpretation.time).toMatchObject({ from: 'filters', label: 'console filters' });
    expect(interpretation.unused).toEqual(expect.arrayContaining(['alice@contoso.com', 'Finance Team']));
    expect(interpretation.from_filters).toEqual(
      expect.arrayContaining(['actor', 'entity', 'result', 'start', 'end']),
    );
  });

  it('keeps one explicit bound and the question other bound when they make a range', () => {
    const { filters } = plan('changes last month', { end: new Date('2026-10-15T00:00:00Z') });
    expect(filtersAsQuery(filters)).toMatchObject({
      start: '2026-10-01T00:00:00.000Z',
      end: '2026-10-15T00:00:00.000Z',
    });
  });

  it('drops the question bound that would make the range empty', () => {
    const { filters } = plan('changes last month', { start: new Date('2026-11-10T00:00:00Z') });
    expect(filtersAsQuery(filters)).toMatchObject({
      start: '2026-11-10T00:00:00.000Z',
      end: NOW.toISOString(),
    });
  });

  it('uses the first entity and reports the others as unused', () => {
    const { filters, interpretation } = plan('Finance Team and HR Team changes');
    expect(filters.entity).toBe('Finance Team');
    expect(interpretation.unused).toEqual(['HR Team']);
  });
});
