import { secureHeaders } from 'hono/secure-headers';
import type { MiddlewareHandler } from 'hono';

/**
 * Security headers with a CSP fit for the console: scripts and styles from our origin only, API calls to our
 * origin and the Entra login origin (MSAL's token requests), the login origin framed for MSAL's silent renewal,
 * and our own pages never framed by anyone.
 */
export function securityHeaders(loginBaseUrl: string): MiddlewareHandler {
  const login = new URL(loginBaseUrl).origin;
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      scriptSrc: ["'self'"],
      // Solid sets `style` attributes at runtime; attribute styles cannot carry script.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'", login],
      frameSrc: [login],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
      objectSrc: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    xContentTypeOptions: 'nosniff',
    // HSTS only makes sense behind TLS, which a reverse proxy terminates and sets itself.
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
}
