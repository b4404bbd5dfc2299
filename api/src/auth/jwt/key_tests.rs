//! Keys: algorithm pinning (no HS256 under an Ed25519 or RSA key id), rotation, ring errors.

use super::test_keys::*;
use super::tests::{S1, S2, claims_json, hs_issuer, hs256_token, refused};
use super::*;

#[test]
fn an_hs256_token_under_an_ed25519_kid_is_refused() {
    let seed = [7u8; 32];
    let ed = TokenIssuer::new(
        TokenKeys::from_private_pem("ed1", ed25519_private_pem(seed).as_bytes()).expect("ed key"),
    );
    assert_eq!(ed.keys().algorithm_of("ed1"), Some(Algorithm::EdDSA));
    let (token, issued) = ed
        .issue(AccessSubject::user("u1", "donor"))
        .expect("issued");
    assert_eq!(
        jsonwebtoken::decode_header(&token).expect("header").alg,
        Algorithm::EdDSA
    );
    assert_eq!(ed.verify(&token).expect("valid"), issued);

    let forged = hs256_token("ed1", S1, &claims_json());
    assert_eq!(refused(&ed, &forged), TokenError::BadSignature);
    // The classic confusion: the public key itself as the HMAC secret.
    let public = ed25519_public_pem(seed);
    let forged = hs256_token("ed1", public.as_bytes(), &claims_json());
    assert_eq!(refused(&ed, &forged), TokenError::BadSignature);
    // And an EdDSA token from another Ed25519 key under the same kid.
    let other = TokenIssuer::new(
        TokenKeys::from_private_pem("ed1", ed25519_private_pem([8; 32]).as_bytes())
            .expect("ed key"),
    );
    let (token, _) = other
        .issue(AccessSubject::user("u1", "donor"))
        .expect("issued");
    assert_eq!(refused(&ed, &token), TokenError::BadSignature);
}

#[test]
fn an_hs256_token_under_an_rsa_kid_is_refused() {
    let rsa = TokenIssuer::new(
        TokenKeys::from_private_pem("rsa1", RSA_2048_PRIVATE_PEM.as_bytes()).expect("rsa key"),
    );
    assert_eq!(rsa.keys().active_algorithm(), Algorithm::RS256);
    let (token, issued) = rsa
        .issue(AccessSubject::client("c1", "changes:read"))
        .expect("issued");
    assert_eq!(rsa.verify(&token).expect("valid"), issued);
    let forged = hs256_token("rsa1", RSA_2048_PUBLIC_PEM.as_bytes(), &claims_json());
    assert_eq!(refused(&rsa, &forged), TokenError::BadSignature);

    // A verification-only copy of the public key accepts the real token and nothing else.
    let verifier = TokenIssuer::new(
        TokenKeys::hs256(&[("h1", S1)])
            .and_then(|k| k.with_public_pem("rsa1", RSA_2048_PUBLIC_PEM.as_bytes()))
            .expect("ring"),
    );
    assert_eq!(verifier.verify(&token).expect("valid"), issued);
    assert_eq!(refused(&verifier, &forged), TokenError::BadSignature);
}

#[test]
fn rotation_keeps_old_tokens_valid_and_signs_with_the_new_key() {
    let old = hs_issuer(&[("k1", S1)]);
    let (old_token, old_claims) = old
        .issue(AccessSubject::user("u1", "donor"))
        .expect("issued");

    let rotated = hs_issuer(&[("k2", S2), ("k1", S1)]);
    assert_eq!(rotated.keys().active_kid(), "k2");
    assert_eq!(rotated.keys().kids().collect::<Vec<_>>(), ["k2", "k1"]);
    assert_eq!(
        rotated.verify(&old_token).expect("old key verifies"),
        old_claims
    );
    let (new_token, new_claims) = rotated
        .issue(AccessSubject::user("u1", "donor"))
        .expect("issued");
    assert_eq!(
        jsonwebtoken::decode_header(&new_token)
            .expect("header")
            .kid
            .as_deref(),
        Some("k2")
    );
    assert_eq!(rotated.verify(&new_token).expect("valid"), new_claims);
    // The old ring does not know k2; once k1 is retired its tokens stop working.
    assert_eq!(refused(&old, &new_token), TokenError::UnknownKey);
    let retired = hs_issuer(&[("k2", S2)]);
    assert_eq!(refused(&retired, &old_token), TokenError::UnknownKey);
}

