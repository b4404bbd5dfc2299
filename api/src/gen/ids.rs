//! ID numbers (GB 11643): unique per county, birth date and sex, with a correct check
//! character.

use super::*;
// ---------------------------------------------------------------------------------------
// ID numbers
// ---------------------------------------------------------------------------------------

/// GB 11643-1999 weights of the first 17 digits and check character by remainder.
pub(super) const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
pub(super) const ID_CHECK: &[u8; 11] = b"10X98765432";

/// Sequence numbers per county, birth date and sex: women get the even numbers 002-998,
/// men the odd numbers 001-997 (499 each; 000 and 999 are not issued).
pub(super) const SLOTS: u16 = 499;

pub(super) fn check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    ID_CHECK[(sum % 11) as usize]
}

/// SplitMix64's finaliser: a well-mixed 64-bit hash of `x`.
pub(super) fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Hands out ID numbers that are unique by construction.
///
/// An ID number is county (6) + birth date (8) + sequence (3) + check digit. The allocator
/// keeps one counter per (county, birth date, sex): the `k`-th person of that triple gets
/// sequence slot `(k * stride + offset) mod 499`, a bijection on `0..499` (499 is prime and
/// `stride` is not a multiple of it), so slots never repeat and numbers look scattered
/// rather than 001, 003, .... When a day is full the person is moved to the next day of
/// the same year with a free slot, which keeps their age. Memory is one `u16` per county,
/// day and sex (about 15 MB at most, allocated zeroed so untouched pages cost nothing),
/// whatever the number of households.
pub(super) struct IdAllocator {
    pub(super) seed: u64,
    /// Day index (from 1 January [`FIRST_BIRTH_YEAR`]) of 1 January of each year, and one
    /// past the last day.
    pub(super) year_start: [u32; YEARS + 1],
    pub(super) used: Vec<u16>,
}

impl IdAllocator {
    pub(super) fn new(seed: u64, counties: usize) -> Self {
        let mut year_start = [0u32; YEARS + 1];
        let mut day = 0;
        for (i, start) in year_start.iter_mut().enumerate() {
            *start = day;
            day += if is_leap(FIRST_BIRTH_YEAR + i as i32) {
                366
            } else {
                365
            };
        }
        let days = year_start[YEARS] as usize;
        Self {
            seed,
            year_start,
            used: vec![0; counties * days * 2],
        }
    }

    pub(super) fn days_in_year(&self, year: i32) -> u32 {
        let i = (year - FIRST_BIRTH_YEAR) as usize;
        self.year_start[i + 1] - self.year_start[i]
    }

    /// The ID number of a person registered in `county` (its index and code), born on day
    /// `day_of_year` (0-based) of `year` or, if that day is full, a later day of that year.
    pub(super) fn allocate(
        &mut self,
        county: usize,
        county_code: &[u8; 6],
        year: i32,
        day_of_year: u32,
        male: bool,
    ) -> io::Result<[u8; 18]> {
        let days = self.year_start[YEARS] as usize;
        let start = self.year_start[(year - FIRST_BIRTH_YEAR) as usize];
        let len = self.days_in_year(year);
        for k in 0..len {
            let doy = (day_of_year + k) % len;
            let slot = (county * days + (start + doy) as usize) * 2 + usize::from(male);
            let taken = self.used[slot];
            if taken >= SLOTS {
                continue;
            }
            self.used[slot] = taken + 1;
            let h = mix(self.seed ^ mix(slot as u64));
            let offset = h % u64::from(SLOTS);
            let stride = 1 + (h >> 32) % u64::from(SLOTS - 1);
            let index = (u64::from(taken) * stride + offset) % u64::from(SLOTS);
            let sequence = if male { 2 * index + 1 } else { 2 * index + 2 };
            let date = NaiveDate::from_yo_opt(year, doy + 1)
                .ok_or_else(|| io::Error::other("birth date out of range"))?;
            let mut id = [b'0'; 18];
            id[..6].copy_from_slice(county_code);
            put_digits(&mut id[6..10], date.year() as u64);
            put_digits(&mut id[10..12], u64::from(date.month()));
            put_digits(&mut id[12..14], u64::from(date.day()));
            put_digits(&mut id[14..17], sequence);
            id[17] = check_char(&id[..17]);
            return Ok(id);
        }
        Err(io::Error::other(format!(
            "too many people born in {year} in county {}: ID numbers exhausted; \
             generate fewer households",
            String::from_utf8_lossy(county_code)
        )))
    }
}

pub(super) fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Writes `n` right-aligned and zero-padded into `dst`.
pub(super) fn put_digits(dst: &mut [u8], mut n: u64) {
    for d in dst.iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        n /= 10;
    }
}
