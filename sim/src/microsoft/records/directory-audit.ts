import { pickWeighted, type Rng } from '../random.js';
import type { TenantUser } from '../tenant.js';
import { encoded, ipAddress, type AuditRecord, type RecordContext } from './context.js';

type Build = (ctx: RecordContext) => AuditRecord;

const JOB_TITLES = [
  'Analyst',
  'Account Manager',
  'Engineer',
  'Senior Engineer',
  'Director',
  'Consultant',
  'Paralegal',
];
const DEPARTMENTS = ['Finance', 'Sales', 'Engineering', 'Legal', 'Marketing', 'Operations', 'HR'];
const CA_POLICIES = [
  'Require MFA for admins',
  'Block legacy authentication',
  'Require compliant device',
  'Block risky sign-ins',
];

function recordId(rng: Rng, prefix: string, correlationId: string): string {
  const code = rng
    .hex(5)
    .toUpperCase()
    .replace(/[0-9]/g, (d) => String.fromCharCode(71 + Number(d)));
  return `${prefix}_${correlationId}_${code}_${100000000 + rng.int(899999999)}`;
}

function userInitiator(rng: Rng, user: TenantUser): AuditRecord {
  // Graph v1.0 usually leaves the initiating user's displayName null: names come from getByIds.
  return {
    app: null,
    user: {
      id: user.id,
      displayName: rng.chance(0.7) ? null : user.displayName,
      userPrincipalName: user.userPrincipalName,
      ipAddress: ipAddress(rng),
      userType: null,
      homeTenantId: null,
      homeTenantName: null,
    },
  };
}

function appInitiator(ctx: RecordContext, name?: string): AuditRecord {
  const app = name
    ? (ctx.tenant.apps.find((a) => a.displayName === name) ?? ctx.rng.pick(ctx.tenant.apps))
    : ctx.rng.pick(ctx.tenant.apps);
  return {
    user: null,
    app: {
      appId: null,
      displayName: app.displayName,
      servicePrincipalId: app.id,
      servicePrincipalName: null,
    },
  };
}

function userTarget(
  user: TenantUser,
  modifiedProperties: AuditRecord[],
  displayName: string | null = null,
): AuditRecord {
  return {
    id: user.id,
    displayName,
    type: 'User',
    userPrincipalName: user.userPrincipalName,
    groupType: null,
    modifiedProperties,
  };
}

function audit(
  ctx: RecordContext,
  fields: {
    prefix?: string;
    category: string;
    activityDisplayName: string;
    loggedByService?: string;
    operationType: string;
    initiatedBy: AuditRecord;
    targetResources: AuditRecord[];
    additionalDetails?: AuditRecord[];
  },
): AuditRecord {
  const correlationId = ctx.rng.guid();
  const failed = ctx.rng.chance(0.03);
  return {
    id: recordId(ctx.rng, fields.prefix ?? 'Directory', correlationId),
    category: fields.category,
    correlationId,
    result: failed ? 'failure' : 'success',
    resultReason: failed ? 'Microsoft.Online.Workflows.ObjectAlreadyExistsException' : '',
    activityDisplayName: fields.activityDisplayName,
    activityDateTime: ctx.graphTime,
    loggedByService: fields.loggedByService ?? 'Core Directory',
    operationType: fields.operationType,
    initiatedBy: fields.initiatedBy,
    targetResources: fields.targetResources,
    additionalDetails: fields.additionalDetails ?? [],
  };
}

const updateUser: Build = (ctx) => {
  const { rng, tenant } = ctx;
  const target = rng.pick(tenant.users);
  const changes: AuditRecord[] = [];
  const names: string[] = [];
  if (rng.chance(0.6)) {
    changes.push({
      displayName: 'JobTitle',
      oldValue: encoded([rng.pick(JOB_TITLES)]),
      newValue: encoded([rng.pick(JOB_TITLES)]),
    });
    names.push('JobTitle');
  }
  if (rng.chance(0.5) || names.length === 0) {
    changes.push({
      displayName: 'Department',
      oldValue: encoded([rng.pick(DEPARTMENTS)]),
      newValue: encoded([rng.pick(DEPARTMENTS)]),
    });
    names.push('Department');
  }
  if (rng.chance(0.2)) {
    changes.push({
      displayName: 'StrongAuthenticationMethod',
      oldValue: encoded([{ MethodType: 6, Default: true }]),
      newValue: encoded([
        { MethodType: 7, Default: false },
        { MethodType: 6, Default: true },
      ]),
    });
    names.push('StrongAuthenticationMethod');
  }
  changes.push({
    displayName: 'Included Updated Properties',
    oldValue: null,
    newValue: encoded(names.join(', ')),
  });
  changes.push({ displayName: 'TargetId.UserType', oldValue: null, newValue: encoded('Member') });
  return audit(ctx, {
    category: 'UserManagement',
    activityDisplayName: 'Update user',
    operationType: 'Update',
    initiatedBy: userInitiator(rng, rng.pick(tenant.admins)),
    targetResources: [userTarget(target, changes)],
    additionalDetails: [{ key: 'UserType', value: 'Member' }],
  });
};

