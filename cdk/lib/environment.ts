/**
 * The environment variable names the Rust binaries read, as listed under
 * "Configuration" in DESIGN.md. Every function's environment is built from
 * these keys, so a rename happens here and nowhere else in the app.
 */
export const ENV = {
  table: 'GALLEON_TABLE',
  bucket: 'GALLEON_BUCKET',
  queueUrl: 'GALLEON_QUEUE_URL',
  dlqUrl: 'GALLEON_DLQ_URL',
  timezone: 'GALLEON_TIMEZONE',
  mediaHosts: 'GALLEON_MEDIA_HOSTS',
  igUserId: 'IG_USER_ID',
  tokenSecretId: 'IG_TOKEN_SECRET_ID',
  igApiBase: 'IG_API_BASE',
  // Not galleon's own: the filter that tracing's env-filter reads.
  rustLog: 'RUST_LOG',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

/** A function's environment, keyed only by the names above. */
export type FunctionEnvironment = Partial<Record<EnvName, string>>;

/** The defaults DESIGN.md gives, used when the context leaves them out. */
export const DEFAULTS = {
  timezone: 'UTC',
  mediaHosts: 'cdninstagram.com,fbcdn.net',
  ingestRateMinutes: 10,
  rustLog: 'info',
} as const;
