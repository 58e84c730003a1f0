/** Severity levels of alert rules, lowest first. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The rule conditions the editor offers; each holds one or more values (any may match). */
export const CONDITION_FIELDS = ['service', 'operation', 'result', 'actor', 'target', 'source'] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];

/** The editor's state: every field as the user types it. */
export interface RuleForm {
  name: string;
  enabled: boolean;
  severity: Severity;
  conditions: Record<ConditionField, string>;
  text: string;
  thresholdCount: string;
  thresholdMinutes: string;
  webhookUrl: string;
}

/** The sources a rule may name. */
export const RULE_SOURCES = ['directory', 'intune', 'unified'] as const;
export type RuleSource = (typeof RULE_SOURCES)[number];

/** A rule as the API takes it. */
export interface RuleInput {
  name: string;
  enabled: boolean;
  severity: Severity;
  conditions: Partial<Record<Exclude<ConditionField, 'source'>, string[]>> & {
    source?: RuleSource[];
    text?: string;
  };
  threshold: { count: number; window_minutes: number } | null;
  webhook_url: string | null;
}

export const EMPTY_RULE_FORM: RuleForm = {
  name: '',
  enabled: true,
  severity: 'medium',
  conditions: { service: '', operation: '', result: '', actor: '', target: '', source: '' },
  text: '',
  thresholdCount: '',
  thresholdMinutes: '',
  webhookUrl: '',
};

/** `a, b ,,c` → `['a', 'b', 'c']` (actors are split on `;` since display names may contain commas). */
export function splitValues(text: string, field: ConditionField): string[] {
  const separator = field === 'actor' ? ';' : ',';
  return [
    ...new Set(
      text
        .split(separator)
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
}

/** Form → API input; returns the problems instead when the form is not valid yet. */
export function formToRule(form: RuleForm): { rule: RuleInput } | { problems: string[] } {
  const problems: string[] = [];
  if (!form.name.trim()) problems.push('Name is required.');
  const conditions: RuleInput['conditions'] = {};
  for (const field of CONDITION_FIELDS) {
    const values = splitValues(form.conditions[field], field);
    if (!values.length) continue;
    if (field !== 'source') conditions[field] = values;
    else {
      const unknown = values.filter((v) => !(RULE_SOURCES as readonly string[]).includes(v));
      if (unknown.length)
        problems.push(`Unknown source ${unknown.join(', ')}: use ${RULE_SOURCES.join(', ')}.`);
      else conditions.source = values as RuleSource[];
    }
  }
  if (form.text.trim()) conditions.text = form.text.trim();
  const anyCondition =
    CONDITION_FIELDS.some((f) => form.conditions[f].trim() !== '') || form.text.trim() !== '';
  if (!anyCondition) problems.push('Add at least one condition, or the rule would match everything.');
  let threshold: RuleInput['threshold'] = null;
  if (form.thresholdCount.trim() || form.thresholdMinutes.trim()) {
    const count = Number(form.thresholdCount);
    const minutes = Number(form.thresholdMinutes);
    if (!Number.isInteger(count) || count < 1 || !Number.isInteger(minutes) || minutes < 1) {
      problems.push('A threshold needs a whole number of events (≥ 1) and of minutes (≥ 1).');
    } else threshold = { count, window_minutes: minutes };
  }
  if (problems.length) return { problems };
  return {
    rule: {
      name: form.name.trim(),
      enabled: form.enabled,
      severity: form.severity,
      conditions,
      threshold,
      webhook_url: form.webhookUrl.trim() || null,
    },
  };
}

/** API rule → form, for editing. */
export function ruleToForm(rule: RuleInput): RuleForm {
  const conditions = { ...EMPTY_RULE_FORM.conditions };
  for (const field of CONDITION_FIELDS) {
    conditions[field] = (rule.conditions[field] ?? []).join(field === 'actor' ? '; ' : ', ');
  }
  return {
    name: rule.name,
    enabled: rule.enabled,
    severity: rule.severity,
    conditions,
    text: rule.conditions.text ?? '',
    thresholdCount: rule.threshold ? String(rule.threshold.count) : '',
    thresholdMinutes: rule.threshold ? String(rule.threshold.window_minutes) : '',
    webhookUrl: rule.webhook_url ?? '',
  };
}
