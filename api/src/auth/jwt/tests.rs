//! The token contract: round trips and every refusal reason. Shared helpers for `key_tests`.

use actix_web::http::StatusCode;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{EncodingKey, Header};
use serde_json::json;

use super::*;

pub(super) const S1: &[u8] = b"first-secret-0123456789abcdef-0123456789";
pub(super) const S2: &[u8] = b"second-secret-0123456789abcdef-012345678";

pub(super) fn hs_issuer(keys: &[(&str, &[u8])]) -> TokenIssuer {
    TokenIssuer::new(TokenKeys::hs256(keys).expect("valid test keys"))
}

pub(super) fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Claims as this service would issue them, valid now.
pub(super) fn claims_json() -> serde_json::Value {
    let now = now();
    json!({
        "sub": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f",
        "kind": "user",
        "role": "county_official",
        "region": "210102",
        "iss": DEFAULT_ISSUER,
        "aud": DEFAULT_AUDIENCE,
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "jti": uuid::Uuid::now_v7().to_string(),
    })
}

fn with(mut claims: serde_json::Value, key: &str, value: serde_json::Value) -> serde_json::Value {
    claims[key] = value;
    claims
}

fn without(mut claims: serde_json::Value, key: &str) -> serde_json::Value {
    claims.as_object_mut().expect("object").remove(key);
    claims
}

/// A token encoded by hand: HS256 under `kid` with `secret`.
pub(super) fn hs256_token(kid: &str, secret: &[u8], claims: &serde_json::Value) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_secret(secret)).expect("encode")
}