const groupMembership =
  (add: boolean): Build =>
  (ctx) => {
    const { rng, tenant } = ctx;
    const group = rng.pick(tenant.groups);
    const member = rng.pick(tenant.users);
    const props = [
      {
        displayName: 'Group.ObjectID',
        oldValue: add ? null : encoded(group.id),
        newValue: add ? encoded(group.id) : null,
      },
      {
        displayName: 'Group.DisplayName',
        oldValue: add ? null : encoded(group.displayName),
        newValue: add ? encoded(group.displayName) : null,
      },
    ];
    return audit(ctx, {
      category: 'GroupManagement',
      activityDisplayName: add ? 'Add member to group' : 'Remove member from group',
      operationType: add ? 'Assign' : 'Unassign',
      initiatedBy: rng.chance(0.8)
        ? userInitiator(rng, rng.pick(tenant.admins))
        : appInitiator(ctx, 'Contoso HR Sync'),
      targetResources: [
        userTarget(member, props),
        // The group target arrives without a name, as null or as the literal "<null>": AOC has to resolve it.
        {
          id: group.id,
          displayName: rng.chance(0.5) ? null : '<null>',
          type: 'Group',
          groupType: 'unifiedGroups',
          modifiedProperties: [],
        },
      ],
    });
  };

const resetPassword: Build = (ctx) =>
  audit(ctx, {
    category: 'UserManagement',
    activityDisplayName: 'Reset user password',
    operationType: 'Update',
    initiatedBy: userInitiator(ctx.rng, ctx.rng.pick(ctx.tenant.admins)),
    targetResources: [userTarget(ctx.rng.pick(ctx.tenant.users), [], null)],
  });

const addOrDeleteUser =
  (add: boolean): Build =>
  (ctx) => {
    const { rng, tenant } = ctx;
    const user = rng.pick(tenant.users);
    const props = add
      ? [
          { displayName: 'AccountEnabled', oldValue: '[]', newValue: '[true]' },
          { displayName: 'DisplayName', oldValue: '[]', newValue: encoded([user.displayName]) },
          { displayName: 'UserPrincipalName', oldValue: '[]', newValue: encoded([user.userPrincipalName]) },
          {
            displayName: 'Included Updated Properties',
            oldValue: null,
            newValue: encoded('AccountEnabled, DisplayName, UserPrincipalName'),
          },
        ]
      : [{ displayName: 'Included Updated Properties', oldValue: null, newValue: encoded('') }];
    return audit(ctx, {
      category: 'UserManagement',
      activityDisplayName: add ? 'Add user' : 'Delete user',
      operationType: add ? 'Add' : 'Delete',
      initiatedBy: userInitiator(rng, rng.pick(tenant.admins)),
      targetResources: [userTarget(user, props, add ? user.displayName : null)],
    });
  };

const addMemberToRole =
  (pim: boolean): Build =>
  (ctx) => {
    const { rng, tenant } = ctx;
    const role = rng.pick(tenant.roles);
    const user = rng.pick(tenant.admins);
    return audit(ctx, {
      prefix: pim ? 'PIM' : 'Directory',
      category: 'RoleManagement',
      activityDisplayName: pim ? 'Add member to role completed (PIM activation)' : 'Add member to role',
      loggedByService: pim ? 'PIM' : 'Core Directory',
      operationType: 'Assign',
      initiatedBy: userInitiator(rng, user),
      targetResources: [
        {
          id: role.id,
          displayName: role.displayName,
          type: 'Role',
          userPrincipalName: null,
          groupType: null,
          modifiedProperties: pim
            ? []
            : [
                { displayName: 'Role.ObjectID', oldValue: null, newValue: encoded(role.id) },
                { displayName: 'Role.DisplayName', oldValue: null, newValue: encoded(role.displayName) },
                { displayName: 'Role.TemplateId', oldValue: null, newValue: encoded(role.roleTemplateId) },
              ],
        },
        userTarget(user, [], user.displayName),
      ],
      additionalDetails: pim
        ? [
            { key: 'RoleDefinitionOriginId', value: role.roleTemplateId },
            { key: 'RoleDefinitionOriginType', value: 'BuiltInRole' },
            {
              key: 'Justification',
              value: rng.pick(['Change ticket CHG0012345', 'Incident follow-up', 'Monthly review']),
            },
          ]
        : [],
    });
  };

