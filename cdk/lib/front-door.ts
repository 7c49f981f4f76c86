import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeNag, skipCheckov } from './checks';
import { MEDIA_PREFIX } from './storage';

/** Query parameters of the read API; any others are dropped at the edge. */
export const API_QUERY_PARAMETERS = ['limit', 'cursor'] as const;

export interface FrontDoorProps {
  readonly api: lambda.IFunction;
  readonly mediaBucket: s3.IBucket;
  readonly logBucket: s3.IBucket;
}

/**
 * CloudFront in front of everything guests load: `/media/*` straight from
 * the bucket, every other path from the api function. Both origins are
 * reached through origin access control, so neither the bucket nor the
 * function URL answers anyone but this distribution.
 */
export class FrontDoor extends Construct {
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: FrontDoorProps) {
    super(scope, id);

    // AWS_IAM: a request must be signed, which only CloudFront's origin
    // access control does; the URL on its own returns 403.
    const apiUrl = props.api.addFunctionUrl({
      authType: lambda.FunctionUrlAuthType.AWS_IAM,
    });

    const common = {
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      compress: true,
      responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'galleon: event galleries',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        ...common,
        origin: origins.FunctionUrlOrigin.withOriginAccessControl(apiUrl),
        cachePolicy: this.apiCachePolicy(),
      },
      additionalBehaviors: {
        [`/${MEDIA_PREFIX}*`]: {
          ...common,
          // Grants the distribution s3:GetObject through the bucket policy.
          // Only /media/* is routed here, so uploads/ stays unreachable.
          origin: origins.S3BucketOrigin.withOriginAccessControl(props.mediaBucket),
          // Objects carry "max-age=31536000, immutable"; the managed policy
          // honours it and keys on the path alone.
          cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        },
      },
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
    });

    this.acceptFindings();
  }

  // The api sets Cache-Control and an ETag on every answer, so the cache
  // follows the origin: TTL 0 when the header is absent, capped at a day.
  // Only the API's own query parameters enter the key, so appending junk
  // to a URL cannot bypass the cache.
  private apiCachePolicy(): cloudfront.CachePolicy {
    return new cloudfront.CachePolicy(this, 'ApiCache', {
      comment: 'galleon api: TTL from the origin Cache-Control header',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.days(1),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.allowList(
        ...API_QUERY_PARAMETERS,
      ),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
  }

  private acceptFindings(): void {
    const noCustomDomain =
      'The distribution uses its default *.cloudfront.net certificate, with ' +
      'which CloudFront does not allow choosing a minimum TLS version; a custom ' +
      'domain with an ACM certificate would set TLSv1.2_2021.';
    const noWaf =
      'A CloudFront web ACL must live in us-east-1 and costs a monthly fee; the ' +
      'site is read-only and cached, and the api validates every path and ' +
      'parameter. Add one if abuse appears in the access logs.';
    const worldwide = 'Guests of an event may open a gallery from any country.';

    acknowledgeNag(
      this.distribution,
      { id: 'AwsSolutions-CFR1', reason: worldwide },
      { id: 'AwsSolutions-CFR2', reason: noWaf },
      { id: 'AwsSolutions-CFR4', reason: noCustomDomain },
    );
    skipCheckov(
      this.distribution,
      { id: 'CKV_AWS_68', reason: noWaf },
      { id: 'CKV_AWS_174', reason: noCustomDomain },
    );
  }
}
