DROP TABLE campaigns;
DROP TABLE project_progress;
DROP TABLE project_employments;
DROP TABLE enterprise_projects;
DROP TABLE volunteer_hours;
DROP TABLE activity_signups;
DROP TABLE volunteer_activities;
DROP TABLE volunteers;
