import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RustFunction } from '../lib/functions';
import { actionsOfRole, logicalId, statementsAllowing, synth } from './helpers';

const { stack, template } = synth();
const fns = stack.functions;
const tableArn = { 'Fn::GetAtt': [logicalId(stack.storage.table), 'Arn'] };
const bucketArn = { 'Fn::GetAtt': [logicalId(stack.storage.bucket), 'Arn'] };
const mediaObjects = { 'Fn::Join': ['', [bucketArn, '/media/*']] };
const queueArn = { 'Fn::GetAtt': [logicalId(stack.mirrorQueue.queue), 'Arn'] };
const secretArn = { Ref: logicalId(stack.token.secret) };

const roleOf = (fn: RustFunction) => logicalId(fn.role);
const actions = (fn: RustFunction) => actionsOfRole(template, roleOf(fn));
const resourcesFor = (fn: RustFunction, action: string) =>
  statementsAllowing(template, roleOf(fn), action).flatMap((s) => s.Resource);
const services = (fn: RustFunction) =>
  new Set([...actions(fn)].map((action) => action.split(':')[0]));

const TABLE_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem'];
const SECRET_WRITES = ['secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecret'];

describe('function roles', () => {
  it('trust only Lambda and carry no managed policies', () => {
    for (const fn of fns.all) {
      const role = template.toJSON().Resources[roleOf(fn)];
      assert.deepEqual(role.Properties.AssumeRolePolicyDocument.Statement, [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
        },
      ]);
      assert.equal(role.Properties.ManagedPolicyArns, undefined, fn.node.id);
    }
  });

  it('write only their own log group', () => {
    for (const fn of fns.all) {
      assert.deepEqual(resourcesFor(fn, 'logs:PutLogEvents'), [
        { 'Fn::GetAtt': [logicalId(fn.logGroup), 'Arn'] },
      ]);
    }
  });
});

describe('ingest', () => {
  it('reads and writes the table, enqueues posts and reads the token', () => {
    for (const action of ['dynamodb:Query', ...TABLE_WRITES]) {
      assert.deepEqual(resourcesFor(fns.ingest, action), [tableArn], action);
    }
    assert.deepEqual(resourcesFor(fns.ingest, 'sqs:SendMessage'), [queueArn]);
    assert.deepEqual(resourcesFor(fns.ingest, 'secretsmanager:GetSecretValue'), [secretArn]);
  });

  it('cannot touch the bucket or change the token', () => {
    assert.ok(!services(fns.ingest).has('s3'));
    for (const action of SECRET_WRITES) assert.ok(!actions(fns.ingest).has(action));
  });
});

describe('mirror', () => {
  it('stores objects under media/ only, and never deletes one', () => {
    assert.deepEqual(resourcesFor(fns.mirror, 's3:PutObject'), [mediaObjects]);
    assert.ok(resourcesFor(fns.mirror, 's3:GetObject*').some(
      (r) => JSON.stringify(r) === JSON.stringify(mediaObjects),
    ));
    assert.ok(![...actions(fns.mirror)].some((a) => a.startsWith('s3:Delete')));
  });

  it('reads and writes the table and reads the token', () => {
    for (const action of TABLE_WRITES) {
      assert.deepEqual(resourcesFor(fns.mirror, action), [tableArn], action);
    }
    assert.deepEqual(resourcesFor(fns.mirror, 'secretsmanager:GetSecretValue'), [secretArn]);
    for (const action of SECRET_WRITES) assert.ok(!actions(fns.mirror).has(action));
  });

  it('consumes its queue through the event source', () => {
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage']) {
      assert.deepEqual(resourcesFor(fns.mirror, action), [queueArn], action);
    }
  });
});

describe('api', () => {
  it('reads the table and media objects', () => {
    assert.deepEqual(resourcesFor(fns.api, 'dynamodb:Query'), [tableArn]);
    assert.ok(resourcesFor(fns.api, 's3:GetObject*').some(
      (r) => JSON.stringify(r) === JSON.stringify(mediaObjects),
    ));
  });

  it('is read-only and never sees the token or the queue', () => {
    for (const action of TABLE_WRITES) assert.ok(!actions(fns.api).has(action), action);
    assert.ok(![...actions(fns.api)].some((a) => /^s3:(Put|Delete|Abort)/.test(a)));
    assert.ok(!services(fns.api).has('secretsmanager'));
    assert.ok(!services(fns.api).has('sqs'));
  });
});

describe('refresh', () => {
  it('reads and writes the token secret, and nothing else', () => {
    for (const action of ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue']) {
      assert.deepEqual(resourcesFor(fns.refresh, action), [secretArn], action);
    }
    assert.deepEqual([...services(fns.refresh)].sort(), ['logs', 'secretsmanager']);
  });
});
