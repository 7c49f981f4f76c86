import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { synth } from './helpers';

const { app, template } = synth({ alarmEmail: 'ops@example.org' });

// A reason a reviewer can weigh is a sentence, not a word.
const MIN_REASON = 40;

describe('cdk-nag AwsSolutions', () => {
  it('leaves no finding unacknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const open = report.violations.map(
      (v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );

    assert.deepEqual(open, []);
  });

  it('has a reason for every acknowledgement', () => {
    const acknowledged = app.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>));

    assert.ok(acknowledged.length > 0);
    for (const [id, reason] of acknowledged) {
      assert.ok(reason.length >= MIN_REASON, `${id}: "${reason}"`);
    }
  });
});

describe('checkov skips', () => {
  it('each carry a comment saying why', () => {
    const resources = template.toJSON().Resources as Record<
      string,
      { Metadata?: { checkov?: { skip: { id: string; comment: string }[] } } }
    >;
    const skips = Object.entries(resources).flatMap(([id, r]) =>
      (r.Metadata?.checkov?.skip ?? []).map((skip) => ({ resource: id, ...skip })),
    );

    assert.ok(skips.length > 0);
    for (const skip of skips) {
      assert.match(skip.id, /^CKV2?_AWS_\d+$/);
      assert.ok(skip.comment.length >= MIN_REASON, `${skip.resource} ${skip.id}`);
    }
  });
});
