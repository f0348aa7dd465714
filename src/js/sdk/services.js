// Service definitions for the simulated SDKs: adding a service is a list of operation and error names.
// Sources: the AWS API references (operation lists) and the v3 clients' exported exception classes. `aliases` maps an
// error code a protocol puts on the wire to the v3 exception class name (awsQuery services, docs "Error handling").
// `blobs` names the top-level members that are blobs (base64 in the call's JSON; Uint8Array in v3, Buffer in v2).
'use strict';
// String separators, not a regular expression: a regex split is slow in the interpreter and this runs on every
// cold start that uses the SDK.
const list = (text) => text.replaceAll('\n', ' ').split(' ').filter((word) => word !== '');

exports.dynamodb = {
  signingName: 'dynamodb',
  clientName: 'DynamoDB',
  v2Name: 'DynamoDB',
  // awsJson1_0 error bodies carry `__type` (com.amazonaws.dynamodb.v20120810#Code), which v3 copies onto the error.
  errorNamespace: 'com.amazonaws.dynamodb.v20120810#',
  attributeValues: true,
  retryBaseMs: 50,
  operations: list(`
    BatchExecuteStatement BatchGetItem BatchWriteItem CreateBackup CreateGlobalTable CreateTable DeleteBackup
    DeleteItem DeleteResourcePolicy DeleteTable DescribeBackup DescribeContinuousBackups DescribeContributorInsights
    DescribeEndpoints DescribeExport DescribeGlobalTable DescribeGlobalTableSettings DescribeImport
    DescribeKinesisStreamingDestination DescribeLimits DescribeTable DescribeTableReplicaAutoScaling
    DescribeTimeToLive DisableKinesisStreamingDestination EnableKinesisStreamingDestination ExecuteStatement
    ExecuteTransaction ExportTableToPointInTime GetItem GetResourcePolicy ImportTable ListBackups
    ListContributorInsights ListExports ListGlobalTables ListImports ListTables ListTagsOfResource PutItem
    PutResourcePolicy Query RestoreTableFromBackup RestoreTableToPointInTime Scan TagResource TransactGetItems
    TransactWriteItems UntagResource UpdateContinuousBackups UpdateContributorInsights UpdateGlobalTable
    UpdateGlobalTableSettings UpdateItem UpdateKinesisStreamingDestination UpdateTable UpdateTableReplicaAutoScaling
    UpdateTimeToLive`),
  errors: list(`
    BackupInUseException BackupNotFoundException ConditionalCheckFailedException
    ContinuousBackupsUnavailableException DuplicateItemException ExportConflictException ExportNotFoundException
    GlobalTableAlreadyExistsException GlobalTableNotFoundException IdempotentParameterMismatchException
    ImportConflictException ImportNotFoundException IndexNotFoundException InternalServerError
    InvalidEndpointException InvalidExportTimeException InvalidRestoreTimeException
    ItemCollectionSizeLimitExceededException LimitExceededException PointInTimeRecoveryUnavailableException
    PolicyNotFoundException ProvisionedThroughputExceededException ReplicaAlreadyExistsException
    ReplicaNotFoundException RequestLimitExceeded ResourceInUseException ResourceNotFoundException
    TableAlreadyExistsException TableInUseException TableNotFoundException TransactionCanceledException
    TransactionConflictException TransactionInProgressException`),
  aliases: {},
  blobs: [],
  // paginateX(config, input): the input token member and the output token member (v3 paginators).
  paginators: {
    Query: ['ExclusiveStartKey', 'LastEvaluatedKey'],
    Scan: ['ExclusiveStartKey', 'LastEvaluatedKey'],
    ListTables: ['ExclusiveStartTableName', 'LastEvaluatedTableName'],
  },
};

