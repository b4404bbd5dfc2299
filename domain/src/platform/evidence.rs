//! Evidence attachments (证明材料): a URL to the file and the SHA-256 of its content, so a
//! later reader can tell the file was not swapped.

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// At most this many attachments per need or delivery.
pub const MAX_EVIDENCE: usize = 20;
const MAX_URL_CHARS: usize = 2048;

/// An attachment as a request gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceDraft {
    pub url: Option<String>,
    pub sha256: Option<String>,
}

/// A checked attachment: an `http(s)` URL and a lower-case hex SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub url: String,
    pub sha256: String,
}

/// Checks every attachment; errors name the item (`evidence[1].sha256`).
pub fn parse_evidence(
    drafts: &[EvidenceDraft],
    field: &str,
) -> Result<Vec<Evidence>, Vec<FieldError>> {
    if drafts.len() > MAX_EVIDENCE {
        return Err(vec![FieldError::new(
            field,
            "too_many",
            format!("at most {MAX_EVIDENCE} attachments"),
            format!("最多 {MAX_EVIDENCE} 个附件"),
        )]);
    }
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (i, d) in drafts.iter().enumerate() {
        let url = d.url.as_deref().map(str::trim).unwrap_or_default();
        let sha = d
            .sha256
            .as_deref()
            .map(str::trim)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let url_ok = (url.starts_with("https://") || url.starts_with("http://"))
            && url.len() > "https://".len()
            && url.chars().count() <= MAX_URL_CHARS
            && !url.chars().any(char::is_whitespace);
        if !url_ok {
            errors.push(FieldError::new(
                format!("{field}[{i}].url"),
                "invalid_url",
                "an attachment needs an absolute http(s) URL without spaces",
                "附件地址必须是完整的 http(s) URL，且不含空格",
            ));
        }
        if sha.len() != 64 || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
            errors.push(FieldError::new(
                format!("{field}[{i}].sha256"),
                "invalid_sha256",
                "sha256 is the file's SHA-256 as 64 hexadecimal characters",
                "sha256 必须是文件的 SHA-256 值（64 位十六进制）",
            ));
        }
        if url_ok {
            out.push(Evidence {
                url: url.to_owned(),
                sha256: sha,
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn urls_and_hashes_are_checked_per_item() {
        let ok = EvidenceDraft {
            url: Some("https://files.example.cn/a.jpg".into()),
            sha256: Some(SHA.to_uppercase()),
        };
        let parsed = parse_evidence(std::slice::from_ref(&ok), "evidence").unwrap();
        assert_eq!(parsed[0].sha256, SHA);
        let bad = EvidenceDraft {
            url: Some("ftp://x".into()),
            sha256: Some("abc".into()),
        };
        let errs = parse_evidence(&[ok, bad], "evidence").unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["evidence[1].url", "evidence[1].sha256"]);
        let many = vec![EvidenceDraft::default(); MAX_EVIDENCE + 1];
        assert_eq!(
            parse_evidence(&many, "evidence").unwrap_err()[0].code,
            "too_many"
        );
    }
}
