import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URI of the MongoDB every integration test file gets its own database on. */
    mongoUri: string;
  }
}

/**
 * One MongoDB for the whole integration run: the real server named by AOC_TEST_MONGO_URI, or else the sim
 * wire server started here. Each test file then works in a database of its own (see @aoc/sim testing helpers).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.AOC_TEST_MONGO_URI;
  if (external) {
    project.provide('mongoUri', external);
    return async () => {};
  }
  const { startMongoSim } = await import('@aoc/sim');
  const sim = await startMongoSim({});
  project.provide('mongoUri', sim.uri);
  return () => sim.stop();
}
