//! The brand and programme catalogue: the reference brands every install carries
//! (光彩事业, 希望工程, 雨露计划 …) and the brands officials add for the special groups.

use chrono::NaiveDateTime;
use serde::Deserialize;

use crate::FieldError;
use crate::labels::labelled_enum;
use crate::platform::TargetGroup;
use crate::platform::text::required_text;

labelled_enum! {
    /// 品牌类别
    pub enum BrandKind in "kind" {
        /// 公益品牌
        Brand = "brand", "公益品牌", [];
        /// 扶贫项目
        Programme = "programme", "扶贫项目", [];
    }
}

/// A brand or programme of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brand {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: BrandKind,
    pub owner: String,
    pub description: String,
    pub target_group: Option<TargetGroup>,
    /// Part of the reference catalogue.
    pub builtin: bool,
    pub created_at: NaiveDateTime,
}

/// A new brand as a request gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, expecting = "struct BrandBody")]
pub struct BrandDraft {
    pub code: String,
    pub name: String,
    pub owner: String,
    pub description: String,
    pub target_group: String,
}

/// A valid new brand: it serves one special group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrandSpec {
    pub code: String,
    pub name: String,
    pub owner: String,
    pub description: String,
    pub target_group: TargetGroup,
}

/// A brand code: 3 to 40 lower-case letters, digits or `_`.
fn code_ok(code: &str) -> bool {
    (3..=40).contains(&code.len())
        && code
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
}

impl BrandDraft {
    pub fn parse(&self) -> Result<BrandSpec, Vec<FieldError>> {
        let mut errors = Vec::new();
        if !code_ok(&self.code) {
            errors.push(FieldError::new(
                "code",
                "format",
                "3 to 40 lower-case letters, digits or _",
                "应为 3 到 40 位小写字母、数字或下划线",
            ));
        }
        let mut text = |v: &str, f: &str, max: usize| {
            required_text(Some(v), f, max)
                .map_err(|e| errors.push(e))
                .ok()
        };
        let name = text(&self.name, "name", 50);
        let owner = text(&self.owner, "owner", 100);
        let description = text(&self.description, "description", 1000);
        let group = TargetGroup::parse(&self.target_group)
            .map_err(|e| errors.push(e))
            .ok();
        match (name, owner, description, group) {
            (Some(name), Some(owner), Some(description), Some(target_group))
                if errors.is_empty() =>
            {
                Ok(BrandSpec {
                    code: self.code.clone(),
                    name,
                    owner,
                    description,
                    target_group,
                })
            }
            _ => Err(errors),
        }
    }
}

impl Brand {
    /// A brand added to the catalogue (never a programme, never built in).
    pub fn create(spec: BrandSpec, id: String, now: NaiveDateTime) -> Self {
        Self {
            id,
            code: spec.code,
            name: spec.name,
            kind: BrandKind::Brand,
            owner: spec.owner,
            description: spec.description,
            target_group: Some(spec.target_group),
            builtin: false,
            created_at: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> BrandDraft {
        BrandDraft {
            code: "left_behind_mothers".into(),
            name: "留守妈妈关爱行动".into(),
            owner: "辽宁省妇联".into(),
            description: "为留守妇女提供技能培训".into(),
            target_group: "left_behind_women".into(),
        }
    }

    #[test]
    fn a_new_brand_serves_a_special_group() {
        let spec = draft().parse().unwrap();
        assert_eq!(spec.target_group, TargetGroup::LeftBehindWomen);
        let brand = Brand::create(spec, "b1".into(), NaiveDateTime::default());
        assert_eq!(brand.kind, BrandKind::Brand);
        assert!(!brand.builtin);
        assert_eq!(brand.target_group, Some(TargetGroup::LeftBehindWomen));
    }

    #[test]
    fn brand_drafts_are_checked() {
        let bad = BrandDraft {
            code: "Bad-Code".into(),
            name: " ".into(),
            target_group: "nobody".into(),
            ..draft()
        };
        let fields: Vec<_> = bad
            .parse()
            .unwrap_err()
            .iter()
            .map(|e| (e.field.clone(), e.code))
            .collect();
        assert_eq!(fields[0], ("code".to_owned(), "format"));
        assert_eq!(fields[1], ("name".to_owned(), "required"));
        assert_eq!(fields[2].0, "target_group");
        assert_eq!(fields.len(), 3);
        assert!(!code_ok("ab") && code_ok("abc") && !code_ok(&"a".repeat(41)));
    }
}
