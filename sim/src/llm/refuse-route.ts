import { azureError, openAiError } from './errors.js';

/** Which URL form a request used: OpenAI's `/v1/…`, Azure OpenAI's `/openai/deployments/{name}/…`, or neither. */
export type ApiForm = 'openai' | 'azure' | 'unknown';

/** What {@link refuseRoute} looks at. */
export interface RouteCheck {
  form: ApiForm;
  method: string | undefined;
  path: string;
  apiVersion: string | undefined;
  deployment: string | undefined;
  /** The credential presented in the header of the request's form. */
  presented: string | undefined;
  apiKey: string;
  deployments: string[] | undefined;
}

/**
 * The status and body with which the real service refuses a request before reading it (unknown route, missing
 * `api-version`, missing or wrong key, unknown deployment), or undefined when it may proceed.
 */
export function refuseRoute(check: RouteCheck): { status: number; body: unknown } | undefined {
  if (check.form === 'unknown' || check.method !== 'POST') {
    return {
      status: 404,
      body: openAiError(404, { message: `Invalid URL (${check.method} ${check.path})`, code: null }),
    };
  }
  if (check.form === 'azure') {
    // Azure answers a missing api-version, like an unknown route, with a bare 404 "Resource not found".
    if (check.apiVersion === undefined) return { status: 404, body: azureError('404', 'Resource not found') };
    if (check.presented !== check.apiKey) {
      return {
        status: 401,
        body: azureError(
          '401',
          'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
        ),
      };
    }
    if (
      check.deployments &&
      check.deployment !== undefined &&
      !check.deployments.includes(check.deployment)
    ) {
      return {
        status: 404,
        body: azureError(
          'DeploymentNotFound',
          'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
        ),
      };
    }
    return undefined;
  }
  if (check.presented === undefined) {
    const message =
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
    return { status: 401, body: openAiError(401, { message, code: null }) };
  }
  if (check.presented !== check.apiKey) return { status: 401, body: openAiError(401) };
  return undefined;
}
