export { startMicrosoftSim, type MicrosoftSim, type MicrosoftSimOptions } from './server.js';
export type { Faults, FaultRule } from './faults.js';
export type { Knobs } from './knobs.js';
export type { LoggedRequest } from './request-log.js';
export type { Quotas } from './routes/management.js';
export {
  CONTENT_TYPES,
  GRAPH_SOURCES,
  type ContentType,
  type GraphSource,
  type SourceName,
} from './sources.js';
export { exampleRecords } from './examples.js';