#[test]
fn rotation_from_an_ed25519_key_pair_to_a_new_one() {
    let old = TokenIssuer::new(
        TokenKeys::from_private_pem("ed-2025", ed25519_private_pem([1; 32]).as_bytes())
            .expect("old"),
    );
    let (old_token, old_claims) = old
        .issue(AccessSubject::user("u1", "donor"))
        .expect("issued");
    let rotated = TokenIssuer::new(
        TokenKeys::from_private_pem("ed-2026", ed25519_private_pem([2; 32]).as_bytes())
            .and_then(|k| k.with_public_pem("ed-2025", ed25519_public_pem([1; 32]).as_bytes()))
            .expect("ring"),
    );
    assert_eq!(rotated.verify(&old_token).expect("old key"), old_claims);
    let (token, _) = rotated
        .issue(AccessSubject::user("u1", "donor"))
        .expect("issued");
    assert_eq!(
        jsonwebtoken::decode_header(&token)
            .expect("header")
            .kid
            .as_deref(),
        Some("ed-2026")
    );
}

#[test]
fn key_ring_errors_name_the_key_but_not_the_secret() {
    let short = TokenKeys::hs256(&[("k1", b"too-short-secret")]).expect_err("short");
    assert_eq!(
        short,
        "key \"k1\": the secret is 16 bytes; it must be at least 32 random bytes (make one \
         with `openssl rand -base64 48`)"
    );
    assert!(!short.contains("too-short"));
    let twice = TokenKeys::hs256(&[("k1", S1), ("k1", S2)]).expect_err("twice");
    assert_eq!(twice, "key id \"k1\" is listed twice");
    let none = TokenKeys::hs256(&[]).expect_err("empty");
    assert!(none.starts_with("no signing key"), "{none}");
    let bad_kid = TokenKeys::hs256(&[("k 1", S1)]).expect_err("kid");
    assert!(bad_kid.contains("key id is not usable"), "{bad_kid}");

    let small_rsa =
        TokenKeys::from_private_pem("r", RSA_1024_PRIVATE_PEM.as_bytes()).expect_err("small");
    assert_eq!(
        small_rsa,
        "key \"r\": the RSA key is 1024 bits; at least 2048 are needed"
    );
    let ec = TokenKeys::from_private_pem("e", EC_P256_PRIVATE_PEM.as_bytes()).expect_err("ec");
    assert!(
        ec.contains("only Ed25519 and RSA keys are supported"),
        "{ec}"
    );
    let public =
        TokenKeys::from_private_pem("p", RSA_2048_PUBLIC_PEM.as_bytes()).expect_err("public key");
    assert!(public.contains("the private key is needed"), "{public}");
    let junk = TokenKeys::from_private_pem("j", b"not a key").expect_err("junk");
    assert!(
        junk.starts_with("key \"j\": not a PEM private key"),
        "{junk}"
    );
    let private_as_public = TokenKeys::hs256(&[("h", S1)])
        .and_then(|k| k.with_public_pem("p", RSA_2048_PRIVATE_PEM.as_bytes()))
        .expect_err("private key");
    assert!(
        private_as_public.contains("give only its public half"),
        "{private_as_public}"
    );
}

#[test]
fn debug_shows_kids_and_algorithms_only() {
    let keys = TokenKeys::hs256(&[("k2", S2), ("k1", S1)])
        .and_then(|k| k.with_public_pem("ed-old", ed25519_public_pem([3; 32]).as_bytes()))
        .expect("ring");
    let debug = format!("{keys:?}");
    assert_eq!(
        debug,
        "TokenKeys { active: \"k2\", keys: [\"k2 (HS256)\", \"k1 (HS256)\", \"ed-old (EdDSA)\"] }"
    );
    let issuer = format!("{:?}", TokenIssuer::new(keys));
    assert!(!issuer.contains("secret-0123"), "{issuer}");
}
