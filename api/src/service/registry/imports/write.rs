//! The writing stage of an import: checks a batch of parsed households against the
//! database (village known and poor, number in reach, no person registered twice, content
//! changed) and writes what passes in one transaction.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use domain::registry::{HouseholdStatus, ImportProblem, RegisteredHousehold};
use persistence::registry::households::{self as store, Encoded};
use persistence::registry::villages;
use persistence::{DbConn, PersistenceError, read_snapshot, write_transaction};

use super::engine::{Engine, Pending};
use super::tally::Tally;

impl Engine {
    /// Checks a batch against the database and writes it in one transaction; if that
    /// transaction fails (a concurrent import took a number or a person first), writes the
    /// households one by one so only the conflicting ones fail.
    pub(super) fn flush(&self, pending: Vec<Pending>, tally: &mut Tally) -> Result<(), String> {
        let mut conn = self.conn()?;
        // The checks read several tables; on one snapshot they agree with each other even
        // while another import commits the same households meanwhile (else a household it
        // wrote between two reads would look like a second copy of its own members).
        let plan = read_snapshot(&mut conn, |conn| self.plan(conn, pending, tally))
            .map_err(|e: PersistenceError| e.to_string())?;
        let all = write_transaction(&mut conn, |conn| -> Result<Vec<usize>, PersistenceError> {
            apply(conn, &plan)
        });
        match all {
            Ok(stale) => {
                count(&plan, &stale, tally);
                Ok(())
            }
            Err(_) => {
                for one in plan.split() {
                    match write_transaction(
                        &mut conn,
                        |conn| -> Result<Vec<usize>, PersistenceError> { apply(conn, &one) },
                    ) {
                        Ok(stale) => count(&one, &stale, tally),
                        Err(e) => {
                            // The database's words may quote the conflicting key: logged,
                            // not stored with the job.
                            tracing::debug!(error = %e, "an import lost a household to another writer");
                            let p = one.writes.first().map_or(0, |w| w.first_row);
                            let rows = one.writes.first().map_or(1, |w| w.row_count);
                            tally.lose(rows, p, "household_number");
                        }
                    }
                }
                Ok(())
            }
        }
    }

    fn plan(
        &self,
        conn: &mut DbConn,
        pending: Vec<Pending>,
        tally: &mut Tally,
    ) -> Result<Plan, PersistenceError> {
        let numbers: Vec<String> = pending
            .iter()
            .map(|p| p.household.household_number.as_str().to_owned())
            .collect();
        let existing: HashMap<String, store::Existing> = store::existing_by_number(conn, &numbers)?
            .into_iter()
            .collect();
        let codes: Vec<String> = pending
            .iter()
            .map(|p| p.household.region_code.to_string())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let known: HashSet<String> = persistence::region::existing_codes(conn, &codes)?
            .into_iter()
            .collect();
        let poor: HashSet<String> = villages::registered_among(conn, &codes)?
            .into_iter()
            .collect();
        let flat: Vec<String> = pending
            .iter()
            .flat_map(|p| p.seal.indexes().iter().cloned())
            .collect();
        let owners: HashMap<String, String> = store::owners_of(conn, &flat)?
            .into_iter()
            .map(|o| (o.index, o.household_id))
            .collect();
        let now = Utc::now();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut writes = Vec::new();
        for (i, p) in pending.into_iter().enumerate() {
            let h = &p.household;
            let first = p.rows.first().copied().unwrap_or(0);
            let region = h.region_code.to_string();
            let current = existing.get(h.household_number.as_str());
            let fail = |tally: &mut Tally, pr: ImportProblem| tally.fail(p.rows.len(), [pr]);
            if !known.contains(&region) {
                fail(
                    tally,
                    ImportProblem::new(
                        first,
                        "region_code",
                        "unknown_region",
                        format!("no village {region}"),
                        format!("村 {region} 不存在"),
                    ),
                );
                continue;
            }
            if !h.scattered && !poor.contains(&region) {
                fail(
                    tally,
                    ImportProblem::new(
                        first,
                        "scattered",
                        "not_a_poor_village",
                        "the village is not a registered poor village: register it, or mark the household scattered (插花贫困户)",
                        "该村不是建档立卡贫困村：请先登记贫困村，或将该户标为插花贫困户",
                    ),
                );
                continue;
            }
            if let (Some(cur), Some(within)) = (current, &self.within)
                && !within.contains(&cur.region_code)
            {
                fail(
                    tally,
                    ImportProblem::new(
                        first,
                        "household_number",
                        "outside_jurisdiction",
                        "this household number belongs to a household outside your jurisdiction",
                        "该户编号属于您管辖范围外的农户",
                    ),
                );
                continue;
            }
            let own_id = current.map(|c| c.id.as_str());
            let clash = p.seal.indexes().iter().enumerate().find(|(_, index)| {
                owners
                    .get(*index)
                    .is_some_and(|owner| Some(owner.as_str()) != own_id)
                    || seen.get(*index).is_some_and(|other| *other != i)
            });
            if let Some((m, _)) = clash {
                let row = p.rows.get(m).copied().unwrap_or(first);
                fail(
                    tally,
                    ImportProblem::new(
                        row,
                        "member_id_number",
                        "duplicate_person",
                        "this person is already registered in another household",
                        "此人已登记在其他农户中",
                    ),
                );
                continue;
            }
            for index in p.seal.indexes() {
                seen.insert(index.clone(), i);
            }
            let kind = match current {
                Some(cur) if cur.content_hash == p.seal.fingerprint() => {
                    tally.unchanged += 1;
                    continue;
                }
                Some(cur) => WriteKind::Update {
                    expected_version: cur.version,
                    old_status: cur.status,
                },
                None => WriteKind::Insert,
            };
            let entry = RegisteredHousehold {
                id: current.map_or_else(|| uuid::Uuid::now_v7().to_string(), |c| c.id.clone()),
                household: p.household,
                version: current.map_or(1, |c| c.version + 1),
                created_at: current.map_or(now, |c| c.created_at),
                created_by: current.map_or_else(|| self.actor_id.clone(), |c| c.created_by.clone()),
                updated_by: self.actor_id.clone(),
                updated_at: now,
            };
            let encoded = store::encode(&self.importer.keys, &entry, &p.seal);
            writes.push(Write {
                entry,
                encoded,
                kind,
                first_row: first,
                row_count: p.rows.len(),
            });
        }
        Ok(Plan {
            writes,
            actor: self.actor_id.clone(),
            now,
        })
    }
}

