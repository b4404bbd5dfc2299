//! Liaoning's official divisions (National Bureau of Statistics 2022 statistical division
//! codes), embedded as reference data: province, 14 cities, 100 counties, 1,406 townships
//! and 16,727 villages. See `reference/divisions/README.md` for their source and licence.

use super::{Region, RegionCode};
use crate::FieldError;

/// Version tag of the embedded data set; stored when loaded so a newer set can be detected.
pub const DIVISIONS_VERSION: &str = "nbs-2022-liaoning";

const PROVINCES: &str = include_str!("../../reference/divisions/provinces.csv");
const CITIES: &str = include_str!("../../reference/divisions/cities.csv");
const COUNTIES: &str = include_str!("../../reference/divisions/counties.csv");
const TOWNSHIPS: &str = include_str!("../../reference/divisions/townships.csv");
const VILLAGES: &str = include_str!("../../reference/divisions/villages.csv");

/// Every region of the embedded data set, parents before children.
pub fn liaoning_divisions() -> Result<Vec<Region>, FieldError> {
    let mut out = Vec::with_capacity(18_300);
    // Each file holds the code in its short form; pad it to the canonical spelling.
    for (csv, pad) in [
        (PROVINCES, "0000"),
        (CITIES, "00"),
        (COUNTIES, ""),
        (TOWNSHIPS, "000"),
        (VILLAGES, ""),
    ] {
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        for record in reader.records() {
            let record = record.map_err(|e| {
                FieldError::new("reference", "corrupt", e.to_string(), e.to_string())
            })?;
            let (Some(code), Some(name)) = (record.get(0), record.get(1)) else {
                return Err(FieldError::new(
                    "reference",
                    "corrupt",
                    "reference row without code or name",
                    "参考数据缺少代码或名称",
                ));
            };
            out.push(Region {
                code: RegionCode::parse(&format!("{code}{pad}"))?,
                name: name.to_owned(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::RegionLevel;
    use std::collections::{HashMap, HashSet};

    #[test]
    fn counts_match_the_official_data_set() {
        let all = liaoning_divisions().unwrap();
        let mut by_level: HashMap<RegionLevel, usize> = HashMap::new();
        for r in &all {
            *by_level.entry(r.level()).or_default() += 1;
        }
        assert_eq!(by_level[&RegionLevel::Province], 1);
        assert_eq!(by_level[&RegionLevel::City], 14);
        assert_eq!(by_level[&RegionLevel::County], 100);
        assert_eq!(by_level[&RegionLevel::Township], 1_406);
        assert_eq!(by_level[&RegionLevel::Village], 16_727);
    }

    #[test]
    fn every_region_has_its_parent_in_the_set_and_codes_are_unique() {
        let all = liaoning_divisions().unwrap();
        let codes: HashSet<&str> = all.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes.len(), all.len());
        for r in &all {
            if let Some(p) = r.parent_code() {
                assert!(codes.contains(p.as_str()), "{} has no parent {}", r.code, p);
            }
        }
        let fuxin_county = all.iter().find(|r| r.code.as_str() == "210921").unwrap();
        assert_eq!(fuxin_county.name, "阜新蒙古族自治县");
    }
}
