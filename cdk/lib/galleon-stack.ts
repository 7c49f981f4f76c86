import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Alarms } from './alarms';
import { FrontDoor } from './front-door';
import { GalleonFunctions, SIZING } from './functions';
import { MirrorQueue } from './mirror-queue';
import { grantAccess } from './permissions';
import { Schedules } from './schedules';
import type { GalleonSettings } from './settings';
import { Storage } from './storage';
import { TokenSecret } from './token-secret';

export interface GalleonStackProps extends StackProps {
  readonly settings: GalleonSettings;
}

/**
 * The whole flow of DESIGN.md in one stack: schedules, ingest, the mirror
 * queue and mirror, storage, the read API behind CloudFront, the token
 * secret, and the alarms.
 */
export class GalleonStack extends Stack {
  readonly storage: Storage;
  readonly mirrorQueue: MirrorQueue;
  readonly token: TokenSecret;
  readonly functions: GalleonFunctions;
  readonly frontDoor: FrontDoor;
  readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: GalleonStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.storage = new Storage(this, 'Storage');
    this.mirrorQueue = new MirrorQueue(this, 'MirrorQueue', {
      consumerTimeout: SIZING.mirror.timeout,
    });
    this.token = new TokenSecret(this, 'Token');

    this.functions = new GalleonFunctions(this, 'Functions', {
      settings,
      tableName: this.storage.table.tableName,
      bucketName: this.storage.bucket.bucketName,
      queueUrl: this.mirrorQueue.queue.queueUrl,
      deadLetterQueueUrl: this.mirrorQueue.deadLetterQueue.queueUrl,
      tokenSecretArn: this.token.secret.secretArn,
    });
    grantAccess(this.functions, {
      table: this.storage.table,
      bucket: this.storage.bucket,
      queue: this.mirrorQueue.queue,
      tokenSecret: this.token.secret,
    });
    this.mirrorQueue.attachConsumer(this.functions.mirror.function);

    this.frontDoor = new FrontDoor(this, 'FrontDoor', {
      api: this.functions.api.function,
      mediaBucket: this.storage.bucket,
      logBucket: this.storage.logBucket,
    });

    new Schedules(this, 'Schedules', {
      ingest: this.functions.ingest.function,
      refresh: this.functions.refresh.function,
      ingestRateMinutes: settings.ingestRateMinutes,
    });

    this.alarms = new Alarms(this, 'Alarms', {
      ingest: this.functions.ingest.function,
      refresh: this.functions.refresh.function,
      functions: Object.fromEntries(this.functions.all.map((f) => [f.binary, f.function])),
      queue: this.mirrorQueue.queue,
      deadLetterQueue: this.mirrorQueue.deadLetterQueue,
      retryWindow: this.mirrorQueue.retryWindow,
      ingestRateMinutes: settings.ingestRateMinutes,
      email: settings.alarmEmail,
    });

    this.addOutputs();
  }

  // What an operator needs after a deploy: where guests go, where the first
  // token goes, and the names the CLI's GALLEON_* variables take.
  private addOutputs(): void {
    const domain = this.frontDoor.distribution.distributionDomainName;
    const outputs: Record<string, { value: string; description: string }> = {
      DistributionDomainName: {
        value: domain,
        description: 'CloudFront domain serving the galleries',
      },
      GalleryUrlPattern: {
        value: Fn.join('', ['https://', domain, '/g/{event_id}']),
        description: 'A gallery page; {event_id} is a date (2026-04-29) or a named event',
      },
      TokenSecretArn: {
        value: this.token.secret.secretArn,
        description: 'Put the first long-lived token here (aws secretsmanager put-secret-value)',
      },
      TableName: { value: this.storage.table.tableName, description: 'GALLEON_TABLE' },
      BucketName: { value: this.storage.bucket.bucketName, description: 'GALLEON_BUCKET' },
      QueueUrl: { value: this.mirrorQueue.queue.queueUrl, description: 'GALLEON_QUEUE_URL' },
      DeadLetterQueueUrl: {
        value: this.mirrorQueue.deadLetterQueue.queueUrl,
        description: 'GALLEON_DLQ_URL (galleon replay)',
      },
      AlarmTopicArn: {
        value: this.alarms.topic.topicArn,
        description: 'Alarm notifications; subscribe more endpoints here',
      },
    };
    for (const [id, props] of Object.entries(outputs)) new CfnOutput(this, id, props);
  }
}
