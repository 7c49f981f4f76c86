import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { logicalId, synth } from './helpers';

const { stack, template } = synth();
const resources = template.toJSON().Resources;
const distributionId = logicalId(stack.frontDoor.distribution);
const config = () => resources[distributionId].Properties.DistributionConfig;
const urlId = Object.keys(template.findResources('AWS::Lambda::Url'))[0];
const distributionArn = {
  'Fn::Join': ['', [
    'arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' },
    ':distribution/', { Ref: distributionId },
  ]],
};
// CloudFront's managed CachingOptimized policy.
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';

const originById = (id: string) =>
  config().Origins.find((origin: { Id: string }) => origin.Id === id);
const oacOf = (origin: { OriginAccessControlId: { 'Fn::GetAtt': [string] } }) =>
  resources[origin.OriginAccessControlId['Fn::GetAtt'][0]].Properties
    .OriginAccessControlConfig;

describe('the api function URL', () => {
  it('requires signed requests, so only CloudFront can call it', () => {
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'AWS_IAM',
      TargetFunctionArn: { 'Fn::GetAtt': [logicalId(stack.functions.api.function), 'Arn'] },
    });
  });

  it('lets this distribution, and only it, invoke the function through the URL', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission', {
      Properties: { Principal: 'cloudfront.amazonaws.com' },
    }));

    assert.deepEqual(
      permissions.map((p) => p.Properties.Action).sort(),
      ['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl'],
    );
    for (const permission of permissions) {
      assert.deepEqual(permission.Properties.SourceArn, distributionArn);
    }
  });
});

describe('the distribution', () => {
  it('sends every path but /media/* to the api through origin access control', () => {
    const behavior = config().DefaultCacheBehavior;
    const origin = originById(behavior.TargetOriginId);

    assert.deepEqual(origin.DomainName['Fn::Select'][1]['Fn::Split'][1], {
      'Fn::GetAtt': [urlId, 'FunctionUrl'],
    });
    const oac = oacOf(origin);
    assert.equal(oac.OriginAccessControlOriginType, 'lambda');
    assert.equal(oac.SigningBehavior, 'always');
    assert.equal(oac.SigningProtocol, 'sigv4');
    assert.equal(behavior.ViewerProtocolPolicy, 'redirect-to-https');
    assert.deepEqual(behavior.AllowedMethods, ['GET', 'HEAD']);
  });

  it('serves /media/* straight from the bucket through origin access control', () => {
    assert.equal(config().CacheBehaviors.length, 1);
    const [media] = config().CacheBehaviors;
    const origin = originById(media.TargetOriginId);

    assert.equal(media.PathPattern, '/media/*');
    assert.deepEqual(origin.DomainName, {
      'Fn::GetAtt': [logicalId(stack.storage.bucket), 'RegionalDomainName'],
    });
    assert.equal(oacOf(origin).OriginAccessControlOriginType, 's3');
    assert.equal(media.CachePolicyId, CACHING_OPTIMIZED);
    assert.equal(media.ViewerProtocolPolicy, 'redirect-to-https');
  });

  it('lets only this distribution read the bucket', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(stack.storage.bucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
          }),
        ]),
      },
    });
  });

  it('caches api answers as long as their Cache-Control says, keyed on limit and cursor', () => {
    const policyId = config().DefaultCacheBehavior.CachePolicyId.Ref;
    const policy = resources[policyId].Properties.CachePolicyConfig;

    assert.equal(policy.MinTTL, 0, 'a max-age of 0 or no-store is honoured');
    assert.equal(policy.DefaultTTL, 0, 'no Cache-Control, no caching');
    assert.ok(policy.MaxTTL >= 3600);
    assert.deepEqual(policy.ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig, {
      QueryStringBehavior: 'whitelist',
      QueryStrings: ['limit', 'cursor'],
    });
    assert.equal(
      policy.ParametersInCacheKeyAndForwardedToOrigin.CookiesConfig.CookieBehavior,
      'none',
    );
  });

  it('writes standard logs to the log bucket', () => {
    assert.deepEqual(config().Logging, {
      Bucket: { 'Fn::GetAtt': [logicalId(stack.storage.logBucket), 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
  });
});
