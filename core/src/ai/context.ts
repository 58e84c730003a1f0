import type { Db } from 'mongodb';
import type { Config } from '../config.js';
import type { EventsApi } from '../events/create-events.js';
import type { Logger } from '../logger.js';
import type { LlmClient } from './llm-client.js';
import type { Vocabulary } from './vocabulary.js';

/** What the AI verbs need: settings, log, clock, database, the event queries, the LLM and the vocabulary. */
export interface AiContext {
  config: Config;
  log: Logger;
  clock: () => Date;
  db: Db;
  /** Retrieval goes through the console's own queries, never a second query path. */
  events: Pick<EventsApi, 'search' | 'summary' | 'filterOptions' | 'get'>;
  llm: LlmClient;
  vocabulary: () => Promise<Vocabulary>;
}