exports.s3 = {
  signingName: 's3',
  clientName: 'S3',
  v2Name: 'S3',
  retryBaseMs: 100,
  operations: list(`
    AbortMultipartUpload CompleteMultipartUpload CopyObject CreateBucket CreateMultipartUpload DeleteBucket
    DeleteBucketCors DeleteBucketPolicy DeleteBucketWebsite DeleteObject DeleteObjectTagging DeleteObjects
    GetBucketCors GetBucketLocation GetBucketPolicy GetBucketWebsite GetObject GetObjectTagging HeadBucket
    HeadObject ListBuckets ListMultipartUploads ListObjects ListObjectsV2 ListParts PutBucketCors PutBucketPolicy
    PutBucketWebsite PutObject PutObjectTagging UploadPart`),
  errors: list(`
    BucketAlreadyExists BucketAlreadyOwnedByYou EncryptionTypeMismatch InvalidObjectState InvalidRequest
    InvalidWriteOffset NoSuchBucket NoSuchKey NoSuchUpload NotFound ObjectAlreadyInActiveTierError
    ObjectNotInActiveTierError TooManyParts`),
  aliases: {},
  blobs: ['Body'],
  // Members that are timestamps, sent as epoch seconds and given to handlers as Dates (the SDKs' Date members).
  timestamps: ['LastModified', 'CreationDate', 'Expires'],
  // v3 gives GetObject's Body as a stream with transformToString / transformToByteArray (sdkStreamMixin).
  streamingBody: { GetObject: true },
  // A ranged GetObject answers 206 Partial Content (GetObject API reference, Range); the output has ContentRange.
  partialContent: { GetObject: 'ContentRange' },
  // 204 No Content answers (API reference: DeleteObject, DeleteBucket, DeleteBucketPolicy, DeleteBucketWebsite).
  status: { DeleteObject: 204, DeleteBucket: 204, DeleteBucketPolicy: 204, DeleteBucketWebsite: 204 },
};

exports.sns = {
  signingName: 'sns',
  clientName: 'SNS',
  v2Name: 'SNS',
  retryBaseMs: 100,
  operations: list(`
    ConfirmSubscription CreateTopic DeleteTopic GetSubscriptionAttributes GetTopicAttributes ListSubscriptions
    ListSubscriptionsByTopic ListTagsForResource ListTopics Publish PublishBatch SetSubscriptionAttributes
    SetTopicAttributes Subscribe TagResource Unsubscribe UntagResource`),
  errors: list(`
    AuthorizationErrorException BatchEntryIdsNotDistinctException EmptyBatchRequestException
    InternalErrorException InvalidBatchEntryIdException InvalidParameterException InvalidParameterValueException
    NotFoundException SubscriptionLimitExceededException ThrottledException TooManyEntriesInBatchRequestException
    TopicLimitExceededException`),
  aliases: {
    AuthorizationError: 'AuthorizationErrorException',
    InternalError: 'InternalErrorException',
    InvalidParameter: 'InvalidParameterException',
    NotFound: 'NotFoundException',
    SubscriptionLimitExceeded: 'SubscriptionLimitExceededException',
    Throttled: 'ThrottledException',
    TopicLimitExceeded: 'TopicLimitExceededException',
  },
  blobs: [],
};

exports.sqs = {
  signingName: 'sqs',
  clientName: 'SQS',
  v2Name: 'SQS',
  errorNamespace: 'com.amazonaws.sqs#',
  retryBaseMs: 100,
  operations: list(`
    AddPermission ChangeMessageVisibility ChangeMessageVisibilityBatch CreateQueue DeleteMessage DeleteMessageBatch
    DeleteQueue GetQueueAttributes GetQueueUrl ListDeadLetterSourceQueues ListQueueTags ListQueues PurgeQueue
    ReceiveMessage RemovePermission SendMessage SendMessageBatch SetQueueAttributes TagQueue UntagQueue`),
  errors: list(`
    BatchEntryIdsNotDistinct BatchRequestTooLong EmptyBatchRequest InvalidAddress InvalidAttributeName
    InvalidAttributeValue InvalidBatchEntryId InvalidIdFormat InvalidMessageContents InvalidSecurity
    MessageNotInflight OverLimit PurgeQueueInProgress QueueDeletedRecently QueueDoesNotExist QueueNameExists
    ReceiptHandleIsInvalid RequestThrottled TooManyEntriesInBatchRequest UnsupportedOperation`),
  aliases: {
    'AWS.SimpleQueueService.NonExistentQueue': 'QueueDoesNotExist',
    'AWS.SimpleQueueService.QueueDeletedRecently': 'QueueDeletedRecently',
    'AWS.SimpleQueueService.PurgeQueueInProgress': 'PurgeQueueInProgress',
  },
  blobs: [],
};

