#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/app';
import { SettingsError } from '../lib/settings';

try {
  buildApp(new App());
} catch (error) {
  // A wrong or missing context value is the operator's to fix: say what,
  // without a stack trace. Anything else is a bug and keeps its trace.
  if (!(error instanceof SettingsError)) throw error;
  console.error(`galleon: ${error.message}`);
  process.exit(1);
}