fn b64(value: &serde_json::Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

pub(super) fn refused(issuer: &TokenIssuer, token: &str) -> TokenError {
    match issuer.verify(token) {
        Err(e) => e,
        Ok(claims) => panic!("expected a refusal, got {claims:?}"),
    }
}

#[test]
fn a_user_token_round_trips_its_claims() {
    let issuer = hs_issuer(&[("default", S1)]);
    let subject = AccessSubject::user("0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "county_official")
        .with_region("210102")
        .with_org("0193a6f4-0000-7000-8000-000000000001");
    let before = now();
    let (token, issued) = issuer.issue(subject).expect("issued");
    let after = now();

    assert_eq!(issuer.verify(&token).expect("valid"), issued);
    assert_eq!(issued.sub, "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f");
    assert_eq!(issued.kind, SubjectKind::User);
    assert_eq!(issued.role.as_deref(), Some("county_official"));
    assert_eq!(issued.region.as_deref(), Some("210102"));
    assert_eq!(
        issued.org.as_deref(),
        Some("0193a6f4-0000-7000-8000-000000000001")
    );
    assert_eq!(issued.scope, None);
    assert_eq!(issued.rl, None);
    assert_eq!(issued.iss, "fupin");
    assert_eq!(issued.aud, "fupin-api");
    assert!((before..=after).contains(&issued.iat));
    assert_eq!(issued.nbf, issued.iat);
    assert_eq!(issued.exp, issued.iat + 15 * 60);
    let jti = uuid::Uuid::parse_str(&issued.jti).expect("jti is a UUID");
    assert_eq!(jti.get_version_num(), 7);

    let header = jsonwebtoken::decode_header(&token).expect("header");
    assert_eq!(header.alg, Algorithm::HS256);
    assert_eq!(header.kid.as_deref(), Some("default"));
    assert_eq!(header.typ.as_deref(), Some("JWT"));
    // Absent optional claims are left out, not sent as null.
    let payload = token.split('.').nth(1).expect("payload");
    let payload: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("json");
    assert_eq!(payload["kind"], "user");
    assert!(payload.get("scope").is_none(), "{payload}");
}

#[test]
fn a_client_token_carries_scopes_and_rate_limit() {
    let issuer = hs_issuer(&[("default", S1)]).with_access_ttl(Duration::from_secs(300));
    let subject = AccessSubject::client("etl-client", "households:read changes:read")
        .with_region("2101")
        .with_rate_limit(600);
    let (token, issued) = issuer.issue(subject).expect("issued");
    let claims = issuer.verify(&token).expect("valid");
    assert_eq!(claims, issued);
    assert_eq!(claims.kind, SubjectKind::Client);
    assert_eq!(claims.role, None);
    assert_eq!(claims.rl, Some(600));
    assert_eq!(claims.exp - claims.iat, 300);
    assert_eq!(
        claims.scopes().collect::<Vec<_>>(),
        ["households:read", "changes:read"]
    );
    assert!(claims.has_scope("changes:read"));
    assert!(!claims.has_scope("changes"));
}

#[test]
fn each_token_gets_a_fresh_jti() {
    let issuer = hs_issuer(&[("default", S1)]);
    let (_, a) = issuer.issue(AccessSubject::user("u1", "donor")).expect("a");
    let (_, b) = issuer.issue(AccessSubject::user("u1", "donor")).expect("b");
    assert_ne!(a.jti, b.jti);
}

#[test]
fn a_hand_made_valid_token_is_accepted() {
    // Guards the other tests: their tokens fail for the one reason they change.
    let issuer = hs_issuer(&[("default", S1)]);
    let claims = issuer
        .verify(&hs256_token("default", S1, &claims_json()))
        .expect("valid");
    assert_eq!(claims.region.as_deref(), Some("210102"));
}

#[test]
fn an_expired_token_is_refused() {
    let issuer = hs_issuer(&[("default", S1)]);
    let now = now();
    let claims = with(
        with(
            with(claims_json(), "iat", json!(now - 1000)),
            "nbf",
            json!(now - 1000),
        ),
        "exp",
        json!(now - 120),
    );
    let token = hs256_token("default", S1, &claims);
    assert_eq!(refused(&issuer, &token), TokenError::Expired);
    assert_eq!(TokenError::Expired.reason(), "expired");
    // Within the leeway it still passes.
    let claims = with(claims, "exp", json!(now - 10));
    assert!(issuer.verify(&hs256_token("default", S1, &claims)).is_ok());
}

#[test]
fn a_token_not_valid_yet_is_refused() {
    let issuer = hs_issuer(&[("default", S1)]);
    let claims = with(claims_json(), "nbf", json!(now() + 300));
    let token = hs256_token("default", S1, &claims);
    assert_eq!(refused(&issuer, &token), TokenError::NotYetValid);
    assert_eq!(TokenError::NotYetValid.reason(), "not_yet_valid");
    // An iat in the future is as suspicious as an nbf there.
    let claims = with(claims_json(), "iat", json!(now() + 300));
    let token = hs256_token("default", S1, &claims);
    assert_eq!(refused(&issuer, &token), TokenError::NotYetValid);
}

#[test]
fn another_audience_or_issuer_is_refused() {
    let issuer = hs_issuer(&[("default", S1)]);
    let token = hs256_token(
        "default",
        S1,
        &with(claims_json(), "aud", json!("other-api")),
    );
    assert_eq!(refused(&issuer, &token), TokenError::BadAudience);
    let token = hs256_token(
        "default",
        S1,
        &with(claims_json(), "iss", json!("someone-else")),
    );
    assert_eq!(refused(&issuer, &token), TokenError::BadIssuer);
    // An issuer configured otherwise refuses our default tokens, and the other way round.
    let (token, _) = issuer
        .issue(AccessSubject::user("u1", "donor"))
        .expect("issued");
    let elsewhere = hs_issuer(&[("default", S1)])
        .with_issuer("fupin-staging")
        .with_audience("fupin-staging-api");
    assert_eq!(refused(&elsewhere, &token), TokenError::BadIssuer);
    let (token, _) = elsewhere
        .issue(AccessSubject::user("u1", "donor"))
        .expect("issued");
    assert_eq!(
        refused(&issuer, &token),
        TokenError::BadIssuer,
        "iss is checked before aud"
    );
}

#[test]
fn a_token_signed_with_another_secret_under_the_same_kid_is_refused() {
    let issuer = hs_issuer(&[("default", S1)]);
    let token = hs256_token("default", S2, &claims_json());
    assert_eq!(refused(&issuer, &token), TokenError::BadSignature);
    // Signature before claims: an expired forgery is still a forgery.
    let expired = with(claims_json(), "exp", json!(now() - 3600));
    let token = hs256_token("default", S2, &expired);
    assert_eq!(refused(&issuer, &token), TokenError::BadSignature);
}

#[test]
fn a_tampered_payload_is_refused() {
    let issuer = hs_issuer(&[("default", S1)]);
    let (token, _) = issuer
        .issue(AccessSubject::user("u1", "donor"))
        .expect("issued");
    let parts: Vec<&str> = token.split('.').collect();
    let forged_claims = with(claims_json(), "role", json!("platform_admin"));
    let forged = format!("{}.{}.{}", parts[0], b64(&forged_claims), parts[2]);
    assert_eq!(refused(&issuer, &forged), TokenError::BadSignature);
}

#[test]
fn an_unknown_or_missing_kid_is_refused() {
    let issuer = hs_issuer(&[("default", S1)]);
    let token = hs256_token("k9", S1, &claims_json());
    assert_eq!(refused(&issuer, &token), TokenError::UnknownKey);
    let no_kid = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims_json(),
        &EncodingKey::from_secret(S1),
    )
    .expect("encode");
    assert_eq!(refused(&issuer, &no_kid), TokenError::UnknownKey);
}

#[test]
fn an_alg_none_token_is_refused() {
    let issuer = hs_issuer(&[("default", S1)]);
    let header = json!({"alg": "none", "typ": "JWT", "kid": "default"});
    let unsigned = format!("{}.{}.", b64(&header), b64(&claims_json()));
    assert_eq!(refused(&issuer, &unsigned), TokenError::Malformed);
    // Other spellings of "none" and a missing alg fare no better.
    for header in [
        json!({"alg": "None", "kid": "default"}),
        json!({"alg": "NONE", "kid": "default"}),
        json!({"kid": "default"}),
    ] {
        let unsigned = format!("{}.{}.", b64(&header), b64(&claims_json()));
        assert!(issuer.verify(&unsigned).is_err(), "{header}");
    }
}

#[test]
fn malformed_tokens_are_refused_as_malformed() {
    let issuer = hs_issuer(&[("default", S1)]);
    for token in [
        "",
        "abc",
        "a.b",
        "a.b.c.d",
        "!!!.???.###",
        &"a".repeat(10_000),
    ] {
        assert_eq!(
            refused(&issuer, token),
            TokenError::Malformed,
            "{token:.20}"
        );
    }
    // Correctly signed, but missing a claim this service needs.
    for claim in ["exp", "nbf", "iat", "iss", "aud", "sub", "jti", "kind"] {
        let token = hs256_token("default", S1, &without(claims_json(), claim));
        assert_eq!(refused(&issuer, &token), TokenError::Malformed, "{claim}");
    }
    let token = hs256_token("default", S1, &with(claims_json(), "kind", json!("admin")));
    assert_eq!(refused(&issuer, &token), TokenError::Malformed);
    let token = hs256_token("default", S1, &with(claims_json(), "sub", json!("")));
    assert_eq!(refused(&issuer, &token), TokenError::Malformed);
}

#[test]
fn token_errors_are_401_with_only_the_reason() {
    let e = ApiError::from(TokenError::Expired);
    assert_eq!(e.status, StatusCode::UNAUTHORIZED);
    assert_eq!(e.code, "unauthorized");
    assert_eq!(e.extensions.get("reason"), Some(&json!("expired")));
    assert_eq!(e.detail_en, "The access token has expired.");
    for error in [
        TokenError::NotYetValid,
        TokenError::BadAudience,
        TokenError::BadIssuer,
        TokenError::BadSignature,
        TokenError::UnknownKey,
        TokenError::Malformed,
    ] {
        let e = ApiError::from(error);
        assert_eq!(e.status, StatusCode::UNAUTHORIZED, "{error:?}");
        assert_eq!(e.extensions.get("reason"), Some(&json!(error.reason())));
        assert_eq!(e.internal, None);
    }
    let e = ApiError::from(TokenError::SigningFailed);
    assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
}
