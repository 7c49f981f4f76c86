import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { logicalId, synth } from './helpers';

const { stack, template } = synth();
const resources = template.toJSON().Resources;
const queueId = logicalId(stack.mirrorQueue.queue);
const dlqId = logicalId(stack.mirrorQueue.deadLetterQueue);
const mirrorId = logicalId(stack.functions.mirror.function);

describe('the mirror queue', () => {
  const queue = () => resources[queueId].Properties;
  const dlq = () => resources[dlqId].Properties;

  it('hides a message for at least six times the mirror timeout', () => {
    const mirrorTimeout = resources[mirrorId].Properties.Timeout;

    assert.ok(queue().VisibilityTimeout >= 6 * mirrorTimeout);
  });

  it('moves a message to the dead-letter queue after five receives', () => {
    assert.deepEqual(queue().RedrivePolicy, {
      deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      maxReceiveCount: 5,
    });
  });

  it('keeps dead letters longer than the source keeps messages', () => {
    assert.equal(queue().MessageRetentionPeriod, 4 * 24 * 3600);
    assert.equal(dlq().MessageRetentionPeriod, 14 * 24 * 3600);
  });

  it('encrypts both queues at rest and refuses requests without TLS', () => {
    assert.equal(queue().SqsManagedSseEnabled, true);
    assert.equal(dlq().SqsManagedSseEnabled, true);
    for (const id of [queueId, dlqId]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });
});

describe('the mirror event source', () => {
  it('feeds batches of 10 with a 5 s window, reports item failures, at most 5 at once', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: mirrorId },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });
});
