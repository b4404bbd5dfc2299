DROP TABLE project_villages;
