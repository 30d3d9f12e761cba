// WebhookProcessor on Azure Functions Flex Consumption, as a custom handler (the same executable as
// the embedded service). Everything authenticates with one user-assigned identity; secrets live in
// Key Vault and reach the app as Key Vault references. The names the app depends on (queue, tables)
// are checked against src/WebhookProcessor/Azure/AzureNames.cs by InfraConsistencyTests, and the
// test suite builds and lints this file with the real Bicep compiler (BicepCompilerTests).
// Before deploying, check the runtime and region (docs/azure.md):
//   az functionapp list-flexconsumption-locations -o table
//   az functionapp list-flexconsumption-runtimes -l <region> --runtime custom -o table

targetScope = 'resourceGroup'

@description('Short name used in every resource name.')
@minLength(3)
@maxLength(12)
param name string = 'webhookproc'

param location string = resourceGroup().location

@description('Meta app secret (App Dashboard > App settings > Basic), checked against X-Hub-Signature-256.')
@secure()
param metaAppSecret string

@description('Token you choose and enter in Meta\'s webhook configuration for the subscription handshake.')
@secure()
param metaVerifyToken string

@description('Key for the X-Api-Key header of the ops API (at least 16 characters).')
@secure()
param opsApiKey string

@description('Password of the SMTP account alerts are sent from. Leave empty when alerts go to Teams only (or the SMTP server takes no login): no secret is stored then.')
@secure()
param smtpPassword string = ''

@description('Meta Graph API token (a system user\'s, with whatsapp_business_management) for reconciling the catalog with Meta. Leave empty to keep reconciliation off: no secret is stored then.')
@secure()
param metaGraphApiToken string = ''

@description('Whether the ReconcileCatalog timer reconciles the catalog with Meta on its own (it needs metaGraphApiToken too). Runs asked for through the ops API work either way.')
param reconciliationEnabled bool = true

@description('Time between scheduled full reconciliation runs, as d.hh:mm:ss or hh:mm:ss; the hourly timer looks for overdue pending changes in between.')
param reconciliationInterval string = '06:00:00'

param smtpHost string = ''
param smtpPort int = 587
param smtpFrom string = ''
param smtpUserName string = ''

@description('Most instances Flex Consumption may scale out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Instances kept warm for the HTTP functions (the webhook and the ops API), so Meta\'s first delivery after an idle spell does not wait for a cold start. 0 scales to zero; each warm instance is billed for its memory all the time it is ready (docs/azure.md).')
@minValue(0)
@maxValue(10)
param alwaysReadyHttpInstances int = 0

@description('\'default\' creates the Key Vault. \'recover\' takes back a vault of the same name that sits soft-deleted, after the resource group was deleted and is deployed again (docs/azure.md).')
@allowed(['default', 'recover'])
param keyVaultCreateMode string = 'default'

@description('Whether to add the operators\' workbook (infra/workbook.json: webhooks, lag, queue, dead letters, alerts, circuit breakers) to Application Insights.')
param deployWorkbook bool = true

var suffix = uniqueString(resourceGroup().id, name)
var queueName = 'template-events'
var tableNames = ['wpcatalog', 'wpevents', 'wptemplates', 'wpowners', 'wpnotifications', 'wpalertindex', 'wpdeadletters']
var deploymentContainerName = 'app-package'

// Built-in role definitions (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var roles = {
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${name}-${suffix}'
  location: location
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${name}-${suffix}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${name}-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

// Shows up under the Application Insights resource's Workbooks. The portal matches a workbook to its
// resource by the lower-case id, hence toLower. Workbooks are named by GUIDs; this one is derived from
// the component, so a redeploy updates the same workbook instead of adding another.
resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = if (deployWorkbook) {
  name: guid(appInsights.id, 'webhookprocessor-operations-workbook')
  location: location
  kind: 'shared'
  properties: {
    displayName: 'WebhookProcessor operations (${name})'
    category: 'workbook'
    sourceId: toLower(appInsights.id)
    serializedData: loadTextContent('workbook.json')
    version: '1.0'
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: take('st${toLower(replace(name, '-', ''))}${suffix}', 24)
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: deploymentContainerName
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = [for table in tableNames: {
  parent: tableService
  name: table
}]

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: 'sb-${name}-${suffix}'
  location: location
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: serviceBus
  name: queueName
  properties: {
    // The intake sends each change with its event id as MessageId; Meta re-sends for days, and the
    // catalog's insert-first history catches whatever falls outside this window.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'P1D'
    maxDeliveryCount: 10
    lockDuration: 'PT1M'
    defaultMessageTimeToLive: 'P14D'
    deadLetteringOnMessageExpiration: true
  }
}

// Purge protection keeps a deleted vault (and its name) for 90 days: a redeploy into a re-created
// resource group gets the same name from uniqueString and must recover it (keyVaultCreateMode).
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('kv-${name}-${suffix}', 24)
  location: location
  properties: {
    tenantId: subscription().tenantId
    createMode: keyVaultCreateMode
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
  }
}

var usesSmtpPassword = !empty(smtpPassword)
var usesGraphApiToken = !empty(metaGraphApiToken)

// The SMTP password and the Graph API token are stored only when given: an empty secret would be a
// setting that looks set (and a token that looks set would turn reconciliation on, to fail with 190).
var secrets = union({
  'meta-app-secret': metaAppSecret
  'meta-verify-token': metaVerifyToken
  'ops-api-key': opsApiKey
}, usesSmtpPassword ? { 'smtp-password': smtpPassword } : {}, usesGraphApiToken ? { 'meta-graph-api-token': metaGraphApiToken } : {})

