import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { skipCheckov } from './checks';
import { DEFAULTS, ENV, type FunctionEnvironment } from './environment';
import { assetPath, type Binary, type GalleonSettings } from './settings';

interface Sizing {
  readonly memoryMiB: number;
  readonly timeout: Duration;
}

/**
 * Memory and timeout per function. Lambda hands out CPU in proportion to
 * memory (one full vCPU at 1769 MB), so for CPU-bound work memory is the
 * speed knob, and for I/O-bound work it is mostly cost.
 */
export const SIZING: Record<Binary, Sizing> = {
  // Waits on the Graph API and SQS; parsing a page of JSON is cheap.
  // 60 s covers a tick that finds a backlog of several cursor pages
  // (each call under a second); a long backfill is the CLI's job.
  ingest: { memoryMiB: 256, timeout: Duration.seconds(60) },

  // One HTTPS call and one secret write a day.
  refresh: { memoryMiB: 128, timeout: Duration.seconds(30) },

  // CPU-bound: decode, three resizes (320/640/1080), encode and hash take
  // 50-100 ms per photo on one full core (BENCHMARKS.md). 1024 MB buys about
  // 0.58 vCPU, so 90-170 ms per photo, and leaves room over the 128 MB peak
  // of a 12-megapixel decode. Going to 1769 MB would cut CPU time by ~40%
  // at ~70% more cost per second, while much of each message is spent
  // waiting on the CDN and S3, where the extra CPU idles. Timeout: the worst
  // batch is 10 carousels of up to 20 photos, ~200 x (170 ms CPU + a
  // download and four puts) = about a minute and a half if done one by one;
  // 120 s covers it, where 60 s would time out and retry the whole batch.
  mirror: { memoryMiB: 1024, timeout: Duration.seconds(120) },

  // Guest-facing: a cold start (TLS setup, SDK clients) is CPU-bound, and
  // 512 MB roughly halves it against 256 MB. A page is one DynamoDB query,
  // so 10 s is far above normal and still ends well before CloudFront's
  // 30 s origin timeout, returning an error rather than a hanging page.
  api: { memoryMiB: 512, timeout: Duration.seconds(10) },
};

export interface RustFunctionProps {
  readonly binary: Binary;
  readonly assetDir: string;
  readonly description: string;
  readonly environment: FunctionEnvironment;
}

/**
 * One `cargo lambda` binary on Lambda: arm64, provided.al2023, JSON logs
 * (the Rust subscriber honours AWS_LAMBDA_LOG_FORMAT) into its own log group
 * with a retention, and its own role with no permissions yet: what each role
 * may do is granted in permissions.ts.
 */
export class RustFunction extends Construct {
  readonly binary: Binary;
  readonly function: lambda.Function;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: RustFunctionProps) {
    super(scope, id);
    this.binary = props.binary;
    const sizing = SIZING[props.binary];

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // An explicit role instead of the default one, which carries the
    // AWSLambdaBasicExecutionRole managed policy (logs on every group).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `galleon ${props.binary} function`,
    });

    this.function = new lambda.Function(this, 'Function', {
      description: props.description,
      runtime: lambda.Runtime.PROVIDED_AL2023,
      architecture: lambda.Architecture.ARM_64,
      handler: 'bootstrap',
      code: lambda.Code.fromAsset(assetPath(props.assetDir, props.binary)),
      memorySize: sizing.memoryMiB,
      timeout: sizing.timeout,
      environment: props.environment as Record<string, string>,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
    });

    skipCheckov(this.function, ...FUNCTION_CHECKOV_SKIPS);
    skipCheckov(this.logGroup, {
      id: 'CKV_AWS_158',
      reason:
        'CloudWatch Logs encrypts at rest by default; galleon never logs ' +
        'tokens or signed URLs (DESIGN.md), so a customer managed key adds cost only.',
    });
  }
}

const FUNCTION_CHECKOV_SKIPS = [
  {
    id: 'CKV_AWS_116',
    reason:
      'Failures are kept elsewhere: the mirror queue has its own dead-letter ' +
      'queue, the api is invoked synchronously, and a failed scheduled tick ' +
      'raises an alarm and is redone by the next tick.',
  },
  {
    id: 'CKV_AWS_117',
    reason:
      'The functions reach only public AWS endpoints and Instagram; a VPC ' +
      'would add NAT gateway cost and protect nothing.',
  },
  {
    id: 'CKV_AWS_115',
    reason:
      'Concurrency is bounded by the schedules and the event source maxConcurrency; ' +
      'reserved concurrency fails to deploy in accounts with the default 10-execution quota.',
  },
  {
    id: 'CKV_AWS_173',
    reason:
      'The environment holds resource names, ARNs and settings only; the ' +
      'access token lives in Secrets Manager.',
  },
];

export interface GalleonFunctionsProps {
  readonly settings: GalleonSettings;
  readonly tableName: string;
  readonly bucketName: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly tokenSecretArn: string;
}

/**
 * The four binaries and the environment each one gets. Every function gets
 * the table and bucket names, because DESIGN.md makes them required for the
 * one place that reads the configuration; names grant nothing by themselves.
 */
export class GalleonFunctions extends Construct {
  readonly ingest: RustFunction;
  readonly refresh: RustFunction;
  readonly mirror: RustFunction;
  readonly api: RustFunction;

  constructor(scope: Construct, id: string, props: GalleonFunctionsProps) {
    super(scope, id);
    const { settings } = props;

    const shared: FunctionEnvironment = {
      [ENV.table]: props.tableName,
      [ENV.bucket]: props.bucketName,
      [ENV.timezone]: settings.timezone,
      [ENV.rustLog]: DEFAULTS.rustLog,
    };
    const instagram: FunctionEnvironment = {
      [ENV.igUserId]: settings.igUserId,
      [ENV.tokenSecretId]: props.tokenSecretArn,
      ...(settings.igApiBase ? { [ENV.igApiBase]: settings.igApiBase } : {}),
    };
    const make = (binary: Binary, description: string, environment: FunctionEnvironment) =>
      new RustFunction(this, capitalise(binary), {
        binary,
        assetDir: settings.lambdaAssetDir,
        description,
        environment,
      });

    this.ingest = make('ingest', 'galleon: poll Instagram and enqueue new posts', {
      ...shared,
      ...instagram,
      [ENV.queueUrl]: props.queueUrl,
    });
    this.refresh = make('refresh', 'galleon: renew the long-lived Instagram token', {
      ...shared,
      ...instagram,
    });
    // The queue URLs serve the shared consumer code that the CLI's
    // `mirror --drain` also runs; on Lambda the event source delivers.
    this.mirror = make('mirror', 'galleon: copy posts into S3 and DynamoDB', {
      ...shared,
      ...instagram,
      [ENV.queueUrl]: props.queueUrl,
      [ENV.dlqUrl]: props.deadLetterQueueUrl,
      [ENV.mediaHosts]: settings.mediaHosts,
    });
    this.api = make('api', 'galleon: gallery pages and read API', shared);
  }

  get all(): RustFunction[] {
    return [this.ingest, this.refresh, this.mirror, this.api];
  }
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
