/** Who is calling, as established from a verified Entra access token. */
export interface Identity {
  /** Tenant id (`tid`); together with `oid` it identifies the caller across apps. */
  tenantId: string;
  /** Object id (`oid`) of the user or service principal. */
  objectId: string;
  /** Display name, UPN or app id, whichever the token carries first; for audit trails such as comments. */
  name: string;
  roles: string[];
  groups: string[];
  /** `user` for delegated tokens (with `scp`), `app` for application tokens (with `roles` only). */
  kind: 'user' | 'app';
}
