-- The villages an enterprise project serves, one row each, so officials find the projects
-- serving their jurisdiction from an index (the project keeps its list for display).
CREATE TABLE project_villages (
    village_code TEXT COLLATE "C" NOT NULL,
    project_id TEXT NOT NULL REFERENCES enterprise_projects (id),
    PRIMARY KEY (village_code, project_id)
);
INSERT INTO project_villages (village_code, project_id)
SELECT DISTINCT code, id
FROM enterprise_projects, unnest(string_to_array(village_codes, ' ')) AS code
WHERE code <> '';
