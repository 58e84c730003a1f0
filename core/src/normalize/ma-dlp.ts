import type { ContentParts, ParsedTarget } from './parsed-record.js';
import type { JsonObject } from './values.js';
import { asObject, displayText, firstDisplay } from './values.js';

/**
 * `DLP.All`: a policy matched a message or a file. `UserId` is the DLP agent, so the person shown as actor
 * is the sender or the file's author, and the target is the message or file.
 */
export function dlpParts(raw: JsonObject): ContentParts {
  const exchange = asObject(raw['ExchangeMetaData']);
  const sharePoint = asObject(raw['SharePointMetaData']);
  const targets: ParsedTarget[] = [];
  if (exchange !== undefined) {
    targets.push({
      display: firstDisplay(exchange['Subject'], exchange['MessageID']),
      type: 'Message',
      id: displayText(exchange['MessageID']),
      value: exchange,
    });
  }
  if (sharePoint !== undefined) {
    targets.push({
      display: firstDisplay(sharePoint['FileName'], sharePoint['FilePathUrl']),
      type: 'File',
      id: displayText(sharePoint['UniqueID']),
      value: sharePoint,
    });
  }
  const actorDisplay = firstDisplay(exchange?.['From'], sharePoint?.['From']);
  return actorDisplay === undefined ? { targets, changed: [] } : { targets, changed: [], actorDisplay };
}
