// WebhookProcessor on Azure Functions Flex Consumption, as a custom handler (the same executable as
// the embedded service). Everything authenticates with one user-assigned identity; secrets live in
// Key Vault and reach the app as Key Vault references. The names the app depends on (queue, tables)
// are checked against src/WebhookProcessor/Azure/AzureNames.cs by InfraConsistencyTests.

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

@description('Password of the SMTP account alerts are sent from.')
@secure()
param smtpPassword string

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

var suffix = uniqueString(resourceGroup().id, name)
var queueName = 'template-events'
var tableNames = ['wpcatalog', 'wpevents', 'wptemplates', 'wpowners', 'wpnotifications', 'wpalertindex', 'wpdeadletters']
var deploymentContainerName = 'app-package'

// Built-in role definitions (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var roles = {
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
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

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('kv-${name}-${suffix}', 24)
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
  }
}

var secrets = {
  'meta-app-secret': metaAppSecret
  'meta-verify-token': metaVerifyToken
  'ops-api-key': opsApiKey
  'smtp-password': smtpPassword
}

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
}

var assignments = [
  { scope: 'serviceBus', role: roles.serviceBusDataSender }
  { scope: 'serviceBus', role: roles.serviceBusDataReceiver }
  { scope: 'storage', role: roles.storageTableDataContributor }
  { scope: 'storage', role: roles.storageBlobDataOwner }
  { scope: 'storage', role: roles.storageQueueDataContributor }
  { scope: 'vault', role: roles.keyVaultSecretsUser }
  { scope: 'appInsights', role: roles.monitoringMetricsPublisher }
]

resource serviceBusRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for a in filter(assignments, x => x.scope == 'serviceBus'): {
  name: guid(serviceBus.id, identity.id, a.role)
  scope: serviceBus
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
      }
      // Flex takes the runtime from here; FUNCTIONS_WORKER_RUNTIME is not set as an app setting.
      runtime: { name: 'custom', version: '1.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
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
        { name: 'Meta__AppSecrets__0', value: secretRef.metaAppSecret }
        { name: 'Meta__VerifyToken', value: secretRef.metaVerifyToken }
        { name: 'Ops__ApiKeys__0', value: secretRef.opsApiKey }
        // Alerts go out on the DispatchNotifications timer; instances come and go, so no loop of their own.
        { name: 'Notifications__Delivery__RunInBackground', value: 'false' }
        { name: 'Notifications__Smtp__Host', value: smtpHost }
        { name: 'Notifications__Smtp__Port', value: string(smtpPort) }
        { name: 'Notifications__Smtp__UseStartTls', value: 'true' }
        { name: 'Notifications__Smtp__From', value: smtpFrom }
        { name: 'Notifications__Smtp__UserName', value: smtpUserName }
        { name: 'Notifications__Smtp__Password', value: secretRef.smtpPassword }
      ]
    }
  }
  // Key Vault references and the trigger resolve at start-up: the identity needs its roles first.
  dependsOn: [
    serviceBusRoles
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
