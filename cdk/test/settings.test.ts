import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { App } from 'aws-cdk-lib';
import { CDK_DIR } from '../lib/app';
import { settingsFromContext } from '../lib/settings';
import { FIXTURE_ASSETS, TEST_USER_ID } from './helpers';

function settingsWith(context: Record<string, string>) {
  const app = new App({
    context: { igUserId: TEST_USER_ID, lambdaAssetDir: FIXTURE_ASSETS, ...context },
  });
  return settingsFromContext(app.node, CDK_DIR);
}

describe('settings from the context', () => {
  it('fills in the defaults from DESIGN.md when the context leaves them out', () => {
    const settings = settingsWith({});

    assert.equal(settings.timezone, 'UTC');
    assert.equal(settings.mediaHosts, 'cdninstagram.com,fbcdn.net');
    assert.equal(settings.ingestRateMinutes, 10);
    assert.equal(settings.igApiBase, undefined);
    assert.equal(settings.alarmEmail, undefined);
  });

  it('takes every value the operator passes', () => {
    const settings = settingsWith({
      timezone: 'Europe/Berlin',
      mediaHosts: 'cdninstagram.com',
      igApiBase: 'https://graph.instagram.com/v23.0',
      ingestRateMinutes: '15',
      alarmEmail: 'ops@example.org',
    });

    assert.equal(settings.timezone, 'Europe/Berlin');
    assert.equal(settings.mediaHosts, 'cdninstagram.com');
    assert.equal(settings.igApiBase, 'https://graph.instagram.com/v23.0');
    assert.equal(settings.ingestRateMinutes, 15);
    assert.equal(settings.alarmEmail, 'ops@example.org');
  });

  it('stops synth without igUserId and says how to pass it', () => {
    const app = new App({ context: { lambdaAssetDir: FIXTURE_ASSETS } });

    assert.throws(() => settingsFromContext(app.node, CDK_DIR), /-c igUserId=/);
  });

  it('rejects values that would only fail at deploy or cold start', () => {
    assert.throws(() => settingsWith({ igUserId: 'me' }), /numeric account id/);
    assert.throws(() => settingsWith({ timezone: 'Mars/Olympus' }), /IANA/);
    assert.throws(() => settingsWith({ ingestRateMinutes: '0' }), /1 to 1440/);
    assert.throws(() => settingsWith({ ingestRateMinutes: '2.5' }), /1 to 1440/);
    assert.throws(() => settingsWith({ igApiBase: 'http://x' }), /https/);
    assert.throws(() => settingsWith({ alarmEmail: 'nobody' }), /e-mail/);
  });

  it('names the cargo lambda command when a bootstrap is missing', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'galleon-assets-'));
    try {
      assert.throws(
        () => settingsWith({ lambdaAssetDir: empty }),
        /no bootstrap for ingest, refresh, mirror, api .*cargo lambda build --release --arm64/,
      );
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });

  it('resolves a relative asset directory against cdk/, not the working directory', () => {
    const settings = settingsWith({ lambdaAssetDir: 'test/fixtures/lambda' });

    assert.equal(settings.lambdaAssetDir, FIXTURE_ASSETS);
  });
});
