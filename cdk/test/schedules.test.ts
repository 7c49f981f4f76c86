import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Template } from 'aws-cdk-lib/assertions';
import { logicalId, synth } from './helpers';

const { stack, template } = synth();

function scheduleTargeting(t: Template, functionId: string) {
  const schedules = Object.values(t.findResources('AWS::Scheduler::Schedule')).filter(
    (s) => s.Properties.Target.Arn['Fn::GetAtt']?.[0] === functionId,
  );
  assert.equal(schedules.length, 1, `one schedule invokes ${functionId}`);
  return schedules[0].Properties;
}

describe('schedules', () => {
  const ingestId = logicalId(stack.functions.ingest.function);
  const refreshId = logicalId(stack.functions.refresh.function);

  it('run ingest every 10 minutes, dropping a tick the next one overtakes', () => {
    const schedule = scheduleTargeting(template, ingestId);

    assert.equal(schedule.ScheduleExpression, 'rate(10 minutes)');
    assert.equal(schedule.State, 'ENABLED');
    assert.equal(schedule.Target.RetryPolicy.MaximumEventAgeInSeconds, 600);
  });

  it('follow the ingestRateMinutes context', () => {
    const custom = synth({ ingestRateMinutes: '15' });
    const schedule = scheduleTargeting(
      custom.template,
      logicalId(custom.stack.functions.ingest.function),
    );

    assert.equal(schedule.ScheduleExpression, 'rate(15 minutes)');
  });

  it('run the token refresh daily', () => {
    assert.equal(scheduleTargeting(template, refreshId).ScheduleExpression, 'rate(1 day)');
  });

  it('invoke through roles that only Scheduler of this account may assume', () => {
    for (const id of [ingestId, refreshId]) {
      const roleArn = scheduleTargeting(template, id).Target.RoleArn;
      const role = template.toJSON().Resources[roleArn['Fn::GetAtt'][0]];

      assert.deepEqual(role.Properties.AssumeRolePolicyDocument.Statement, [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ]);
    }
  });
});
