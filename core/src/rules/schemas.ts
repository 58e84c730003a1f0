import { z } from 'zod';
import { Source } from '../events/model.js';

/**
 * Input schemas of rules and alerts. REST, tRPC and MCP parse with these, and core verbs parse again, so a bad
 * rule is a `ValidationError` (400) whose details name the field, on every surface. Objects are strict: an
 * unknown key (a typo, or a `$where`) is an error rather than silently ignored.
 */

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const Severity = z.enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join(', ')}` });
export type Severity = z.infer<typeof Severity>;

const MAX_VALUES = 50;
const MAX_VALUE_LENGTH = 256;
/** More stars than this make the anchored pattern backtrack too much on long values; nobody needs them. */
export const MAX_WILDCARDS = 4;

/** One or more values of a condition (any may match): trimmed, empties and duplicates dropped. */
const values = (field: string, options: { wildcard: boolean } = { wildcard: false }) =>
  z
    .union([z.string(), z.array(z.string())], { error: 'expected a string or a list of strings' })
    .nullish()
    .transform((input, ctx) => {
      if (input === undefined || input === null) return undefined;
      const list = [
        ...new Set((Array.isArray(input) ? input : [input]).map((v) => v.trim()).filter((v) => v !== '')),
      ];
      if (list.length > MAX_VALUES) {
        ctx.addIssue({ code: 'custom', message: `at most ${MAX_VALUES} values` });
        return z.NEVER;
      }
      for (const value of list) {
        if (value.length > MAX_VALUE_LENGTH) {
          ctx.addIssue({ code: 'custom', message: `each value at most ${MAX_VALUE_LENGTH} characters` });
          return z.NEVER;
        }
        const stars = value.split('*').length - 1;
        if (stars > 0 && !options.wildcard) {
          ctx.addIssue({
            code: 'custom',
            message: `wildcards (*) are only accepted in operation, not ${field}`,
          });
          return z.NEVER;
        }
        if (stars > MAX_WILDCARDS || /^\*+$/.test(value)) {
          ctx.addIssue({
            code: 'custom',
            message: `"${value.slice(0, 40)}": at most ${MAX_WILDCARDS} wildcards, and not only wildcards`,
          });
          return z.NEVER;
        }
      }
      return list.length > 0 ? list : undefined;
    });

const sources = z
  .union([Source, z.array(Source)], { error: `expected ${Source.options.join(', ')}` })
  .nullish()
  .transform((input) => {
    if (input === undefined || input === null) return undefined;
    const list = [...new Set(Array.isArray(input) ? input : [input])];
    return list.length > 0 ? list : undefined;
  });

/**
 * What a rule matches; every present condition must hold, and a condition with several values holds when any
 * value matches. `service`, `operation`, `result`, `actor` (the actor's display name) and `target` (any target's
 * display name) compare whole values without regard to case; `operation` values may use `*` for "any text"
 * (`Add member*`). `source` is one of directory, intune, unified. `text` is free text with the event search's
 * meaning (every word present; "quoted phrases" verbatim).
 */
export const RuleConditions = z
  .strictObject({
    service: values('service'),
    operation: values('operation', { wildcard: true }),
    result: values('result'),
    actor: values('actor'),
    target: values('target'),
    source: sources,
    text: z
      .string({ error: 'expected a string' })
      .max(500, { error: 'at most 500 characters' })
      .nullish()
      .transform((v) => (v?.trim() ? v.trim() : undefined)),
  })
  .refine((c) => Object.values(c).some((v) => v !== undefined), {
    error: 'at least one condition is required (a rule without conditions would match every event)',
  })
  // Absent conditions are left out, not stored (or returned) as nulls.
  .transform(
    (c) =>
      Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as {
        [K in keyof typeof c]?: Exclude<(typeof c)[K], undefined>;
      },
  );
export type RuleConditions = z.output<typeof RuleConditions>;

/** At least `count` matching events by the same actor within `window_minutes` (of event time). */
export const RuleThreshold = z.strictObject({
  count: z
    .number({ error: 'expected a whole number' })
    .int({ error: 'expected a whole number' })
    .min(1, { error: 'at least 1' })
    .max(10_000, { error: 'at most 10000' }),
  window_minutes: z
    .number({ error: 'expected a whole number' })
    .int({ error: 'expected a whole number' })
    .min(1, { error: 'at least 1' })
    .max(7 * 24 * 60, { error: 'at most 10080 (one week)' }),
});
export type RuleThreshold = z.output<typeof RuleThreshold>;

/** A rule as created or replaced (`PUT` replaces the whole rule). */
export const RuleInput = z.strictObject({
  name: z
    .string({ error: 'expected a name' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(200, { error: 'at most 200 characters' }),
  enabled: z.boolean({ error: 'expected true or false' }).default(true),
  severity: Severity.default('medium'),
  conditions: RuleConditions,
  threshold: RuleThreshold.nullish().transform((t) => t ?? null),
  webhook_url: z
    .string({ error: 'expected a URL' })
    .trim()
    .max(2048, { error: 'at most 2048 characters' })
    .nullish()
    .transform((v) => (v ? v : null)),
});
export type RuleInput = z.output<typeof RuleInput>;
export type RuleRequest = z.input<typeof RuleInput>;

/** A rule or alert id: the `_id` string of API answers. */
export const RecordId = z
  .string({ error: 'expected an id' })
  .trim()
  .regex(/^[0-9a-f]{24}$/i, { error: 'expected a 24-character hexadecimal id' });

/** `preview(rule, { days })`: the rule as it would be saved, and how far back to count (1..365, default 30). */
export const PreviewInput = z.strictObject({
  rule: RuleInput,
  days: z
    .number({ error: 'expected a whole number of days' })
    .int({ error: 'expected a whole number of days' })
    .min(1, { error: 'at least 1' })
    .max(365, { error: 'at most 365' })
    .default(30),
});
export type PreviewInput = z.output<typeof PreviewInput>;

const ALERT_STATUSES = ['open', 'acknowledged'] as const;

/** Filters and paging of `listAlerts`; query-string values (text numbers, comma lists) are accepted. */
export const ListAlertsInput = z.strictObject({
  rule_id: RecordId.nullish(),
  severity: z
    .union([z.string(), z.array(z.string())])
    .nullish()
    .transform((input, ctx) => {
      if (input === undefined || input === null) return undefined;
      const list = (Array.isArray(input) ? input : input.split(',')).map((v) => v.trim()).filter(Boolean);
      const bad = list.filter((v) => !(SEVERITIES as readonly string[]).includes(v));
      if (bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `unknown severity ${bad.join(', ')}` });
        return z.NEVER;
      }
      return list.length > 0 ? (list as Severity[]) : undefined;
    }),
  status: z.enum(ALERT_STATUSES, { error: 'expected open or acknowledged' }).nullish(),
  actor: z.string().trim().max(256).nullish(),
  cursor: z.string().trim().max(200).nullish(),
  page_size: z.coerce
    .number({ error: 'expected a whole number' })
    .int({ error: 'expected a whole number' })
    .transform((n) => Math.min(500, Math.max(1, n)))
    .default(50),
});
export type ListAlertsInput = z.output<typeof ListAlertsInput>;
export type ListAlertsRequest = z.input<typeof ListAlertsInput>;
