import { A } from '@solidjs/router';
import { For, Match, Show, Switch, createResource, createSignal } from 'solid-js';
import { AlertStatus } from '../components/alert-status.js';
import { RuleEditor } from '../components/rule-editor.js';
import { Empty, ErrorState, Loading } from '../components/states.js';
import { describeError } from '../lib/errors.js';
import { formatTime } from '../lib/format.js';
import { EMPTY_RULE_FORM, ruleToForm, type RuleForm, type RuleInput } from '../lib/rule-form.js';
import { useApi } from '../providers/api.js';

type Editing = { kind: 'none' } | { kind: 'new' } | { kind: 'edit'; id: string; form: RuleForm };

/** Alert rules (list, create, edit, delete, preview) and the most recent alerts. */
export default function RulesPage() {
  const api = useApi();
  const [rules, { refetch: refetchRules }] = createResource(() => api.rules.list.query());
  const [alerts, { refetch: refetchAlerts, mutate: setAlerts }] = createResource(() =>
    api.alerts.list.query({ page_size: 50 }),
  );
  const [editing, setEditing] = createSignal<Editing>({ kind: 'none' });
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
        <button type="button" class="primary" onClick={() => setEditing({ kind: 'new' })}>
          New rule
        </button>
      </div>
      <Switch>
        <Match when={editing().kind === 'new'}>
          <RuleEditor
            title="New rule"
            initial={EMPTY_RULE_FORM}
            onPreview={preview}
            onCancel={() => setEditing({ kind: 'none' })}
            onSave={async (rule) => {
              await api.rules.create.mutate(rule);
              setEditing({ kind: 'none' });
              await refetchRules();
            }}
          />
        </Match>
        <Match when={editing().kind === 'edit' && (editing() as Extract<Editing, { kind: 'edit' }>)}>
          {(e) => (
            <RuleEditor
              title={`Edit rule "${e().form.name}"`}
              initial={e().form}
              onPreview={preview}
              onCancel={() => setEditing({ kind: 'none' })}
              onSave={async (rule) => {
                await api.rules.update.mutate({ id: e().id, rule });
                setEditing({ kind: 'none' });
                await refetchRules();
              }}
            />
          )}
        </Match>
      </Switch>
      <Show when={actionError()}>
        <p role="alert" class="result-failure">
          {actionError()}
        </p>
      </Show>
      <section aria-labelledby="rules-h">
        <h2 id="rules-h">Rules</h2>
        <Switch>
          <Match when={rules.loading && !rules.latest}>
            <Loading label="Loading rules…" />
          </Match>
          <Match when={rules.error as unknown}>
            {(error) => (
              <ErrorState what="Loading rules" error={error()} onRetry={() => void refetchRules()} />
            )}
          </Match>
          <Match when={rules.latest?.length === 0}>
            <Empty title="No rules yet. Create one to be alerted when matching events arrive." />
          </Match>
          <Match when={rules.latest}>
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
                              onClick={() =>
                                setEditing({ kind: 'edit', id: rule._id, form: ruleToForm(rule) })
                              }
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
          </Match>
        </Switch>
      </section>
      <section aria-labelledby="alerts-h">
        <div class="row">
          <h2 id="alerts-h">Recent alerts</h2>
          <button type="button" onClick={() => void refetchAlerts()}>
            Refresh
          </button>
        </div>
        <Switch>
          <Match when={alerts.loading && !alerts.latest}>
            <Loading label="Loading alerts…" />
          </Match>
          <Match when={alerts.error as unknown}>
            {(error) => (
              <ErrorState what="Loading alerts" error={error()} onRetry={() => void refetchAlerts()} />
            )}
          </Match>
          <Match when={alerts.latest?.items.length === 0}>
            <Empty title="No alerts. Rules raise alerts as matching events are ingested." />
          </Match>
          <Match when={alerts.latest}>
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
          </Match>
        </Switch>
      </section>
    </div>
  );
}
