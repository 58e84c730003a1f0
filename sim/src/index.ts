export { startMongoSim, type MongoSim, type MongoSimOptions } from './mongo/server.js';
export { startLlmSim, type LlmSim, type LlmSimOptions, type RecordedLlmRequest } from './llm/server.js';
export type { LlmStep } from './llm/script.js';
export { startOidcSim, type OidcSim, type OidcSimOptions } from './oidc/server.js';
export type { MintOptions, MintAlg } from './oidc/mint.js';
export {
  badTokens,
  BAD_TOKEN_KINDS,
  GRAPH_APP_ID,
  type BadToken,
  type BadTokenKind,
} from './oidc/bad-tokens.js';
export { DEFAULT_USER } from './oidc/claims.js';
export * from './microsoft/index.js';
