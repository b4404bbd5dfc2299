//! 两不愁三保障 (plus safe drinking water): the basic needs whose security is part of the
//! standard for leaving poverty.

use serde::{Deserialize, Serialize};

use super::fields::{Errors, lenient, parse_bool};

/// Which basic needs of a household are secure. Every one must be for it to exit poverty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Guarantees {
    /// 不愁吃
    pub food_secure: bool,
    /// 不愁穿
    pub clothing_secure: bool,
    /// 义务教育有保障
    pub compulsory_education: bool,
    /// 基本医疗有保障
    pub basic_medical: bool,
    /// 住房安全有保障
    pub housing_security: bool,
    /// 饮水安全有保障
    pub safe_drinking_water: bool,
}

impl Guarantees {
    /// The field names, in the order of the layout document (also its CSV columns).
    pub const FIELDS: [&'static str; 6] = [
        "food_secure",
        "clothing_secure",
        "compulsory_education",
        "basic_medical",
        "housing_security",
        "safe_drinking_water",
    ];

    /// Every need secure.
    pub const ALL_MET: Guarantees = Guarantees {
        food_secure: true,
        clothing_secure: true,
        compulsory_education: true,
        basic_medical: true,
        housing_security: true,
        safe_drinking_water: true,
    };

    /// The values in the order of [`Guarantees::FIELDS`].
    pub fn values(&self) -> [bool; 6] {
        [
            self.food_secure,
            self.clothing_secure,
            self.compulsory_education,
            self.basic_medical,
            self.housing_security,
            self.safe_drinking_water,
        ]
    }

    /// The field names of the needs that are not secure, in layout order.
    pub fn unmet(&self) -> Vec<&'static str> {
        Self::FIELDS
            .into_iter()
            .zip(self.values())
            .filter(|(_, met)| !met)
            .map(|(name, _)| name)
            .collect()
    }

    pub fn all_met(&self) -> bool {
        self.values().iter().all(|v| *v)
    }

    /// The Chinese name of a guarantee field (`basic_medical` → 基本医疗有保障).
    pub fn label_zh(field: &str) -> Option<&'static str> {
        let label = match field {
            "food_secure" => "不愁吃",
            "clothing_secure" => "不愁穿",
            "compulsory_education" => "义务教育有保障",
            "basic_medical" => "基本医疗有保障",
            "housing_security" => "住房安全有保障",
            "safe_drinking_water" => "饮水安全有保障",
            _ => return None,
        };
        Some(label)
    }
}

/// The guarantees as given, each a yes/no text (see [`parse_bool`]). All six are required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuaranteesDraft {
    #[serde(default, deserialize_with = "lenient")]
    pub food_secure: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub clothing_secure: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub compulsory_education: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub basic_medical: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub housing_security: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub safe_drinking_water: Option<String>,
}

impl GuaranteesDraft {
    /// The draft field of a guarantee, by its name in [`Guarantees::FIELDS`].
    pub fn field_mut(&mut self, name: &str) -> Option<&mut Option<String>> {
        let field = match name {
            "food_secure" => &mut self.food_secure,
            "clothing_secure" => &mut self.clothing_secure,
            "compulsory_education" => &mut self.compulsory_education,
            "basic_medical" => &mut self.basic_medical,
            "housing_security" => &mut self.housing_security,
            "safe_drinking_water" => &mut self.safe_drinking_water,
            _ => return None,
        };
        Some(field)
    }

    /// Parses every guarantee, reporting errors as `guarantees.<name>`.
    pub(crate) fn parse_into(&self, errors: &mut Errors) -> Option<Guarantees> {
        let mut one = |name: &str, raw: &Option<String>| {
            errors.required(&format!("guarantees.{name}"), raw.as_ref(), parse_bool)
        };
        // Every field is parsed before any is unwrapped, so all errors are reported.
        let values = [
            one("food_secure", &self.food_secure),
            one("clothing_secure", &self.clothing_secure),
            one("compulsory_education", &self.compulsory_education),
            one("basic_medical", &self.basic_medical),
            one("housing_security", &self.housing_security),
            one("safe_drinking_water", &self.safe_drinking_water),
        ];
        let [
            Some(food_secure),
            Some(clothing_secure),
            Some(compulsory_education),
            Some(basic_medical),
            Some(housing_security),
            Some(safe_drinking_water),
        ] = values
        else {
            return None;
        };
        Some(Guarantees {
            food_secure,
            clothing_secure,
            compulsory_education,
            basic_medical,
            housing_security,
            safe_drinking_water,
        })
    }
}

impl From<&Guarantees> for GuaranteesDraft {
    fn from(g: &Guarantees) -> Self {
        let text = |b: bool| Some(b.to_string());
        Self {
            food_secure: text(g.food_secure),
            clothing_secure: text(g.clothing_secure),
            compulsory_education: text(g.compulsory_education),
            basic_medical: text(g.basic_medical),
            housing_security: text(g.housing_security),
            safe_drinking_water: text(g.safe_drinking_water),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmet_lists_field_names_in_layout_order() {
        assert_eq!(Guarantees::ALL_MET.unmet(), Vec::<&str>::new());
        assert!(Guarantees::ALL_MET.all_met());
        let g = Guarantees {
            basic_medical: false,
            food_secure: false,
            ..Guarantees::ALL_MET
        };
        assert_eq!(g.unmet(), ["food_secure", "basic_medical"]);
        assert!(!g.all_met());
        assert_eq!(
            Guarantees::label_zh("basic_medical"),
            Some("基本医疗有保障")
        );
        assert_eq!(Guarantees::label_zh("housing_safe"), None);
    }

    #[test]
    fn every_guarantee_is_required_and_reported_by_its_path() {
        let mut draft = GuaranteesDraft::from(&Guarantees::ALL_MET);
        draft.safe_drinking_water = None;
        draft.basic_medical = Some("否".into());
        if let Some(f) = draft.field_mut("food_secure") {
            *f = Some("sometimes".into());
        }
        let mut errors = Errors::default();
        assert_eq!(draft.parse_into(&mut errors), None);
        let found: Vec<(String, &str)> = errors
            .into_vec()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(
            found,
            [
                ("guarantees.food_secure".to_owned(), "invalid_boolean"),
                ("guarantees.safe_drinking_water".to_owned(), "required"),
            ]
        );
    }

    #[test]
    fn a_complete_draft_parses() {
        let mut draft = GuaranteesDraft::from(&Guarantees::ALL_MET);
        draft.basic_medical = Some("否".into());
        draft.food_secure = Some("1".into());
        let mut errors = Errors::default();
        let g = draft.parse_into(&mut errors).expect("valid");
        assert!(errors.is_empty());
        assert_eq!(g.unmet(), ["basic_medical"]);
    }
}
