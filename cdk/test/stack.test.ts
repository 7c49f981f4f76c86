import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logicalId, synth } from './helpers';

const { stack, template } = synth();

// Each resource type and the property that would pin its physical name.
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::Scheduler::Schedule': 'Name',
  'AWS::CloudFront::Distribution': 'Name',
};

describe('the stack', () => {
  it('pins no physical names, so two stacks in one account never collide', () => {
    const resources = template.toJSON().Resources as Record<
      string,
      { Type: string; Properties?: Record<string, unknown> }
    >;
    for (const [id, resource] of Object.entries(resources)) {
      const property = NAME_PROPERTIES[resource.Type];
      if (property === undefined) continue;
      assert.equal(resource.Properties?.[property], undefined, `${id} sets ${property}`);
    }
  });

  it('is environment-agnostic, so synth needs no credentials or lookups', () => {
    assert.deepEqual(stack.resolve(stack.account), { Ref: 'AWS::AccountId' });
    assert.deepEqual(stack.resolve(stack.region), { Ref: 'AWS::Region' });
  });

  it('outputs the gallery address and everything the operator needs', () => {
    const domain = { 'Fn::GetAtt': [logicalId(stack.frontDoor.distribution), 'DomainName'] };
    const outputs = template.toJSON().Outputs;

    assert.deepEqual(outputs.DistributionDomainName.Value, domain);
    assert.deepEqual(outputs.GalleryUrlPattern.Value, {
      'Fn::Join': ['', ['https://', domain, '/g/{event_id}']],
    });
    assert.deepEqual(outputs.TokenSecretArn.Value, { Ref: logicalId(stack.token.secret) });
    assert.deepEqual(outputs.TableName.Value, { Ref: logicalId(stack.storage.table) });
    assert.deepEqual(outputs.BucketName.Value, { Ref: logicalId(stack.storage.bucket) });
    assert.deepEqual(outputs.QueueUrl.Value, { Ref: logicalId(stack.mirrorQueue.queue) });
    assert.deepEqual(outputs.DeadLetterQueueUrl.Value, {
      Ref: logicalId(stack.mirrorQueue.deadLetterQueue),
    });
    assert.deepEqual(outputs.AlarmTopicArn.Value, { Ref: logicalId(stack.alarms.topic) });
  });
});
