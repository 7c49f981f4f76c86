import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENV } from '../lib/environment';
import type { RustFunction } from '../lib/functions';
import { logicalId, synth, TEST_USER_ID } from './helpers';

const { stack, template } = synth();
const resources = template.toJSON().Resources;
const fns = stack.functions;

const props = (fn: RustFunction) => resources[logicalId(fn.function)].Properties;
const env = (fn: RustFunction): Record<string, unknown> =>
  props(fn).Environment.Variables;

// DESIGN.md's configuration table, less AWS_ENDPOINT_URL (local use only)
// and IG_ACCESS_TOKEN (the token itself, which never goes into Lambda's env).
const DESIGN_NAMES = [
  'GALLEON_TABLE', 'GALLEON_BUCKET', 'GALLEON_QUEUE_URL', 'GALLEON_DLQ_URL',
  'GALLEON_TIMEZONE', 'GALLEON_MEDIA_HOSTS', 'IG_USER_ID', 'IG_TOKEN_SECRET_ID',
  'IG_API_BASE',
];

describe('every function', () => {
  for (const fn of fns.all) {
    const name = fn.node.id;

    it(`${name} runs the cargo lambda binary on provided.al2023, arm64`, () => {
      assert.equal(props(fn).Runtime, 'provided.al2023');
      assert.deepEqual(props(fn).Architectures, ['arm64']);
      assert.equal(props(fn).Handler, 'bootstrap');
    });

    it(`${name} logs JSON into its own log group, kept for a month`, () => {
      const logGroupId = logicalId(fn.logGroup);

      assert.deepEqual(props(fn).LoggingConfig, {
        LogFormat: 'JSON',
        LogGroup: { Ref: logGroupId },
      });
      assert.equal(resources[logGroupId].Properties.RetentionInDays, 30);
      assert.equal(env(fn).RUST_LOG, 'info');
    });
  }
});

describe('sizing', () => {
  it('gives each function the memory and timeout chosen from the benchmarks', () => {
    const sizing = Object.fromEntries(
      fns.all.map((fn) => [fn.node.id, [props(fn).MemorySize, props(fn).Timeout]]),
    );

    assert.deepEqual(sizing, {
      Ingest: [256, 60],
      Refresh: [128, 30],
      Mirror: [1024, 120],
      Api: [512, 10],
    });
  });
});

describe('environment', () => {
  const ref = (scope: Parameters<typeof logicalId>[0]) => ({ Ref: logicalId(scope) });

  it('uses only the variable names of DESIGN.md', () => {
    const galleonNames = Object.values(ENV).filter((name) => name !== 'RUST_LOG');
    assert.deepEqual([...galleonNames].sort(), [...DESIGN_NAMES].sort());

    for (const fn of fns.all) {
      for (const key of Object.keys(env(fn))) {
        assert.ok(key === 'RUST_LOG' || DESIGN_NAMES.includes(key), `${fn.node.id}: ${key}`);
      }
    }
  });

  it('tells ingest the table, bucket, queue, account and token secret', () => {
    assert.deepEqual(env(fns.ingest), {
      GALLEON_TABLE: ref(stack.storage.table),
      GALLEON_BUCKET: ref(stack.storage.bucket),
      GALLEON_TIMEZONE: 'UTC',
      GALLEON_QUEUE_URL: ref(stack.mirrorQueue.queue),
      IG_USER_ID: TEST_USER_ID,
      IG_TOKEN_SECRET_ID: ref(stack.token.secret),
      RUST_LOG: 'info',
    });
  });

  it('tells the mirror the queues, the allowed media hosts and the token secret', () => {
    assert.deepEqual(env(fns.mirror), {
      GALLEON_TABLE: ref(stack.storage.table),
      GALLEON_BUCKET: ref(stack.storage.bucket),
      GALLEON_TIMEZONE: 'UTC',
      GALLEON_QUEUE_URL: ref(stack.mirrorQueue.queue),
      GALLEON_DLQ_URL: ref(stack.mirrorQueue.deadLetterQueue),
      GALLEON_MEDIA_HOSTS: 'cdninstagram.com,fbcdn.net',
      IG_USER_ID: TEST_USER_ID,
      IG_TOKEN_SECRET_ID: ref(stack.token.secret),
      RUST_LOG: 'info',
    });
  });

  it('tells the token refresh where the secret is', () => {
    assert.deepEqual(env(fns.refresh).IG_TOKEN_SECRET_ID, ref(stack.token.secret));
    assert.equal(env(fns.refresh).GALLEON_QUEUE_URL, undefined);
  });

  it('tells the api only the table, bucket and time zone: no token, no queue', () => {
    assert.deepEqual(env(fns.api), {
      GALLEON_TABLE: ref(stack.storage.table),
      GALLEON_BUCKET: ref(stack.storage.bucket),
      GALLEON_TIMEZONE: 'UTC',
      RUST_LOG: 'info',
    });
  });

  it('passes the operator context through', () => {
    const custom = synth({
      timezone: 'Europe/Berlin',
      mediaHosts: 'cdninstagram.com',
      igApiBase: 'https://graph.instagram.com/v23.0',
    });
    const customEnv = (fn: RustFunction) =>
      custom.template.toJSON().Resources[logicalId(fn.function)].Properties.Environment
        .Variables;

    assert.equal(customEnv(custom.stack.functions.api).GALLEON_TIMEZONE, 'Europe/Berlin');
    assert.equal(customEnv(custom.stack.functions.mirror).GALLEON_MEDIA_HOSTS, 'cdninstagram.com');
    for (const fn of [custom.stack.functions.ingest, custom.stack.functions.mirror]) {
      assert.equal(customEnv(fn).IG_API_BASE, 'https://graph.instagram.com/v23.0');
    }
    assert.equal(env(fns.ingest).IG_API_BASE, undefined, 'unset unless given');
  });
});
