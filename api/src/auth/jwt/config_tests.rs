//! Configuration: the `FUPIN_JWT_*` settings and the development secret file. Tests go through
//! `TokenKeys::from_settings`, since setting variables in a threaded test run is unsound.

use std::path::Path;

use super::config::{KeySettings, parse_access_ttl};
use super::test_keys::*;
use super::*;

const SECRET_1: &str = "first-secret-0123456789abcdef-0123456789";
const SECRET_2: &str = "second-secret-0123456789abcdef-012345678";

fn keys(settings: KeySettings<'_>, dir: &Path) -> TokenKeys {
    TokenKeys::from_settings(settings, dir).expect("valid settings")
}

fn error(settings: KeySettings<'_>, dir: &Path) -> String {
    match TokenKeys::from_settings(settings, dir) {
        Err(message) => message,
        Ok(keys) => panic!("expected an error, got {keys:?}"),
    }
}

fn secret(value: &str) -> KeySettings<'_> {
    KeySettings {
        secret: Some(value),
        ..KeySettings::default()
    }
}

fn kids_and_algs(keys: &TokenKeys) -> Vec<(String, Algorithm)> {
    keys.kids()
        .map(|kid| (kid.to_owned(), keys.algorithm_of(kid).expect("known kid")))
        .collect()
}

#[test]
fn one_secret_is_the_default_key() {
    let dir = TempDir::new();
    let ring = keys(secret(&format!("  {SECRET_1}\n")), &dir.0);
    assert_eq!(ring.active_kid(), "default");
    assert_eq!(
        kids_and_algs(&ring),
        [("default".to_owned(), Algorithm::HS256)]
    );
    // Same bytes as the programmatic ring: a token of one verifies with the other.
    let same =
        TokenIssuer::new(TokenKeys::hs256(&[("default", SECRET_1.as_bytes())]).expect("ring"));
    let (token, _) = same
        .issue(AccessSubject::user("u1", "donor"))
        .expect("issued");
    assert!(TokenIssuer::new(ring).verify(&token).is_ok());
    assert!(!dir.0.exists(), "no development file when a secret is set");
}

#[test]
fn a_list_of_secrets_signs_with_the_first() {
    let dir = TempDir::new();
    let ring = keys(secret(&format!(" k2:{SECRET_2} , k1:{SECRET_1} ")), &dir.0);
    assert_eq!(ring.active_kid(), "k2");
    assert_eq!(ring.kids().collect::<Vec<_>>(), ["k2", "k1"]);
    // One entry with a key id, and a secret containing ':' written with its id.
    let ring = keys(secret(&format!("main:{SECRET_1}")), &dir.0);
    assert_eq!(ring.active_kid(), "main");
    let ring = keys(secret(&format!("default:a:{SECRET_1}")), &dir.0);
    assert_eq!(ring.active_kid(), "default");
}

#[test]
fn secret_errors_name_the_setting_and_entry_but_not_the_secret() {
    let dir = TempDir::new();
    let empty = error(secret("  "), &dir.0);
    assert!(
        empty.starts_with("FUPIN_JWT_SECRET is empty: give one secret"),
        "{empty}"
    );
    let short = error(secret("shortsecret"), &dir.0);
    assert_eq!(
        short,
        "FUPIN_JWT_SECRET: entry 1: the secret is 11 bytes; it must be at least 32 random \
         bytes (make one with `openssl rand -base64 48`)"
    );
    let short_second = error(secret(&format!("k2:{SECRET_2},k1:tiny-secret")), &dir.0);
    assert!(
        short_second.starts_with("FUPIN_JWT_SECRET: entry 2: the secret is 11 bytes"),
        "{short_second}"
    );
    assert!(!short_second.contains("tiny"));
    let blank = error(secret(&format!("k1:{SECRET_1},")), &dir.0);
    assert_eq!(blank, "FUPIN_JWT_SECRET: entry 2 is empty");
    let no_kid = error(secret(&format!("k1:{SECRET_1},{SECRET_2}")), &dir.0);
    assert_eq!(
        no_kid,
        "FUPIN_JWT_SECRET: entry 2 has no key id: write it as kid:secret"
    );
    assert!(!no_kid.contains("second-secret"));
    let bad_kid = error(
        secret("pass word:more-than-thirty-two-bytes-of-secret"),
        &dir.0,
    );
    assert!(
        bad_kid.starts_with("FUPIN_JWT_SECRET: entry 1: a key id is not usable"),
        "{bad_kid}"
    );
    assert!(bad_kid.contains("default:<secret>"), "{bad_kid}");
    assert!(!bad_kid.contains("pass word"), "{bad_kid}");
    let twice = error(secret(&format!("k1:{SECRET_1},k1:{SECRET_2}")), &dir.0);
    assert_eq!(
        twice,
        "FUPIN_JWT_SECRET: entry 2: key id \"k1\" is listed twice"
    );
    assert!(
        !dir.0.exists(),
        "errors never fall back to a development secret"
    );
}

