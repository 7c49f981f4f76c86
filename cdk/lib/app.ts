import * as path from 'node:path';
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { GalleonStack } from './galleon-stack';
import { settingsFromContext } from './settings';

/** The cdk/ directory, against which relative context paths resolve. */
export const CDK_DIR = path.resolve(__dirname, '..');

/**
 * Builds the app as `cdk synth` and `cdk deploy` see it: settings from the
 * context, the one stack, and cdk-nag's AwsSolutions checks, which make
 * synth fail while any finding is neither fixed nor acknowledged.
 */
export function buildApp(app: App): GalleonStack {
  const settings = settingsFromContext(app.node, CDK_DIR);
  // No env: the stack is environment-agnostic, so synth needs no
  // credentials and makes no lookups; deploy picks the CLI's account.
  const stack = new GalleonStack(app, 'Galleon', {
    description: 'galleon: Instagram posts mirrored into event photo galleries',
    settings,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
