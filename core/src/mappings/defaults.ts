import type { MappingsFile } from './schema.js';

/**
 * The built-in mappings: every service gets a readable label and every source a summary for each kind of
 * verb, so events read well with no `mappings.yml` at all. The repository's `mappings.yml` refines these
 * with per-operation templates; anything it leaves out falls back to these.
 */
export function builtInMappingsFile(): MappingsFile {
  return {
    version: 1,
    services: {
      directory: {
        '*': '{value|Entra ID}',
        AdministrativeUnit: 'Administrative Units',
        ApplicationManagement: 'Application Management',
        Authentication: 'Authentication',
        Authorization: 'Authorization',
        AuthenticationMethod: 'Authentication Methods',
        CrossTenantAccessSettings: 'Cross-tenant Access',
        Device: 'Devices',
        DeviceManagement: 'Device Management',
        DirectoryManagement: 'Directory Management',
        EntitlementManagement: 'Entitlement Management',
        GroupManagement: 'Group Management',
        IdentityProtection: 'Identity Protection',
        KerberosDomain: 'Kerberos Domain',
        Label: 'Labels',
        Other: 'Other',
        PermissionGrantPolicy: 'Permission Grant Policies',
        Policy: 'Policies',
        ProvisioningManagement: 'Provisioning',
        ResourceManagement: 'Resource Management',
        RoleManagement: 'Role Management',
        UserManagement: 'User Management',
      },
      intune: {
        '*': 'Intune {value}',
        Application: 'Intune Apps',
        Compliance: 'Intune Compliance',
        'Conditional Access': 'Intune Conditional Access',
        Device: 'Intune Devices',
        DeviceConfiguration: 'Intune Device Configuration',
        DeviceIntent: 'Intune Endpoint Security',
        DeviceSetupConfiguration: 'Intune Device Setup',
        Enrollment: 'Intune Enrollment',
        Role: 'Intune Roles',
        SoftwareUpdates: 'Intune Software Updates',
        Other: 'Intune',
      },
      unified: {
        '*': '{value|Microsoft 365}',
        AzureActiveDirectory: 'Entra ID',
        DLP: 'DLP',
        Exchange: 'Exchange',
        MicrosoftForms: 'Forms',
        MicrosoftStream: 'Stream',
        MicrosoftTeams: 'Teams',
        OneDrive: 'OneDrive',
        PowerBI: 'Power BI',
        SecurityComplianceCenter: 'Security & Compliance',
        SharePoint: 'SharePoint',
        Yammer: 'Viva Engage',
      },
    },
    results: {
      missing: 'success',
      labels: {
        success: 'success',
        succeeded: 'success',
        true: 'success',
        failure: 'failure',
        failed: 'failure',
        false: 'failure',
        partiallysucceeded: 'partial',
        timeout: 'timeout',
      },
    },
    summaries: {
      directory: {
        '*': '{actor}: {operation}[ on {targets}]',
        'Add *': '{actor} added {targets|an object} ({operation})',
        'Update *': '{actor} updated {targets|an object}[ ({changed})]',
        'Delete *': '{actor} deleted {targets|an object} ({operation})',
        'Remove *': '{actor}: {operation}[ for {targets}]',
      },
      intune: {
        '*': '{actor}: {operation}[ on {targets}]',
        'Create *': '{actor} created {targets|an object} ({operation})',
        'Patch *': '{actor} changed {targets|an object}[ ({changed})]',
        'Update *': '{actor} changed {targets|an object}[ ({changed})]',
        'Delete *': '{actor} deleted {targets|an object} ({operation})',
      },
      unified: {
        '*': '{actor}: {operation}[ on {targets}]',
        'Set-*': '{actor} ran {operation}[ on {targets}][ ({changed})]',
        'New-*': '{actor} ran {operation}[ creating {targets}]',
        'Remove-*': '{actor} ran {operation}[ removing {targets}]',
        'Add-*': '{actor} ran {operation}[ on {targets}]',
      },
    },
  };
}
