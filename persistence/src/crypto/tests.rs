//! The building block's contract: round trips, tampering, purposes, rotation, blind indexes.

use super::*;

const ID_AAD: &str = "household_member.id_number";
const PHONE_AAD: &str = "household_member.phone";
const ID_NUMBER: &str = "21010219900307123X";

fn ring(ids: &[(&'static str, u8)], index: u8) -> DataKeys {
    DataKeys::from_parts(
        ids.iter().map(|&(id, b)| (id, [b; KEY_LEN])),
        [index; KEY_LEN],
    )
    .expect("valid test keys")
}

fn corrupt(result: Result<String, PersistenceError>) -> String {
    match result {
        Err(PersistenceError::Corrupt(message)) => message,
        other => panic!("expected Corrupt, got {other:?}"),
    }
}

fn body(token: &str) -> Vec<u8> {
    let (_, body) = split_token(token).expect("a token");
    URL_SAFE_NO_PAD.decode(body).expect("base64url")
}

#[test]
fn round_trip_gives_back_the_value() {
    let keys = ring(&[("k1", 1)], 9);
    let token = keys.encrypt(ID_NUMBER, ID_AAD);
    assert_eq!(keys.decrypt(&token, ID_AAD).expect("decrypts"), ID_NUMBER);
    assert_eq!(
        keys.decrypt(&keys.encrypt("", ID_AAD), ID_AAD)
            .expect("empty"),
        ""
    );
    let chinese = "张三 13812345678";
    assert_eq!(
        keys.decrypt(&keys.encrypt(chinese, PHONE_AAD), PHONE_AAD)
            .expect("decrypts"),
        chinese
    );
}

#[test]
fn token_is_self_describing_and_hides_the_value() {
    let keys = ring(&[("k1", 1)], 9);
    let token = keys.encrypt(ID_NUMBER, ID_AAD);
    assert!(token.starts_with("v1:k1:"), "{token}");
    assert!(!token.contains(ID_NUMBER));
    assert!(!token.contains("19900307"));
    assert_eq!(body(&token).len(), NONCE_LEN + ID_NUMBER.len() + TAG_LEN);
    assert_eq!(DataKeys::key_id_of(&token), Some("k1"));
    assert_eq!(DataKeys::key_id_of(ID_NUMBER), None);
}

#[test]
fn each_encryption_uses_a_fresh_nonce() {
    let keys = ring(&[("k1", 1)], 9);
    let a = keys.encrypt(ID_NUMBER, ID_AAD);
    let b = keys.encrypt(ID_NUMBER, ID_AAD);
    assert_ne!(a, b);
    assert_ne!(body(&a)[..NONCE_LEN], body(&b)[..NONCE_LEN]);
    assert_eq!(keys.decrypt(&a, ID_AAD).expect("a"), ID_NUMBER);
    assert_eq!(keys.decrypt(&b, ID_AAD).expect("b"), ID_NUMBER);
}

#[test]
fn any_altered_byte_is_refused() {
    let keys = ring(&[("k1", 1)], 9);
    let token = keys.encrypt(ID_NUMBER, ID_AAD);
    let original = body(&token);
    // Every position: nonce, ciphertext and tag.
    for i in 0..original.len() {
        let mut altered = original.clone();
        altered[i] ^= 0x01;
        let forged = format!("v1:k1:{}", URL_SAFE_NO_PAD.encode(&altered));
        let message = corrupt(keys.decrypt(&forged, ID_AAD));
        assert!(message.contains("altered"), "{message}");
        assert!(!message.contains(ID_NUMBER));
    }
    let truncated = format!("v1:k1:{}", URL_SAFE_NO_PAD.encode(&original[..20]));
    assert!(corrupt(keys.decrypt(&truncated, ID_AAD)).contains("truncated"));
    assert!(corrupt(keys.decrypt("v1:k1:not base64!", ID_AAD)).contains("base64url"));
    assert!(corrupt(keys.decrypt(ID_NUMBER, ID_AAD)).contains("not an encrypted value"));
    assert!(corrupt(keys.decrypt("v2:k1:AAAA", ID_AAD)).contains("not an encrypted value"));
}

#[test]
fn a_token_moved_to_another_purpose_or_key_id_is_refused() {
    // The same key bytes under two ids, so only the authenticated header tells them apart.
    let keys = ring(&[("k1", 1), ("k2", 1)], 9);
    let token = keys.encrypt(ID_NUMBER, ID_AAD);
    let message = corrupt(keys.decrypt(&token, PHONE_AAD));
    assert!(message.starts_with(PHONE_AAD), "{message}");
    assert!(message.contains("another field"), "{message}");
    assert!(!message.contains(ID_NUMBER));
    let relabelled = token.replacen("v1:k1:", "v1:k2:", 1);
    assert!(corrupt(keys.decrypt(&relabelled, ID_AAD)).contains("altered"));
}

#[test]
fn rotated_ring_still_opens_tokens_of_the_old_key() {
    let old = ring(&[("k1", 1)], 9);
    let token = old.encrypt(ID_NUMBER, ID_AAD);
    let rotated = ring(&[("k2", 2), ("k1", 1)], 9);
    assert_eq!(rotated.active_key_id(), "k2");
    assert_eq!(rotated.key_ids().collect::<Vec<_>>(), ["k2", "k1"]);
    assert_eq!(
        rotated.decrypt(&token, ID_AAD).expect("old token"),
        ID_NUMBER
    );
    let fresh = rotated.encrypt(ID_NUMBER, ID_AAD);
    assert_eq!(DataKeys::key_id_of(&fresh), Some("k2"));
    // The old ring never learnt k2.
    corrupt(old.decrypt(&fresh, ID_AAD));
}

#[test]
fn unknown_key_id_is_named_in_the_error() {
    let keys = ring(&[("k2", 2)], 9);
    let token = ring(&[("k1", 1)], 9).encrypt(ID_NUMBER, ID_AAD);
    let message = corrupt(keys.decrypt(&token, ID_AAD));
    assert_eq!(
        message,
        "household_member.id_number: encrypted with key \"k1\", which is not configured (configured: k2)"
    );
}

#[test]
fn a_key_of_the_same_id_but_other_bytes_refuses() {
    let token = ring(&[("k1", 1)], 9).encrypt(ID_NUMBER, ID_AAD);
    let message = corrupt(ring(&[("k1", 3)], 9).decrypt(&token, ID_AAD));
    assert!(message.contains("altered"), "{message}");
}

#[test]
fn blind_index_is_deterministic_per_purpose_and_key() {
    let keys = ring(&[("k1", 1)], 9);
    let index = keys.blind_index(ID_AAD, ID_NUMBER);
    assert_eq!(index.len(), 64);
    assert!(
        index
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    assert_eq!(index, keys.blind_index(ID_AAD, ID_NUMBER));
    assert_ne!(index, keys.blind_index(PHONE_AAD, ID_NUMBER));
    assert_ne!(index, keys.blind_index(ID_AAD, "210102199003071234"));
    assert_ne!(keys.blind_index("ab", "c"), keys.blind_index("a", "bc"));
    // Data keys rotate; the index does not move with them.
    assert_eq!(
        index,
        ring(&[("k2", 2), ("k1", 1)], 9).blind_index(ID_AAD, ID_NUMBER)
    );
    assert_ne!(index, ring(&[("k1", 1)], 8).blind_index(ID_AAD, ID_NUMBER));
}

#[test]
fn blind_index_is_hmac_sha256_of_the_length_prefixed_purpose_and_value() {
    // Pins the construction: stored indexes must stay comparable across releases.
    let keys = ring(&[("k1", 1)], 9);
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&[9; KEY_LEN]).expect("key");
    mac.update(&[0, 0, 0, 0, 0, 0, 0, 1, b'p', b'v']);
    assert_eq!(
        keys.blind_index("p", "v"),
        to_hex(&mac.finalize().into_bytes())
    );
    assert_eq!(to_hex(&[0x00, 0x7f, 0xa5, 0xff]), "007fa5ff");
}

#[test]
fn from_parts_refuses_unusable_rings() {
    let config = |r: Result<DataKeys, PersistenceError>| match r {
        Err(PersistenceError::Config(m)) => m,
        other => panic!("expected Config, got {other:?}"),
    };
    assert!(config(DataKeys::from_parts([], [9; KEY_LEN])).contains("no data key"));
    let twice = DataKeys::from_parts([("k1", [1; KEY_LEN]), ("k1", [2; KEY_LEN])], [9; 32]);
    assert!(config(twice).contains("listed twice"));
    let bad_id = DataKeys::from_parts([("k:1", [1; KEY_LEN])], [9; KEY_LEN]);
    assert!(config(bad_id).contains("not usable"));
    let long_id = "k".repeat(MAX_KEY_ID_LEN + 1);
    let too_long = DataKeys::from_parts([(long_id.as_str(), [1; KEY_LEN])], [9; KEY_LEN]);
    assert!(config(too_long).contains("not usable"));
    let shared = DataKeys::from_parts([("k1", [9; KEY_LEN])], [9; KEY_LEN]);
    assert!(config(shared).contains("same as the blind-index key"));
}

#[test]
fn debug_shows_key_ids_but_no_key_material() {
    let keys = ring(&[("k2", 0xab), ("k1", 0xcd)], 0xef);
    let debug = format!("{keys:?}");
    assert_eq!(
        debug,
        r#"DataKeys { active: "k2", key_ids: ["k2", "k1"], index_key: "<redacted>" }"#
    );
}