#[test]
fn a_private_key_file_signs_and_secrets_still_verify() {
    let dir = TempDir::new();
    let path = dir.write("ed.pem", &ed25519_private_pem([5; 32]));
    let ring = keys(
        KeySettings {
            private_key_file: Some(&path),
            ..KeySettings::default()
        },
        &dir.0,
    );
    assert_eq!(kids_and_algs(&ring), [("k1".to_owned(), Algorithm::EdDSA)]);

    // Moving from HS256 to a key pair: the old secret keeps verifying, it no longer signs.
    let hs = TokenIssuer::new(TokenKeys::hs256(&[("default", SECRET_1.as_bytes())]).expect("hs"));
    let (old_token, _) = hs
        .issue(AccessSubject::user("u1", "donor"))
        .expect("issued");
    let ring = keys(
        KeySettings {
            secret: Some(SECRET_1),
            private_key_file: Some(&path),
            key_id: Some("ed-2026"),
            ..KeySettings::default()
        },
        &dir.0,
    );
    assert_eq!(
        kids_and_algs(&ring),
        [
            ("ed-2026".to_owned(), Algorithm::EdDSA),
            ("default".to_owned(), Algorithm::HS256)
        ]
    );
    let issuer = TokenIssuer::new(ring);
    assert!(issuer.verify(&old_token).is_ok());
    let (token, _) = issuer
        .issue(AccessSubject::user("u1", "donor"))
        .expect("issued");
    assert_eq!(
        jsonwebtoken::decode_header(&token).expect("header").alg,
        Algorithm::EdDSA
    );

    let rsa_path = dir.write("rsa.pem", RSA_2048_PRIVATE_PEM);
    let ring = keys(
        KeySettings {
            private_key_file: Some(&rsa_path),
            ..KeySettings::default()
        },
        &dir.0,
    );
    assert_eq!(kids_and_algs(&ring), [("k1".to_owned(), Algorithm::RS256)]);
}

#[test]
fn public_key_files_verify_only() {
    let dir = TempDir::new();
    let old_pub = dir.write("old.pem", &ed25519_public_pem([1; 32]));
    let rsa_pub = dir.write("rsa.pub.pem", RSA_2048_PUBLIC_PEM);
    let new_key = dir.write("new.pem", &ed25519_private_pem([2; 32]));
    let files = format!("old:{old_pub}, partner:{rsa_pub}");
    let ring = keys(
        KeySettings {
            private_key_file: Some(&new_key),
            key_id: Some("new"),
            public_key_files: Some(&files),
            ..KeySettings::default()
        },
        &dir.0,
    );
    assert_eq!(ring.active_kid(), "new");
    assert_eq!(
        kids_and_algs(&ring),
        [
            ("new".to_owned(), Algorithm::EdDSA),
            ("old".to_owned(), Algorithm::EdDSA),
            ("partner".to_owned(), Algorithm::RS256)
        ]
    );
    let old = TokenIssuer::new(
        TokenKeys::from_private_pem("old", ed25519_private_pem([1; 32]).as_bytes()).expect("old"),
    );
    let (token, claims) = old
        .issue(AccessSubject::user("u1", "donor"))
        .expect("issued");
    assert_eq!(
        TokenIssuer::new(ring).verify(&token).expect("old key"),
        claims
    );
}

