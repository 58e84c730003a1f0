import { For, Show, createSignal } from 'solid-js';
import { describeError } from '../lib/errors.js';
import { formatCount } from '../lib/format.js';
import {
  CONDITION_FIELDS,
  SEVERITIES,
  formToRule,
  type ConditionField,
  type RuleForm,
  type RuleInput,
  type Severity,
} from '../lib/rule-form.js';

const HINTS: Record<ConditionField, string> = {
  service: 'e.g. Exchange, SharePoint',
  operation: 'e.g. Add member to role.; * wildcards allowed',
  result: 'e.g. failure',
  actor: 'separate with ;',
  target: 'e.g. Global Administrator',
  source: 'directory, intune, unified',
};

/**
 * Create or edit a rule. "Preview" asks how many stored events the rule would have matched in the last
 * `days`, before saving it.
 */
export function RuleEditor(props: {
  initial: RuleForm;
  title: string;
  onSave: (rule: RuleInput) => Promise<void>;
  onPreview: (rule: RuleInput, days: number) => Promise<number>;
  onCancel: () => void;
}) {
  const [form, setForm] = createSignal<RuleForm>(structuredClone(props.initial));
  const [problems, setProblems] = createSignal<string[]>([]);
  const [busy, setBusy] = createSignal(false);
  const [preview, setPreview] = createSignal<string>('');
  const patch = (change: Partial<RuleForm>) => setForm({ ...form(), ...change });
  const setCondition = (field: ConditionField, value: string) =>
    patch({ conditions: { ...form().conditions, [field]: value } });

  const validated = (): RuleInput | null => {
    const result = formToRule(form());
    if ('problems' in result) {
      setProblems(result.problems);
      return null;
    }
    setProblems([]);
    return result.rule;
  };
  const run = async (action: (rule: RuleInput) => Promise<void>) => {
    const rule = validated();
    if (!rule) return;
    setBusy(true);
    try {
      await action(rule);
    } catch (error) {
      setProblems([describeError(error).message]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="card rule-editor"
      aria-label={props.title}
      onSubmit={(e) => {
        e.preventDefault();
        void run(props.onSave);
      }}
    >
      <h2>{props.title}</h2>
      <div class="filters">
        <div class="field">
          <label for="rule-name">Name</label>
          <input
            id="rule-name"
            value={form().name}
            onInput={(e) => patch({ name: e.currentTarget.value })}
            required
          />
        </div>
        <div class="field">
          <label for="rule-severity">Severity</label>
          <select
            id="rule-severity"
            value={form().severity}
            onChange={(e) => patch({ severity: e.currentTarget.value as Severity })}
          >
            <For each={SEVERITIES}>{(s) => <option value={s}>{s}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for="rule-enabled">Enabled</label>
          <input
            id="rule-enabled"
            type="checkbox"
            checked={form().enabled}
            onChange={(e) => patch({ enabled: e.currentTarget.checked })}
          />
        </div>
        <For each={CONDITION_FIELDS}>
          {(field) => (
            <div class="field">
              <label for={`rule-${field}`}>{field[0]?.toUpperCase() + field.slice(1)}</label>
              <input
                id={`rule-${field}`}
                placeholder={HINTS[field]}
                value={form().conditions[field]}
                onInput={(e) => setCondition(field, e.currentTarget.value)}
              />
            </div>
          )}
        </For>
        <div class="field">
          <label for="rule-text">Free text</label>
          <input id="rule-text" value={form().text} onInput={(e) => patch({ text: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="rule-count">Threshold: events</label>
          <input
            id="rule-count"
            inputMode="numeric"
            placeholder="optional"
            value={form().thresholdCount}
            onInput={(e) => patch({ thresholdCount: e.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for="rule-minutes">within minutes (same actor)</label>
          <input
            id="rule-minutes"
            inputMode="numeric"
            placeholder="optional"
            value={form().thresholdMinutes}
            onInput={(e) => patch({ thresholdMinutes: e.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for="rule-webhook">Notification webhook</label>
          <input
            id="rule-webhook"
            type="url"
            placeholder="https://… (optional)"
            value={form().webhookUrl}
            onInput={(e) => patch({ webhookUrl: e.currentTarget.value })}
          />
        </div>
      </div>
      <Show when={problems().length > 0}>
        <ul role="alert" class="result-failure">
          <For each={problems()}>{(p) => <li>{p}</li>}</For>
        </ul>
      </Show>
      <div class="row">
        <button type="submit" class="primary" disabled={busy()}>
          Save rule
        </button>
        <button
          type="button"
          disabled={busy()}
          onClick={() =>
            void run(async (rule) => {
              setPreview('Counting…');
              const count = await props.onPreview(rule, 30);
              setPreview(`Would have matched ${formatCount(count)} stored events in the last 30 days.`);
            })
          }
        >
          Preview
        </button>
        <button type="button" onClick={() => props.onCancel()}>
          Cancel
        </button>
        <span role="status" data-testid="rule-preview">
          {preview()}
        </span>
      </div>
    </form>
  );
}