const servicePrincipalCredentials: Build = (ctx) => {
  const { rng, tenant } = ctx;
  const app = rng.pick(tenant.apps);
  const keyId = rng.guid();
  return audit(ctx, {
    category: 'ApplicationManagement',
    activityDisplayName: 'Add service principal credentials',
    operationType: 'Update',
    initiatedBy: rng.chance(0.5)
      ? appInitiator(ctx, 'Managed Service Identity')
      : userInitiator(rng, rng.pick(tenant.admins)),
    targetResources: [
      {
        id: app.id,
        displayName: app.displayName,
        type: 'ServicePrincipal',
        modifiedProperties: [
          {
            displayName: 'KeyDescription',
            oldValue: '[]',
            newValue: encoded([
              `[KeyIdentifier=${keyId},KeyType=AsymmetricX509Cert,KeyUsage=Verify,DisplayName=CN=${app.appId}]`,
            ]),
          },
          { displayName: 'Included Updated Properties', oldValue: null, newValue: encoded('KeyDescription') },
          { displayName: 'TargetId.ServicePrincipalNames', oldValue: null, newValue: encoded(app.appId) },
        ],
      },
    ],
    additionalDetails: [
      { key: 'User-Agent', value: 'Microsoft Azure Graph Client Library 2.1.17-internal' },
      { key: 'AppId', value: app.appId },
    ],
  });
};

const consentToApplication: Build = (ctx) => {
  const { rng, tenant } = ctx;
  const app = rng.pick(tenant.apps);
  return audit(ctx, {
    category: 'ApplicationManagement',
    activityDisplayName: 'Consent to application',
    operationType: 'Assign',
    initiatedBy: userInitiator(rng, rng.pick(tenant.admins)),
    targetResources: [
      {
        id: app.id,
        displayName: app.displayName,
        type: 'ServicePrincipal',
        modifiedProperties: [
          { displayName: 'ConsentContext.IsAdminConsent', oldValue: null, newValue: encoded('True') },
          {
            displayName: 'ConsentAction.Permissions',
            oldValue: null,
            newValue: encoded(
              `[] => [[Id: ${rng.hex(20)}, ClientId: ${app.id}, Scope:  User.Read Mail.Read]]; `,
            ),
          },
          { displayName: 'TargetId.ServicePrincipalNames', oldValue: null, newValue: encoded(app.appId) },
        ],
      },
    ],
  });
};

const updateDevice: Build = (ctx) => {
  const device = ctx.rng.pick(ctx.tenant.devices);
  return audit(ctx, {
    category: 'Device',
    activityDisplayName: 'Update device',
    operationType: 'Update',
    initiatedBy: appInitiator(ctx, 'Device Registration Service'),
    targetResources: [
      {
        id: device.id,
        displayName: device.displayName,
        type: 'Device',
        modifiedProperties: [
          { displayName: 'Included Updated Properties', oldValue: null, newValue: encoded('') },
        ],
      },
    ],
  });
};

const updateConditionalAccess: Build = (ctx) => {
  const { rng } = ctx;
  const name = rng.pick(CA_POLICIES);
  const policy = (state: string): string =>
    encoded({ id: rng.guid(), displayName: name, state, conditions: { users: { includeUsers: ['All'] } } });
  return audit(ctx, {
    prefix: 'IPCGraph',
    category: 'Policy',
    activityDisplayName: 'Update conditional access policy',
    loggedByService: 'Conditional Access',
    operationType: 'Update',
    initiatedBy: userInitiator(rng, rng.pick(ctx.tenant.admins)),
    targetResources: [
      {
        id: rng.guid(),
        displayName: name,
        type: 'Policy',
        modifiedProperties: [
          {
            displayName: 'ConditionalAccessPolicy',
            oldValue: policy('enabledForReportingButNotEnforced'),
            newValue: policy('enabled'),
          },
        ],
      },
    ],
  });
};

const BUILDERS: ReadonlyArray<readonly [number, Build]> = [
  [22, updateUser],
  [16, groupMembership(true)],
  [6, groupMembership(false)],
  [10, resetPassword],
  [5, addOrDeleteUser(true)],
  [2, addOrDeleteUser(false)],
  [4, addMemberToRole(false)],
  [6, addMemberToRole(true)],
  [4, servicePrincipalCredentials],
  [3, consentToApplication],
  [18, updateDevice],
  [4, updateConditionalAccess],
];

/** A Graph `directoryAudit` as `/v1.0/auditLogs/directoryAudits` returns it. */
export function buildDirectoryAudit(ctx: RecordContext): AuditRecord {
  return pickWeighted(ctx.rng, BUILDERS)(ctx);
}
