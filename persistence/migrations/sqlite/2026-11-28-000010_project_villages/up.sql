-- The villages an enterprise project serves, one row each, so officials find the projects
-- serving their jurisdiction from an index (the project keeps its list for display).
CREATE TABLE project_villages (
    village_code TEXT NOT NULL,
    project_id TEXT NOT NULL REFERENCES enterprise_projects (id),
    PRIMARY KEY (village_code, project_id)
);
-- SQLite has no string_to_array: split the space-separated list with a recursive query.
INSERT INTO project_villages (village_code, project_id)
WITH RECURSIVE split (project_id, code, rest) AS (
    SELECT id, '', village_codes || ' ' FROM enterprise_projects
    UNION ALL
    SELECT project_id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM split
    WHERE rest <> ''
)
SELECT DISTINCT code, project_id FROM split WHERE code <> '';