#[derive(Debug)]
enum WriteKind {
    Insert,
    Update {
        expected_version: i32,
        old_status: HouseholdStatus,
    },
}

#[derive(Debug)]
struct Write {
    entry: RegisteredHousehold,
    encoded: Encoded,
    kind: WriteKind,
    first_row: u64,
    row_count: usize,
}

#[derive(Debug)]
struct Plan {
    writes: Vec<Write>,
    actor: Option<String>,
    now: DateTime<Utc>,
}

impl Plan {
    fn split(self) -> Vec<Plan> {
        let (actor, now) = (self.actor, self.now);
        self.writes
            .into_iter()
            .map(|w| Plan {
                writes: vec![w],
                actor: actor.clone(),
                now,
            })
            .collect()
    }
}

/// Writes a plan; returns the indexes of updates that found the household changed since it
/// was read (they are not written).
fn apply(conn: &mut DbConn, plan: &Plan) -> Result<Vec<usize>, PersistenceError> {
    // A crash can lose the last batches, never corrupt them; the job is then marked failed
    // and the file imported again (imports are idempotent).
    persistence::db::relax_durability(conn)?;
    let inserts: Vec<&Encoded> = plan
        .writes
        .iter()
        .filter(|w| matches!(w.kind, WriteKind::Insert))
        .map(|w| &w.encoded)
        .collect();
    store::insert_many(conn, &inserts)?;
    let mut stale = Vec::new();
    let mut changes = Vec::new();
    for (i, w) in plan.writes.iter().enumerate() {
        let from = match &w.kind {
            WriteKind::Insert => None,
            WriteKind::Update {
                expected_version,
                old_status,
            } => {
                if !store::replace(conn, &w.encoded, *expected_version)? {
                    stale.push(i);
                    continue;
                }
                if *old_status == w.entry.household.status {
                    continue;
                }
                Some(*old_status)
            }
        };
        changes.push(w.entry.status_change(
            from,
            Some("import".to_owned()),
            plan.actor.clone(),
            plan.now,
        ));
    }
    store::record_status_changes(conn, &changes)?;
    Ok(stale)
}

fn count(plan: &Plan, stale: &[usize], tally: &mut Tally) {
    for (i, w) in plan.writes.iter().enumerate() {
        if stale.contains(&i) {
            tally.fail(
                w.row_count,
                [ImportProblem::new(
                    w.first_row,
                    "household_number",
                    "conflict",
                    "the household was changed by someone else during the import",
                    "导入过程中该户已被他人修改",
                )],
            );
        } else if matches!(w.kind, WriteKind::Insert) {
            tally.created += 1;
        } else {
            tally.updated += 1;
        }
    }
}
