import { type AuditRecord, type RecordContext } from './context.js';
import { commonFields } from './management-common.js';

const TEAMS = [
  'Project Falcon',
  'Finance Leadership',
  'IT Ops',
  'Sales EMEA',
  'All Hands',
  'Incident Response',
];

/** An Audit.General record from Microsoft Teams (RecordType 25). */
export function buildTeamsRecord(ctx: RecordContext): AuditRecord {
  const { rng, tenant } = ctx;
  const user = rng.pick(tenant.users);
  const teamName = rng.pick(TEAMS);
  const team = { TeamGuid: `19:${rng.hex(32)}@thread.skype`, TeamName: teamName };
  const roll = rng.next();
  const operation =
    roll < 0.35
      ? 'TeamsSessionStarted'
      : roll < 0.6
        ? 'MemberAdded'
        : roll < 0.7
          ? 'MemberRemoved'
          : roll < 0.8
            ? 'TeamCreated'
            : roll < 0.9
              ? 'ChannelAdded'
              : 'TeamDeleted';
  const byApp = operation === 'TeamCreated' && rng.chance(0.3);
  const base = commonFields(ctx, {
    recordType: 25,
    operation,
    workload: 'MicrosoftTeams',
    userId: byApp ? 'Application' : user.userPrincipalName,
    userKey: byApp ? '' : user.id,
    userType: byApp ? 5 : 0,
    objectId: operation === 'TeamsSessionStarted' ? 'Unknown (Unknown)' : undefined,
  });
  switch (operation) {
    case 'TeamsSessionStarted':
      return base;
    case 'MemberAdded':
    case 'MemberRemoved': {
      const members = Array.from({ length: 1 + rng.int(3) }, () => {
        const member = rng.pick(tenant.users);
        return { DisplayName: member.displayName, Role: 1 + rng.int(2), UPN: member.userPrincipalName };
      });
      return { ...base, ItemName: teamName, Members: members, ...team };
    }
    case 'ChannelAdded':
      return {
        ...base,
        ChannelGuid: `19:${rng.hex(32)}@thread.tacv2`,
        ChannelName: rng.pick(['General', 'Announcements', 'War room']),
        ChannelType: 'Standard',
        ...team,
      };
    case 'TeamCreated':
    case 'TeamDeleted':
      return { ...base, ...team, ...(rng.chance(0.1) ? { AppAccessContext: { DeviceId: rng.guid() } } : {}) };
  }
}
