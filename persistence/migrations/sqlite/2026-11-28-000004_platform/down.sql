DROP TABLE pledge_feedback;
DROP TABLE pledges;
DROP TABLE pairings;
DROP TABLE offer_regions;
DROP TABLE offers;
DROP TABLE needs;
