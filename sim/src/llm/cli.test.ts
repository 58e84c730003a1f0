import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('`npm run sim -- llm` prints its URLs as one JSON line, serves them, and exits on SIGTERM', async () => {
  const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--conditions=@aoc/source', '--import', 'tsx', cli, 'llm', '--api-key', 'k1'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const announced = JSON.parse(line) as { service: string; url: string; apiKey: string };
    expect(announced).toMatchObject({ service: 'llm', apiKey: 'k1' });
    expect(announced.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const response = await fetch(`${announced.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k1', 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: '[event:e1]' }] }),
    });
    expect(response.status).toBe(200);
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(0);
}, 20_000);