resource vaultSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for secret in items(secrets): {
  parent: vault
  name: secret.key
  properties: { value: secret.value }
}]

// No version in the URI: the app follows the latest value of each secret.
var secretRef = {
  metaAppSecret: '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/meta-app-secret/)'
  metaVerifyToken: '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/meta-verify-token/)'
  opsApiKey: '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/ops-api-key/)'
  smtpPassword: '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/smtp-password/)'
  metaGraphApiToken: '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/meta-graph-api-token/)'
}

// On the queue, not the namespace. The app sends (intake, and the Functions mode's scheduled retries)
// and receives; Data Owner is what the platform's scale controller needs to read the queue's length
// through the trigger's identity-based connection, so Flex Consumption scales on it.
var assignments = [
  { scope: 'queue', role: roles.serviceBusDataSender }
  { scope: 'queue', role: roles.serviceBusDataReceiver }
  { scope: 'queue', role: roles.serviceBusDataOwner }
  { scope: 'storage', role: roles.storageTableDataContributor }
  { scope: 'storage', role: roles.storageBlobDataOwner }
  { scope: 'storage', role: roles.storageQueueDataContributor }
  { scope: 'vault', role: roles.keyVaultSecretsUser }
  { scope: 'appInsights', role: roles.monitoringMetricsPublisher }
]

resource queueRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for a in filter(assignments, x => x.scope == 'queue'): {
  name: guid(queue.id, identity.id, a.role)
  scope: queue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.role)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for a in filter(assignments, x => x.scope == 'storage'): {
  name: guid(storage.id, identity.id, a.role)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.role)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource vaultRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for a in filter(assignments, x => x.scope == 'vault'): {
  name: guid(vault.id, identity.id, a.role)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.role)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource appInsightsRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for a in filter(assignments, x => x.scope == 'appInsights'): {
  name: guid(appInsights.id, identity.id, a.role)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.role)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}-${suffix}'
  location: location
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: {
    reserved: true
  }
}

var serviceBusHost = '${serviceBus.name}.servicebus.windows.net'

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-${name}-${suffix}'
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        // 'http' is the group every HTTP-triggered function scales in, the webhook among them.
        alwaysReady: alwaysReadyHttpInstances > 0 ? [{ name: 'http', instanceCount: alwaysReadyHttpInstances }] : []
      }
      // Flex takes the runtime from here; FUNCTIONS_WORKER_RUNTIME is not set as an app setting.
      runtime: { name: 'custom', version: '1.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: concat([
        // Functions host: its own storage and the Service Bus trigger, both through the identity.
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'ServiceBusConnection__fullyQualifiedNamespace', value: serviceBusHost }
        { name: 'ServiceBusConnection__credential', value: 'managedidentity' }
        { name: 'ServiceBusConnection__clientId', value: identity.properties.clientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
        // The handler (WebhookProcessor): Azure.Identity picks the user-assigned identity from AZURE_CLIENT_ID.
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'Storage__Provider', value: 'AzureTables' }
        { name: 'Storage__Tables__Endpoint', value: storage.properties.primaryEndpoints.table }
        { name: 'Queue__Provider', value: 'ServiceBus' }
        { name: 'Queue__ServiceBus__FullyQualifiedNamespace', value: serviceBusHost }
        { name: 'Queue__ServiceBus__QueueName', value: queue.name }
        { name: 'Queue__ServiceBus__TransportType', value: 'AmqpTcp' }
        // The host's serviceBusTrigger receives; the app's own processor is for self-hosting only.
        { name: 'Queue__ServiceBus__Receiver', value: 'FunctionsHost' }
        { name: 'Meta__AppSecrets__0', value: secretRef.metaAppSecret }
        { name: 'Meta__VerifyToken', value: secretRef.metaVerifyToken }
        { name: 'Ops__ApiKeys__0', value: secretRef.opsApiKey }
        // Alerts go out from the invocation that planned them, with the DispatchNotifications timer as a
        // catch-up; instances come and go, so no loop of their own.
        { name: 'Notifications__Delivery__RunInBackground', value: 'false' }
        { name: 'Notifications__Smtp__Host', value: smtpHost }
        { name: 'Notifications__Smtp__Port', value: string(smtpPort) }
        { name: 'Notifications__Smtp__UseStartTls', value: 'true' }
        { name: 'Notifications__Smtp__From', value: smtpFrom }
        { name: 'Notifications__Smtp__UserName', value: smtpUserName }
        // The ReconcileCatalog timer schedules runs here; there is no loop of its own on Functions.
        { name: 'Reconciliation__Enabled', value: reconciliationEnabled ? 'true' : 'false' }
        { name: 'Reconciliation__Interval', value: reconciliationInterval }
      ], usesSmtpPassword ? [{ name: 'Notifications__Smtp__Password', value: secretRef.smtpPassword }] : [],
        usesGraphApiToken ? [{ name: 'Meta__GraphApi__AccessToken', value: secretRef.metaGraphApiToken }] : [])
    }
  }
  // Key Vault references and the trigger resolve at start-up: the identity needs its roles first.
  // New role assignments can take minutes to reach the services (docs/azure.md, "First start").
  dependsOn: [
    queueRoles
    storageRoles
    vaultRoles
    appInsightsRoles
    vaultSecrets
    tables
    deploymentContainer
  ]
}

output functionAppName string = functionApp.name
output functionAppHostName string = functionApp.properties.defaultHostName
output webhookUrl string = 'https://${functionApp.properties.defaultHostName}/api/webhooks/whatsapp'
output keyVaultName string = vault.name
output identityClientId string = identity.properties.clientId
