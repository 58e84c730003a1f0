/**
 * What the LLM simulator does with one request. An empty step gives the default answer; `content` or
 * `toolCalls` replace it; `status` answers with OpenAI's error JSON for that status instead; `reset` drops the
 * connection without a response. `delayMs` waits first (a client timeout aborts the wait).
 */
export interface LlmStep {
  content?: string;
  toolCalls?: { name: string; arguments: unknown }[];
  status?: number;
  error?: { message?: string; type?: string; code?: string | null; param?: string | null };
  headers?: Record<string, string>;
  delayMs?: number;
  reset?: boolean;
}

/** A per-test script: each request takes the next step, and the last step stays in effect. */
export function createScript() {
  let steps: LlmStep[] = [];
  return {
    set(next: LlmStep[]): void {
      steps = [...next];
    },
    next(): LlmStep {
      const step = steps.length > 1 ? steps.shift() : steps[0];
      return step ?? {};
    },
  };
}
