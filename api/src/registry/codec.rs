//! The register's duplicate index, for the areas that look a person up by ID number (the
//! index is made in persistence, beside the encryption of the personal columns).

pub use persistence::registry::columns::id_index;
