export {};
export { startLlmSim, type LlmSim, type LlmSimOptions, type RecordedLlmRequest } from './llm/server.js';
export type { LlmStep } from './llm/script.js';
