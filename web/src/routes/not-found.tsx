import { A } from '@solidjs/router';
import { Empty } from '../components/states.js';

/** Any path the console does not know. */
export function NotFound() {
  return (
    <Empty title="This page does not exist.">
      <A href="/events">Go to events</A>
    </Empty>
  );
}
