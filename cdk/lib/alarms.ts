import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The app-level metric that ingest emits (EMF) when Instagram throttles it. */
export const INSTAGRAM_THROTTLED = { namespace: 'galleon', metricName: 'InstagramThrottled' };

export interface AlarmsProps {
  readonly ingest: lambda.IFunction;
  readonly refresh: lambda.IFunction;
  /** Every function whose throttling should page, by name. */
  readonly functions: Record<string, lambda.IFunction>;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  /** How long a failing message takes to reach the dead-letter queue. */
  readonly retryWindow: Duration;
  readonly ingestRateMinutes: number;
  readonly email?: string;
}

/**
 * The alarms that make failures loud (DESIGN.md) and the topic they notify,
 * both when they fire and when they clear.
 */
export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = this.createTopic(props.email);

    this.whenAboveZero('DeadLetters', 'a message failed every try and waits for replay',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }));

    // One period per tick: a single failed tick already means an expired
    // token or a broken page, which the next tick will not fix by itself.
    this.whenAboveZero('IngestErrors', 'an ingest tick failed',
      props.ingest.metricErrors({ period: Duration.minutes(props.ingestRateMinutes) }));

    this.whenAboveZero('RefreshErrors', 'the token refresh failed; the token expires unless a later run succeeds',
      props.refresh.metricErrors({ period: Duration.hours(1) }));

    for (const [name, fn] of Object.entries(props.functions)) {
      this.whenAboveZero(`${name}Throttles`, `Lambda throttled the ${name} function`,
        fn.metricThrottles({ period: Duration.minutes(5) }));
    }

    this.whenAboveZero('InstagramThrottled', 'the Graph API throttled the account',
      new cloudwatch.Metric({
        ...INSTAGRAM_THROTTLED,
        statistic: 'Sum',
        period: Duration.minutes(props.ingestRateMinutes),
      }));

    // Older than a poison message can get before it moves to the
    // dead-letter queue (whose alarm reports it), so this one fires for a
    // mirror that has stopped or fallen behind, not for one bad message.
    const backlogAge = props.retryWindow.plus(Duration.minutes(10));
    this.add(new cloudwatch.Alarm(this, 'MirrorBacklog', {
      alarmDescription:
        `galleon: the mirror queue holds messages older than ${backlogAge.toHumanString()}`,
      metric: props.queue.metricApproximateAgeOfOldestMessage({
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }),
      threshold: backlogAge.toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
  }

  private whenAboveZero(id: string, what: string, metric: cloudwatch.IMetric): void {
    this.add(new cloudwatch.Alarm(this, id, {
      alarmDescription: `galleon: ${what}`,
      metric,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No data means nothing ran or nothing failed: not an alarm.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
  }

  private add(alarm: cloudwatch.Alarm): void {
    const action = new actions.SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
  }

  private createTopic(email: string | undefined): sns.Topic {
    // SNS encryption needs a customer managed key here: the AWS managed
    // aws/sns key's policy cannot let CloudWatch alarms publish.
    const key = new kms.Key(this, 'TopicKey', {
      description: 'galleon: encrypts the alarm topic',
      enableKeyRotation: true,
    });
    key.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );

    const topic = new sns.Topic(this, 'Topic', {
      displayName: 'galleon alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (email !== undefined) {
      topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    return topic;
  }
}
