import type { EventSummary } from '../events/summary.js';
import type { ApiEvent } from '../events/to-api.js';
import type { Change } from './changes.js';
import type { LlmFailureReason } from './llm-host.js';
import type { Interpretation } from './plan-query.js';

const LISTED = 5;

/** The warning that goes with a deterministic answer, saying why the language model was not used. */
export function fallbackWarning(
  reason: LlmFailureReason,
  message: string,
  built = 'This answer was built from the event counts',
): string {
  const why: Record<LlmFailureReason, string> = {
    no_key: 'no language model is configured (LLM_API_KEY is not set)',
    host_refused: message,
    timeout: message,
    failed: message,
  };
  return `${built} without a language model: ${why[reason]}.`;
}

function top(values: { value: string; count: number }[], max = 3): string {
  return values
    .slice(0, max)
    .map((v) => `${v.value} (${v.count})`)
    .join(', ');
}

/**
 * A deterministic answer from the counts of the whole match and the most recent events, citing those events
 * like a model answer does, for when no language model answers.
 */
export function fallbackAnswer(input: {
  interpretation: Interpretation;
  summary: EventSummary;
  events: ApiEvent[];
}): string {
  const { summary, events, interpretation } = input;
  const { time } = interpretation;
  const range = `between ${time.start} and ${time.end} (${time.label})`;
  if (summary.total === 0) {
    return `No events matched ${range}. Try a wider time range or fewer filters.`;
  }
  const lines = [`${summary.total} event(s) matched ${range}.`];
  if (summary.by_operation.length > 0) lines.push(`Most frequent operations: ${top(summary.by_operation)}.`);
  if (summary.by_result.length > 0) lines.push(`Results: ${top(summary.by_result, 4)}.`);
  if (summary.by_actor.length > 0) lines.push(`Most active actors: ${top(summary.by_actor)}.`);
  const listed = events.slice(0, LISTED);
  if (listed.length > 0) {
    lines.push(`Most recent${summary.total > listed.length ? ` ${listed.length} of ${summary.total}` : ''}:`);
    for (const event of listed)
      lines.push(`- ${event.timestamp} ${event.display_summary} [event:${event._id}]`);
  }
  return lines.join('\n');
}

interface Concern {
  pattern: RegExp;
  why: string;
}

// What makes common administrative changes security-relevant, by operation name.
const CONCERNS: Concern[] = [
  {
    pattern: /conditional access/i,
    why: 'Conditional Access policies decide who may sign in and how; a weakened policy can open access to everyone it covers.',
  },
  {
    pattern: /role/i,
    why: 'Role changes grant or remove administrative power; an unexpected role assignment is a common way to keep access after a compromise.',
  },
  {
    pattern: /password|authentication method|security info/i,
    why: 'Password and sign-in method changes can hand an account to whoever made them.',
  },
  {
    pattern: /credential|certificate|secret|consent|service principal|application/i,
    why: 'Application credentials and consents let software act in the tenant without a user; they are a favoured persistence mechanism.',
  },
  {
    pattern: /forward|inboxrule|transportrule/i,
    why: 'Mail forwarding and mail rules can quietly copy mail outside the organization.',
  },
  {
    pattern: /permission|sendas|fullaccess/i,
    why: 'Mailbox and site permissions decide who can read or act on behalf of others.',
  },
  {
    pattern: /shar|invit|guest/i,
    why: 'Sharing and guest access expose data to people outside the organization.',
  },
  {
    pattern: /delete|remove|disable/i,
    why: 'Deleting or disabling objects can remove protections or disrupt users.',
  },
];

/** A deterministic explanation of one event in the five sections of a model explanation. */
export function fallbackExplanation(event: ApiEvent, changes: Change[]): string {
  const concern = CONCERNS.find((c) => c.pattern.test(event.operation));
  const changed =
    changes.length === 0
      ? ['No property changes were logged for this event.']
      : changes.map(
          (c) =>
            `- ${c.target ? `${c.target}: ` : ''}${c.property}: ${c.old ?? '(not logged)'} → ${c.new ?? '(none)'}`,
        );
  return [
    `What happened: ${event.display_summary} (${event.operation}, ${event.service}, result ${event.result}) at ${event.timestamp}.`,
    `Who did it: ${event.actor_display}.`,
    'What changed:',
    ...changed,
    `Why it may matter: ${concern?.why ?? 'Administrative changes alter how the tenant behaves; confirm this one was expected.'}`,
    `What to check next: confirm with ${event.actor_display} that the change was intended, review their other events around ${event.timestamp}, and check the affected ${event.target_displays.length > 0 ? event.target_displays.slice(0, 3).join(', ') : 'objects'} for further changes.`,
  ].join('\n');
}
