import { type AuditRecord, type RecordContext } from './context.js';
import { commonFields } from './management-common.js';

/** The sensitive information types the DLP records cite, as `resources/dlpSensitiveTypes` names them. */
export const SENSITIVE_TYPES = [
  ['50842eb7-edc8-4019-85dd-5a5c1f2bb085', 'Credit Card Number'],
  ['a44669fe-0d48-453d-a9b1-2cc83f2cba77', 'U.S. Social Security Number (SSN)'],
  ['e55e2a32-f92d-4985-a35d-a0b269eb687b', 'International Banking Account Number (IBAN)'],
] as const;

/** A DLP.All record: an Exchange DLP rule match (RecordType 13) with its policy and message metadata. */
export function buildDlpRecord(ctx: RecordContext): AuditRecord {
  const { rng, tenant } = ctx;
  const sender = rng.pick(tenant.users);
  const messageId = `<${rng.hex(30).toUpperCase()}@${rng.pick(['AM0PR05MB4803', 'DB7PR01MB4428'])}.eurprd05.prod.outlook.com>`;
  const [sensitiveType] = rng.pick(SENSITIVE_TYPES);
  const highVolume = rng.chance(0.3);
  return {
    ...commonFields(ctx, {
      recordType: 13,
      operation: 'DlpRuleMatch',
      workload: 'Exchange',
      userId: 'DlpAgent',
      userKey: '1153801116545789462',
      userType: 4,
      objectId: messageId,
    }),
    IncidentId: rng.guid(),
    SensitiveInfoDetectionIsIncluded: false,
    ExchangeMetaData: {
      BCC: [],
      CC: rng.chance(0.3) ? [rng.pick(tenant.users).userPrincipalName] : [],
      FileSize: 2000 + rng.int(400000),
      From: sender.userPrincipalName,
      MessageID: messageId,
      RecipientCount: 1 + rng.int(4),
      Sent: new Date(ctx.ms - 1000).toISOString().slice(0, 19),
      Subject: rng.pick(['Customer list', 'Payment details', 'FW: card numbers', 'HR export']),
      To: [`${rng.hex(6)}@${rng.pick(['gmail.com', 'fabrikam.com'])}`],
      UniqueID: rng.guid(),
    },
    PolicyDetails: [
      {
        PolicyId: rng.guid(),
        PolicyName: rng.pick(['PCI DSS', 'U.S. PII', 'Financial data - external']),
        Rules: [
          {
            ActionParameters: [`GenerateIncidentReport:${sender.userPrincipalName}`],
            Actions: highVolume
              ? ['BlockAccess', 'NotifyUser', 'GenerateIncidentReport']
              : ['NotifyUser', 'GenerateIncidentReport'],
            ConditionsMatched: {
              OtherConditions: [{ Name: 'AccessScope', Value: 'IncludeExternalUsers' }],
              SensitiveInformation: [
                {
                  Confidence: 75 + rng.int(25),
                  Count: 1 + rng.int(20),
                  Location: 'Message Body',
                  SensitiveType: sensitiveType,
                  UniqueCount: 1 + rng.int(5),
                },
              ],
            },
            RuleId: rng.guid(),
            RuleMode: 'Enable',
            RuleName: highVolume ? 'High volume of content detected' : 'Low volume of content detected',
            Severity: highVolume ? 'High' : 'Low',
          },
        ],
      },
    ],
  };
}
