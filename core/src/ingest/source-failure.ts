import { UpstreamError } from '../errors.js';
import type { FailureKind } from './source-health.js';

/** A source that could not be fetched at all, with the kind of failure health reports. */
export class SourceFailure extends UpstreamError {
  readonly kind: FailureKind;
  constructor(message: string, kind: FailureKind) {
    super(message);
    this.kind = kind;
  }
}
