import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { skipCheckov } from './checks';

/**
 * Tries before a message moves to the dead-letter queue. Five gives a
 * CDN hiccup or a Graph API throttle room to pass, and still parks a poison
 * message within the hour.
 */
export const MAX_RECEIVE_COUNT = 5;

/** How the mirror is fed; `galleon mirror --drain` must behave the same (DESIGN.md). */
export const MIRROR_BATCH = {
  batchSize: 10,
  // Posts arrive in bursts of a tick; waiting a moment fills batches.
  maxBatchingWindow: Duration.seconds(5),
  // Five mirrors at once is enough for any tick, keeps Graph API re-reads
  // (for expired links) well inside the account's hourly call budget, and
  // bounds the burst of writes the on-demand table sees.
  maxConcurrency: 5,
} as const;

export interface MirrorQueueProps {
  /** Timeout of the consuming function, which the visibility must outlast. */
  readonly consumerTimeout: Duration;
}

/** The mirror queue, its dead-letter queue, and how the mirror consumes it. */
export class MirrorQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  /**
   * How long a message that fails every try stays in the queue before it
   * moves to the dead-letter queue: one visibility timeout per try.
   */
  readonly retryWindow: Duration;

  constructor(scope: Construct, id: string, props: MirrorQueueProps) {
    super(scope, id);

    // A standard queue keeps a message's original enqueue time when it is
    // moved to the dead-letter queue, so this retention must exceed the
    // source's; 14 days (the maximum) leaves about ten for a replay.
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

    // AWS's guidance for SQS event sources: at least six times the function
    // timeout, so a batch whose invocation is throttled and retried keeps its
    // messages hidden instead of handing them to another poller meanwhile.
    const visibilityTimeout = Duration.seconds(props.consumerTimeout.toSeconds() * 6);
    this.retryWindow = Duration.seconds(visibilityTimeout.toSeconds() * MAX_RECEIVE_COUNT);

    this.queue = new sqs.Queue(this, 'Queue', {
      visibilityTimeout,
      retentionPeriod: Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    for (const queue of [this.queue, this.deadLetterQueue]) {
      skipCheckov(queue, {
        id: 'CKV_AWS_27',
        reason:
          'Encrypted at rest with SQS-managed keys (SqsManagedSseEnabled); the ' +
          'check recognises only KMS keys, which would add cost and no protection here.',
      });
    }
  }

  /**
   * Makes `consumer` the queue's consumer. The event source grants it the
   * receive and delete permissions it needs.
   */
  attachConsumer(consumer: lambda.IFunction): void {
    consumer.addEventSource(
      new sources.SqsEventSource(this.queue, {
        ...MIRROR_BATCH,
        // The mirror reports the messages that failed; the rest are deleted.
        reportBatchItemFailures: true,
      }),
    );
  }
}
