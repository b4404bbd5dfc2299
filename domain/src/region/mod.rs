//! Administrative regions (行政区划): the province, its cities, counties, townships and
//! villages. Every place-bound thing in Fupin hangs off a region code, and a region filter
//! anywhere in the API means "this region and everything under it".

mod code;
pub mod reference;

pub use code::{RegionCode, RegionLevel};

/// One region of the hierarchy, with its official name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub code: RegionCode,
    pub name: String,
}

impl Region {
    pub fn level(&self) -> RegionLevel {
        self.code.level()
    }

    pub fn parent_code(&self) -> Option<RegionCode> {
        self.code.parent()
    }
}
