import { pickWeighted } from '../random.js';
import { ipAddress, USER_AGENTS, type AuditRecord, type RecordContext } from './context.js';
import { commonFields, numbersAsStrings, userKeyOf } from './management-common.js';

const EXCHANGE_ONLINE = '00000002-0000-0ff1-ce00-000000000000';
const AAD_GRAPH = '00000002-0000-0000-c000-000000000000';

function logon(ctx: RecordContext, failed: boolean): AuditRecord {
  const { rng, tenant } = ctx;
  const user = rng.pick(tenant.users);
  const ip = ipAddress(rng);
  const target = rng.pick([AAD_GRAPH, EXCHANGE_ONLINE, 'Unknown']);
  const record = {
    ...commonFields(ctx, {
      recordType: 15,
      operation: failed ? 'UserLoginFailed' : 'UserLoggedIn',
      workload: 'AzureActiveDirectory',
      userId: user.userPrincipalName,
      userKey: user.id,
      userType: 0,
      resultStatus: failed ? 'Failed' : 'Success',
      objectId: target,
    }),
    ClientIP: ip,
    AzureActiveDirectoryEventType: 1,
    ExtendedProperties: [
      { Name: 'ResultStatusDetail', Value: failed ? 'UserError' : 'Success' },
      { Name: 'UserAgent', Value: rng.pick(USER_AGENTS) },
      { Name: 'UserAuthenticationMethod', Value: String(1 + rng.int(9)) },
      { Name: 'RequestType', Value: rng.pick(['OAuth2:Authorize', 'OAuth2:Token', 'Login:login']) },
      { Name: 'KeepMeSignedIn', Value: rng.chance(0.5) ? 'True' : 'False' },
    ],
    ModifiedProperties: [],
    Actor: [
      { ID: user.id, Type: 0 },
      { ID: user.userPrincipalName, Type: 5 },
    ],
    ActorContextId: tenant.tenantId,
    ActorIpAddress: ip,
    InterSystemsId: rng.guid(),
    IntraSystemId: rng.guid(),
    SupportTicketId: '',
    Target: [{ ID: target, Type: 0 }],
    TargetContextId: tenant.tenantId,
    ApplicationId: rng.pick(tenant.apps).appId,
    ErrorNumber: failed ? rng.pick(['50126', '50053', '50074']) : '0',
    ...(failed
      ? {
          LogonError: rng.pick([
            'InvalidUserNameOrPassword',
            'IdsLocked',
            'UserStrongAuthClientAuthNRequiredInterrupt',
          ]),
        }
      : {}),
  };
  // Logons were observed with every number published as a string; an ExtendedProperties string also occurs.
  if (rng.chance(0.25)) return numbersAsStrings(record);
  if (rng.chance(0.02))
    return {
      ...record,
      ExtendedProperties: `-UserAgent "${rng.pick(USER_AGENTS)}" -RequestType "OAuth2:Authorize"`,
    };
  return record;
}

interface AdminOperation {
  operation: string;
  category: string;
  modified: (ctx: RecordContext) => Array<{ Name: string; NewValue: string; OldValue: string }>;
}

const ADMIN_OPERATIONS: ReadonlyArray<readonly [number, AdminOperation]> = [
  [
    5,
    {
      operation: 'Update user.',
      category: 'UserManagement',
      modified: (ctx) => [
        {
          Name: 'Department',
          NewValue: JSON.stringify([ctx.rng.pick(['Sales', 'Finance', 'Legal'])]),
          OldValue: JSON.stringify([ctx.rng.pick(['Marketing', 'HR'])]),
        },
        { Name: 'Included Updated Properties', NewValue: 'Department', OldValue: '' },
      ],
    },
  ],
  [
    3,
    {
      operation: 'Add user.',
      category: 'UserManagement',
      modified: () => [{ Name: 'AccountEnabled', NewValue: '[\r\n  true\r\n]', OldValue: '[]' }],
    },
  ],
  [
    4,
    {
      operation: 'Add member to group.',
      category: 'GroupManagement',
      modified: (ctx) => {
        const group = ctx.rng.pick(ctx.tenant.groups);
        return [
          { Name: 'Group.ObjectID', NewValue: group.id, OldValue: '' },
          { Name: 'Group.DisplayName', NewValue: group.displayName, OldValue: '' },
        ];
      },
    },
  ],
  [
    2,
    {
      operation: 'Add member to role.',
      category: 'RoleManagement',
      modified: (ctx) => {
        const role = ctx.rng.pick(ctx.tenant.roles);
        return [
          { Name: 'Role.ObjectID', NewValue: role.id, OldValue: '' },
          { Name: 'Role.DisplayName', NewValue: role.displayName, OldValue: '' },
          { Name: 'Role.TemplateId', NewValue: role.roleTemplateId, OldValue: '' },
        ];
      },
    },
  ],
  [3, { operation: 'Reset user password.', category: 'UserManagement', modified: () => [] }],
  [
    2,
    {
      operation: 'Update application.',
      category: 'ApplicationManagement',
      modified: (ctx) => [
        {
          Name: 'RequiredResourceAccess',
          NewValue: `[\r\n  {\r\n    "ResourceAppId": "00000003-0000-0000-c000-000000000000",\r\n    "RequiredAppPermissions": [\r\n      {\r\n        "EntitlementId": "${ctx.rng.guid()}",\r\n        "DirectAccessGrant": true,\r\n        "ImpersonationAccessGrants": []\r\n      }\r\n    ],\r\n    "EncodingVersion": 1\r\n  }\r\n]`,
          OldValue: '[]',
        },
        { Name: 'Included Updated Properties', NewValue: 'RequiredResourceAccess', OldValue: '' },
      ],
    },
  ],
];

