/**
 * The origin clients use to reach this server: the request's own, or, behind a trusted reverse proxy that
 * terminates TLS, the one named by `X-Forwarded-Proto` and `X-Forwarded-Host`.
 */
export function publicOrigin(request: Request, trustProxy: boolean): string {
  const url = new URL(request.url);
  if (!trustProxy) return url.origin;
  const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  const candidate = `${proto === 'https' || proto === 'http' ? proto : url.protocol.slice(0, -1)}://${host || url.host}`;
  try {
    return new URL(candidate).origin;
  } catch {
    return url.origin;
  }
}
