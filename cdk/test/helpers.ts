import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { buildApp, CDK_DIR } from '../lib/app';
import type { GalleonStack } from '../lib/galleon-stack';

/** Placeholder `bootstrap` files, so tests need no cross-build. */
export const FIXTURE_ASSETS = path.join(__dirname, 'fixtures', 'lambda');
export const TEST_USER_ID = '17841400000000000';

// The feature flags from cdk.json, so tests see the template `cdk synth` makes.
const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  fs.readFileSync(path.join(CDK_DIR, 'cdk.json'), 'utf8'),
).context;

export interface Synthesised {
  readonly app: App;
  readonly stack: GalleonStack;
  readonly template: Template;
}

/** Builds the app as bin/galleon.ts does, with the given extra context. */
export function synth(context: Record<string, string> = {}): Synthesised {
  const app = new App({
    analyticsReporting: false,
    context: {
      ...CDK_JSON_CONTEXT,
      igUserId: TEST_USER_ID,
      lambdaAssetDir: FIXTURE_ASSETS,
      ...context,
    },
  });
  const stack = buildApp(app);
  return { app, stack, template: Template.fromStack(stack) };
}

/** The logical id of the CloudFormation resource behind a construct. */
export function logicalId(scope: IConstruct): string {
  const resource = (scope.node.defaultChild ?? scope) as CfnElement;
  return Stack.of(scope).getLogicalId(resource);
}

export interface Statement {
  readonly Effect: string;
  readonly Action: string[];
  readonly Resource: unknown[];
}

/** Every statement of the inline policies attached to a role. */
export function statementsOfRole(template: Template, roleId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) =>
      policy.Properties.Roles.some((role: { Ref?: string }) => role.Ref === roleId),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    .map((s) => ({
      Effect: s.Effect,
      Action: [s.Action].flat(),
      Resource: [s.Resource].flat(),
    }));
}

/** All actions a role is allowed, across its statements. */
export function actionsOfRole(template: Template, roleId: string): Set<string> {
  return new Set(
    statementsOfRole(template, roleId)
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => s.Action),
  );
}

/** The statements that allow `action`, to check what they apply to. */
export function statementsAllowing(
  template: Template,
  roleId: string,
  action: string,
): Statement[] {
  return statementsOfRole(template, roleId).filter(
    (s) => s.Effect === 'Allow' && s.Action.includes(action),
  );
}
