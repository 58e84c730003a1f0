import { parameterNames, parseExchangeParameters } from './exchange-parameters.js';
import type { ContentParts, ParsedTarget } from './parsed-record.js';
import type { JsonObject } from './values.js';
import { asObject, displayText, isGuid, lastSegment, num, resolveName, text } from './values.js';

const EXCHANGE_ADMIN = 1;
// Parameters every cmdlet record carries that say nothing about what changed.
const NOT_CHANGES = new Set([
  'identity',
  'domaincontroller',
  'organization',
  'force',
  'confirm',
  'erroraction',
]);

function objectTarget(identity: string, names?: ReadonlyMap<string, string>): ParsedTarget {
  // Identities are paths like `NAMPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/org/Mailbox`.
  const segment = lastSegment(identity);
  const display = isGuid(segment) ? (resolveName(names, segment) ?? segment) : segment;
  return { display, type: undefined, id: identity, value: { Identity: identity } };
}

/** Cmdlets run by admins (and by Exchange itself): `Set-Mailbox`, `New-InboxRule`, `Add-MailboxPermission`... */
function adminParts(raw: JsonObject, names?: ReadonlyMap<string, string>): ContentParts {
  const params = parseExchangeParameters(raw['Parameters']);
  const identity = displayText(params.get('identity')) ?? displayText(raw['ObjectId']);
  const changed = parameterNames(raw['Parameters']).filter((name) => !NOT_CHANGES.has(name.toLowerCase()));
  return { targets: identity === undefined ? [] : [objectTarget(identity, names)], changed, params };
}

/** Mailbox audit records (`MailItemsAccessed`, `Send`, `HardDelete`, folder permissions...): the target is the mailbox. */
function mailboxParts(raw: JsonObject, names?: ReadonlyMap<string, string>): ContentParts {
  const owner = displayText(raw['MailboxOwnerUPN']);
  const guid = text(raw['MailboxGuid']);
  const targets: ParsedTarget[] = [];
  if (owner !== undefined || guid !== undefined) {
    targets.push({
      display: owner ?? resolveName(names, guid) ?? guid,
      type: 'Mailbox',
      id: guid,
      value: { MailboxOwnerUPN: raw['MailboxOwnerUPN'], MailboxGuid: raw['MailboxGuid'] },
    });
  } else {
    const objectId = displayText(raw['ObjectId']);
    if (objectId !== undefined) targets.push(objectTarget(objectId, names));
  }
  return { targets, changed: [] };
}

/** `Audit.Exchange`: admin cmdlets (record type 1) and mailbox audit records. */
export function exchangeParts(raw: JsonObject, names?: ReadonlyMap<string, string>): ContentParts {
  const isAdmin = num(raw['RecordType']) === EXCHANGE_ADMIN || 'Parameters' in raw;
  const isMailbox = asObject(raw['Item']) !== undefined || 'MailboxOwnerUPN' in raw;
  return isAdmin || !isMailbox ? adminParts(raw, names) : mailboxParts(raw, names);
}
