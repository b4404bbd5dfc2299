//! Test keys: Ed25519 key pairs made from a seed, fixed RSA and EC keys (made with
//! `openssl genpkey` for these tests only; they protect nothing), and a temporary folder.

use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk};
use jsonwebtoken::{Algorithm, EncodingKey};

/// DER prefix of a PKCS#8 v1 Ed25519 private key; the 32-byte seed follows.
const ED25519_PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];
/// DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32-byte public key follows.
const ED25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

pub(super) const RSA_2048_PRIVATE_PEM: &str = "\
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCuJo7vL7fU6RxZ
ZO0kJLHuZJaHYa7AEX/7OXIXum1eDGzpDCGYf4dNhoBDDXWPJTXCooW+JkODlLfI
/vW8lg00GWfR5xAOz4l/GZnQxbW+2l3WnQgT+6sd/j305/ntDQN4phq/aq7qrltD
ioUPgMcDf3Nlg7tZKE+8A3s309WZmzuYi1rQchJ2GQufqdIKA2IXFMPFs6XB6Njh
Fu87SF09yiKVThKFndNp5TzQwfqghUsUr4Clhn/3tCSfq66YOcwRQTjKsKUY7XZ6
kyKB+W2CgvXH4SNNT32bT16ZrM1aix5ZE4szQsPAJMoapgEGsjL0BVpP/aiHw861
3Q68fALFAgMBAAECggEAAglsaYq+1SwmyzrddStCs32Urx+q2g86VnddCL8C8XMm
wPEF4ZE4RWVZ0a7yHYr7XnvlIYy0BHF0VtL4j8yXefEEIFXZ/7pYqtZjUKhHUGSg
bVan1gf+/9pN4jPmXenljP8wV+XJBvCkG52eochJS5athFXuloPcrt/BjK0bFfFQ
YYYZWyqLO4W415ha/UzFa5ue8XSTrxn14DWXRXdERdc2M24QaRNrYDgeV1wlXPpn
Dpdq8wWplpAkNuER9wR+9f2T0mjiQjsQLWFG83GP68UmV0Ng+L8EKUkzPazFzbFB
jdN3T6HB5v2IM7HL2be++AlR/49qMv4G3dfChDJMrwKBgQDqB7qnZGryZk+CCSD7
XCG6r7cYWnEwLhUqKygg8qYmceTEuTb0v4K8h6zAjJnRvMJ6kMeWdyUse0AVlXEi
mbcxIIdfmevnj+dcXapcPSY2EEFTThn5ucZW4FPqZ+/9oWdYToxJgdRic8krdLZi
r2ggxOrkpuwlC8PqpkrvguGYuwKBgQC+f8nk7iYNgNtIsFo4JrJ9ByoNQFXzbjSL
wKGpW/36+ih73wH2Jlm6UsaTfEVPFvBkTk9FC5u8ncZ15pBu6HruRjanmRIAdgvP
fHHD23K9bjmU+nTBqkA00uiTITNiMATMMUOUJ6OjrbyUDU4fFnbDROIBI6uPtLOf
TaZgCGbafwKBgDC5zT3+5Vl0vccYOXq8MvWYkimK4xgh8BwogiFiA//rJLNk0LFi
kkjIgspQO9J0V5WHQVbtlZrOSohz5etLT931pNndxUUgLA6KHec4gBUvizpZ/4SE
DmyWJkKew1PuYAL9z62aT2r0KoVWtoaTeL2h4jobGv2XloHrf5yghnHzAoGAURtZ
W1Yl73PgaTdkgim/rsnhFplAvw854hKXAeN/5F6j4/GUBThY1aKul1a+r6jFmv9Y
cr45hXnraIFNF1t2E4LjfEIIzxdzedizGz+Qv6RxccOc+GPDSHpPuWzWUsS9Fi8X
ZbnmyyaKdsKfc07+K69lRjTos5utKnNGFfcdy4MCgYEA5kLX59CyImnJaXAqtcvd
53j5Tp0pPh1seuwTQSIAZ2wuMSjSjkZlPFIysaRKtBdacBQ/7ykiuzb8Acb972Kv
ss7pBIFJ3qCqzgUycjc7gMaqjNDtheVr5HHadCtyNr/gDmJg5XMzYVAe+aVUSAl/
89TKA0iAbEZkm9LyFSkrYuM=
-----END PRIVATE KEY-----
";

