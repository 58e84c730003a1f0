import { ipAddress, USER_AGENTS, type AuditRecord, type RecordContext } from './context.js';
import { commonFields } from './management-common.js';

const FILES = [
  'Budget FY27.xlsx',
  'Board deck.pptx',
  'Contract - Fabrikam.docx',
  'Screenshot.png',
  'Payroll export.csv',
  'Roadmap.docx',
];
const SITES = ['finance', 'legal', 'sales', 'engineering', 'hr'];

/** An Audit.SharePoint record (SharePoint and OneDrive): file operations, sharing and page views. */
export function buildSharePointRecord(ctx: RecordContext): AuditRecord {
  const { rng, tenant } = ctx;
  const user = rng.pick(tenant.users);
  const host = tenant.domain.split('.')[0] ?? 'contoso';
  const oneDrive = rng.chance(0.4);
  const alias = user.userPrincipalName.replace(/[@.]/g, '_');
  const siteUrl = oneDrive
    ? `https://${host}-my.sharepoint.com/personal/${alias}/`
    : `https://${host}.sharepoint.com/sites/${rng.pick(SITES)}/`;
  const file = rng.pick(FILES);
  const extension = file.split('.').pop() ?? '';
  const roll = rng.next();
  const operation =
    roll < 0.3
      ? 'FileModified'
      : roll < 0.45
        ? 'FileDeleted'
        : roll < 0.6
          ? 'FileUploaded'
          : roll < 0.8
            ? 'SharingSet'
            : 'PageViewed';
  const recordType = operation === 'SharingSet' ? 14 : operation === 'PageViewed' ? 4 : 6;
  const base: AuditRecord = {
    ...commonFields(ctx, {
      recordType,
      operation,
      workload: oneDrive ? 'OneDrive' : 'SharePoint',
      userId: user.userPrincipalName,
      userKey: `i:0h.f|membership|${user.puid.toLowerCase()}@live.com`,
      userType: 0,
      objectId:
        operation === 'PageViewed' ? `${siteUrl}_layouts/15/onedrive.aspx` : `${siteUrl}Documents/${file}`,
    }),
    ClientIP: ipAddress(rng),
    CorrelationId: rng.guid(),
    EventSource: 'SharePoint',
    ItemType: operation === 'PageViewed' ? 'Page' : 'File',
    ListItemUniqueId: rng.guid(),
    Site: rng.guid(),
    UserAgent: rng.pick(USER_AGENTS),
    WebId: rng.guid(),
  };
  if (operation === 'PageViewed') return { ...base, CustomUniqueId: true };
  const file_ = {
    ListId: rng.guid(),
    SiteUrl: siteUrl,
    SourceFileExtension: extension,
    SourceFileName: file,
    SourceRelativeUrl: 'Documents',
  };
  if (operation !== 'SharingSet') return { ...base, ...file_ };
  const guest = rng.chance(0.3);
  return {
    ...base,
    ...file_,
    SourceRelativeUrl: `Documents/${file}`,
    TargetUserOrGroupName: guest
      ? `${rng.hex(6)}@${rng.pick(['gmail.com', 'fabrikam.com'])}`
      : rng.pick(tenant.groups).displayName,
    TargetUserOrGroupType: guest ? 'Guest' : rng.pick(['Member', 'SecurityGroup']),
    EventData: `<Permissions granted>${rng.pick(['System.LimitedEdit', 'System.LimitedView', 'Contribute'])}</Permissions granted>`,
  };
}
