import type { Source } from '../events/model.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * What kind of events a question is about, as filter values: `result` from words like "failed", `service` and
 * `source` from product names ("Exchange", "Intune"), `operation` from topics ("conditional access", "roles")
 * matched against the known operation names. A topic no known operation matches becomes free-text `search`
 * words, so the answer honestly covers zero events rather than every event. `notes` say what was read, for the
 * interpretation shown with the answer.
 */
export interface ParsedHints {
  service?: string[];
  source?: Source[];
  operation?: string[];
  result?: string[];
  search?: string;
  notes: string[];
}

const MAX_VALUES = 50;

interface ResultHint {
  question: RegExp;
  value: RegExp;
  canonical: string;
}

const RESULT_HINTS: ResultHint[] = [
  {
    question: /\b(fail(ed|s|ure|ures|ing)?|unsuccessful|errors?|errored|denied|rejected|blocked)\b/,
    value: /fail|error|denied|false/i,
    canonical: 'failure',
  },
  {
    question: /(?<!partially )\b(succeeded|successful(ly)?|successes)\b/,
    value: /succe|^true$/i,
    canonical: 'success',
  },
  { question: /\bpartial(ly)?\b/, value: /partial/i, canonical: 'partial' },
  { question: /\btim(ed|es) ?out\b/, value: /timeout/i, canonical: 'timeout' },
];

interface ServiceHint {
  question: RegExp;
  value: RegExp;
  canonical: string;
}

const SERVICE_HINTS: ServiceHint[] = [
  {
    question: /\bexchange( online)?\b|\bmailbox(es)?\b|\boutlook\b/,
    value: /^exchange/i,
    canonical: 'Exchange',
  },
  { question: /\bsharepoint\b/, value: /^sharepoint/i, canonical: 'SharePoint' },
  { question: /\bonedrive\b/, value: /^onedrive/i, canonical: 'OneDrive' },
  { question: /\b(microsoft )?teams\b/, value: /^teams$/i, canonical: 'Teams' },
  { question: /\bdlp\b|\bdata loss prevention\b/, value: /^dlp$/i, canonical: 'DLP' },
  {
    question: /\bpower automate\b|(?<!mail ?)\bflows?\b/,
    value: /power automate/i,
    canonical: 'Power Automate',
  },
  { question: /\bpower bi\b/, value: /power bi/i, canonical: 'Power BI' },
  { question: /\bpower apps?\b/, value: /power apps/i, canonical: 'Power Apps' },
  { question: /\byammer\b|\bviva engage\b/, value: /viva engage|yammer/i, canonical: 'Viva Engage' },
];

interface Topic {
  name: string;
  question: RegExp;
  operation: RegExp;
  /** Words searched when no known operation matches the topic. */
  search: string;
  /** Broad topics only apply when no specific one matched ("conditional access policy" is not any policy). */
  broad?: boolean;
}