function adminOperation(ctx: RecordContext): AuditRecord {
  const { rng, tenant } = ctx;
  const op = pickWeighted(rng, ADMIN_OPERATIONS);
  const admin = rng.pick(tenant.admins);
  const target = rng.pick(tenant.users);
  const portal = rng.pick(tenant.apps);
  const ip = ipAddress(rng);
  const correlationId = rng.guid();
  return {
    ...commonFields(ctx, {
      recordType: 8,
      operation: op.operation,
      workload: 'AzureActiveDirectory',
      userId: admin.userPrincipalName,
      userKey: userKeyOf(admin, tenant.domain),
      userType: 0,
      resultStatus: 'Success',
      objectId: target.userPrincipalName,
    }),
    ClientIP: ip,
    AzureActiveDirectoryEventType: 1,
    ExtendedProperties: [
      { Name: 'actorContextId', Value: tenant.tenantId },
      { Name: 'actorObjectId', Value: admin.id },
      { Name: 'actorObjectClass', Value: 'User' },
      { Name: 'actorUPN', Value: admin.userPrincipalName },
      { Name: 'actorAppID', Value: portal.appId },
      { Name: 'actorPUID', Value: admin.puid },
      { Name: 'teamName', Value: 'MSODS.' },
      { Name: 'targetContextId', Value: tenant.tenantId },
      { Name: 'targetObjectId', Value: target.id },
      { Name: 'extendedAuditEventCategory', Value: 'User' },
      { Name: 'targetName', Value: target.userPrincipalName },
      { Name: 'correlationId', Value: correlationId },
      { Name: 'version', Value: '2' },
      { Name: 'resultType', Value: 'Success' },
      { Name: 'auditEventCategory', Value: op.category },
      { Name: 'nCloud', Value: '<null>' },
      { Name: 'env_os', Value: '<null>' },
      { Name: 'env_osVer', Value: '<null>' },
    ],
    ModifiedProperties: op.modified(ctx),
    Actor: [
      { ID: admin.userPrincipalName, Type: 5 },
      { ID: admin.puid, Type: 3 },
      { ID: portal.appId, Type: 2 },
      { ID: `User_${admin.id}`, Type: 2 },
      { ID: admin.id, Type: 2 },
      { ID: 'User', Type: 2 },
    ],
    ActorContextId: tenant.tenantId,
    ActorIpAddress: ip,
    InterSystemsId: correlationId,
    IntraSystemId: rng.guid(),
    SupportTicketId: '',
    Target: [
      { ID: `User_${target.id}`, Type: 2 },
      { ID: target.id, Type: 2 },
      { ID: 'User', Type: 2 },
      { ID: target.userPrincipalName, Type: 5 },
      { ID: target.puid, Type: 3 },
    ],
    TargetContextId: tenant.tenantId,
  };
}

/** An Audit.AzureActiveDirectory record: logons (RecordType 15) and directory administration (RecordType 8). */
export function buildAzureActiveDirectoryRecord(ctx: RecordContext): AuditRecord {
  const roll = ctx.rng.next();
  if (roll < 0.55) return logon(ctx, false);
  if (roll < 0.65) return logon(ctx, true);
  return adminOperation(ctx);
}
