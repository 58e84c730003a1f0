import { ipAddress, type AuditRecord, type RecordContext } from './context.js';
import { pickWeighted } from '../random.js';

interface IntuneActivity {
  componentName: string;
  category: string;
  operation: 'Create' | 'Delete' | 'Patch' | 'Action';
  resourceType: string;
  verb: string;
  names: readonly string[];
}

const ACTIVITIES: ReadonlyArray<readonly [number, IntuneActivity]> = [
  [
    20,
    {
      componentName: 'DeviceConfiguration',
      category: 'DeviceConfiguration',
      operation: 'Patch',
      resourceType: 'DeviceConfiguration',
      verb: 'Patch DeviceConfiguration',
      names: ['Windows - BitLocker', 'iOS - Restrictions', 'Windows - Wi-Fi Corp', 'Edge baseline'],
    },
  ],
  [
    8,
    {
      componentName: 'DeviceConfiguration',
      category: 'DeviceConfiguration',
      operation: 'Create',
      resourceType: 'DeviceManagementConfigurationPolicy',
      verb: 'Create DeviceManagementConfigurationPolicy',
      names: ['Windows - Defender AV', 'macOS - FileVault', 'Android - Work profile'],
    },
  ],
  [
    12,
    {
      componentName: 'Compliance',
      category: 'Compliance',
      operation: 'Patch',
      resourceType: 'DeviceCompliancePolicy',
      verb: 'Patch DeviceCompliancePolicy',
      names: ['Windows compliance', 'iOS compliance', 'Android compliance'],
    },
  ],
  [
    14,
    {
      componentName: 'Devices',
      category: 'Device',
      operation: 'Action',
      resourceType: 'ManagedDevice',
      verb: 'syncDevice ManagedDevice',
      names: [],
    },
  ],
  [
    5,
    {
      componentName: 'Devices',
      category: 'Device',
      operation: 'Action',
      resourceType: 'ManagedDevice',
      verb: 'wipe ManagedDevice',
      names: [],
    },
  ],
  [
    5,
    {
      componentName: 'Devices',
      category: 'Device',
      operation: 'Action',
      resourceType: 'ManagedDevice',
      verb: 'retire ManagedDevice',
      names: [],
    },
  ],
  [
    4,
    {
      componentName: 'Devices',
      category: 'Device',
      operation: 'Delete',
      resourceType: 'ManagedDevice',
      verb: 'Delete ManagedDevice',
      names: [],
    },
  ],
  [
    10,
    {
      componentName: 'Apps',
      category: 'Application',
      operation: 'Create',
      resourceType: 'MobileAppAssignment',
      verb: 'Create MobileAppAssignment',
      names: ['Company Portal', 'Microsoft 365 Apps', 'Zoom Workplace', '7-Zip'],
    },
  ],
  [
    6,
    {
      componentName: 'Enrollment',
      category: 'Enrollment',
      operation: 'Create',
      resourceType: 'DeviceEnrollmentLimitConfiguration',
      verb: 'Create DeviceEnrollmentConfiguration',
      names: ['Device limit restriction', 'Platform restriction'],
    },
  ],
  [
    4,
    {
      componentName: 'RoleBasedAccessControl',
      category: 'Role',
      operation: 'Patch',
      resourceType: 'RoleAssignment',
      verb: 'Patch RoleAssignment',
      names: ['Help Desk Operator', 'Policy and Profile manager'],
    },
  ],
];

/** `8/9/2024 6:29:00 PM`: Intune writes its own timestamps into modifiedProperties in US format. */
function usDate(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const pad = (n: number): string => n.toString().padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** A Graph `auditEvent` as `/v1.0/deviceManagement/auditEvents` returns it. */
export function buildIntuneAuditEvent(ctx: RecordContext): AuditRecord {
  const { rng, tenant } = ctx;
  const activity = pickWeighted(rng, ACTIVITIES);
  const admin = rng.pick(tenant.admins);
  const portal =
    tenant.apps.find((a) => a.displayName === 'Microsoft Intune portal extension') ?? rng.pick(tenant.apps);
  const device = rng.pick(tenant.devices);
  const onDevice = activity.resourceType === 'ManagedDevice';
  const resourceId = onDevice ? device.deviceId : rng.guid();
  const displayName = onDevice ? device.displayName : rng.pick(activity.names);
  const modifiedProperties: AuditRecord[] = [];
  if (activity.operation === 'Create') {
    modifiedProperties.push(
      { displayName: 'Id', oldValue: null, newValue: resourceId },
      { displayName: 'DisplayName', oldValue: null, newValue: displayName },
      { displayName: 'CreatedDateTime', oldValue: null, newValue: usDate(ctx.ms) },
      { displayName: 'Version', oldValue: null, newValue: '1' },
      { displayName: '$Collection.RoleScopeTagIds[0]', oldValue: null, newValue: 'Default' },
    );
  } else if (activity.operation === 'Patch') {
    const version = 1 + rng.int(20);
    modifiedProperties.push(
      {
        displayName: 'LastModifiedDateTime',
        oldValue: usDate(ctx.ms - 86_400_000 * (1 + rng.int(30))),
        newValue: usDate(ctx.ms),
      },
      { displayName: 'Version', oldValue: String(version), newValue: String(version + 1) },
      {
        displayName: 'Description',
        oldValue: '',
        newValue: rng.pick(['', 'Updated per change CHG0012345', 'Tightened settings']),
      },
    );
  } else if (activity.operation === 'Action') {
    modifiedProperties.push({ displayName: 'DeviceName', oldValue: null, newValue: device.displayName });
  }
  return {
    id: rng.guid(),
    displayName: activity.verb,
    componentName: activity.componentName,
    activity: null,
    activityDateTime: ctx.graphTime,
    activityType: activity.verb,
    activityOperationType: activity.operation,
    activityResult: rng.chance(0.04) ? 'Failure' : 'Success',
    correlationId: rng.guid(),
    category: activity.category,
    actor: {
      auditActorType: 'ItPro',
      userPermissions: ['*'],
      applicationId: portal.appId,
      applicationDisplayName: portal.displayName,
      userPrincipalName: admin.userPrincipalName,
      servicePrincipalName: null,
      ipAddress: rng.chance(0.8) ? null : ipAddress(rng),
      userId: admin.id,
    },
    resources: [
      {
        displayName,
        auditResourceType: activity.resourceType,
        resourceId,
        modifiedProperties,
      },
    ],
  };
}
