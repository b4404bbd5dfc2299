DROP INDEX volunteer_hours_certified;
DROP INDEX campaign_participants_user;
DROP INDEX volunteers_region;
DROP TABLE staff_affiliations;
