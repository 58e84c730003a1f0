import { createRng, saltOf } from './random.js';

/** A directory object the sim knows, resolvable through getByIds and the per-type GET routes. */
export interface DirectoryObject {
  kind: 'user' | 'group' | 'servicePrincipal' | 'device' | 'directoryRole';
  id: string;
  displayName: string;
  /** Graph properties returned beside id and displayName. */
  extra: Record<string, unknown>;
}

export interface TenantUser extends DirectoryObject {
  kind: 'user';
  userPrincipalName: string;
  /** Hex PUID as the Management Activity API's UserKey carries it. */
  puid: string;
  sid: string;
  mailboxGuid: string;
  isAdmin: boolean;
}

export interface TenantApp extends DirectoryObject {
  kind: 'servicePrincipal';
  appId: string;
}

export interface TenantDevice extends DirectoryObject {
  kind: 'device';
  deviceId: string;
  operatingSystem: string;
}

export interface TenantRole extends DirectoryObject {
  kind: 'directoryRole';
  roleTemplateId: string;
}

export interface Tenant {
  tenantId: string;
  domain: string;
  users: TenantUser[];
  admins: TenantUser[];
  groups: DirectoryObject[];
  apps: TenantApp[];
  devices: TenantDevice[];
  roles: TenantRole[];
  byId: Map<string, DirectoryObject>;
}

