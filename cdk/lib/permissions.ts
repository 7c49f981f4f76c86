import { type CfnElement, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { type Accepted, acknowledgeNag } from './checks';
import type { GalleonFunctions } from './functions';
import { MEDIA_PREFIX } from './storage';

export interface Resources {
  readonly table: dynamodb.ITable;
  readonly bucket: s3.IBucket;
  readonly queue: sqs.IQueue;
  readonly tokenSecret: secretsmanager.ISecret;
}

/**
 * Everything each function's role may do, in one place. Not here: the
 * mirror's receive/delete on its queue (granted by the event source) and
 * the invoke permissions of the schedules and CloudFront (their own roles
 * and resource policies).
 */
export function grantAccess(fns: GalleonFunctions, res: Resources): void {
  const media = `${MEDIA_PREFIX}*`;

  // Each function writes to its own log group, and to no other.
  for (const fn of fns.all) fn.logGroup.grantWrite(fn.function);

  // Ingest reads and writes sync state and media lookups, enqueues posts,
  // and reads the token.
  res.table.grantReadWriteData(fns.ingest.function);
  res.queue.grantSendMessages(fns.ingest.function);
  res.tokenSecret.grantRead(fns.ingest.function);

  // The token refresh reads the current token and writes its successor.
  res.tokenSecret.grantRead(fns.refresh.function);
  res.tokenSecret.grantWrite(fns.refresh.function);

  // The mirror stores objects under media/ and writes their metadata, and
  // reads the token to fetch a fresh link when a queued one has expired.
  // No delete: objects are immutable and may be shared by many posts.
  res.table.grantReadWriteData(fns.mirror.function);
  res.bucket.grantRead(fns.mirror.function, media);
  res.bucket.grantPut(fns.mirror.function, media);
  res.tokenSecret.grantRead(fns.mirror.function);

  // The read path is read-only and never sees the token (DESIGN.md).
  res.table.grantReadData(fns.api.function);
  res.bucket.grantRead(fns.api.function, media);

  acceptBucketWildcards(fns, res.bucket);
}

/**
 * The bucket grants above use the CDK's action groups, which cdk-nag reports
 * as wildcards. Each is accepted here with what it amounts to.
 */
function acceptBucketWildcards(fns: GalleonFunctions, bucket: s3.IBucket): void {
  const read: Accepted[] = [
    {
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/${MEDIA_PREFIX}*]`,
      reason:
        'Scoped to the media/ prefix: object keys are content hashes, unknown ' +
        'until the mirror computes them, so no narrower resource exists.',
    },
    {
      id: 'AwsSolutions-IAM5[Action::s3:GetObject*]',
      reason: 'Object reads (body, attributes, tags) under media/ only.',
    },
    {
      id: 'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      reason: 'Read-only metadata of the one media bucket (location, encryption).',
    },
    {
      id: 'AwsSolutions-IAM5[Action::s3:List*]',
      reason:
        'Listing the one media bucket makes HEAD on a missing key answer 404 ' +
        'instead of 403, which is how "not stored yet" is told from "denied".',
    },
  ];
  const put: Accepted = {
    id: 'AwsSolutions-IAM5[Action::s3:Abort*]',
    reason: "Lets the SDK abort the mirror's own failed multipart uploads under media/.",
  };
  acknowledgeNag(fns.mirror.role, ...read, put);
  acknowledgeNag(fns.api.role, ...read);
}

// cdk-nag names a resource in a finding by its logical id.
function logicalIdOf(scope: IConstruct): string {
  return Stack.of(scope).getLogicalId(scope.node.defaultChild as CfnElement);
}
