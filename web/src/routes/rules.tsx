import { A } from '@solidjs/router';
import { For, Show, createResource, createSignal } from 'solid-js';
import { AlertStatus } from '../components/alert-status.js';
import { RuleEditor } from '../components/rule-editor.js';
import { AsyncView, Empty } from '../components/states.js';
import { describeError } from '../lib/errors.js';
import { formatTime } from '../lib/format.js';
import { EMPTY_RULE_FORM, ruleToForm, type RuleForm, type RuleInput } from '../lib/rule-form.js';
import { useApi } from '../providers/api.js';

/** The rule in the editor: a stored one (with its id) or a new one. */
type Editing = { id?: string; form: RuleForm };

// One object, so pressing "New rule" while a new rule is open keeps what the user has typed.
const NEW_RULE: Editing = { form: EMPTY_RULE_FORM };

/** Alert rules (list, create, edit, delete, preview) and the most recent alerts. */
export default function RulesPage() {
  const api = useApi();
  const [rules, { refetch: refetchRules }] = createResource(() => api.rules.list.query());
  const [alerts, { refetch: refetchAlerts, mutate: setAlerts }] = createResource(() =>
    api.alerts.list.query({ page_size: 50 }),
  );
  const [editing, setEditing] = createSignal<Editing>();
  const [actionError, setActionError] = createSignal('');

  const remove = async (id: string, name: string) => {
    if (!confirm(`Delete the rule "${name}"?`)) return;
    setActionError('');
    try {
      await api.rules.delete.mutate({ id });
      await refetchRules();
    } catch (error) {
      setActionError(`Deleting "${name}" failed: ${describeError(error).message}`);
    }
  };
  const acknowledge = async (id: string, name: string) => {
    setActionError('');
    try {
      const updated = await api.alerts.acknowledge.mutate({ id });
      // Swapped in place: a refetch could reorder or page out the row the user just acted on.
      setAlerts(
        (page) => page && { ...page, items: page.items.map((alert) => (alert._id === id ? updated : alert)) },
      );
    } catch (error) {
      setActionError(`Acknowledging the "${name}" alert failed: ${describeError(error).message}`);
    }
  };
  const preview = async (rule: RuleInput, days: number) =>
    (await api.rules.preview.query({ rule, days })).count;

  return (
    <div class="rules">
      <div class="row">
        <h1>Rules &amp; alerts</h1>
        <span class="spacer" />
        <button type="button" class="primary" onClick={() => setEditing(NEW_RULE)}>
          New rule
        </button>
      </div>
      {/* Keyed: editing another rule starts the editor afresh from that rule. */}
      <Show when={editing()} keyed>
        {(e) => (
          <RuleEditor
            title={e.id === undefined ? 'New rule' : `Edit rule "${e.form.name}"`}
            initial={e.form}
            onPreview={preview}
            onCancel={() => setEditing()}
            onSave={async (rule) => {
              if (e.id === undefined) await api.rules.create.mutate(rule);
              else await api.rules.update.mutate({ id: e.id, rule });
              setEditing();
              await refetchRules();
            }}
          />
        )}
      </Show>
      <Show when={actionError()}>
        <p role="alert" class="result-failure">
          {actionError()}
        </p>
      </Show>
      <section aria-labelledby="rules-h">
        <h2 id="rules-h">Rules</h2>
        <AsyncView
          loading={rules.loading && !rules.latest}
          loadingLabel="Loading rules…"
          error={rules.error as unknown}
          what="Loading rules"
          onRetry={() => void refetchRules()}
          isEmpty={rules.latest?.length === 0}
          empty={<Empty title="No rules yet. Create one to be alerted when matching events arrive." />}
          value={rules.latest}
        >
          {(list) => (
            <div class="table-wrap">
              <table class="events">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Severity</th>
                    <th scope="col">Enabled</th>
                    <th scope="col">Conditions</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={list()}>
                    {(rule) => (
                      <tr>
                        <td>{rule.name}</td>
                        <td>{rule.severity}</td>
                        <td>{rule.enabled ? 'yes' : 'no'}</td>
                        <td class="mono" title={JSON.stringify(rule.conditions)}>
                          {JSON.stringify(rule.conditions)}
                        </td>
                        <td>
                          <button
                            type="button"
                            onClick={() => setEditing({ id: rule._id, form: ruleToForm(rule) })}
                          >
                            Edit
                          </button>{' '}
                          <button
                            type="button"
                            class="danger"
                            onClick={() => void remove(rule._id, rule.name)}
                          >
                            Delete
                          </button>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          )}
        </AsyncView>
      </section>
      <section aria-labelledby="alerts-h">
        <div class="row">
          <h2 id="alerts-h">Recent alerts</h2>
          <button type="button" onClick={() => void refetchAlerts()}>
            Refresh
          </button>
        </div>
        <AsyncView
          loading={alerts.loading && !alerts.latest}
          loadingLabel="Loading alerts…"
          error={alerts.error as unknown}
          what="Loading alerts"
          onRetry={() => void refetchAlerts()}
          isEmpty={alerts.latest?.items.length === 0}
          empty={<Empty title="No alerts. Rules raise alerts as matching events are ingested." />}
          value={alerts.latest}
        >
          {(page) => (
            <div class="table-wrap">
              <table class="events">
                <thead>
                  <tr>
                    <th scope="col">Last seen</th>
                    <th scope="col">Rule</th>
                    <th scope="col">Severity</th>
                    <th scope="col">Actor</th>
                    <th scope="col">Events</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={page().items}>
                    {(alert) => (
                      <tr>
                        <td class="mono">{formatTime(alert.last_seen)}</td>
                        <td>{alert.rule_name}</td>
                        <td>{alert.severity}</td>
                        <td>{alert.actor ?? '—'}</td>
                        <td>
                          <For each={alert.event_ids.slice(0, 5)}>
                            {(id) => (
                              <>
                                <A href={`/events/${encodeURIComponent(id)}`}>{id.slice(-8)}</A>{' '}
                              </>
                            )}
                          </For>
                          <Show when={alert.event_ids.length > 5}>
                            <span class="muted">+{alert.event_ids.length - 5} more</span>
                          </Show>
                        </td>
                        <td class="cell-wrap">
                          <AlertStatus
                            alert={alert}
                            label={`${alert.rule_name} alert`}
                            onAcknowledge={() => acknowledge(alert._id, alert.rule_name)}
                          />
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          )}
        </AsyncView>
      </section>
    </div>
  );
}