#[test]
fn key_file_errors_are_clear() {
    let dir = TempDir::new();
    let private = dir.write("ed.pem", &ed25519_private_pem([5; 32]));
    let public = dir.write("ed.pub.pem", &ed25519_public_pem([5; 32]));
    let missing = dir.0.join("missing.pem");
    let missing = missing.to_str().expect("UTF-8");

    let only_kid = error(
        KeySettings {
            secret: Some(SECRET_1),
            key_id: Some("k9"),
            ..KeySettings::default()
        },
        &dir.0,
    );
    assert!(
        only_kid.starts_with("FUPIN_JWT_KEY_ID is set but FUPIN_JWT_PRIVATE_KEY_FILE is not"),
        "{only_kid}"
    );
    let no_file = error(
        KeySettings {
            private_key_file: Some(missing),
            ..KeySettings::default()
        },
        &dir.0,
    );
    assert!(
        no_file.starts_with(&format!(
            "FUPIN_JWT_PRIVATE_KEY_FILE: cannot read {missing}: "
        )),
        "{no_file}"
    );
    let swapped = error(
        KeySettings {
            private_key_file: Some(&public),
            ..KeySettings::default()
        },
        &dir.0,
    );
    assert_eq!(
        swapped,
        format!(
            "FUPIN_JWT_PRIVATE_KEY_FILE: {public}: this is a public key or certificate; the \
             private key is needed"
        )
    );
    let clash = error(
        KeySettings {
            secret: Some(&format!("k1:{SECRET_1}")),
            private_key_file: Some(&private),
            ..KeySettings::default()
        },
        &dir.0,
    );
    assert!(clash.contains("key id \"k1\" is listed twice"), "{clash}");

    let only_public = format!("old:{public}");
    let unsigned = error(
        KeySettings {
            public_key_files: Some(&only_public),
            ..KeySettings::default()
        },
        &dir.0,
    );
    assert!(
        unsigned.starts_with("FUPIN_JWT_PUBLIC_KEY_FILES only verifies"),
        "{unsigned}"
    );
    let with_secret = |files: &str| {
        error(
            KeySettings {
                secret: Some(SECRET_1),
                public_key_files: Some(files),
                ..KeySettings::default()
            },
            &dir.0,
        )
    };
    assert_eq!(
        with_secret(&public),
        "FUPIN_JWT_PUBLIC_KEY_FILES: entry 1 has no key id: write it as kid:path.pem"
    );
    assert_eq!(
        with_secret(&format!("old:{private}")),
        format!(
            "FUPIN_JWT_PUBLIC_KEY_FILES: {private}: this is a private key; give only its \
             public half (`openssl pkey -in key.pem -pubout`)"
        )
    );
    assert!(
        with_secret(&format!("default:{public}")).contains("key id \"default\" is listed twice")
    );
    assert_eq!(
        with_secret(""),
        "FUPIN_JWT_PUBLIC_KEY_FILES is empty: list kid:path.pem entries separated by commas, \
         or unset it"
    );
    // None of these made a development file.
    assert!(!dir.0.join(DEV_SECRET_FILE).exists());
}

#[test]
fn the_access_token_lifetime_setting() {
    assert_eq!(parse_access_ttl(None), Ok(Duration::from_secs(900)));
    assert_eq!(
        parse_access_ttl(Some(" 600 ")),
        Ok(Duration::from_secs(600))
    );
    assert_eq!(
        parse_access_ttl(Some("86400")),
        Ok(Duration::from_secs(86_400))
    );
    for bad in ["", "abc", "-5", "59", "86401", "1.5"] {
        let message = parse_access_ttl(Some(bad)).expect_err(bad);
        assert!(
            message.starts_with("FUPIN_ACCESS_TOKEN_TTL_SECS is ")
                && message.ends_with("a whole number of seconds from 60 to 86400"),
            "{message}"
        );
    }
}

#[test]
fn dev_secret_file_is_created_once_private_and_reused() {
    let dir = TempDir::new();
    let path = dir.0.join(DEV_SECRET_FILE);
    let first = keys(KeySettings::default(), &dir.0);
    assert_eq!(first.active_kid(), "default");
    let text = std::fs::read_to_string(&path).expect("file exists");
    assert_eq!(text.len(), 65, "48 bytes in base64 and a newline: {text:?}");
    assert_eq!(
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, text.trim_end())
            .expect("base64")
            .len(),
        48
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let (token, claims) = TokenIssuer::new(first)
        .issue(AccessSubject::user("u1", "donor"))
        .expect("issued");
    let second = keys(KeySettings::default(), &dir.0);
    assert_eq!(std::fs::read_to_string(&path).expect("still there"), text);
    assert_eq!(
        TokenIssuer::new(second)
            .verify(&token)
            .expect("same secret"),
        claims
    );
    assert_eq!(
        std::fs::read_dir(&dir.0).expect("dir").count(),
        1,
        "only the secret file"
    );
    // The file holds a FUPIN_JWT_SECRET value: moved into the variable, it is the same key.
    let from_env = TokenIssuer::new(keys(secret(text.trim()), &dir.0));
    assert_eq!(from_env.verify(&token).expect("same secret"), claims);
}

#[test]
fn dev_secrets_are_random_per_folder() {
    let (a, b) = (TempDir::new(), TempDir::new());
    let a = TokenIssuer::new(keys(KeySettings::default(), &a.0));
    let b = TokenIssuer::new(keys(KeySettings::default(), &b.0));
    let (token, _) = a.issue(AccessSubject::user("u1", "donor")).expect("issued");
    assert_eq!(b.verify(&token), Err(TokenError::BadSignature));
}

#[test]
fn a_damaged_dev_secret_file_is_reported_with_its_path() {
    let dir = TempDir::new();
    let path = dir.write(DEV_SECRET_FILE, "short\n");
    let message = error(KeySettings::default(), &dir.0);
    assert_eq!(
        message,
        format!(
            "development secret file {path}: entry 1: the secret is 5 bytes; it must be at \
             least 32 random bytes (make one with `openssl rand -base64 48`) (delete the file \
             to make a new secret)"
        )
    );
}
