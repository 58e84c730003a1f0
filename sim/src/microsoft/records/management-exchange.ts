import { pickWeighted, type Rng } from '../random.js';
import { ipAddress, type AuditRecord, type RecordContext } from './context.js';
import { commonFields, userKeyOf } from './management-common.js';

const SYSTEM = 'NT AUTHORITY\\SYSTEM (Microsoft.Exchange.ServiceHost)';
const EXTERNAL_DOMAINS = ['gmail.com', 'outlook.com', 'proton.me', 'fabrikam-partners.com'];
const INBOX_RULE_NAMES = ['Move to RSS', 'Forward all', '.', 'Archive receipts'];

type Parameters = Array<{ Name: string; Value: string }>;

interface Cmdlet {
  name: string;
  byAdmin: boolean;
  build: (ctx: RecordContext, identity: string) => { objectId: string; parameters: Parameters };
}

const aliasOf = (upn: string): string => upn.split('@')[0] ?? 'user';

const server = (rng: Rng): string =>
  `${rng.pick(['AM6PR01MB', 'DB7PR01MB', 'HE1PR0102MB', 'BN8PR12MB', 'SN6PR04MB'])}${1000 + rng.int(8999)} (15.20.${7000 + rng.int(999)}.${rng.int(40).toString().padStart(3, '0')})`;

/** Add- and Remove-MailboxPermission grant or take away the same right; each adds one parameter of its own. */
const mailboxPermission =
  (Name: string, Value: string): Cmdlet['build'] =>
  (ctx, identity) => ({
    objectId: identity,
    parameters: [
      { Name: 'Identity', Value: identity },
      { Name: 'User', Value: ctx.rng.pick(ctx.tenant.users).userPrincipalName },
      { Name: 'AccessRights', Value: 'FullAccess' },
      { Name, Value },
    ],
  });

const CMDLETS: ReadonlyArray<readonly [number, Cmdlet]> = [
  [
    8,
    {
      name: 'Set-Mailbox',
      byAdmin: true,
      build: (ctx, identity) => {
        const parameters: Parameters = [{ Name: 'Identity', Value: identity }];
        if (ctx.rng.chance(0.6)) {
          parameters.push(
            {
              Name: 'ForwardingSmtpAddress',
              Value: `smtp:${aliasOf(identity)}@${ctx.rng.pick(EXTERNAL_DOMAINS)}`,
            },
            { Name: 'DeliverToMailboxAndForward', Value: ctx.rng.chance(0.5) ? 'True' : 'False' },
          );
        } else {
          parameters.push(
            { Name: 'ProhibitSendQuota', Value: '99 GB (106,300,440,576 bytes)' },
            { Name: 'Force', Value: 'True' },
          );
        }
        return { objectId: identity, parameters };
      },
    },
  ],
  [
    5,
    {
      name: 'New-InboxRule',
      byAdmin: false,
      build: (ctx, identity) => ({
        objectId: `${identity}\\${ctx.rng.pick(INBOX_RULE_NAMES)}`,
        parameters: [
          { Name: 'Name', Value: ctx.rng.pick(INBOX_RULE_NAMES) },
          { Name: 'ForwardTo', Value: `${aliasOf(identity)}@${ctx.rng.pick(EXTERNAL_DOMAINS)}` },
          { Name: 'StopProcessingRules', Value: 'True' },
        ],
      }),
    },
  ],
  [6, { name: 'Add-MailboxPermission', byAdmin: true, build: mailboxPermission('InheritanceType', 'All') }],
  [3, { name: 'Remove-MailboxPermission', byAdmin: true, build: mailboxPermission('Confirm', 'False') }],
  [
    2,
    {
      name: 'New-TransportRule',
      byAdmin: true,
      build: (ctx) => {
        const name = ctx.rng.pick([
          'External sender disclaimer',
          'Block executable attachments',
          'Journal legal',
        ]);
        return {
          objectId: name,
          parameters: [
            { Name: 'Name', Value: name },
            { Name: 'Mode', Value: 'Enforce' },
            { Name: 'Priority', Value: '0' },
          ],
        };
      },
    },
  ],
  [
    3,
    {
      name: 'Set-TransportConfig',
      byAdmin: false,
      build: (ctx) => ({
        objectId: `${ctx.tenant.domain}\\Transport Settings`,
        parameters: [
          { Name: 'DomainController', Value: '' },
          { Name: 'Identity', Value: ctx.tenant.domain },
        ],
      }),
    },
  ],
  [
    3,
    {
      name: 'Set-OwaMailboxPolicy',
      byAdmin: false,
      build: (ctx) => ({
        objectId: `${ctx.tenant.domain}\\OwaMailboxPolicy-Default`,
        parameters: [
          { Name: 'InstantMessagingType', Value: 'Ocs' },
          { Name: 'Identity', Value: `${ctx.tenant.domain}\\OwaMailboxPolicy-Default` },
        ],
      }),
    },
  ],
];

