import { CfnResource, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** A finding that is accepted on purpose, with the reason a reviewer reads. */
export interface Accepted {
  readonly id: string;
  readonly reason: string;
}

/**
 * Acknowledges cdk-nag findings on a construct and everything below it.
 * cdk-nag 3 reads these through CDK's own `Validations` metadata.
 */
export function acknowledgeNag(scope: IConstruct, ...findings: Accepted[]): void {
  Validations.of(scope).acknowledge(...findings);
}

/**
 * Tells checkov to skip checks on the resource behind `scope`, through the
 * `Metadata.checkov.skip` list that checkov reads from CloudFormation
 * templates. Calls add to the list rather than replace it.
 */
export function skipCheckov(scope: IConstruct, ...checks: Accepted[]): void {
  const resource = cfnResourceOf(scope);
  const metadata = resource.getMetadata('checkov') as
    | { skip: { id: string; comment: string }[] }
    | undefined;
  const skip = metadata?.skip ?? [];
  for (const check of checks) skip.push({ id: check.id, comment: check.reason });
  resource.addMetadata('checkov', { skip });
}

function cfnResourceOf(scope: IConstruct): CfnResource {
  if (CfnResource.isCfnResource(scope)) return scope;
  const child = scope.node.defaultChild;
  if (child !== undefined && CfnResource.isCfnResource(child)) return child;
  throw new Error(`${scope.node.path} has no CloudFormation resource to annotate`);
}
