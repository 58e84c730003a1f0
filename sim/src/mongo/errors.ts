import type { Document } from 'bson';

/** Server error codes the sim answers with, named as the server names them. */
export const CODES = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  IndexNotFound: 27,
  NamespaceNotFound: 26,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  OperationNotSupportedInTransaction: 263,
  UnsupportedOpQueryCommand: 352,
  DuplicateKey: 11000,
  Location40324: 40324,
  Location15974: 15974,
} as const;

export type CodeName = keyof typeof CODES;

/** A command failure carrying the server's code; rendered as `{ok: 0, errmsg, code, codeName}`. */
export class CommandError extends Error {
  override name = 'CommandError';
  readonly code: number;
  readonly codeName: string;
  readonly extra: Document;

  constructor(codeName: CodeName, message: string, extra: Document = {}) {
    super(message);
    this.code = CODES[codeName];
    this.codeName = codeName.startsWith('Location') ? '' : codeName;
    this.extra = extra;
  }
}

/** Duplicate key error in the server's wording, with `keyPattern`/`keyValue`. */
export function duplicateKeyError(
  ns: string,
  indexName: string,
  keyPattern: Document,
  keyValue: Document,
): CommandError {
  const shown = Object.entries(keyValue)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(', ');
  return new CommandError(
    'DuplicateKey',
    `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: { ${shown} }`,
    { keyPattern, keyValue },
  );
}

// mingo throws plain Errors; these patterns recover the code the server uses for the same mistake.
const MINGO_ERRORS: Array<[RegExp, CodeName]> = [
  [/would modify the immutable field/i, 'ImmutableField'],
  [/conflict|path collision/i, 'ConflictingUpdateOperators'],
  [/unknown update operator|unknown modifier/i, 'FailedToParse'],
  [/unknown pipeline operator|unrecognized pipeline stage|invalid pipeline operator/i, 'Location40324'],
];

/** Maps any thrown value to a CommandError; mingo's plain errors become BadValue unless a pattern knows better. */
export function toCommandError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /unknown query operator (\$\w+)/.exec(message);
  if (unknown) return new CommandError('BadValue', `unknown operator: ${unknown[1]}`);
  for (const [pattern, codeName] of MINGO_ERRORS) {
    if (pattern.test(message)) return new CommandError(codeName, message);
  }
  return new CommandError('BadValue', message);
}

/** Renders an error as the command reply a server sends. */
export function errorReply(error: CommandError): Document {
  const reply: Document = { ok: 0, errmsg: error.message, code: error.code };
  if (error.codeName) reply.codeName = error.codeName;
  return { ...reply, ...error.extra };
}