pub(super) const RSA_2048_PUBLIC_PEM: &str = "\
-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAriaO7y+31OkcWWTtJCSx
7mSWh2GuwBF/+zlyF7ptXgxs6QwhmH+HTYaAQw11jyU1wqKFviZDg5S3yP71vJYN
NBln0ecQDs+JfxmZ0MW1vtpd1p0IE/urHf499Of57Q0DeKYav2qu6q5bQ4qFD4DH
A39zZYO7WShPvAN7N9PVmZs7mIta0HISdhkLn6nSCgNiFxTDxbOlwejY4RbvO0hd
PcoilU4ShZ3TaeU80MH6oIVLFK+ApYZ/97Qkn6uumDnMEUE4yrClGO12epMigflt
goL1x+EjTU99m09emazNWoseWROLM0LDwCTKGqYBBrIy9AVaT/2oh8POtd0OvHwC
xQIDAQAB
-----END PUBLIC KEY-----
";

pub(super) const RSA_1024_PRIVATE_PEM: &str = "\
-----BEGIN PRIVATE KEY-----
MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBAMPEn5XVrvgEnTYf
0t5paeiCOMWcwyPJWnmAMiGkVl5Kr34ywoveXFdymyd93msczP/LL77/gvz/m8xO
eBw42VMQjSWbbXMJB2kAFeqvvxX27BS64u63ggqJT2jqXp0awxokTCqQlFKyTQ/A
I+d5Jy0mqnza/ddLqUSbrIyOYdHxAgMBAAECgYEAmAJtCCNMITkz+XrsedbQbcHv
40G+JGOM5Rst0gGRLtY/PnabqY+XlC9hWmDZ+8H5TAWxpVUxmNHBX/ruOLvLwt8G
RNLIWbg5VTzpt6fsf3k2Ue1B+4SEKla2xtHB3Mc8qxPk3/SROB50iCalujLurKUV
c2loeTDpETlCHZ3Ag4ECQQDzqZM672oyy8HrzMdlFDY525p8D5Nps/KjD0MfBmoT
7iiwh6uHUeH5hblsUAfCasCyA5FdCuNNUXZbdDsTyNJFAkEAza46PAtaaTvJQZtq
mRWlzAGmx2X3V6Bhabnm42hioZuVAY1CqTp9Cdl0X+lw6lN3V927PmHbHXDyvdlO
DwgRvQJBANCK80r+vBrrj3aclo/pY5vTW34Q6q8OZ32tw1nbaJDURhkIlQNFTq38
CL4uJOX97hyttw02E2MKdM1DRojhWS0CQHvpukXQZTC/BxnSgx8lLpTAbfT1VlVh
Vy62BAb/LWTFcbjUnNONXCVh772UyyUxEdZKzHLhy3tqP6Pm1iMyLlUCQBwPIoRw
gDOZVu9IEYqVBmBKdsLM99W4fEOyPCShLnUfjvBRMLLmViy6Ko3aFD+9zX/hs6s/
Lpqe/wc2J63tv1U=
-----END PRIVATE KEY-----
";

pub(super) const EC_P256_PRIVATE_PEM: &str = "\
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg0jGKJjSJcReVscYP
0QTQSQJ/hDLAsYvVr+cTgB+rB2uhRANCAAT9cNJOIucXoFVQQSZbde+FWxpfsXfL
uqGznbkYqpyCM3ARJQcqaLcDtpRE1/A9T/KU1j+x60fTOdSJV8/NDrqS
-----END PRIVATE KEY-----
";

fn pem(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).expect("base64 is ASCII"))
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

/// An Ed25519 private key in PKCS#8 PEM, as `openssl genpkey -algorithm ed25519` writes it.
pub(super) fn ed25519_private_pem(seed: [u8; 32]) -> String {
    let mut der = ED25519_PKCS8_PREFIX.to_vec();
    der.extend_from_slice(&seed);
    pem("PRIVATE KEY", &der)
}

/// The public half of [`ed25519_private_pem`] in SPKI PEM (`openssl pkey -pubout`).
pub(super) fn ed25519_public_pem(seed: [u8; 32]) -> String {
    let private = EncodingKey::from_ed_pem(ed25519_private_pem(seed).as_bytes()).expect("pem");
    let jwk = Jwk::from_encoding_key(&private, Algorithm::EdDSA).expect("public half");
    let AlgorithmParameters::OctetKeyPair(okp) = jwk.algorithm else {
        panic!("not an Ed25519 JWK");
    };
    let public = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(okp.x)
        .expect("base64url");
    let mut der = ED25519_SPKI_PREFIX.to_vec();
    der.extend_from_slice(&public);
    pem("PUBLIC KEY", &der)
}

/// A fresh folder under the system temp dir, removed when the test ends.
pub(super) struct TempDir(pub(super) PathBuf);

impl TempDir {
    pub(super) fn new() -> Self {
        TempDir(std::env::temp_dir().join(format!("fupin-jwt-{}", uuid::Uuid::now_v7())))
    }

    /// Writes `name` in the folder (creating it) and returns the file's path as text.
    pub(super) fn write(&self, name: &str, contents: &str) -> String {
        std::fs::create_dir_all(&self.0).expect("temp dir");
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("write");
        path.to_str().expect("UTF-8 temp path").to_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