exports.lambda = {
  signingName: 'lambda',
  clientName: 'Lambda',
  v2Name: 'Lambda',
  retryBaseMs: 100,
  operations: list(`
    AddPermission CreateAlias CreateEventSourceMapping CreateFunction DeleteAlias DeleteEventSourceMapping
    DeleteFunction DeleteFunctionConcurrency GetAccountSettings GetAlias GetEventSourceMapping GetFunction
    GetFunctionConfiguration GetPolicy Invoke ListAliases ListEventSourceMappings ListFunctions ListTags
    ListVersionsByFunction PublishVersion PutFunctionConcurrency RemovePermission TagResource UntagResource
    UpdateAlias UpdateEventSourceMapping UpdateFunctionCode UpdateFunctionConfiguration`),
  errors: list(`
    CodeStorageExceededException EC2ThrottledException InvalidParameterValueException
    InvalidRequestContentException InvalidRuntimeException PolicyLengthExceededException
    PreconditionFailedException RecursiveInvocationException RequestTooLargeException ResourceConflictException
    ResourceInUseException ResourceNotFoundException ResourceNotReadyException ServiceException
    TooManyRequestsException UnsupportedMediaTypeException`),
  aliases: { RequestEntityTooLargeException: 'RequestTooLargeException' },
  blobs: ['Payload', 'ZipFile'],
  // v3 gives Invoke's Payload as a Uint8ArrayBlobAdapter (bytes with transformToString).
  blobAdapters: { Invoke: 'Payload' },
};

// CloudWatch Logs (`@aws-sdk/client-cloudwatch-logs`, v2 `AWS.CloudWatchLogs`): operations and errors of the
// CloudWatch Logs API reference; the simulator answers the log group, stream and event operations (src/logs/).
exports.logs = {
  signingName: 'logs',
  clientName: 'CloudWatchLogs',
  v2Name: 'CloudWatchLogs',
  retryBaseMs: 100,
  operations: list(`
    AssociateKmsKey CreateExportTask CreateLogGroup CreateLogStream DeleteDestination DeleteLogGroup DeleteLogStream
    DeleteMetricFilter DeleteResourcePolicy DeleteRetentionPolicy DeleteSubscriptionFilter DescribeDestinations
    DescribeExportTasks DescribeLogGroups DescribeLogStreams DescribeMetricFilters DescribeQueries
    DescribeResourcePolicies DescribeSubscriptionFilters DisassociateKmsKey FilterLogEvents GetLogEvents
    GetLogGroupFields GetQueryResults ListTagsForResource ListTagsLogGroup PutDestination PutDestinationPolicy
    PutLogEvents PutMetricFilter PutResourcePolicy PutRetentionPolicy PutSubscriptionFilter StartQuery StopQuery
    TagLogGroup TagResource TestMetricFilter UntagLogGroup UntagResource`),
  errors: list(`
    AccessDeniedException ConflictException DataAlreadyAcceptedException InvalidOperationException
    InvalidParameterException InvalidSequenceTokenException LimitExceededException MalformedQueryException
    OperationAbortedException ResourceAlreadyExistsException ResourceNotFoundException ServiceQuotaExceededException
    ServiceUnavailableException ThrottlingException TooManyTagsException UnrecognizedClientException
    ValidationException`),
  aliases: {},
  blobs: [],
};
