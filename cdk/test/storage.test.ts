import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { logicalId, synth } from './helpers';

const { stack, template } = synth();
const bucketId = logicalId(stack.storage.bucket);
const logBucketId = logicalId(stack.storage.logBucket);

describe('the table', () => {
  it('has string keys pk and sk, on-demand, with PITR and the expires_at TTL', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ]),
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
    });
  });

  it('outlives the stack', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});

describe('the media bucket', () => {
  const bucket = () => template.toJSON().Resources[bucketId];

  it('is private, encrypted with S3-managed keys and kept on stack deletion', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    assert.equal(bucket().DeletionPolicy, 'Retain');
  });

  it('keeps no versions, since its objects are content-addressed', () => {
    assert.equal(bucket().Properties.VersioningConfiguration, undefined);
  });

  it('expires uploads/ after a week and aborts incomplete multipart uploads', () => {
    const rules = bucket().Properties.LifecycleConfiguration.Rules;

    assert.deepEqual(
      rules.find((r: { Prefix?: string }) => r.Prefix === 'uploads/'),
      {
        Id: 'expire-unprocessed-uploads',
        Prefix: 'uploads/',
        ExpirationInDays: 7,
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        Status: 'Enabled',
      },
    );
    assert.ok(
      rules.some(
        (r: { Prefix?: string; AbortIncompleteMultipartUpload?: unknown }) =>
          r.Prefix === undefined && r.AbortIncompleteMultipartUpload !== undefined,
      ),
      'a bucket-wide rule aborts stale multipart uploads',
    );
  });

  it('sends its server access logs to the log bucket', () => {
    assert.deepEqual(bucket().Properties.LoggingConfiguration, {
      DestinationBucketName: { Ref: logBucketId },
      LogFilePrefix: 's3/media/',
    });
  });

  it('refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('the log bucket', () => {
  it('is private, encrypted, TLS-only, expires logs and outlives the stack', () => {
    const logBucket = template.toJSON().Resources[logBucketId];

    assert.equal(logBucket.DeletionPolicy, 'Retain');
    assert.equal(
      logBucket.Properties.PublicAccessBlockConfiguration.RestrictPublicBuckets,
      true,
    );
    assert.deepEqual(logBucket.Properties.LifecycleConfiguration.Rules, [
      { Id: 'expire-logs', ExpirationInDays: 90, Status: 'Enabled' },
    ]);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logBucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});
