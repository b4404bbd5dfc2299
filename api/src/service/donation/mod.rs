//! 爱心捐赠 (task 3): gifts of money or goods to a verified organisation, `pending` until a
//! member of the receiving organisation confirms them; each confirmed gift has a receipt
//! whose number is unique and which says whether the gift is deductible before tax; the
//! scoped loader that answers who may see a gift; lists; a donor's annual statement.

mod actions;
mod donations;
mod receipts;

pub use actions::act;
pub use donations::{DonationFilter, annual_statement, donate, get, list, load};
pub use receipts::{ReceiptParts, receipt};
