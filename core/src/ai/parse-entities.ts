import { escapeRegex } from '../events/escape-regex.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * Who or what a question is about. `actors` are names the question says did something ("by alice@contoso.com");
 * `entities` are names mentioned without saying whether they acted or were acted on, matched later as actor or
 * target. Names come from the question itself (UPNs and e-mail addresses, "quoted names") and from the known
 * actor and target names of the stored events, matched on word boundaries without case.
 */
export interface ParsedEntities {
  actors: string[];
  entities: string[];
}

const EMAIL = /[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+/gi;
const QUOTED = /["“]([^"”]{3,120})["”]/g;
// Names this short or this generic match too much of ordinary questions to be taken as entities.
const MIN_NAME_LENGTH = 4;
const GENERIC_NAMES = new Set([
  'system',
  'unknown',
  'none',
  'user',
  'users',
  'admin',
  'group',
  'groups',
  'policy',
  'policies',
  'device',
  'devices',
  'application',
  'applications',
  'role',
  'roles',
  'mailbox',
  'default',
  'microsoft',
  'office',
  'exchange',
  'sharepoint',
  'teams',
  'intune',
]);
// Words right before a name that say it acted.
const ACTOR_CUE =
  /\b(?:by|from|did|performed by|done by|made by)\s+(?:the\s+)?(?:user\s+|admin\s+|app\s+|account\s+)?$/;

interface Mention {
  name: string;
  index: number;
  length: number;
}

function knownMentions(lower: string, names: readonly string[]): Mention[] {
  const mentions: Mention[] = [];
  for (const name of names) {
    const key = name.toLowerCase().trim();
    if (key.length < MIN_NAME_LENGTH || GENERIC_NAMES.has(key)) continue;
    const match = new RegExp(`(?<![\\w@.-])${escapeRegex(key)}(?![\\w@-]|\\.\\w)`).exec(lower);
    if (match) mentions.push({ name, index: match.index, length: key.length });
  }
  return mentions;
}

/**
 * Known actors called by a short name: a word that is the UPN local part or the first name of exactly one known
 * actor ("by alice", "what did alice do" → alice@contoso.com).
 */
function shortActorMentions(lower: string, actors: readonly string[]): Mention[] {
  const mentions: Mention[] = [];
  for (const match of lower.matchAll(/(?<![\w@.-])([a-z][\w'-]{2,})(?![\w@-]|\.\w)/g)) {
    const word = match[1] ?? '';
    if (GENERIC_NAMES.has(word)) continue;
    const hits = actors.filter((actor) => {
      const key = actor.toLowerCase();
      return key !== word && (key.split('@')[0] === word || key.split(/\s+/)[0] === word);
    });
    if (hits.length === 1 && hits[0] !== undefined) {
      mentions.push({ name: hits[0], index: match.index ?? 0, length: word.length });
    }
  }
  return mentions;
}

/** Read the actors and entities of a question against the known names. */
export function parseEntities(
  question: string,
  vocabulary: Pick<Vocabulary, 'actors' | 'targets'>,
): ParsedEntities {
  const lower = question.toLowerCase();
  const mentions: Mention[] = [
    ...[...question.matchAll(EMAIL)].map((m) => ({ name: m[0], index: m.index ?? 0, length: m[0].length })),
    ...[...question.matchAll(QUOTED)].map((m) => ({
      name: (m[1] ?? '').trim(),
      index: (m.index ?? 0) + 1,
      length: (m[1] ?? '').length,
    })),
    ...knownMentions(lower, vocabulary.actors),
    ...knownMentions(lower, vocabulary.targets),
    ...shortActorMentions(lower, vocabulary.actors),
  ];
  // Longest first, so "Global Administrator" wins over "Administrator" and a UPN over its domain.
  mentions.sort((a, b) => b.length - a.length || a.index - b.index);
  const kept: Mention[] = [];
  for (const mention of mentions) {
    const overlaps = kept.some(
      (other) => mention.index < other.index + other.length && other.index < mention.index + mention.length,
    );
    if (!overlaps) kept.push(mention);
  }
  kept.sort((a, b) => a.index - b.index);
  const known = new Map(
    [...vocabulary.actors, ...vocabulary.targets].map((name) => [name.toLowerCase(), name] as const),
  );
  const actors: string[] = [];
  const entities: string[] = [];
  for (const mention of kept) {
    const name = known.get(mention.name.toLowerCase()) ?? mention.name;
    const before = lower.slice(Math.max(0, mention.index - 40), mention.index);
    const list = ACTOR_CUE.test(before) ? actors : entities;
    if (!list.some((existing) => existing.toLowerCase() === name.toLowerCase())) list.push(name);
  }
  return { actors, entities };
}
