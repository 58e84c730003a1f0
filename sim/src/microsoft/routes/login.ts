import { entraError } from '../error-bodies.js';
import { json, type Route } from '../http.js';
import type { Audience, TokenService } from '../tokens.js';

export interface LoginConfig {
  tenantId: string;
  tenantDomain: string;
  clientId: string;
  clientSecret: string;
  /** Scope resource → audience; both the sim's origins and the public-cloud identifiers. */
  resources: Map<string, { audience: Audience; aud: string }>;
  tokens: TokenService;
}

const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;

/** `POST /{tenant}/oauth2/v2.0/token`, client-credentials grant, with Entra's error answers. */
export function loginRoute(config: LoginConfig): Route {
  return (req) => {
    const m = TOKEN_PATH.exec(req.url.pathname);
    if (!m) return undefined;
    if (req.method !== 'POST') {
      return entraError(405, 'invalid_request', 900561, 'The endpoint only accepts POST requests.');
    }
    const tenant = decodeURIComponent(m[1] ?? '');
    if (tenant.toLowerCase() !== config.tenantId && tenant.toLowerCase() !== config.tenantDomain) {
      return entraError(
        400,
        'invalid_request',
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    }
    const form = new URLSearchParams(req.body.toString('utf8'));
    for (const name of ['grant_type', 'client_id', 'scope']) {
      if (!form.get(name)) {
        return entraError(
          400,
          'invalid_request',
          900144,
          `The request body must contain the following parameter: '${name}'.`,
        );
      }
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return entraError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    }
    const clientId = form.get('client_id') ?? '';
    if (clientId !== config.clientId) {
      return entraError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${config.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      );
    }
    const secret = form.get('client_secret');
    if (!secret) {
      return entraError(
        401,
        'invalid_client',
        7000216,
        "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
      );
    }
    if (secret !== config.clientSecret) {
      return entraError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${config.clientId}'.`,
      );
    }
    const scope = form.get('scope') ?? '';
    if (!scope.endsWith('/.default') || scope.includes(' ')) {
      return entraError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const resource = config.resources.get(scope.slice(0, -'/.default'.length).replace(/\/$/, ''));
    if (!resource) {
      return entraError(
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${scope.slice(0, -'/.default'.length)} was not found in the tenant named ${config.tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      );
    }
    const { token, expiresIn } = config.tokens.issue({
      aud: resource.aud,
      audience: resource.audience,
      tid: config.tenantId,
      appid: clientId,
    });
    return json(
      200,
      { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token },
      {
        'cache-control': 'no-store, no-cache',
        pragma: 'no-cache',
      },
    );
  };
}
