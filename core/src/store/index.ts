export {
  COLLECTIONS,
  eventsCollection,
  metaCollection,
  type EventDocument,
  type MetaDocument,
} from './collections.js';
export { connectMongo, type ConnectOptions } from './connect.js';
export {
  ensureIndexes,
  ensureEventIndexes,
  eventIndexSpecs,
  EVENT_FILTER_FIELDS,
  EVENT_SORT,
  type IndexSpec,
  type IndexReport,
} from './indexes.js';
export { loadOrCreateSecret } from './secrets.js';
export { upsertEvents, type UpsertResult } from './upsert-events.js';
