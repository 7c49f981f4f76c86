//! The token refresh against the fixture Instagram and a Secrets Manager
//! secret in the local emulator (`AWS_ENDPOINT_URL`).

use galleon_common::store::{Aws, TokenSecret};
use galleon_fixture::{Account, Failure, Fixture};
use galleon_ingest::refresh::{RefreshError, refresh};

async fn secret_holding(token: &str) -> TokenSecret {
    assert!(
        std::env::var_os("AWS_ENDPOINT_URL").is_some(),
        "AWS_ENDPOINT_URL is not set: run the tests through scripts/test.sh"
    );
    let aws = Aws::from_env().await;
    let name = format!("galleon-token-{:016x}", rand::random::<u64>());
    aws.secrets
        .create_secret()
        .name(&name)
        .secret_string(token)
        .send()
        .await
        .expect("secret");
    TokenSecret::new(aws.secrets, name)
}

#[tokio::test]
async fn a_refresh_stores_the_new_token_in_the_secret() {
    let fixture = Fixture::start(Account::empty()).await.unwrap();
    let secret = secret_holding(fixture.token()).await;

    let refreshed = refresh(
        reqwest::Client::new(),
        fixture.base_url().parse().unwrap(),
        &secret,
    )
    .await
    .unwrap();

    let stored = secret.read().await.unwrap();
    assert_ne!(stored.expose(), fixture.token());
    assert_eq!(refreshed.expires_in_days, Some(60));
}

#[tokio::test]
async fn a_refused_refresh_leaves_the_secret_as_it_was() {
    let fixture = Fixture::start(Account::empty()).await.unwrap();
    let secret = secret_holding(fixture.token()).await;
    fixture.fail(Failure::Token190 { subcode: 463 });

    let err = refresh(
        reqwest::Client::new(),
        fixture.base_url().parse().unwrap(),
        &secret,
    )
    .await
    .unwrap_err();

    assert!(matches!(err, RefreshError::Graph(_)), "{err:?}");
    assert_eq!(secret.read().await.unwrap().expose(), fixture.token());
}