const TOPICS: Topic[] = [
  {
    name: 'conditional access',
    question: /\bconditional[- ]access\b|\bca polic(y|ies)\b/,
    operation: /conditional access/i,
    search: 'conditional access',
  },
  {
    name: 'roles',
    question: /\b(admin(istrator)? )?roles?\b|\brole assignments?\b|\bprivileged\b|\bpim\b/,
    operation: /\brole/i,
    search: 'role',
  },
  { name: 'passwords', question: /\bpasswords?\b/, operation: /password/i, search: 'password' },
  {
    name: 'authentication methods',
    question: /\bmfa\b|\bmulti-?factor\b|\b2fa\b|\bauthentication methods?\b|\bsecurity info\b/,
    operation: /authentication method|strongauthentication|security info|\bmfa\b/i,
    search: 'authentication',
  },
  {
    name: 'mailbox permissions',
    question: /\bmailbox permissions?\b|\bfull ?access\b|\bsend ?as\b|\bsend on behalf\b/,
    operation: /mailboxpermission|sendas|recipientpermission|sendonbehalf/i,
    search: 'MailboxPermission',
  },
  {
    name: 'inbox rules and forwarding',
    question: /\binbox rules?\b|\bforward(ing|ed)?\b/,
    operation: /inboxrule|forward/i,
    search: 'InboxRule',
  },
  {
    name: 'transport rules',
    question: /\btransport rules?\b|\bmail ?flow rules?\b/,
    operation: /transportrule/i,
    search: 'TransportRule',
  },
  {
    name: 'sharing',
    question: /\bshar(ed|ing)\b|\banonymous links?\b|\bsharing links?\b/,
    operation: /shar/i,
    search: 'sharing',
  },
  { name: 'consent', question: /\bconsent(s|ed)?\b/, operation: /consent/i, search: 'consent' },
  {
    name: 'credentials',
    question: /\bclient secrets?\b|\bcertificates?\b|\bcredentials?\b|\bsecrets?\b/,
    operation: /certificates and secrets|credential|certificate/i,
    search: 'credential',
  },
  {
    name: 'applications',
    question: /\bapp registrations?\b|\bservice principals?\b|\b(enterprise )?app(lication)?s?\b/,
    operation: /application|service principal/i,
    search: 'application',
    broad: true,
  },
  {
    name: 'groups',
    question: /\bgroups?\b|\bmembers?(hip)?\b/,
    operation: /group/i,
    search: 'group',
    broad: true,
  },
  { name: 'devices', question: /\bdevices?\b/, operation: /device/i, search: 'device', broad: true },
  {
    name: 'compliance',
    question: /\bcompliance\b/,
    operation: /compliance/i,
    search: 'compliance',
    broad: true,
  },
  { name: 'licenses', question: /\blicen[cs]es?\b/, operation: /licen[cs]e/i, search: 'license' },
  {
    name: 'domains and federation',
    question: /\bdomains?\b|\bfederat(ion|ed)\b/,
    operation: /domain|federation/i,
    search: 'domain',
  },
  {
    name: 'guests and invitations',
    question: /\bguests?\b|\binvit(e|es|ed|ations?)\b|\bb2b\b/,
    operation: /invit|guest/i,
    search: 'invite',
  },
  {
    name: 'policies',
    question: /\bpolic(y|ies)\b/,
    operation: /polic/i,
    search: 'policy',
    broad: true,
  },
];

function known(values: readonly string[], pattern: RegExp): string[] {
  return values.filter((value) => pattern.test(value)).slice(0, MAX_VALUES);
}

function operationHints(lower: string, operations: readonly string[], hints: ParsedHints): void {
  // An operation named as written ("Set-Mailbox", "Add member to group") is the most precise hint.
  const named = operations.filter((op) => op.length >= 8 && lower.includes(op.toLowerCase()));
  if (named.length > 0) {
    hints.operation = named.slice(0, MAX_VALUES);
    hints.notes.push(`operation named: ${named.join(', ')}`);
    return;
  }
  const specific = TOPICS.filter((topic) => !topic.broad && topic.question.test(lower));
  const topics =
    specific.length > 0 ? specific : TOPICS.filter((topic) => topic.broad && topic.question.test(lower));
  if (topics.length === 0) return;
  const matched = [...new Set(topics.flatMap((topic) => known(operations, topic.operation)))].slice(
    0,
    MAX_VALUES,
  );
  const names = topics.map((topic) => topic.name).join(', ');
  if (matched.length > 0) {
    hints.operation = matched;
    hints.notes.push(`topic ${names} → ${matched.length} known operation(s)`);
    return;
  }
  // With several topics and no operation for any, searching all their words would demand every one at once.
  const [first] = topics;
  if (first) {
    hints.search = first.search;
    hints.notes.push(`topic ${first.name}: no known operation, searching "${first.search}"`);
  }
}

/** Read result, service/source and operation hints from a question against the known values. */
export function parseHints(
  question: string,
  vocabulary: Pick<Vocabulary, 'services' | 'operations' | 'results'>,
): ParsedHints {
  const lower = question.toLowerCase();
  const hints: ParsedHints = { notes: [] };

  const results = RESULT_HINTS.filter((hint) => hint.question.test(lower)).flatMap((hint) => {
    const values = known(vocabulary.results, hint.value);
    return values.length > 0 ? values : [hint.canonical];
  });
  if (results.length > 0) {
    hints.result = [...new Set(results)];
    hints.notes.push(`result: ${hints.result.join(', ')}`);
  }

  if (/\bintune\b|\bendpoint manager\b/.test(lower)) {
    hints.source = ['intune'];
    hints.notes.push('source: intune');
  }
  const services = SERVICE_HINTS.filter((hint) => hint.question.test(lower)).flatMap((hint) => {
    const values = known(vocabulary.services, hint.value);
    return values.length > 0 ? values : [hint.canonical];
  });
  if (services.length > 0) {
    hints.service = [...new Set(services)];
    hints.notes.push(`service: ${hints.service.join(', ')}`);
  }

  operationHints(lower, vocabulary.operations, hints);
  return hints;
}
