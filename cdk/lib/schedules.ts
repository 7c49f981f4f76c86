import { type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { acknowledgeNag } from './checks';

export interface SchedulesProps {
  readonly ingest: lambda.IFunction;
  readonly refresh: lambda.IFunction;
  readonly ingestRateMinutes: number;
}

/** EventBridge Scheduler: the ingest tick and the daily token refresh. */
export class Schedules extends Construct {
  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const tick = Duration.minutes(props.ingestRateMinutes);

    new scheduler.Schedule(this, 'IngestTick', {
      description: 'galleon: poll Instagram for new posts',
      schedule: scheduler.ScheduleExpression.rate(tick),
      target: new targets.LambdaInvoke(props.ingest, {
        role: this.invoker('IngestInvoker', props.ingest),
        // A tick that could not start before the next one is worthless: the
        // next tick reads the same sync state and does the same work.
        maxEventAge: tick,
      }),
    });

    // A long-lived token lasts 60 days and can be renewed once it is a day
    // old; renewing daily leaves weeks of slack when a run fails.
    new scheduler.Schedule(this, 'TokenRefresh', {
      description: 'galleon: renew the Instagram access token',
      schedule: scheduler.ScheduleExpression.rate(Duration.days(1)),
      target: new targets.LambdaInvoke(props.refresh, {
        role: this.invoker('RefreshInvoker', props.refresh),
      }),
    });
  }

  // The role Scheduler assumes to invoke one function. The target grants
  // it lambda:InvokeFunction on the function and its versions (ARN:*).
  private invoker(id: string, fn: lambda.IFunction): iam.Role {
    const role = new iam.Role(this, id, {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    const functionId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
    acknowledgeNag(role, {
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason:
        'The scheduler target grants invoke on the function and its qualified ' +
        'ARNs (versions and aliases) of this one function, nothing wider.',
    });
    return role;
  }
}
