import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { logicalId, synth } from './helpers';

const { stack, template } = synth();
const topicRef = { Ref: logicalId(stack.alarms.topic) };

interface AlarmProps {
  Namespace: string;
  MetricName: string;
  Dimensions?: { Name: string; Value: unknown }[];
  Threshold: number;
  ComparisonOperator: string;
  AlarmActions: unknown[];
  OKActions: unknown[];
}

const alarms = (): AlarmProps[] =>
  Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);

function alarmOn(namespace: string, metric: string, dimension?: unknown): AlarmProps {
  const found = alarms().filter(
    (a) =>
      a.Namespace === namespace &&
      a.MetricName === metric &&
      (dimension === undefined ||
        JSON.stringify(a.Dimensions?.[0]?.Value) === JSON.stringify(dimension)),
  );
  assert.equal(found.length, 1, `one alarm on ${namespace} ${metric}`);
  return found[0];
}

describe('alarms', () => {
  it('fire as soon as a message reaches the dead-letter queue', () => {
    const alarm = alarmOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible', {
      'Fn::GetAtt': [logicalId(stack.mirrorQueue.deadLetterQueue), 'QueueName'],
    });

    assert.equal(alarm.Threshold, 0);
    assert.equal(alarm.ComparisonOperator, 'GreaterThanThreshold');
  });

  it('fire on a failed ingest tick and a failed token refresh', () => {
    for (const fn of [stack.functions.ingest, stack.functions.refresh]) {
      const alarm = alarmOn('AWS/Lambda', 'Errors', { Ref: logicalId(fn.function) });
      assert.equal(alarm.Threshold, 0);
    }
  });

  it('fire when Lambda throttles any function', () => {
    for (const fn of stack.functions.all) {
      alarmOn('AWS/Lambda', 'Throttles', { Ref: logicalId(fn.function) });
    }
  });

  it('fire when Instagram throttles the account', () => {
    const alarm = alarmOn('galleon', 'InstagramThrottled');

    assert.equal(alarm.Dimensions, undefined, 'the ingest emits it without dimensions');
  });

  it('fire when mirror queue messages outlive the retries of a poison message', () => {
    const queue = template.toJSON().Resources[logicalId(stack.mirrorQueue.queue)];
    const { VisibilityTimeout, RedrivePolicy } = queue.Properties;
    const alarm = alarmOn('AWS/SQS', 'ApproximateAgeOfOldestMessage', {
      'Fn::GetAtt': [logicalId(stack.mirrorQueue.queue), 'QueueName'],
    });

    assert.ok(alarm.Threshold > VisibilityTimeout * RedrivePolicy.maxReceiveCount);
    assert.ok(alarm.Threshold <= 2 * 3600, 'a stalled mirror is reported within hours');
  });

  it('all notify the topic when they fire and when they clear', () => {
    assert.equal(alarms().length, 9);
    for (const alarm of alarms()) {
      assert.deepEqual(alarm.AlarmActions, [topicRef]);
      assert.deepEqual(alarm.OKActions, [topicRef]);
    }
  });
});

describe('the alarm topic', () => {
  it('is encrypted with a rotated key that CloudWatch may use', () => {
    const topic = template.toJSON().Resources[logicalId(stack.alarms.topic)];
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    const key = template.toJSON().Resources[keyId];

    assert.equal(key.Type, 'AWS::KMS::Key');
    assert.equal(key.Properties.EnableKeyRotation, true);
    assert.ok(key.Properties.KeyPolicy.Statement.some(
      (s: { Principal: { Service?: string }; Action: string[] }) =>
        s.Principal.Service === 'cloudwatch.amazonaws.com' &&
        s.Action.includes('kms:GenerateDataKey*') &&
        s.Action.includes('kms:Decrypt'),
    ));
  });

  it('refuses publishing without TLS', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topicRef],
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

  it('has no subscription unless alarmEmail is given', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('mails alarmEmail when given', () => {
    const custom = synth({ alarmEmail: 'ops@example.org' });

    custom.template.resourceCountIs('AWS::SNS::Subscription', 1);
    custom.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.org',
      TopicArn: { Ref: logicalId(custom.stack.alarms.topic) },
    });
  });
});
