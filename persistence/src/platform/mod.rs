//! Storage of the information service platform (task 9): needs, offers and their matching
//! index, pledges with feedback, and pairings.

pub mod needs;
pub mod offers;
pub mod pairings;
pub mod pledges;
