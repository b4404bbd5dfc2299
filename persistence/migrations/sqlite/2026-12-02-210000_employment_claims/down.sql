DROP TABLE employment_claims;
