/**
 * A response body parsed as JSON, typed loosely: tests assert on the shape, so a strict type would only add casts.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests probe arbitrary JSON answers
export async function json(res: Response): Promise<any> {
  return res.json();
}
