import type { CoreContext } from '../context.js';
import type { CursorCodec } from './cursor.js';

/** What the event verbs need: the core context plus the cursor codec keyed for this database. */
export interface EventsContext extends CoreContext {
  cursors: CursorCodec;
}