const FIRST = [
  'Adele',
  'Alex',
  'Allan',
  'Bianca',
  'Cameron',
  'Christie',
  'Debra',
  'Diego',
  'Emily',
  'Enrico',
  'Grady',
  'Henrietta',
  'Irvin',
  'Isaiah',
  'Johanna',
  'Joni',
  'Lee',
  'Lidia',
  'Lynne',
  'Megan',
  'Miriam',
  'Nestor',
  'Patti',
  'Pradeep',
  'Raul',
  'Sakura',
  'Tomasz',
  'Yuki',
  'Zainab',
  'Oskar',
];
const LAST = [
  'Vance',
  'Wilber',
  'Deyoung',
  'Pia',
  'White',
  'Cline',
  'Berg',
  'Siciliani',
  'Braun',
  'Rossi',
  'Archie',
  'Gonzalez',
  'Bellows',
  'Lambert',
  'Lauer',
  'Sherman',
  'Gu',
  'Holloway',
  'Robbins',
  'Bowen',
  'Wilson',
  'Fernandes',
  'Gupta',
  'Tanaka',
  'Kowalski',
  'Okafor',
  'Lindqvist',
  'Nakamura',
  'Haddad',
  'Moreau',
];
const GROUPS = [
  'All Company',
  'Finance',
  'HR Team',
  'Sales EMEA',
  'Sales Americas',
  'Engineering',
  'IT Helpdesk',
  'Legal',
  'Marketing',
  'Executives',
  'Contractors',
  'Intune Pilot Devices',
  'Conditional Access Exclusions',
  'Project Falcon',
  'Retail Stores',
  'Guests - Partners',
  'SharePoint Owners',
  'License - E5',
  'Security Operations',
  'Mobile Workers',
];
const APPS = [
  'Microsoft Intune portal extension',
  'Azure Portal',
  'Microsoft Graph Command Line Tools',
  'Office 365 Exchange Online',
  'Office 365 SharePoint Online',
  'Device Registration Service',
  'Managed Service Identity',
  'AOC Audit Collector',
  'Contoso HR Sync',
  'Salesforce',
  'ServiceNow Connector',
  'Microsoft Teams Services',
];
// Real built-in role template ids, so role names resolve as they would in any tenant.
const ROLES: ReadonlyArray<readonly [string, string]> = [
  ['Global Administrator', '62e90394-69f5-4237-9190-012177145e10'],
  ['User Administrator', 'fe930be7-5e62-47db-91af-98c3a49a38b1'],
  ['Exchange Administrator', '29232cdf-9323-42fd-ade2-1d097af3e4de'],
  ['SharePoint Administrator', 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c'],
  ['Intune Administrator', '3a2c62db-5318-420d-8d74-23affee5d9d5'],
  ['Security Administrator', '194ae4cb-b126-40b2-bd5b-6091b380977d'],
  ['Helpdesk Administrator', '729827e3-9c14-49f7-bb1b-9608f156bbb8'],
  ['Teams Administrator', '69091246-20e8-4a56-aa4d-066075b2a7a8'],
];
const OS = ['Windows', 'Windows', 'Windows', 'iOS', 'Android', 'MacMDM'];

/** Builds the demo tenant's directory deterministically from the seed. */
export function buildTenant(seed: number, userCount = 60): Tenant {
  const rng = createRng(seed, saltOf('tenant'));
  const tenantId = rng.guid();
  const domain = `contoso${(seed % 1000).toString().padStart(3, '0')}.onmicrosoft.com`;
  const byId = new Map<string, DirectoryObject>();
  const add = <T extends DirectoryObject>(object: T): T => {
    byId.set(object.id, object);
    return object;
  };
  const users: TenantUser[] = [];
  const seen = new Set<string>();
  for (let i = 0; users.length < userCount; i += 1) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    const alias = `${first}${last[0] ?? ''}`.toLowerCase();
    if (seen.has(alias)) continue;
    seen.add(alias);
    const id = rng.guid();
    const userPrincipalName = `${alias}@${domain}`;
    users.push(
      add({
        kind: 'user',
        id,
        displayName: `${first} ${last}`,
        userPrincipalName,
        puid: `1003${rng.hex(12).toUpperCase()}`,
        sid: `S-1-5-21-${1000000000 + rng.int(999999999)}-${1000000000 + rng.int(999999999)}-${1000000000 + rng.int(999999999)}-${10000000 + i}`,
        mailboxGuid: rng.guid(),
        isAdmin: i < 6,
        extra: { userPrincipalName, accountEnabled: true, userType: 'Member', mail: userPrincipalName },
      }),
    );
  }
  const groups = GROUPS.map((displayName) =>
    add({
      kind: 'group' as const,
      id: rng.guid(),
      displayName,
      extra: {
        mailEnabled: rng.chance(0.5),
        securityEnabled: true,
        groupTypes: rng.chance(0.4) ? ['Unified'] : [],
        mailNickname: displayName.replace(/[^A-Za-z]/g, ''),
      },
    }),
  );
  const apps = APPS.map((displayName) => {
    const appId = rng.guid();
    return add({
      kind: 'servicePrincipal' as const,
      id: rng.guid(),
      appId,
      displayName,
      extra: { appId, servicePrincipalType: 'Application', accountEnabled: true },
    });
  });
  const devices: TenantDevice[] = [];
  for (let i = 0; i < 40; i += 1) {
    const operatingSystem = rng.pick(OS);
    const prefix =
      operatingSystem === 'Windows' ? 'DESKTOP' : operatingSystem === 'MacMDM' ? 'MBP' : 'MOBILE';
    const deviceId = rng.guid();
    devices.push(
      add({
        kind: 'device',
        id: rng.guid(),
        deviceId,
        operatingSystem,
        displayName: `${prefix}-${rng.hex(7).toUpperCase()}`,
        extra: { deviceId, operatingSystem, accountEnabled: true, trustType: 'AzureAd' },
      }),
    );
  }
  const roles = ROLES.map(([displayName, roleTemplateId]) =>
    add({
      kind: 'directoryRole' as const,
      id: rng.guid(),
      displayName,
      roleTemplateId,
      extra: {
        roleTemplateId,
        description: `Members of this role are ${displayName}s.`,
        deletedDateTime: null,
      },
    }),
  );
  return {
    tenantId,
    domain,
    users,
    admins: users.filter((u) => u.isAdmin),
    groups,
    apps,
    devices,
    roles,
    byId,
  };
}
