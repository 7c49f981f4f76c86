import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logicalId, synth } from './helpers';

const { stack, template } = synth();

describe('the token secret', () => {
  it('is created empty: no value, generated or literal, in the template', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    const secret = template.toJSON().Resources[logicalId(stack.token.secret)];

    assert.equal(secret.Properties.SecretString, undefined);
    assert.equal(secret.Properties.GenerateSecretString, undefined);
    assert.equal(secret.DeletionPolicy, 'Retain');
  });

  it('is named to the functions that talk to Instagram, and not to the api', () => {
    const secretRef = { Ref: logicalId(stack.token.secret) };
    const envOf = (id: string) =>
      template.toJSON().Resources[id].Properties.Environment.Variables;
    const { ingest, mirror, refresh, api } = stack.functions;

    for (const fn of [ingest, mirror, refresh]) {
      assert.deepEqual(envOf(logicalId(fn.function)).IG_TOKEN_SECRET_ID, secretRef);
    }
    assert.equal(envOf(logicalId(api.function)).IG_TOKEN_SECRET_ID, undefined);
  });
});