function adminCmdlet(ctx: RecordContext): AuditRecord {
  const { rng, tenant } = ctx;
  const cmdlet = pickWeighted(rng, CMDLETS);
  const subject = rng.pick(tenant.users);
  const { objectId, parameters } = cmdlet.build(ctx, subject.userPrincipalName);
  const admin = rng.pick(tenant.admins);
  const actor = cmdlet.byAdmin
    ? { userId: admin.userPrincipalName, userKey: userKeyOf(admin, tenant.domain), userType: 2 }
    : { userId: SYSTEM, userKey: SYSTEM, userType: 3 };
  const record: AuditRecord = {
    ...commonFields(ctx, {
      recordType: 1,
      operation: cmdlet.name,
      workload: 'Exchange',
      ...actor,
      resultStatus: 'True',
      objectId,
    }),
    ClientIP: cmdlet.byAdmin ? `${ipAddress(rng)}:${1024 + rng.int(60000)}` : undefined,
    OriginatingServer: server(rng),
    ClientAppId: '',
    OrganizationName: tenant.domain,
    AppId: '',
    ExternalAccess: !cmdlet.byAdmin,
    // A few cmdlets arrive with Parameters flattened into one PowerShell-style string.
    Parameters: rng.chance(0.05) ? parameters.map((p) => `-${p.Name} "${p.Value}"`).join(' ') : parameters,
  };
  if (record.ClientIP === undefined) delete record.ClientIP;
  return record;
}

const FOLDERS = ['\\Inbox', '\\Sent Items', '\\Calendar', '\\Deleted Items', '\\Archive'];

function mailboxItem(ctx: RecordContext): AuditRecord {
  const { rng, tenant } = ctx;
  const owner = rng.pick(tenant.users);
  const delegate = rng.chance(0.3) ? rng.pick(tenant.users) : owner;
  const operation = rng.pick(['Create', 'ModifyFolderPermissions', 'HardDelete', 'Update']);
  const folderId = `LgAAAA${rng.hex(40)}AAAB`;
  const item: AuditRecord =
    operation === 'ModifyFolderPermissions'
      ? {
          Id: folderId,
          ParentFolder: {
            Path: '\\Calendar',
            MemberRights: 'ReadAny, Visible, FreeBusySimple, FreeBusyDetailed',
            MemberSid: `S-1-8-${rng.int(2 ** 31)}-1`,
            Id: folderId,
            MemberUpn: rng.pick(tenant.users).userPrincipalName,
            Name: 'Calendar',
          },
        }
      : {
          Id: `RgAAAA${rng.hex(60)}AAAJ`,
          ParentFolder: { Path: rng.pick(FOLDERS), Id: folderId },
          Subject: rng.pick([
            'Quarterly numbers',
            'Re: contract draft',
            'Invoice 4471',
            'Team offsite',
            'Password expiry notice',
          ]),
          InternetMessageId: `<${rng.hex(24).toUpperCase()}@${rng.pick(['AM6PR01MB4535', 'DB7PR01MB4428'])}.eurprd01.prod.exchangelabs.com>`,
          IsRecord: false,
        };
  const ip = ipAddress(rng);
  return {
    ...commonFields(ctx, {
      recordType: 2,
      operation,
      workload: 'Exchange',
      userId: delegate.userPrincipalName,
      userKey: userKeyOf(delegate, tenant.domain),
      userType: delegate === owner ? 0 : 1,
      resultStatus: 'Succeeded',
    }),
    ClientIP: ip,
    ClientIPAddress: ip,
    ClientInfoString: rng.pick([
      'Client=OWA;Action=ViaProxy',
      'Client=MSExchangeRPC',
      'Client=WebServices;Action=ConfigureGroupMailbox',
    ]),
    ExternalAccess: false,
    InternalLogonType: 0,
    Item: item,
    LogonType: delegate === owner ? 0 : 1,
    LogonUserSid: delegate.sid,
    MailboxGuid: owner.mailboxGuid,
    MailboxOwnerMasterAccountSid: 'S-1-5-10',
    MailboxOwnerSid: owner.sid,
    MailboxOwnerUPN: owner.userPrincipalName,
    OrganizationName: tenant.domain,
    // Exchange sometimes leaves a trailing newline on the server name.
    OriginatingServer: `${server(rng)}${rng.chance(0.3) ? '\n' : ''}`,
  };
}

/** An Audit.Exchange record: admin cmdlets (RecordType 1) and mailbox item audits (RecordType 2). */
export function buildExchangeRecord(ctx: RecordContext): AuditRecord {
  return ctx.rng.chance(0.7) ? adminCmdlet(ctx) : mailboxItem(ctx);
}
