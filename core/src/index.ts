export * from './errors.js';
export * from './config.js';
export * from './logger.js';
export * from './events/model.js';
export * from './ingest/index.js';
