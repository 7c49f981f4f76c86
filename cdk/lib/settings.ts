import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node } from 'constructs';
import { DEFAULTS } from './environment';

/** The binaries `cargo lambda build` writes, one directory each. */
export const BINARIES = ['ingest', 'refresh', 'mirror', 'api'] as const;
export type Binary = (typeof BINARIES)[number];

/** Everything the stack takes from the operator, already checked. */
export interface GalleonSettings {
  /** Instagram account id that ingest polls. */
  readonly igUserId: string;
  /** IANA zone for date events. */
  readonly timezone: string;
  /** Host suffixes the mirror may download from, comma-separated. */
  readonly mediaHosts: string;
  /** Graph API base URL; the Rust side pins a version when unset. */
  readonly igApiBase?: string;
  /** Minutes between two ingest ticks. */
  readonly ingestRateMinutes: number;
  /** Where alarm notifications go; no subscription when unset. */
  readonly alarmEmail?: string;
  /** Directory holding `<binary>/bootstrap` for every binary. */
  readonly lambdaAssetDir: string;
}

/** A context value that is missing or wrong: the operator's to fix. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

/** Context keys, as passed with `cdk deploy -c key=value`. */
export const CONTEXT = {
  igUserId: 'igUserId',
  timezone: 'timezone',
  mediaHosts: 'mediaHosts',
  igApiBase: 'igApiBase',
  ingestRateMinutes: 'ingestRateMinutes',
  alarmEmail: 'alarmEmail',
  lambdaAssetDir: 'lambdaAssetDir',
} as const;

/** Where `cargo lambda build` puts its output, from the cdk/ directory. */
export const DEFAULT_ASSET_DIR = '../target/lambda';

/**
 * Reads the settings from the CDK context and rejects what would only fail
 * later, at deploy or at a cold start. Relative paths are taken from
 * `baseDir`, the cdk/ directory, so synth works from any working directory.
 */
export function settingsFromContext(node: Node, baseDir: string): GalleonSettings {
  const text = (key: string): string | undefined => {
    const value = node.tryGetContext(key);
    return value === undefined || value === '' ? undefined : String(value);
  };

  const settings: GalleonSettings = {
    igUserId: requireUserId(text(CONTEXT.igUserId)),
    timezone: checkTimezone(text(CONTEXT.timezone) ?? DEFAULTS.timezone),
    mediaHosts: text(CONTEXT.mediaHosts) ?? DEFAULTS.mediaHosts,
    igApiBase: checkApiBase(text(CONTEXT.igApiBase)),
    ingestRateMinutes: checkRate(text(CONTEXT.ingestRateMinutes)),
    alarmEmail: checkEmail(text(CONTEXT.alarmEmail)),
    lambdaAssetDir: path.resolve(baseDir, text(CONTEXT.lambdaAssetDir) ?? DEFAULT_ASSET_DIR),
  };
  checkAssets(settings.lambdaAssetDir);
  return settings;
}

/** The code directory of one binary, as `lambda.Code.fromAsset` takes it. */
export function assetPath(assetDir: string, binary: Binary): string {
  return path.join(assetDir, binary);
}

function requireUserId(value: string | undefined): string {
  if (value === undefined) {
    throw new SettingsError(
      'context igUserId is required: pass -c igUserId=<Instagram account id>',
    );
  }
  if (!/^[0-9]+$/.test(value)) {
    throw new SettingsError(`context igUserId must be the numeric account id, got "${value}"`);
  }
  return value;
}

function checkTimezone(value: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
  } catch {
    throw new SettingsError(`context timezone "${value}" is not an IANA time zone`);
  }
  return value;
}

function checkApiBase(value: string | undefined): string | undefined {
  if (value !== undefined && !value.startsWith('https://')) {
    throw new SettingsError(`context igApiBase must be an https:// URL, got "${value}"`);
  }
  return value;
}

// Scheduler rates are whole minutes; more than a day apart would let the
// Graph API's cursor pages and CDN links go stale between ticks.
function checkRate(value: string | undefined): number {
  if (value === undefined) return DEFAULTS.ingestRateMinutes;
  const minutes = Number(value);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
    throw new SettingsError(
      `context ingestRateMinutes must be a whole number from 1 to 1440, got "${value}"`,
    );
  }
  return minutes;
}

function checkEmail(value: string | undefined): string | undefined {
  if (value !== undefined && !/^[^@\s]+@[^@\s]+$/.test(value)) {
    throw new SettingsError(`context alarmEmail is not an e-mail address: "${value}"`);
  }
  return value;
}

// Without this check a missing build surfaces as a bare "cannot find asset"
// from deep inside the CDK, which does not say which command to run.
function checkAssets(assetDir: string): void {
  const missing = BINARIES.filter(
    (binary) => !fs.existsSync(path.join(assetPath(assetDir, binary), 'bootstrap')),
  );
  if (missing.length > 0) {
    throw new SettingsError(
      `no bootstrap for ${missing.join(', ')} under ${assetDir}: ` +
        'run `cargo lambda build --release --arm64` at the repository root, ' +
        'or pass -c lambdaAssetDir=<dir> (test/fixtures/lambda for placeholders)',
    );
  }
}
